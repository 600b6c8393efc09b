"""Sao lưu ra USB and Khôi phục: a checked copy of everything on a stick, and putting a copy back."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)  # fmt: skip

from core.activities.evidence import db_file
from core.backup import BackupInfo, describe, kind_label, list_backups
from core.backup_usb import SUFFIX, write_usb_backup
from core.package import drives
from core.package.safe_write import format_size
from core.paths import evidence_dir
from core.text import format_number
from gui.drive_picker import DrivePicker
from gui.file_dialogs import choose_files_to_open
from gui.tasks import run_and_wait


class UsbBackupDialog(QDialog):
    """Sao lưu ra USB: the data and the evidence files, in one checked file."""

    def __init__(self, db: sqlite_utils.Database, db_path: Path, parent: QWidget | None = None, *,
                 list_drives=drives.list_drives):  # fmt: skip
        super().__init__(parent)
        self.db, self.db_path = db, Path(db_path)
        self.result = None
        self.setWindowTitle("Sao lưu ra USB")
        self.setMinimumWidth(520)
        activities = db.execute("SELECT count(*) FROM activities WHERE deleted_at IS NULL").fetchone()[0]
        folder = evidence_dir(db_file(db))
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        data = db_file(db)
        wal = data.with_name(data.name + "-wal")  # recent changes not yet folded into the file
        size = data.stat().st_size + (wal.stat().st_size if wal.exists() else 0) + sum(p.stat().st_size for p in files)
        summary = QLabel(f"Sao lưu {format_number(activities)} hoạt động và {format_number(len(files))} tệp minh chứng"
                         f" (khoảng {format_size(size)}) thành một tệp, ghi xong được đọc lại để kiểm tra.")  # fmt: skip
        summary.setWordWrap(True)
        self.picker = DrivePicker(list_drives=list_drives, folder_title="Chọn thư mục để ghi bản sao lưu")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Sao lưu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.picker.changed.connect(lambda: self.buttons.button(QDialogButtonBox.Ok).setEnabled(
            self.picker.target() is not None))  # fmt: skip
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.picker.target() is not None)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(QLabel("Ghi vào:"))
        layout.addWidget(self.picker)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        target = self.picker.target()
        if target is None:
            return
        outcome = run_and_wait(self, self.db_path, lambda db, progress: write_usb_backup(db, target, progress),
                               "Đang sao lưu ra USB…")  # fmt: skip
        if not outcome.ok:
            if not outcome.cancelled:
                QMessageBox.warning(self, "Chưa sao lưu được", outcome.message)
            return
        self.result = outcome.result
        QMessageBox.information(self, "Đã sao lưu", f"Đã ghi “{self.result.path.name}” vào “{target}” và đã đọc lại "
                                "để kiểm tra. Hãy cất ổ USB ở nơi an toàn.")  # fmt: skip
        self.accept()


class RestoreDialog(QDialog):
    """Khôi phục: choose a backup (date, size, activities); ``chosen`` is the file, confirmed."""

    HEADERS = ["Thời điểm", "Loại", "Dung lượng", "Số hoạt động"]

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.chosen: Path | None = None
        self.setWindowTitle("Khôi phục dữ liệu từ bản sao lưu")
        self.resize(640, 380)
        self.backups = [b for b in list_backups(self.db_path) if b.activities is not None]
        self.table = QTableWidget(len(self.backups), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        for row, info in enumerate(self.backups):
            for column, text in enumerate(_cells(info)):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                if column >= 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.setWordWrap(False)
        self.table.resizeColumnToContents(0)
        if self.backups:
            self.table.selectRow(0)
        other = QPushButton("Chọn tệp sao lưu khác (ổ USB)…")
        other.clicked.connect(self.choose_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Khôi phục…")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)
        note = QLabel("Trước khi khôi phục, dữ liệu hiện tại được sao lưu (thư mục sao_luu), nên không mất gì."
                      if self.backups else "Chưa có bản sao lưu nào trong thư mục sao_luu; hãy chọn tệp sao lưu "
                      "trên ổ USB.")  # fmt: skip
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(other)
        layout.addWidget(self.buttons)

    def choose_file(self) -> None:
        found = choose_files_to_open(self, "Chọn tệp sao lưu", f"Bản sao lưu (*{SUFFIX} *.db)")
        if found:
            self.confirm(Path(found[0]))

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.backups):
            self.confirm(self.backups[row].path)

    def confirm(self, path: Path) -> None:
        if path.suffix.lower() == SUFFIX:
            what = f"bản sao lưu “{path.name}” (dữ liệu và tệp minh chứng)"
        else:
            info = describe(path)
            if info.activities is None:
                QMessageBox.warning(self, "Không khôi phục được", f"Tệp “{path.name}” không phải bản sao lưu của "
                                    "phần mềm này, hoặc đã bị hỏng.")  # fmt: skip
                return
            what = f"bản sao lưu lúc {info.taken_at:%H:%M ngày %d/%m/%Y} ({format_number(info.activities)} hoạt động)"
        answer = QMessageBox.question(self, "Khôi phục dữ liệu", f"Thay dữ liệu hiện tại bằng {what}?\n\n"
                                      "Dữ liệu hiện tại được sao lưu trước, nên vẫn lấy lại được. "
                                      "Phần mềm sẽ mở lại sau khi khôi phục.")  # fmt: skip
        if answer == QMessageBox.Yes:
            self.chosen = path
            self.accept()


def _cells(info: BackupInfo) -> list[str]:
    return [f"{info.taken_at:%d/%m/%Y %H:%M}", kind_label(info.path), format_size(info.size),
            format_number(info.activities or 0)]


def replace_database(parent, db, db_path: Path, chosen: Path, before_closing=None) -> bool:
    """Khôi phục: put the backup ``chosen`` in place of the data at ``db_path``; False (said to the officer)
    when it is refused, the data then as it was. ``db`` is closed for it and opened again on what the file
    holds afterwards (the one Database object every page holds); ``before_closing`` runs just before."""
    from core.backup_usb import SUFFIX
    from core.db import open_db
    from core.errors import UserError
    from core.restore import check_backup, restore_any

    try:  # a file that cannot be restored is said before the data is closed
        checked = None if chosen.suffix.lower() == SUFFIX else check_backup(chosen)
    except UserError as exc:
        QMessageBox.warning(parent, "Chưa khôi phục được", exc.message)
        return False
    if before_closing is not None:
        before_closing()
    db.close()
    try:
        restore_any(db_path, chosen, checked=checked)
    except UserError as exc:  # e.g. busy, or a damaged stick file: nothing was replaced
        db.conn = open_db(db_path).conn
        QMessageBox.warning(parent, "Chưa khôi phục được", exc.message)
        return False
    db.conn = open_db(db_path).conn
    return True
