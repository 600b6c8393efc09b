"""Thùng rác: deleted activities, restorable one by one or all; emptied only after asking."""

from __future__ import annotations

import sqlite_utils
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableView, QVBoxLayout,
)  # fmt: skip

from core.activities import service
from core.activities.filters import ActivityFilter
from core.text import format_number
from gui.activity_table_model import ID_ROLE, ActivityTableModel


class TrashDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.changed = False
        self.setWindowTitle("Thùng rác")
        self.resize(980, 520)
        self.model = ActivityTableModel(db, self)
        self.model.filter = ActivityFilter(in_trash=True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setColumnWidth(3, 380)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.summary = QLabel()
        self.restore_button = QPushButton("Khôi phục mục đã chọn")
        self.restore_all_button = QPushButton("Khôi phục tất cả")
        self.purge_button = QPushButton("Xóa hẳn mục đã chọn…")
        self.empty_button = QPushButton("Dọn sạch thùng rác…")
        close = QPushButton("Đóng")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_all_button.clicked.connect(self.restore_all)
        self.purge_button.clicked.connect(self.purge_selected)
        self.empty_button.clicked.connect(self.empty)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.restore_button, self.restore_all_button, self.purge_button, self.empty_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Các hoạt động đã xóa nằm ở đây cho đến khi dọn sạch thùng rác."))
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.model.reload()
        count = self.model.rowCount()
        self.summary.setText(f"{format_number(count)} hoạt động trong thùng rác.")
        for button in (self.restore_button, self.restore_all_button, self.purge_button, self.empty_button):
            button.setEnabled(count > 0)

    def selected_ids(self) -> list[int]:
        return [index.data(ID_ROLE) for index in self.table.selectionModel().selectedRows()]

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            service.restore_activities(self.db, ids)
            self.changed = True
            self.reload()

    def restore_all(self) -> None:
        service.restore_activities(self.db, list(self.model.ids))
        self.changed = True
        self.reload()

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.warning(
            self, "Xóa hẳn?", text + "\nViệc này không hoàn tác được.",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )  # fmt: skip
        return answer == QMessageBox.Yes

    def purge_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self._confirm(f"Xóa hẳn {format_number(len(ids))} hoạt động đã chọn?"):
            service.empty_trash(self.db, ids)
            self.reload()

    def empty(self) -> None:
        count = self.model.rowCount()
        if count and self._confirm(f"Xóa hẳn toàn bộ {format_number(count)} hoạt động trong thùng rác?"):
            service.empty_trash(self.db)
            self.reload()
