"""Cài đặt → Danh mục: the labels of forms, topics, channels and funding sources.

Codes stay as they are (reports and packages rely on them); only what the officer
sees changes, and "Khôi phục tên gốc" brings back the shipped label.
"""

from __future__ import annotations

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
    QTabWidget, QVBoxLayout,
)  # fmt: skip

from core import taxonomy
from core.errors import UserError

KIND_TITLES = {"form": "Hình thức", "topic": "Chủ đề", "channel": "Kênh", "funding": "Nguồn kinh phí"}


class TaxonomyDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.changed = False
        self.setWindowTitle("Danh mục")
        self.resize(820, 520)
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        for kind, title in KIND_TITLES.items():
            table = QTableWidget()
            headers = ["Mã", "Tên hiển thị"] + (["Đơn vị tính"] if kind == "form" else [])
            table.setColumnCount(len(headers))
            table.setHorizontalHeaderLabels(headers)
            table.horizontalHeader().setStretchLastSection(True)
            table.setColumnWidth(0, 140)
            table.setColumnWidth(1, 480)
            self.tables[kind] = table
            self.tabs.addTab(table, title)
            self._fill(kind)
            table.itemChanged.connect(lambda item, k=kind: self._edited(k, item))
        reset = QPushButton("Khôi phục tên gốc của dòng đang chọn")
        reset.clicked.connect(self.reset_current)
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(reset)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Bấm đúp vào tên để sửa. Mã không đổi, nên số liệu cũ vẫn khớp."))
        layout.addWidget(self.tabs)
        layout.addLayout(buttons)

    def _fill(self, kind: str) -> None:
        table = self.tables[kind]
        table.blockSignals(True)
        terms = taxonomy.terms(self.db, kind)
        table.setRowCount(len(terms))
        for row, term in enumerate(terms):
            code = QTableWidgetItem(term.code)
            code.setFlags(code.flags() & ~Qt.ItemIsEditable)
            table.setItem(row, 0, code)
            table.setItem(row, 1, QTableWidgetItem(term.label))
            if kind == "form":
                table.setItem(row, 2, QTableWidgetItem(term.counted_unit))
        table.blockSignals(False)

    def _edited(self, kind: str, item: QTableWidgetItem) -> None:
        table = self.tables[kind]
        code = table.item(item.row(), 0).text()
        try:
            if item.column() == 1:
                taxonomy.rename(self.db, kind, code, item.text())
            elif item.column() == 2:
                taxonomy.set_counted_unit(self.db, code, item.text())
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được", exc.message)
        self.changed = True
        self._fill(kind)

    def reset_current(self) -> None:
        kind = list(KIND_TITLES)[self.tabs.currentIndex()]
        table = self.tables[kind]
        row = table.currentRow()
        if row < 0:
            return
        taxonomy.reset_label(self.db, kind, table.item(row, 0).text())
        self.changed = True
        self._fill(kind)
