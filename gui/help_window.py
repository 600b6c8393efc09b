"""Trợ giúp → Hướng dẫn sử dụng (F1): the guide shipped in resources/help, in a window of its own.

The pages are plain HTML read by QTextBrowser (no web engine: it is not in the build), so they
work offline and inside the frozen bundle. One window per main window; F1 again brings it back.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget,
)  # fmt: skip

from core import APP_NAME
from core.resources import resource_path

HOME = "index.html"
# The contents list, in reading order; each page's <title> is its name in the list.
PAGES = (HOME, "bat_dau.html", "so_hoat_dong.html", "nhap_excel.html", "bao_cao.html", "usb.html", "sao_luu.html",
         "tro_giup.html")

_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def help_dir() -> Path:
    return resource_path("help")


def page_title(path: Path) -> str:
    try:
        found = _TITLE.search(path.read_text(encoding="utf-8"))
    except OSError:
        found = None
    return html.unescape(found.group(1).strip()) if found else path.stem


class HelpWindow(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.Window)
        self.setWindowTitle(f"Hướng dẫn sử dụng — {APP_NAME}")
        self.setAttribute(Qt.WA_QuitOnClose, False)  # closing the main window still ends the app
        self.folder = help_dir()

        self.back_button = QPushButton("◀ Quay lại")
        self.forward_button = QPushButton("Tiến ▶")
        self.home_button = QPushButton("Trang đầu")
        self.back_button.setToolTip("Trang vừa xem (Alt+←)")
        self.forward_button.setToolTip("Trang đã xem sau trang này (Alt+→)")
        self.home_button.setToolTip("Mục lục của hướng dẫn")
        self.close_button = QPushButton("Đóng")
        bar = QHBoxLayout()
        for button in (self.back_button, self.forward_button, self.home_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.close_button)

        self.contents = QListWidget()
        self.contents.setWordWrap(True)
        self.contents.setSpacing(3)
        for name in PAGES:
            item = QListWidgetItem(page_title(self.folder / name))
            item.setData(Qt.UserRole, name)
            self.contents.addItem(item)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)  # web addresses open in the officer's browser
        self.browser.setSearchPaths([str(self.folder)])
        self.browser.document().setDocumentMargin(14)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Mục lục</b>"))
        left_layout.addWidget(self.contents, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 960])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        screen = self.screen().availableGeometry()  # the pictures are 820 pixels wide: room for them if possible
        self.resize(min(1180, screen.width() - 40), min(780, screen.height() - 60))

        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.home_button.clicked.connect(self.go_home)
        self.close_button.clicked.connect(self.close)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.browser.sourceChanged.connect(self._page_shown)
        self.contents.currentItemChanged.connect(self._page_chosen)
        for keys, slot in ((QKeySequence.Back, self.browser.backward), (QKeySequence.Forward, self.browser.forward),
                           (QKeySequence(Qt.Key_Escape), self.close)):  # fmt: skip
            QShortcut(QKeySequence(keys), self, slot)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self.go_home()

    def url_of(self, page: str) -> QUrl:
        return QUrl.fromLocalFile(str(self.folder / page))

    def open_page(self, page: str) -> None:
        """Show ``page`` (a file name of PAGES, optionally with #anchor)."""
        name, _, anchor = page.partition("#")
        if not (self.folder / name).is_file():
            self.browser.setHtml(
                f"<h2>Không tìm thấy trang hướng dẫn</h2><p>Thiếu tệp “{html.escape(name)}” trong thư mục "
                f"{html.escape(str(self.folder))}. Hãy cài lại phần mềm.</p>"
            )  # fmt: skip
            return
        url = self.url_of(name)
        if anchor:
            url.setFragment(anchor)
        self.browser.setSource(url)

    def go_home(self) -> None:
        self.open_page(HOME)

    def current_page(self) -> str:
        return Path(self.browser.source().toLocalFile()).name

    def _page_shown(self, url: QUrl) -> None:
        """Keep the contents list on the page shown (also after a link, Quay lại or Tiến)."""
        name = Path(url.toLocalFile()).name
        self.contents.blockSignals(True)
        self.contents.setCurrentRow(PAGES.index(name) if name in PAGES else -1)
        self.contents.blockSignals(False)

    def _page_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None and item.data(Qt.UserRole) != self.current_page():
            self.open_page(item.data(Qt.UserRole))


def show_help(owner: QWidget | None = None) -> HelpWindow:
    """Open the guide (the same window again if it is open already)."""
    window = getattr(owner, "_help_window", None)
    if window is None or not shiboken6.isValid(window):
        window = HelpWindow()
        if owner is not None:
            owner._help_window = window
            owner.destroyed.connect(window.close)  # the guide goes with the window it belongs to
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    return window
