"""Chọn nhiều đơn vị: tick the units whose activities to see together (a district and some communes)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from core import units


class UnitChoiceDialog(QDialog):
    def __init__(self, db, chosen: tuple[str, ...] = (), parent=None):
        super().__init__(parent)
        self.setWindowTitle("Chọn nhiều đơn vị")
        self.list = QListWidget()
        for unit, depth in _tree(units.all_units(db)):
            item = QListWidgetItem("    " * depth + unit.name)
            item.setData(Qt.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if unit.id in chosen else Qt.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Xem các đơn vị đã chọn")
        buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(lambda *_: buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.chosen())))
        buttons.button(QDialogButtonBox.Ok).setEnabled(bool(chosen))
        layout = QVBoxLayout(self)
        hint = QLabel("Đánh dấu các đơn vị cần xem cùng nhau (mỗi đơn vị gồm cả cấp dưới nếu ô"
                      " “gồm đơn vị cấp dưới” được chọn):")  # fmt: skip
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, ...]:
        return tuple(self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                     if self.list.item(i).checkState() == Qt.Checked)  # fmt: skip


def _tree(everyone: list[units.Unit]) -> list[tuple[units.Unit, int]]:
    """The units as a tree (each under its parent, indented), siblings in dictionary order."""
    known = {u.id for u in everyone}
    below: dict[str | None, list[units.Unit]] = {}
    for unit in everyone:
        below.setdefault(unit.parent_id if unit.parent_id in known else None, []).append(unit)
    ordered: list[tuple[units.Unit, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for unit in below.get(parent, []):
            if unit.id not in seen:  # a damaged tree with a loop is shown once
                seen.add(unit.id)
                ordered.append((unit, depth))
                walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered + [(u, 0) for u in everyone if u.id not in seen]
