"""Lưu để gửi hỗ trợ: the log files, and a copy of the data if the officer agrees, onto a USB stick."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from core.errors import UserError
from core.logs import support_copy
from core.package import drives
from gui.drive_picker import DrivePicker


class SupportDialog(QDialog):
    """``saved`` is the folder written (HoTro_<time>) once "Lưu" worked."""

    def __init__(self, db_path: Path, db=None, parent: QWidget | None = None, *, list_drives=drives.list_drives):
        super().__init__(parent)
        self.db_path, self.db = Path(db_path), db
        self.saved: Path | None = None
        self.setWindowTitle("Lưu để gửi hỗ trợ")
        self.setMinimumWidth(520)
        intro = QLabel("Nhật ký lỗi của phần mềm được chép vào một thư mục “HoTro_…” trên ổ USB (hoặc thư mục bạn "
                       "chọn) để gửi cho người hỗ trợ.")  # fmt: skip
        intro.setWordWrap(True)
        self.picker = DrivePicker(list_drives=list_drives, folder_title="Chọn nơi lưu nhật ký lỗi")
        self.with_data = QCheckBox("Kèm bản sao dữ liệu (cả sổ hoạt động) để người hỗ trợ xem lỗi")
        self.with_data.setEnabled(db is not None)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Lưu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.picker.changed.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Lưu vào:"))
        layout.addWidget(self.picker)
        layout.addWidget(self.with_data)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.picker.target() is not None)

    def save(self) -> None:
        folder = self.picker.target()
        if folder is None:
            return
        try:
            self.saved = support_copy(self.db_path, folder, with_database=self.with_data.isChecked(), db=self.db)
        except (OSError, UserError) as exc:
            reason = exc.message if isinstance(exc, UserError) else (exc.strerror or str(exc))
            QMessageBox.warning(self, "Chưa lưu được", f"Chưa lưu được vào “{folder}”: {reason}\n"
                                "Hãy thử ổ USB khác hoặc chọn thư mục khác.")  # fmt: skip
            return
        QMessageBox.information(self, "Đã lưu", f"Đã lưu vào “{self.saved}”. Hãy gửi thư mục này cho người hỗ trợ.")
        self.accept()
