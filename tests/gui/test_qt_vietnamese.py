"""Tests for gui.qt_vietnamese: Qt's built-in strings must appear in Vietnamese.

These tests drive real Qt widgets (run them with QT_QPA_PLATFORM=offscreen)
and fail if the translator is not installed or not called by Qt.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QToolButton,
    QTreeView,
)

try:
    from gui.qt_vietnamese import (
        BUTTON_FALLBACKS,
        TRANSLATIONS,
        QtVietnameseTranslator,
        install_vietnamese,
        localize_file_dialog,
    )
except ImportError:  # repository root not on sys.path (no pytest config yet)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from gui.qt_vietnamese import (
        BUTTON_FALLBACKS,
        TRANSLATIONS,
        QtVietnameseTranslator,
        install_vietnamese,
        localize_file_dialog,
    )


# Words of Qt's English context menus that must not survive translation.
ENGLISH_MENU_WORDS = {"undo", "redo", "cut", "copy", "paste", "delete", "select", "all", "link"}

# English texts the non-native file dialog shows without a translation.
ENGLISH_FILE_DIALOG_TEXTS = {
    "Look in:", "File name:", "Files of type:", "Directory:",
    "Back", "Go back", "Forward", "Go forward",
    "Parent Directory", "Go to the parent directory",
    "Create New Folder", "Create a New Folder",
    "List View", "Change to list view mode", "Detail View", "Change to detail view mode",
    "Open", "Save", "Choose", "Cancel", "Save As", "Find Directory",
    "Name", "Size", "Type", "Kind", "Date Modified",
    "All Files (*)", "Computer", "My Computer", "Recent Places",
}


def plain(text: str) -> str:
    """Menu/button text without mnemonic markers and accelerator."""
    return text.split("\t", 1)[0].replace("&", "").strip()


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]+", text.lower()) if w in ENGLISH_MENU_WORDS}


@pytest.fixture
def vi_app(qapp):
    """The QApplication with the Vietnamese Qt translator installed."""
    previous_locale = QLocale()
    translator = install_vietnamese(qapp)
    yield qapp
    qapp.removeTranslator(translator)
    QLocale.setDefault(previous_locale)


# --- module-level checks ----------------------------------------------------


def test_translations_are_nfc_and_keys_are_qt_sources():
    for (context, source), target in TRANSLATIONS.items():
        assert target, (context, source)
        assert unicodedata.normalize("NFC", target) == target, (context, source)
    for source, target in BUTTON_FALLBACKS.items():
        assert unicodedata.normalize("NFC", target) == target, source
    # A sample of keys must be the exact Qt 6 source texts.
    for key in [
        ("QPlatformTheme", "OK"),
        ("QPlatformTheme", "&Yes"),
        ("QPlatformTheme", "N&o to All"),
        ("QLineEdit", "Cu&t"),
        ("QWidgetTextControl", "Copy &Link Location"),
        ("QAbstractSpinBox", "&Step up"),
        ("QFileDialog", "&Look in:"),
        ("QFileDialog", "%1 already exists.\nDo you want to replace it?"),
        ("QFileSystemModel", "Date Modified"),
        ("QWizard", "< &Back"),
    ]:
        assert key in TRANSLATIONS, key


def test_install_sets_vietnamese_locale_and_is_idempotent(vi_app):
    assert QLocale().language() == QLocale.Language.Vietnamese
    assert QLocale().territory() == QLocale.Country.Vietnam
    again = install_vietnamese(vi_app)
    assert isinstance(again, QtVietnameseTranslator)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"


def test_lookup_fallbacks(vi_app):
    # Exact (context, source) entry.
    assert QCoreApplication.translate("QFileDialog", "Back") == "Quay lại"
    # Unknown context: common button texts are still translated.
    assert QCoreApplication.translate("SomeAppDialog", "Cancel") == "Hủy"
    assert QCoreApplication.translate("SomeAppDialog", "&Yes") == "&Có"
    # Unknown strings and shortcut definitions fall back to the source text
    # (not to an empty string).
    assert QCoreApplication.translate("SomeAppDialog", "Frobnicate") == "Frobnicate"
    assert QCoreApplication.translate("QFileDialog", "Alt+Left") == "Alt+Left"
    # Key names (also used by QKeySequence parsing) get no fallback.
    assert QCoreApplication.translate("QShortcut", "Help") == "Help"


def test_many_translations_do_not_corrupt_none_refcount(vi_app):
    # PySide6 6.12 loses a reference to None per null ``const char*`` passed to
    # a Python override; without the workaround Python aborts after a few
    # thousand tr() calls ("deallocating None").
    before = sys.getrefcount(None)
    for _ in range(2000):
        QCoreApplication.translate("QLineEdit", "&Copy")
        QCoreApplication.translate("NoSuchContext", "no such text")
    assert sys.getrefcount(None) >= before - 50


# --- standard buttons --------------------------------------------------------


def test_dialog_button_box_is_vietnamese(vi_app, qtbot):
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
    )
    qtbot.addWidget(box)
    texts = {
        sb: plain(box.button(sb).text())
        for sb in (
            QDialogButtonBox.StandardButton.Ok,
            QDialogButtonBox.StandardButton.Cancel,
            QDialogButtonBox.StandardButton.Save,
            QDialogButtonBox.StandardButton.Yes,
            QDialogButtonBox.StandardButton.No,
        )
    }
    assert texts == {
        QDialogButtonBox.StandardButton.Ok: "Đồng ý",
        QDialogButtonBox.StandardButton.Cancel: "Hủy",
        QDialogButtonBox.StandardButton.Save: "Lưu",
        QDialogButtonBox.StandardButton.Yes: "Có",
        QDialogButtonBox.StandardButton.No: "Không",
    }


def test_message_box_is_vietnamese(vi_app, qtbot):
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Xác nhận",
        "Tiếp tục?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDetailedText("Chi tiết kỹ thuật")
    qtbot.addWidget(box)
    box.show()
    assert plain(box.button(QMessageBox.StandardButton.Yes).text()) == "Có"
    assert plain(box.button(QMessageBox.StandardButton.No).text()) == "Không"
    button_texts = {plain(b.text()) for b in box.findChildren(QPushButton)}
    assert "Chi tiết..." in button_texts
    assert not button_texts & {"Yes", "No", "Show Details..."}


def test_progress_dialog_cancel_is_vietnamese(vi_app, qtbot):
    dialog = QProgressDialog()
    qtbot.addWidget(dialog)
    buttons = dialog.findChildren(QPushButton)
    assert [plain(b.text()) for b in buttons] == ["Hủy"]


# --- context menus -----------------------------------------------------------


def _assert_vietnamese_edit_menu(menu: QMenu, expected: list[str]) -> None:
    texts = [plain(a.text()) for a in menu.actions() if not a.isSeparator()]
    for text in texts:
        assert not english_words(text), text
    assert texts == expected
    # Accelerators are kept (e.g. "Ctrl+C").
    copy = next(a for a in menu.actions() if plain(a.text()) == "Sao chép")
    assert "\t" in copy.text()


def test_line_edit_context_menu_is_vietnamese(vi_app, qtbot):
    edit = QLineEdit("xin chào")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    _assert_vietnamese_edit_menu(
        menu, ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]
    )


def test_plain_text_edit_context_menu_is_vietnamese(vi_app, qtbot):
    edit = QPlainTextEdit("xin chào")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    _assert_vietnamese_edit_menu(
        menu, ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]
    )


def test_text_browser_link_menu_is_vietnamese(vi_app, qtbot):
    browser = QTextBrowser()
    browser.setHtml('<a href="https://example.org">liên kết</a>')
    qtbot.addWidget(browser)
    browser.show()
    position = browser.cursorRect(browser.cursorForPosition(QPoint(4, 8))).center()
    menu = browser.createStandardContextMenu(position)
    texts = [plain(a.text()) for a in menu.actions() if not a.isSeparator()]
    assert "Sao chép địa chỉ liên kết" in texts
    for text in texts:
        assert not english_words(text), text


def test_spin_box_context_menu_is_vietnamese(vi_app, qtbot):
    spin = QSpinBox()
    spin.setValue(5)
    qtbot.addWidget(spin)
    spin.show()
    seen: list[str] = []

    def capture_and_close():
        # The menu is executed modally inside contextMenuEvent().
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMenu) and widget.isVisible():
                seen.extend(plain(a.text()) for a in widget.actions() if not a.isSeparator())
                widget.close()

    QTimer.singleShot(100, capture_and_close)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(2, 2), spin.mapToGlobal(QPoint(2, 2))
    )
    QApplication.sendEvent(spin, event)
    assert {"Chọn tất cả", "Tăng lên", "Giảm xuống", "Sao chép"} <= set(seen)
    for text in seen:
        assert not english_words(text), text
    assert not {"Step up", "Step down"} & set(seen)


# --- non-native file dialog -------------------------------------------------


def _file_dialog_texts(dialog: QFileDialog) -> list[str]:
    texts: list[str] = [dialog.windowTitle()]
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.text():
            texts.append(plain(label.text()))
    for button in dialog.findChildren(QPushButton):
        if button.isVisible():
            texts.append(plain(button.text()))
    for button in dialog.findChildren(QToolButton):
        if button.isVisible():
            texts.append(button.toolTip())
    for combo in dialog.findChildren(QComboBox):
        if combo.isVisible():
            texts.extend(combo.itemText(i) for i in range(combo.count()))
    tree = dialog.findChild(QTreeView, "treeView")
    model = tree.model()
    texts.extend(
        model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
    )
    texts.extend(plain(a.text()) for a in tree.header().actions())
    sidebar = dialog.findChild(QListView, "sidebar")
    sidebar_model = sidebar.model()
    texts.extend(
        sidebar_model.index(r, 0).data() for r in range(sidebar_model.rowCount())
    )
    return [t for t in texts if t]


@pytest.mark.parametrize("mode", ["open", "save", "directory"])
def test_file_dialog_has_no_english(vi_app, qtbot, tmp_path, mode):
    dialog = QFileDialog(None, "", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    elif mode == "directory":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.show()

    texts = _file_dialog_texts(dialog)
    english = [t for t in texts if t in ENGLISH_FILE_DIALOG_TEXTS]
    assert not english, english

    tree = dialog.findChild(QTreeView, "treeView")
    headers = [
        tree.model().headerData(c, Qt.Orientation.Horizontal)
        for c in range(tree.model().columnCount())
    ]
    assert headers == ["Tên", "Kích thước", "Kiểu", "Ngày sửa đổi"]
    assert "Máy tính" in texts
    assert "Quay lại" in texts and "Thư mục cha" in texts
    expected_title = {"open": "Mở", "save": "Lưu thành", "directory": "Chọn thư mục"}[mode]
    assert dialog.windowTitle() == expected_title
    accept_text = {"open": "Mở", "save": "Lưu", "directory": "Chọn"}[mode]
    assert accept_text in texts and "Hủy" in texts


def test_localized_file_dialog_sizes_and_dates(vi_app, qtbot, tmp_path):
    (tmp_path / "ghi_chu.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "Tài liệu").mkdir()
    dialog = QFileDialog(None, "", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    localize_file_dialog(dialog)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.show()

    tree = dialog.findChild(QTreeView, "treeView")
    model = tree.model()
    qtbot.waitUntil(lambda: model.rowCount(tree.rootIndex()) == 2, timeout=5000)

    rows = {}
    for row in range(model.rowCount(tree.rootIndex())):
        cells = [model.index(row, c, tree.rootIndex()).data() for c in range(4)]
        rows[cells[0]] = cells
    file_row, folder_row = rows["ghi_chu.txt"], rows["Tài liệu"]
    vi = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    assert file_row[1] == vi.formattedDataSize(5)
    assert "bytes" not in file_row[1]
    assert not re.search(r"\b(AM|PM)\b", file_row[3])
    assert folder_row[2] == "Thư mục"
