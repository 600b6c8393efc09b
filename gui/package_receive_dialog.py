"""Nhận dữ liệu: choose packages (files, a folder, a whole stick), see what each would change, merge."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
    QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)  # fmt: skip

from core import units
from core.errors import UserError
from core.package import drives, merge, receive
from core.text import format_number
from gui.file_dialogs import choose_files_to_open, choose_folder
from gui.tasks import checkpoint_in_background, run_and_wait

HEADERS = ["Tệp", "Đơn vị", "Kỳ", "Mới", "Thay đổi", "Không đổi", "Đã xóa", "Xung đột", "Ghi chú"]
COUNTS = ("new", "changed", "unchanged", "deleted", "conflicts")


class PackageReceiveDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, db_path: Path, parent: QWidget | None = None, *,
                 list_drives=drives.list_drives):  # fmt: skip
        super().__init__(parent)
        self.db, self.db_path = db, Path(db_path)
        self.list_drives = list_drives
        self.paths: list[Path] = []
        self.found: receive.ReceivePreview | None = None
        self.result: merge.ReceiveResult | None = None
        self.setWindowTitle("Nhận dữ liệu từ đơn vị trực thuộc")
        self.resize(900, 460)
        pick_files = QPushButton("Chọn tệp…")
        pick_files.clicked.connect(self.choose_files)
        pick_folder = QPushButton("Chọn thư mục…")
        pick_folder.clicked.connect(self.choose_folder)
        pick_sticks = QPushButton("Tìm trên các ổ USB")
        pick_sticks.clicked.connect(self.use_sticks)
        self.accept_new = QCheckBox("Nhận cả đơn vị mới (chưa có trong danh sách đơn vị trực thuộc)")
        self.accept_new.toggled.connect(lambda *_: self.check())
        self.map_button = QPushButton("Ghép vào đơn vị đã có…")
        self.map_button.setToolTip("Gói của một xã cũ (đã sáp nhập năm 2025): nhận dữ liệu vào đơn vị mới ở máy này")
        self.map_button.clicked.connect(self.map_selected)
        self.map_button.setEnabled(False)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.Stretch)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.ElideNone)  # a refusal's reason is read in full
        self.summary = QLabel("Hãy chọn gói dữ liệu (.cdsx) các đơn vị gửi lên: từng tệp, một thư mục hoặc cả ổ USB.")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Nhận dữ liệu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Đóng")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (pick_files, pick_folder, pick_sticks):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.map_button)
        self.table.currentCellChanged.connect(lambda *_: self.map_button.setEnabled(self.selected_new_unit() is not None))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.accept_new)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # --- choosing ------------------------------------------------------------------------

    def choose_files(self) -> None:
        chosen = choose_files_to_open(self, "Chọn gói dữ liệu", "Gói dữ liệu (*.cdsx);;Mọi tệp (*)")
        if chosen:
            self.set_paths([Path(p) for p in chosen])

    def choose_folder(self) -> None:
        chosen = choose_folder(self, "Chọn thư mục hoặc ổ USB chứa các gói dữ liệu")
        if chosen:
            self.set_paths([Path(chosen)])

    def use_sticks(self) -> None:
        found = [d.path for d in self.list_drives()]
        if not found:
            QMessageBox.information(self, "Chưa thấy ổ USB", "Chưa thấy ổ USB nào. Hãy cắm ổ USB rồi thử lại, "
                                                             "hoặc chọn tệp, thư mục.")  # fmt: skip
            return
        self.set_paths(found)

    def set_paths(self, paths: list[Path]) -> None:
        self.paths = paths
        self.check()

    # --- preview -------------------------------------------------------------------------

    def check(self) -> None:
        """Open and check every package (off the window's thread), then show what each would do."""
        if not self.paths:
            return
        paths, accept_new = list(self.paths), self.accept_new.isChecked()
        outcome = run_and_wait(self, self.db_path, lambda db, progress: receive.preview(
            db, paths, accept_new_units=accept_new, progress=progress), "Đang kiểm tra gói dữ liệu…")  # fmt: skip
        if not outcome.ok:
            if not outcome.cancelled:
                QMessageBox.warning(self, "Chưa kiểm tra được", outcome.message)
            return
        self.show_preview(outcome.result)

    def show_preview(self, found: receive.ReceivePreview) -> None:
        self.found = found
        self.table.setRowCount(0)
        for package in found.packages:
            note = "Đã nhận gói này trước đây" if package.received_before else ""
            if package.new_units:
                note = "Đơn vị mới: " + ", ".join(u["name"] for u in package.new_units)
            self._add_row([package.path.name, package.unit_name, package.period_label,
                           *(format_number(getattr(package, k)) for k in COUNTS), note])  # fmt: skip
        for refusal in found.refused:
            self._add_row([refusal.file, "", "", "", "", "", "", "", f"Không nhận: {refusal.reason}"], refused=True)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 240))
        self.table.resizeRowsToContents()
        if not found.packages and not found.refused:
            self.summary.setText("Không tìm thấy gói dữ liệu (.cdsx) nào ở nơi đã chọn.")
        else:
            totals = ", ".join(f"{format_number(found.total(k))} {label}" for k, label in zip(
                COUNTS, ("mới", "thay đổi", "không đổi", "đã xóa", "xung đột")))  # fmt: skip
            refused = f" {format_number(len(found.refused))} gói không nhận được (xem cột Ghi chú)." if found.refused else ""
            self.summary.setText(f"{format_number(len(found.packages))} gói nhận được: {totals}.{refused} "
                                 "Trước khi nhận, dữ liệu hiện có được sao lưu.")  # fmt: skip
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(found.packages))

    def _add_row(self, values: list[str], refused: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if 3 <= column <= 7:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if refused:
                item.setForeground(QBrush(QColor("#b00020")))
            self.table.setItem(row, column, item)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.table.resizeRowsToContents()  # the wrapped reasons take the lines they need

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def selected_new_unit(self) -> tuple[str, str] | None:
        """The unknown sending unit of the refused package on the chosen row, if that is why it was refused."""
        row = self.table.currentRow()
        if self.found is None or row < len(self.found.packages) or row >= self.table.rowCount():
            return None
        return self.found.refused[row - len(self.found.packages)].new_unit

    def map_selected(self, target_id: str | None = None) -> None:
        """Data sent by the refused package's unit goes to a unit here from now on; then check again."""
        sender = self.selected_new_unit()
        if sender is None:
            return
        if target_id is None:
            here = [u for u in units.all_units(self.db) if u.id != sender[0]]
            names = [u.name for u in here]
            name, ok = QInputDialog.getItem(self, "Ghép vào đơn vị đã có",
                                            f"Nhận dữ liệu của “{sender[1]}” vào đơn vị:", names, 0, False)  # fmt: skip
            if not ok:
                return
            target_id = here[names.index(name)].id
        try:
            units.map_old_unit(self.db, sender[0], target_id)
        except UserError as exc:
            QMessageBox.warning(self, "Chưa ghép được", exc.message)
            return
        self.check()

    # --- merging -------------------------------------------------------------------------

    def merge(self) -> None:
        found = self.found
        if found is None or not found.packages:
            return
        outcome = run_and_wait(self, self.db_path, lambda db, progress: merge.merge(db, found, progress),
                               "Đang nhận dữ liệu…")  # fmt: skip
        if outcome.cancelled:
            QMessageBox.information(self, "Đã hủy", "Đã hủy; dữ liệu được giữ nguyên như trước khi nhận.")
            return
        if not outcome.ok:
            QMessageBox.warning(self, "Chưa nhận được", f"{outcome.message}\nDữ liệu được giữ nguyên như trước khi nhận.")
            return
        self.result = result = outcome.result
        checkpoint_in_background(self.db_path)  # the merged pages wait in the write-ahead log
        backup = f"\nBản sao lưu trước khi nhận: {result.backup.name}" if result.backup else ""
        QMessageBox.information(self, "Đã nhận dữ liệu", (
            f"Đã nhận {format_number(result.packages)} gói: {format_number(result.new)} hoạt động mới, "
            f"{format_number(result.changed)} thay đổi, {format_number(result.deleted)} đã xóa, "
            f"{format_number(result.conflicts)} xung đột (giữ bản mới hơn ở máy này).{backup}"))  # fmt: skip
        self.accept()
