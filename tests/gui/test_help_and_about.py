"""Trợ giúp: the guide (F1) in its own window, and Giới thiệu with the data folder and the last backup."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QDialogButtonBox

from core import __version__, backup
from core.package.safe_write import format_size
from gui import about_dialog, help_window
from gui.about_dialog import NO_BACKUP, AboutDialog
from gui.help_window import HOME, PAGES, HelpWindow, page_title


def help_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "Trợ &giúp")


def open_guide(qtbot, window) -> HelpWindow:
    window.help_action.trigger()
    guide = window._help_window
    qtbot.addWidget(guide)
    return guide


def images_of(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                found.append(QTextImageFormat(fmt).name())
            it += 1
        block = block.next()
    return found


def test_help_menu_has_the_guide_on_f1_then_support_and_about(window):
    assert [a.text() for a in help_menu(window).actions()] == [
        "Hướng dẫn sử dụng", "", "Lưu nhật ký để gửi hỗ trợ…", "Giới thiệu"]  # fmt: skip
    assert window.help_action.shortcut() == QKeySequence(QKeySequence.HelpContents)
    assert window.help_action.shortcut().toString() == "F1"


def test_f1_opens_one_guide_window_and_brings_it_back(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key_F1)  # the key itself, pressed in the log
    guide = window._help_window
    qtbot.addWidget(guide)
    assert guide.isVisible() and guide.isWindow() and guide.parent() is None
    assert not guide.testAttribute(Qt.WA_QuitOnClose)  # closing the main window still ends the app
    assert guide.windowTitle().startswith("Hướng dẫn sử dụng")
    assert guide.current_page() == HOME and guide.contents.currentRow() == 0
    assert [guide.contents.item(i).text() for i in range(guide.contents.count())] == [
        "Giới thiệu và mục lục", "Lần đầu mở phần mềm", "Ghi sổ hoạt động", "Nhập từ Excel", "Lập và chốt báo cáo",
        "Gửi và nhận dữ liệu bằng USB", "Sao lưu và khôi phục", "Dữ liệu và hỗ trợ"]  # fmt: skip
    guide.close()
    window.help_action.trigger()  # F1 again: the same window, shown again where it was
    assert window._help_window is guide and guide.isVisible()


def test_contents_links_back_forward_and_home(qtbot, window):
    guide = open_guide(qtbot, window)
    labels = (guide.back_button.text(), guide.forward_button.text(), guide.home_button.text())
    assert labels == ("◀ Quay lại", "Tiến ▶", "Trang đầu")
    assert not guide.back_button.isEnabled() and not guide.forward_button.isEnabled()

    guide.contents.setCurrentRow(PAGES.index("nhap_excel.html"))
    assert guide.current_page() == "nhap_excel.html"
    assert "Bước 1: Chọn tệp" in guide.browser.toPlainText()
    # a link inside a page (relative, as written in the HTML) opens that page
    guide.browser.setSource(guide.browser.source().resolved(QUrl("bao_cao.html")))
    assert guide.current_page() == "bao_cao.html" and guide.contents.currentRow() == PAGES.index("bao_cao.html")

    qtbot.mouseClick(guide.back_button, Qt.LeftButton)
    assert guide.current_page() == "nhap_excel.html" and guide.forward_button.isEnabled()
    qtbot.mouseClick(guide.forward_button, Qt.LeftButton)
    assert guide.current_page() == "bao_cao.html"
    qtbot.mouseClick(guide.home_button, Qt.LeftButton)
    assert guide.current_page() == HOME and guide.contents.currentRow() == 0
    qtbot.mouseClick(guide.close_button, Qt.LeftButton)
    assert not guide.isVisible()


def test_every_page_shows_its_title_text_and_pictures(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    for name in PAGES:
        guide.open_page(name)
        document = guide.browser.document()
        source = (guide.folder / name).read_text(encoding="utf-8")
        assert guide.browser.documentTitle() == page_title(guide.folder / name)
        heading = re.search(r"<h1>(.*?)</h1>", source).group(1)
        assert document.toPlainText().splitlines()[0].strip() == heading  # read as UTF-8: the tone marks are there
        pictures = images_of(document)
        assert name == "tro_giup.html" or pictures, name
        for picture in pictures:
            image = document.resource(QTextDocument.ImageResource, QUrl(picture))
            assert image is not None and not image.isNull(), f"{name}: {picture}"
            assert image.width() <= 820, f"{name}: {picture} is wider than the window shows"


def test_missing_guide_files_are_said_plainly(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(help_window, "help_dir", lambda: tmp_path)
    guide = HelpWindow()
    qtbot.addWidget(guide)
    text = guide.browser.toPlainText()
    assert "Không tìm thấy trang hướng dẫn" in text and "index.html" in text and "cài lại" in text


# --- Giới thiệu -------------------------------------------------------------------------------


def about(qtbot, db_path) -> AboutDialog:
    dialog = AboutDialog(db_path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=5000)
    return dialog


def test_about_shows_version_folder_size_and_last_backup(qtbot, profile_db, db_path):
    older = backup.daily_backup(profile_db, dt.date(2026, 11, 20))
    newest = backup.daily_backup(profile_db, dt.date(2026, 11, 23))
    for path, when in ((older, dt.datetime(2026, 11, 20, 7, 5)), (newest, dt.datetime(2026, 11, 23, 8, 15))):
        os.utime(path, (when.timestamp(), when.timestamp()))
    dialog = about(qtbot, db_path)
    assert dialog.windowTitle() == "Giới thiệu"
    texts = [label.text() for label in dialog.findChildren(type(dialog.size_label))]
    assert any("Sổ tuyên truyền chuyển đổi số" in t for t in texts)
    assert f"Phiên bản {__version__}" in texts
    assert dialog.folder_label.text() == str(db_path.resolve().parent)
    wal = db_path.with_name(db_path.name + "-wal")
    size = db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    assert dialog.size_label.text() == f"so.db — {format_size(size)}"
    assert dialog.backup_label.text().startswith("23/11/2026 lúc 08:15 (3 hoạt động)")
    assert newest.name in dialog.backup_label.text()
    assert dialog.open_button.text() == "Mở thư mục dữ liệu"
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Close)
    assert close.text() == "Đóng"
    dialog.show()
    qtbot.mouseClick(close, Qt.LeftButton)
    assert not dialog.isVisible()


def test_about_without_any_backup_says_so(qtbot, profile_db, db_path):
    assert about(qtbot, db_path).backup_label.text() == NO_BACKUP == "Chưa có bản sao lưu nào"


def test_open_data_folder_and_when_it_cannot_be_opened(qtbot, profile_db, db_path, monkeypatch, messages):
    opened: list[str] = []
    answer = {"ok": True}
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or answer["ok"])
    dialog = about(qtbot, db_path)
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    assert [Path(p) for p in opened] == [db_path.resolve().parent] and not messages
    answer["ok"] = False  # no file manager on this machine
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    assert messages == [("warning", "Không mở được thư mục",
                         f"Không mở được thư mục dữ liệu:\n{db_path.resolve().parent}\n\n"
                         "Hãy mở thư mục này bằng File Explorer.")]  # fmt: skip


def test_about_menu_opens_the_dialog_on_the_windows_data(qtbot, window, db_path, monkeypatch):
    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append((self.db_path, self.parent())) or 0)
    next(a for a in help_menu(window).actions() if a.text() == "Giới thiệu").trigger()
    assert shown == [(db_path, window)]


def test_a_backup_list_that_cannot_be_read_is_said(qtbot, profile_db, db_path, monkeypatch):
    def unreadable(_path):
        raise PermissionError("denied")

    monkeypatch.setattr(about_dialog, "last_backup", unreadable)
    assert about(qtbot, db_path).backup_label.text() == "Không xem được thư mục sao lưu."
