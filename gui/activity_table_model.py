"""The activity log as a lazy table model.

A search gives the ordered ids of every match (8 bytes each, so a million rows
cost 8 MB); rows are read 200 at a time when the view first asks for them and
kept in a small LRU cache, so scrolling to the end never loads everything.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict

import sqlite_utils
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from core.activities import repository
from core.activities.filters import ActivityFilter
from core.activities.model import ORIGIN_DEMO
from core.text import format_date, format_number

PAGE_SIZE = 200
MAX_CACHED_PAGES = 40

# (header, row key, sort key, right-aligned)
COLUMNS = [
    ("Ngày", "date_from", "date", False),
    ("Đơn vị", "unit_name", "unit", False),
    ("Hình thức", "form_label", "form", False),
    ("Tên, nội dung hoạt động", "title", "title", False),
    ("Số lượng", "quantity", "quantity", True),
    ("Đơn vị tính", "counted_unit", "form", False),
    ("Thời lượng (phút)", "duration_minutes", "duration", True),
    ("Người tham dự/tiếp cận", "participants", "participants", True),
    ("Kinh phí (đồng)", "cost", "cost", True),
    ("Nguồn kinh phí", "funding_label", "funding", False),
    ("Chủ đề", "topic_labels", None, False),
    ("Kênh", "channel", "channel", False),
    ("Minh chứng", "evidence_count", None, True),
]
ID_ROLE = Qt.UserRole + 1


class ActivityTableModel(QAbstractTableModel):
    def __init__(self, db: sqlite_utils.Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.filter = ActivityFilter()
        self.sort_key = "date"
        self.descending = True
        self.ids = array("q")
        self._pages: OrderedDict[int, dict[int, dict]] = OrderedDict()
        # The main window loads in the background itself; it only wants the sort recorded.
        self.reload_on_sort = True

    # --- loading --------------------------------------------------------------

    def set_filter(self, flt: ActivityFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.ids = repository.ordered_ids(
            self.db, self.filter, sort=self.sort_key, descending=self.descending
        )
        self._pages.clear()
        self.endResetModel()

    def set_ids(self, ids) -> None:
        """Show exactly these ids (in this order)."""
        self.beginResetModel()
        self.ids = array("q", ids)
        self._pages.clear()
        self.endResetModel()

    def complete_ids(self, ids: array) -> None:
        """The full list arrived after a first page: append the rest without a reset."""
        known = len(self.ids)
        if len(ids) < known or ids[:known] != self.ids:
            self.set_ids(ids)
            return
        if len(ids) > known:
            self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
            self.ids = ids
            self.endInsertRows()

    def refresh_rows(self) -> None:
        """Re-read the visible data after an edit, keeping the order and selection."""
        self._pages.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    def row_data(self, row: int) -> dict | None:
        if not 0 <= row < len(self.ids):
            return None
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = repository.rows_by_id(
                self.db, list(self.ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE])
            )
            self._pages[number] = page
            if len(self._pages) > MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self.ids[row])

    def row_of(self, activity_id: int) -> int:
        try:
            return self.ids.index(activity_id)
        except ValueError:
            return -1

    @property
    def cached_rows(self) -> int:
        return sum(len(page) for page in self._pages.values())

    # --- Qt model ---------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.column() < len(COLUMNS):
            return None
        if role not in (Qt.DisplayRole, Qt.ToolTipRole, Qt.TextAlignmentRole, ID_ROLE):
            return None
        if role == Qt.TextAlignmentRole:
            right = COLUMNS[index.column()][3]
            return int((Qt.AlignRight if right else Qt.AlignLeft) | Qt.AlignVCenter)
        if role == ID_ROLE:
            return self.ids[index.row()] if index.row() < len(self.ids) else None
        row = self.row_data(index.row())
        if row is None:
            return None
        key = COLUMNS[index.column()][1]
        value = row.get(key)
        if key == "date_from":
            text = format_date(value)
            if row.get("date_to"):
                text += f" – {format_date(row['date_to'])}"
            return text
        if key == "evidence_count":
            return str(value) if value else ""
        if key == "title" and row.get("origin") == ORIGIN_DEMO:
            return f"[Mẫu] {value}"  # demo data is never mistaken for the real log
        if isinstance(value, (int, float)):
            return format_number(value)
        return "" if value is None else str(value)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.DescendingOrder
        if self.reload_on_sort:
            self.reload()
