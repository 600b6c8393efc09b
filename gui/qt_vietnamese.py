"""Vietnamese translations for Qt's own (built-in) user-visible strings.

Qt does not ship a Vietnamese ``qtbase_vi.qm``, so standard buttons, context
menus, the non-native file dialog, etc. would otherwise appear in English.
This module provides :class:`QtVietnameseTranslator`, a ``QTranslator`` whose
``translate()`` is implemented in Python (PySide6 does dispatch the virtual
call from C++ to the Python override), and :func:`install_vietnamese`, which
installs it on the application and sets the default locale to vi_VN.

The keys are the exact ``(context, source_text)`` pairs used by Qt 6
(checked against the Qt 6.12 libraries shipped with PySide6 and the qtbase
sources): mnemonics (``&``) are part of the source text, while accelerators
such as ``"\\tCtrl+Z"`` are appended by Qt *after* translation and therefore
never appear in the keys.

Implementation notes:

* ``translate()`` must return ``None`` (a null ``QString``) for unknown
  strings. Returning ``""`` would make Qt display an empty text, because
  ``QCoreApplication::translate`` only falls back to the source text (or to
  the next translator) when the result is *null*.
* Qt also passes shortcut definitions through ``tr()`` (for example
  ``QFileDialog`` / ``"Alt+Left"``); those are intentionally left out so the
  key bindings keep working.
* PySide6 6.12.0 on Python < 3.12 drops one reference to ``None`` on every
  void call and every null argument passed to a Python override, and Python
  aborts after a few thousand; pyproject.toml pins PySide6 6.11.2 for that
  reason, and a test checks the count stays put.
* Key names inside accelerators ("Ctrl", "Shift", "Del", context
  ``QShortcut``) are left as printed on the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QIdentityProxyModel,
    QLocale,
    Qt,
    QTime,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QTreeView

__all__ = [
    "TRANSLATIONS",
    "BUTTON_FALLBACKS",
    "QtVietnameseTranslator",
    "install_vietnamese",
    "localize_file_dialog",
]


# ---------------------------------------------------------------------------
# Translations, grouped by Qt source context.
# ---------------------------------------------------------------------------

_OK = "Đồng ý"
_CANCEL = "Hủy"
_CLOSE = "Đóng"
_HELP = "Trợ giúp"

_BY_CONTEXT: dict[str, dict[str, str]] = {
    # Standard button texts used by QDialogButtonBox, QMessageBox,
    # QInputDialog, ... (src/gui/kernel/qplatformtheme.cpp).
    "QPlatformTheme": {
        "OK": _OK,
        "Save": "Lưu",
        "Save All": "Lưu tất cả",
        "Open": "Mở",
        "&Yes": "&Có",
        "Yes to &All": "Có &tất cả",
        "&No": "&Không",
        "N&o to All": "Không &với tất cả",
        "Abort": "Hủy bỏ",
        "Retry": "Thử lại",
        "Ignore": "Bỏ qua",
        "Close": _CLOSE,
        "Cancel": _CANCEL,
        "Discard": "Không lưu",
        "Help": _HELP,
        "Apply": "Áp dụng",
        "Reset": "Đặt lại",
        "Restore Defaults": "Khôi phục mặc định",
        # Not used by Qt 6.12 on Linux, kept for other platform themes.
        "Don't Save": "Không lưu",
        "Close without Saving": "Đóng không lưu",
    },
    # Button texts overridden by the GNOME platform theme
    # (src/gui/platform/unix/qgnometheme.cpp).
    "QGnomeTheme": {
        "&OK": "Đồ&ng ý",
        "&Save": "&Lưu",
        "&Cancel": "&Hủy",
        "&Close": "Đó&ng",
        "Close without Saving": "Đóng không lưu",
    },
    # Qt 5 context, still present in older catalogs.
    "QDialogButtonBox": {
        "OK": _OK,
    },
    "QMessageBox": {
        "Show Details...": "Chi tiết...",
        "Hide Details...": "Ẩn chi tiết...",
        "OK": _OK,
        "About Qt": "Giới thiệu về Qt",
        "<h3>About Qt</h3><p>This program uses Qt version %1.</p>": (
            "<h3>Giới thiệu về Qt</h3><p>Chương trình này sử dụng Qt phiên bản %1.</p>"
        ),
        (
            "<p>Qt is a C++ toolkit for cross-platform application development.</p>"
            "<p>Qt provides single-source portability across all major desktop operating "
            "systems. It is also available for embedded Linux and other embedded and mobile "
            "operating systems.</p>"
            "<p>Qt is available under multiple licensing options designed to accommodate the "
            "needs of our various users.</p>"
            "<p>Qt licensed under our commercial license agreement is appropriate for "
            "development of proprietary/commercial software where you do not want to share "
            "any source code with third parties or otherwise cannot comply with the terms of "
            "GNU (L)GPL.</p>"
            "<p>Qt licensed under GNU (L)GPL is appropriate for the development of "
            "Qt&nbsp;applications provided you can comply with the terms and conditions of "
            "the respective licenses.</p>"
            '<p>Please see <a href="https://%2/">%2</a> for an overview of Qt licensing.</p>'
            "<p>Copyright (C) The Qt Company Ltd. and other contributors.</p>"
            "<p>Qt and the Qt logo are trademarks of The Qt Company Ltd.</p>"
            "<p>Qt is The Qt Company Ltd. product developed as an open source project. "
            'See <a href="https://%3/">%3</a> for more information.</p>'
        ): (
            "<p>Qt là bộ công cụ C++ để phát triển ứng dụng đa nền tảng.</p>"
            "<p>Qt cho phép dùng chung một mã nguồn trên mọi hệ điều hành máy tính để bàn "
            "phổ biến. Qt cũng có cho Linux nhúng và các hệ điều hành nhúng, di động khác.</p>"
            "<p>Qt được cung cấp theo nhiều hình thức cấp phép khác nhau nhằm đáp ứng nhu "
            "cầu của từng nhóm người dùng.</p>"
            "<p>Qt theo giấy phép thương mại của chúng tôi phù hợp để phát triển phần mềm "
            "độc quyền/thương mại khi bạn không muốn chia sẻ mã nguồn với bên thứ ba hoặc "
            "không thể tuân thủ các điều khoản của GNU (L)GPL.</p>"
            "<p>Qt theo giấy phép GNU (L)GPL phù hợp để phát triển các ứng dụng "
            "Qt&nbsp;khi bạn có thể tuân thủ các điều khoản và điều kiện của giấy phép "
            "tương ứng.</p>"
            '<p>Xem <a href="https://%2/">%2</a> để biết tổng quan về cấp phép Qt.</p>'
            "<p>Bản quyền (C) The Qt Company Ltd. và những người đóng góp khác.</p>"
            "<p>Qt và biểu trưng Qt là thương hiệu của The Qt Company Ltd.</p>"
            "<p>Qt là sản phẩm của The Qt Company Ltd., được phát triển như một dự án mã "
            'nguồn mở. Xem <a href="https://%3/">%3</a> để biết thêm thông tin.</p>'
        ),
        'Application "%1" requires Qt %2, found Qt %3.': (
            'Ứng dụng "%1" cần Qt %2 nhưng chỉ tìm thấy Qt %3.'
        ),
        "Incompatible Qt Library Error": "Lỗi thư viện Qt không tương thích",
    },
    "QApplication": {
        "Executable '%1' requires Qt %2, found Qt %3.": (
            "Chương trình '%1' cần Qt %2 nhưng chỉ tìm thấy Qt %3."
        ),
        "Incompatible Qt Library Error": "Lỗi thư viện Qt không tương thích",
    },
    "QGuiApplication": {
        # Layout direction of the language: Vietnamese is left-to-right.
        "QT_LAYOUT_DIRECTION": "LTR",
    },
    # Context menu of QLineEdit (also used inside spin boxes and combo boxes).
    "QLineEdit": {
        "&Undo": "&Hoàn tác",
        "&Redo": "&Làm lại",
        "Cu&t": "&Cắt",
        "&Copy": "&Sao chép",
        "&Paste": "&Dán",
        "Delete": "Xóa",
        "Select All": "Chọn tất cả",
    },
    # Context menu of QTextEdit / QPlainTextEdit / QTextBrowser / QLabel.
    "QWidgetTextControl": {
        "&Undo": "&Hoàn tác",
        "&Redo": "&Làm lại",
        "Cu&t": "&Cắt",
        "&Copy": "&Sao chép",
        "Copy &Link Location": "Sao chép địa chỉ liên &kết",
        "&Paste": "&Dán",
        "Delete": "Xóa",
        "Select All": "Chọn tất cả",
    },
    # Extra entries of the QSpinBox / QDoubleSpinBox / QDateTimeEdit menu.
    "QAbstractSpinBox": {
        "&Select All": "Chọn &tất cả",
        "&Step up": "Tăn&g lên",
        "Step &down": "Giảm &xuống",
    },
    # "Insert Unicode control character" sub-menu of the text context menus.
    "QUnicodeControlCharacterMenu": {
        "Insert Unicode control character": "Chèn ký tự điều khiển Unicode",
        "LRM Left-to-right mark": "LRM Dấu trái sang phải",
        "RLM Right-to-left mark": "RLM Dấu phải sang trái",
        "ZWJ Zero width joiner": "ZWJ Ký tự nối độ rộng bằng không",
        "ZWNJ Zero width non-joiner": "ZWNJ Ký tự ngăn nối độ rộng bằng không",
        "ZWSP Zero width space": "ZWSP Khoảng trắng độ rộng bằng không",
        "LRE Start of left-to-right embedding": "LRE Bắt đầu nhúng trái sang phải",
        "RLE Start of right-to-left embedding": "RLE Bắt đầu nhúng phải sang trái",
        "LRO Start of left-to-right override": "LRO Bắt đầu ép hướng trái sang phải",
        "RLO Start of right-to-left override": "RLO Bắt đầu ép hướng phải sang trái",
        "PDF Pop directional formatting": "PDF Kết thúc định dạng hướng",
        "LRI Left-to-right isolate": "LRI Cô lập trái sang phải",
        "RLI Right-to-left isolate": "RLI Cô lập phải sang trái",
        "FSI First strong isolate": "FSI Cô lập theo ký tự mạnh đầu tiên",
        "PDI Pop directional isolate": "PDI Kết thúc cô lập hướng",
    },
    # Non-native file dialog (qfiledialog.cpp, qfiledialog.ui, qsidebar.cpp).
    # Shortcut definitions ("Alt+Left", "Alt+Right", "Alt+Up") are deliberately
    # not translated.
    "QFileDialog": {
        "&Look in:": "Tìm t&rong:",
        "Look in:": "Tìm trong:",  # Qt < 6.12 spelling
        "Back": "Quay lại",
        "Go back": "Quay lại thư mục trước",
        "Forward": "Tiến tới",
        "Go forward": "Tiến tới thư mục sau",
        "Parent Directory": "Thư mục cha",
        "Go to the parent directory": "Đi tới thư mục cha",
        "Create New Folder": "Tạo thư mục mới",
        "Create a New Folder": "Tạo một thư mục mới",
        "List View": "Dạng danh sách",
        "Change to list view mode": "Chuyển sang chế độ xem danh sách",
        "Detail View": "Dạng chi tiết",
        "Change to detail view mode": "Chuyển sang chế độ xem chi tiết",
        "Sidebar": "Thanh bên",
        "List of places and bookmarks": "Danh sách vị trí và dấu trang",
        "Files": "Tệp",
        "Files of &type:": "&Kiểu tệp:",
        "Files of type:": "Kiểu tệp:",  # Qt < 6.12 spelling
        "File &name:": "&Tên tệp:",
        "Directory:": "Thư mục:",
        "Directories": "Thư mục",
        "Find Directory": "Chọn thư mục",
        "Open": "Mở",
        "Save As": "Lưu thành",
        "&Open": "&Mở",
        "&Choose": "&Chọn",
        "&Save": "&Lưu",
        "Cancel": _CANCEL,
        "All Files (*)": "Tất cả các tệp (*)",
        "All files (*)": "Tất cả các tệp (*)",
        # Prefix of the "Show <column>" actions of the detail view header menu.
        "Show ": "Hiện cột ",
        "&Rename": "Đổi &tên",
        "&Delete": "&Xóa",
        "Show &hidden files": "&Hiện tệp ẩn",
        "&New Folder": "Thư mục &mới",
        "New Folder": "Thư mục mới",
        "Delete": "Xóa",
        "Remove": "Gỡ bỏ",
        "Recent Places": "Vị trí gần đây",
        "My Computer": "Máy tính của tôi",  # Windows
        "Computer": "Máy tính",
        "Could not delete directory.": "Không thể xóa thư mục.",
        "%1 already exists.\nDo you want to replace it?": (
            "%1 đã tồn tại.\nBạn có muốn thay thế không?"
        ),
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.": (
            "%1\nKhông tìm thấy thư mục.\nVui lòng kiểm tra lại tên thư mục."
        ),
        "%1\nFile not found.\nPlease verify the correct file name was given.": (
            "%1\nKhông tìm thấy tệp.\nVui lòng kiểm tra lại tên tệp."
        ),
        "'%1' is write protected.\nDo you want to delete it anyway?": (
            "'%1' đang được bảo vệ chống ghi.\nBạn vẫn muốn xóa chứ?"
        ),
        "Are you sure you want to delete '%1'?": "Bạn có chắc chắn muốn xóa '%1' không?",
    },
    # Column headers and root item of the file system model (qfilesystemmodel.cpp).
    "QFileSystemModel": {
        "Name": "Tên",
        "Size": "Kích thước",
        "Type": "Kiểu",
        "Kind": "Kiểu",  # macOS
        "Date Modified": "Ngày sửa đổi",
        "My Computer": "Máy tính của tôi",  # Windows
        "Computer": "Máy tính",
        # Rename errors (not in every Qt 6 release).
        "Invalid filename": "Tên tệp không hợp lệ",
        (
            '<b>The name "%1" cannot be used.</b><p>Try using another name, '
            "with fewer characters or no punctuation marks."
        ): (
            '<b>Không thể dùng tên "%1".</b><p>Hãy thử một tên khác, '
            "ít ký tự hơn hoặc không có dấu câu."
        ),
    },
    # "Type" column of the file views (qabstractfileiconprovider.cpp).
    "QAbstractFileIconProvider": {
        "Drive": "Ổ đĩa",
        "File Folder": "Thư mục",  # Windows
        "Folder": "Thư mục",
        "Alias": "Bí danh",  # macOS
        "Shortcut": "Lối tắt",
        "Unknown": "Không xác định",
        "File": "Tệp",  # builds without QMimeDatabase
    },
    "QProgressDialog": {
        "Cancel": _CANCEL,
    },
    "QInputDialog": {
        "Enter a value:": "Nhập giá trị:",
    },
    "QWizard": {
        "Go Back": "Quay lại",
        "< &Back": "< &Quay lại",
        "Continue": "Tiếp tục",
        "&Next": "&Tiếp theo",
        "&Next >": "&Tiếp theo >",
        "Commit": "Xác nhận",
        "Done": "Xong",
        "&Finish": "&Hoàn tất",
        "Cancel": _CANCEL,
        "Help": _HELP,
        "&Help": "Trợ &giúp",
    },
    "QErrorMessage": {
        "An error occurred": "Đã xảy ra lỗi",
        "Debug Message:": "Thông báo gỡ lỗi:",
        "Warning:": "Cảnh báo:",
        "Critical Error:": "Lỗi nghiêm trọng:",
        "Fatal Error:": "Lỗi không thể phục hồi:",
        "Information:": "Thông tin:",
        "&Show this message again": "&Hiện lại thông báo này",
        "&OK": "Đồ&ng ý",
    },
    # Context menu of scroll bars.
    "QScrollBar": {
        "Scroll here": "Cuộn tới đây",
        "Left edge": "Cạnh trái",
        "Top": "Trên cùng",
        "Right edge": "Cạnh phải",
        "Bottom": "Dưới cùng",
        "Page left": "Sang trái một trang",
        "Page up": "Lên một trang",
        "Page right": "Sang phải một trang",
        "Page down": "Xuống một trang",
        "Scroll left": "Cuộn sang trái",
        "Scroll up": "Cuộn lên",
        "Scroll right": "Cuộn sang phải",
        "Scroll down": "Cuộn xuống",
    },
    "QTabBar": {
        "Scroll Left": "Cuộn sang trái",
        "Scroll Right": "Cuộn sang phải",
    },
    "CloseButton": {
        "Close Tab": "Đóng thẻ",
    },
    "QDockWidget": {
        "Float": "Tách rời",
        "Undocks and re-attaches the dock widget": "Tách rời hoặc gắn lại khung neo",
        "Close": _CLOSE,
        "Closes the dock widget": "Đóng khung neo",
    },
    "QComboBox": {
        "False": "Sai",
        "True": "Đúng",
        "Open the combo box selection popup": "Mở danh sách lựa chọn",
    },
    "QKeySequenceEdit": {
        "Press shortcut": "Nhấn phím tắt",
    },
    "QUndoStack": {
        "Undo %1": "Hoàn tác %1",
        "Undo": "Hoàn tác",
        "Redo %1": "Làm lại %1",
        "Redo": "Làm lại",
    },
    "QUndoGroup": {
        "Undo %1": "Hoàn tác %1",
        "Undo": "Hoàn tác",
        "Redo %1": "Làm lại %1",
        "Redo": "Làm lại",
    },
    "QUndoModel": {
        "<empty>": "<trống>",
    },
}

#: Flat lookup table: ``(context, source_text) -> Vietnamese``.
TRANSLATIONS: dict[tuple[str, str], str] = {
    (context, source): target
    for context, entries in _BY_CONTEXT.items()
    for source, target in entries.items()
}

#: Context-free fallback for common button texts, used when a context is not
#: known (e.g. a platform theme or Qt version using another context, or the
#: application's own ``tr("Cancel")``).
BUTTON_FALLBACKS: dict[str, str] = {
    **_BY_CONTEXT["QPlatformTheme"],
    **_BY_CONTEXT["QGnomeTheme"],
    "&Open": "&Mở",
    "&Close": "Đó&ng",
    "&Help": "Trợ &giúp",
    "Yes": "Có",
    "No": "Không",
    "Yes to All": "Có tất cả",
    "No to All": "Không với tất cả",
    "&Yes to All": "&Có tất cả",
    "N&o to All": "Không &với tất cả",
    "&Apply": "Á&p dụng",
    "&Reset": "Đặt &lại",
    "&Retry": "Thử &lại",
    "&Ignore": "&Bỏ qua",
    "&Abort": "Hủy &bỏ",
    "&Discard": "&Không lưu",
    "&Don't Save": "&Không lưu",
}


# Contexts whose strings must never get a context-free fallback: key names
# ("Help", "Open", "Cancel", ... are also names of keyboard keys) stay as
# printed on the keyboard.
_NO_FALLBACK_CONTEXTS = frozenset({"QShortcut"})

class QtVietnameseTranslator(QTranslator):
    """A ``QTranslator`` serving Vietnamese texts for Qt's built-in strings."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._translations = TRANSLATIONS
        self._fallbacks = BUTTON_FALLBACKS

    def translate(self, context, source_text, disambiguation=None, n=-1):
        """Return the Vietnamese text, or ``None`` to let Qt use the source.

        ``None`` becomes a null QString, which makes Qt try the next installed
        translator and finally show ``source_text``. (An empty string would be
        shown as an empty label.)
        """
        if not source_text:
            return None
        result = self._translations.get((context, source_text))
        if result is None and context not in _NO_FALLBACK_CONTEXTS:
            result = self._fallbacks.get(source_text)
        return result

    def isEmpty(self):  # noqa: N802 (Qt API)
        # Without this, QCoreApplication.installTranslator() reports failure
        # and skips the LanguageChange event for this translator.
        return False

    def language(self):
        return "vi_VN"


_installed: list[QtVietnameseTranslator] = []


def install_vietnamese(app: QApplication) -> QTranslator:
    """Install the Vietnamese Qt translator on ``app`` and set vi_VN as locale.

    Calling it again re-installs the same translator (at the highest
    priority) instead of stacking a new one. A reference is kept at module
    level so that the Python object implementing ``translate()`` stays alive.

    Translators installed *later* (e.g. the application's own ``.qm`` files)
    take precedence; strings they do not know still reach this one.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    translator = next((t for t in _installed if t.parent() is app), None)
    if translator is None:
        translator = QtVietnameseTranslator(app)
        _installed.append(translator)
    else:
        app.removeTranslator(translator)
    app.installTranslator(translator)
    return translator


# ---------------------------------------------------------------------------
# File dialog: sizes and dates.
# ---------------------------------------------------------------------------


class _VietnameseFileSystemProxy(QIdentityProxyModel):
    """Reformat the "Size" and "Date Modified" columns with ``QLocale()``.

    ``QFileSystemModel`` formats them with ``QLocale.system()`` (the process
    locale from LANG/LC_*), which on a non-Vietnamese system shows e.g.
    "100 bytes" or "5:38 PM". The default locale set by install_vietnamese()
    is used instead.
    """

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.column() in (1, 3):
            source_index = self.mapToSource(index)
            model = self.sourceModel()
            if isinstance(model, QFileSystemModel) and source_index.isValid():
                if index.column() == 1:
                    if model.isDir(source_index):
                        return ""
                    return QLocale().formattedDataSize(model.size(source_index))
                modified = model.lastModified(source_index)
                return QLocale().toString(modified, QLocale.FormatType.ShortFormat)
        return super().data(index, role)


def localize_file_dialog(dialog: QFileDialog) -> QFileDialog:
    """Make a non-native ``QFileDialog`` show sizes and dates in Vietnamese.

    Call after creating the dialog with ``QFileDialog.DontUseNativeDialog``
    (it does nothing for native dialogs). It also widens the detail view
    columns, whose default widths are computed for the English headers.
    Returns the dialog for chaining.
    """
    if not dialog.testOption(QFileDialog.Option.DontUseNativeDialog):
        return dialog
    dialog.setProxyModel(_VietnameseFileSystemProxy(dialog))
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:
        header = tree.header()
        metrics = header.fontMetrics()
        padding = 3 * metrics.averageCharWidth()
        samples = {
            1: "Kích thước ▼",  # header plus sort indicator
            2: "Tài liệu văn bản thô",  # typical MIME type comment
            3: QLocale().toString(QDateTime(QDate(2000, 12, 28), QTime(23, 59)),
                                  QLocale.FormatType.ShortFormat),
        }
        for column, sample in samples.items():
            width = metrics.horizontalAdvance(sample) + padding
            if header.sectionSize(column) < width:
                header.resizeSection(column, width)
    return dialog
