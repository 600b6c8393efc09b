"""Cài đặt → Đơn vị: my unit and the units below it (communes of a district, ...)."""

from __future__ import annotations

import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QMessageBox,
    QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
)  # fmt: skip

from core import settings, units
from core.errors import UserError, ValidationError
from core.text import format_date
from gui.fields import FieldWithError
from gui.unit_name_edit import UnitNameEdit


class UnitEditDialog(QDialog):
    """Add a unit under ``parent_id``, or change ``unit``'s name and level."""

    def __init__(self, db, parent=None, *, unit: units.Unit | None = None, parent_id: str | None = None):
        super().__init__(parent)
        self.db = db
        self.unit = unit
        self.parent_id = unit.parent_id if unit else parent_id
        self.result_unit: units.Unit | None = None
        self.setWindowTitle("Sửa đơn vị" if unit else "Thêm đơn vị cấp dưới")
        self.setMinimumWidth(480)
        self.name = UnitNameEdit()
        self.level = QComboBox()
        for code, label in units.level_labels().items():
            self.level.addItem(label, code)
        self.level.setCurrentIndex(self.level.findData(unit.level if unit else "xa"))
        self.name.unit_picked.connect(lambda _m: self.level.setCurrentIndex(self.level.findData("xa")))
        if unit:
            self.name.setText(unit.name)
        self.wrapped = {"name": FieldWithError(self.name), "level": FieldWithError(self.level)}
        form = QFormLayout()
        if self.parent_id:
            form.addRow("Thuộc", QLabel(units.get_unit(db, self.parent_id).name))
        form.addRow("Tên đơn vị *", self.wrapped["name"])
        form.addRow("Cấp", self.wrapped["level"])
        if unit:
            note = QLabel("Đổi tên không làm mất dữ liệu: tên cũ được ghi lại trong lịch sử của đơn vị.")
            note.setWordWrap(True)
            form.addRow("", note)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            if self.unit:
                self.result_unit = units.update_unit(
                    self.db, self.unit.id, name=self.name.text(), level=self.level.currentData(),
                    parent_id=self.unit.parent_id,
                )  # fmt: skip
            else:
                official = self.name.official()
                self.result_unit = units.create_unit(
                    self.db, name=self.name.text(), level=self.level.currentData(), parent_id=self.parent_id,
                    official_code=official.code if official else None,
                    unit_id=official.unit_id if official else None,
                )  # fmt: skip
        except ValidationError as exc:
            for name, wrapper in self.wrapped.items():
                wrapper.show_error(exc.fields.get(name))
            if "official_code" in exc.fields:
                self.wrapped["name"].show_error(exc.fields["official_code"])
            return
        except UserError as exc:
            QMessageBox.warning(self, "Chưa lưu được", exc.message)
            return
        self.accept()


class UnitsDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.changed = False
        self.setWindowTitle("Đơn vị")
        self.resize(640, 480)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Tên đơn vị", "Cấp", "Mã đơn vị hành chính"])
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(1, 190)
        self.tree.currentItemChanged.connect(self._show_history)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.add_button = QPushButton("Thêm đơn vị cấp dưới…")
        self.edit_button = QPushButton("Đổi tên, sửa…")
        close = QPushButton("Đóng")
        self.add_button.clicked.connect(self.add_child)
        self.edit_button.clicked.connect(self.edit_selected)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Đơn vị của tôi và các đơn vị cấp dưới gửi số liệu lên."))
        layout.addWidget(self.tree)
        layout.addWidget(self.history)
        layout.addLayout(buttons)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.tree.clear()
        levels = units.level_labels()
        items: dict[str, QTreeWidgetItem] = {}
        pending = units.all_units(self.db)
        while pending:  # parents before children, names in Vietnamese order
            rest = []
            for unit in pending:
                if unit.parent_id and unit.parent_id not in items:
                    rest.append(unit)
                    continue
                item = QTreeWidgetItem([unit.name, levels.get(unit.level, unit.level), unit.official_code or ""])
                item.setData(0, Qt.UserRole, unit.id)
                parent = items.get(unit.parent_id)
                (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                items[unit.id] = item
            if len(rest) == len(pending):
                break
            pending = rest
        self.tree.expandAll()
        profile = settings.load_profile(self.db)
        target = items.get(select or (profile.unit_id if profile else ""))
        if target:
            self.tree.setCurrentItem(target)

    def current_unit_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    def _show_history(self, *_args) -> None:
        unit_id = self.current_unit_id()
        rows = units.name_history(self.db, unit_id) if unit_id else []
        self.history.setText(
            "Tên trước đây: " + "; ".join(f"{old} (đến {format_date(when)})" for old, _new, when in rows)
            if rows else ""
        )  # fmt: skip

    def add_child(self) -> None:
        parent_id = self.current_unit_id()
        if parent_id is None:
            return
        dialog = UnitEditDialog(self.db, self, parent_id=parent_id)
        if dialog.exec() and dialog.result_unit:
            self.changed = True
            self.reload(select=dialog.result_unit.id)

    def edit_selected(self) -> None:
        unit_id = self.current_unit_id()
        if unit_id is None:
            return
        dialog = UnitEditDialog(self.db, self, unit=units.get_unit(self.db, unit_id))
        if dialog.exec():
            self.changed = True
            self.reload(select=unit_id)
