"""A unit-name box that suggests official communes as you type, with or without tone marks."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from core import admin_units


class UnitNameEdit(QLineEdit):
    """``picked`` is the official unit chosen from the suggestions (None when typed freely)."""

    unit_picked = Signal(object)  # AdminUnit

    def __init__(self, parent=None):
        super().__init__(parent)
        self.province_code: str | None = None
        self.picked: admin_units.AdminUnit | None = None
        self._matches: list[admin_units.AdminUnit] = []
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        completer.activated[str].connect(self.choose)
        self.setCompleter(completer)
        self.setPlaceholderText("Gõ tên xã, phường (có dấu hoặc không dấu), ví dụ: hai lang")
        self.textEdited.connect(self.suggest)

    def suggest(self, text: str) -> list[str]:
        self.picked = None
        self._matches = admin_units.find_communes(text, self.province_code) if len(text.strip()) >= 2 else []
        names = [m.name for m in self._matches]
        self._model.setStringList(names)
        return names

    def choose(self, name: str) -> None:
        match = next((m for m in self._matches if m.name == name), None)
        if match is None:
            return
        self.setText(match.name)
        self.picked = match
        self.unit_picked.emit(match)

    def official(self) -> admin_units.AdminUnit | None:
        """The picked official unit, if the text still is its name."""
        return self.picked if self.picked and self.picked.name == self.text().strip() else None
