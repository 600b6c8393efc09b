"""Trợ giúp → Giới thiệu: the app and its version, where the data is, its size and the last backup."""

from __future__ import annotations

import html
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)  # fmt: skip

from core import APP_NAME, __version__
from core.backup import BackupInfo, last_backup
from core.package.safe_write import format_size
from core.text import format_number
from gui.tasks import run_in_background

NO_BACKUP = "Chưa có bản sao lưu nào"


def data_size(db_path: Path) -> int:
    """The database file and its write-ahead log (recent changes wait there until the next checkpoint)."""
    total = 0
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def describe_backup(info: BackupInfo | None) -> str:
    if info is None:
        return NO_BACKUP
    text = f"{info.taken_at:%d/%m/%Y} lúc {info.taken_at:%H:%M}"
    if info.activities is not None:
        text += f" ({format_number(info.activities)} hoạt động)"
    return f"{text}<br><span style='color:#555'>{html.escape(info.path.name)}</span>"


class AboutDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.folder = self.db_path.resolve().parent
        self.setWindowTitle("Giới thiệu")
        self.setMinimumWidth(560)

        name = QLabel(f"<span style='font-size:15pt; font-weight:bold'>{APP_NAME}</span>")
        version = QLabel(f"Phiên bản {__version__}")
        purpose = QLabel("Ghi sổ, tìm kiếm, thống kê và lập báo cáo các hoạt động tuyên truyền chuyển đổi số.")
        purpose.setWordWrap(True)

        self.folder_label = QLabel(str(self.folder))
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.open_button = QPushButton("Mở thư mục dữ liệu")
        self.open_button.clicked.connect(self.open_folder)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_button)
        open_row.addStretch(1)
        self.size_label = QLabel(f"{self.db_path.name} — {format_size(data_size(self.db_path))}")
        self.size_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.backup_label = QLabel("Đang xem…")
        self.backup_label.setWordWrap(True)
        self.backup_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.form = form = QFormLayout()
        form.addRow("Thư mục dữ liệu:", self.folder_label)
        form.addRow("", open_row)
        form.addRow("Tệp dữ liệu:", self.size_label)
        form.addRow("Bản sao lưu gần nhất:", self.backup_label)
        hint = QLabel("Mỗi ngày, lần mở đầu tiên, phần mềm tự sao lưu dữ liệu vào thư mục sao_luu. "
                      "Bấm F1 để xem Hướng dẫn sử dụng.")  # fmt: skip
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(name)
        titles.addWidget(version)
        heading = QHBoxLayout()
        icon = QApplication.windowIcon()
        if not icon.isNull():  # the app's own icon, when the app has set one
            picture = QLabel()
            picture.setPixmap(icon.pixmap(48, 48))
            heading.addWidget(picture, 0, Qt.AlignTop)
            heading.addSpacing(6)
        heading.addLayout(titles, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addSpacing(4)
        layout.addWidget(purpose)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(self.minimumWidth(), 10)
        self._fit()

        # every copy in sao_luu is opened to count its activities: off the window's thread
        self.loading = True
        db_path = self.db_path
        run_in_background(lambda: last_backup(db_path), on_done=self._show_backup, on_error=self._backup_failed)

    def _fit(self) -> None:
        """As tall as the wrapped lines need (a dialog's size hint guesses them for a narrower width)."""
        self.form.invalidate()  # the label's text changed: measure again
        self.layout().invalidate()
        self.resize(self.width(), max(self.height(), self.layout().totalHeightForWidth(self.width())))

    def _show_backup(self, info: BackupInfo | None) -> None:
        if shiboken6.isValid(self):  # closed meanwhile: nothing to show
            self.backup_label.setText(describe_backup(info))
            self.loading = False
            self._fit()

    def _backup_failed(self, _exc: Exception, _details: str) -> None:
        if shiboken6.isValid(self):
            self.backup_label.setText("Không xem được thư mục sao lưu.")
            self.loading = False
            self._fit()

    def open_folder(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))):
            QMessageBox.warning(self, "Không mở được thư mục",
                                f"Không mở được thư mục dữ liệu:\n{self.folder}\n\n"
                                "Hãy mở thư mục này bằng File Explorer.")  # fmt: skip
