"""Where to write: the USB drives (with free space and file system), or any folder chosen instead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from core.package import drives
from core.package.safe_write import filesystem_of, format_size
from gui.file_dialogs import choose_folder


class DrivePicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, list_drives=drives.list_drives,
                 folder_title: str = "Chọn thư mục để ghi"):  # fmt: skip
        super().__init__(parent)
        self.list_drives = list_drives
        self.folder_title = folder_title
        self.places = QListWidget()
        self.places.setMinimumHeight(110)
        self.places.currentRowChanged.connect(lambda *_: self.changed.emit())
        refresh = QPushButton("Tìm lại ổ USB")
        refresh.clicked.connect(self.fill)
        other = QPushButton("Chọn thư mục khác…")
        other.clicked.connect(self.choose_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(refresh)
        buttons.addWidget(other)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.places)
        layout.addLayout(buttons)
        self.fill()

    def fill(self) -> None:
        self.places.clear()
        for drive in self.list_drives():
            text = f"{drive.label} — còn trống {format_size(drive.free_bytes)}" + \
                (f", {drive.filesystem}" if drive.filesystem else "")  # fmt: skip
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, str(drive.path))
            self.places.addItem(item)
        if self.places.count():
            self.places.setCurrentRow(0)
        else:
            item = QListWidgetItem("Chưa thấy ổ USB nào. Hãy cắm ổ USB rồi bấm “Tìm lại ổ USB”, hoặc chọn thư mục khác.")
            item.setFlags(Qt.NoItemFlags)
            self.places.addItem(item)
        self.changed.emit()

    def add_folder(self, folder: Path) -> None:
        """Offer ``folder`` as the place to write (the folder chosen with "Chọn thư mục khác…")."""
        if self.places.count() == 1 and not self.places.item(0).data(Qt.UserRole):
            self.places.clear()
        filesystem = filesystem_of(folder)
        item = QListWidgetItem(f"Thư mục {folder}" + (f" ({filesystem})" if filesystem else ""))
        item.setData(Qt.UserRole, str(folder))
        self.places.addItem(item)
        self.places.setCurrentItem(item)
        self.changed.emit()

    def choose_folder(self) -> None:
        chosen = choose_folder(self, self.folder_title)
        if chosen:
            self.add_folder(Path(chosen))

    def target(self) -> Path | None:
        item = self.places.currentItem()
        value = item.data(Qt.UserRole) if item is not None else None
        return Path(value) if value else None
