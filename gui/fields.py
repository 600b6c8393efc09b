"""Small input widgets the officer knows from paper forms: money as 1.500.000."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from core.errors import UserError
from core.text import format_number, parse_int


class NumberEdit(QLineEdit):
    """A whole number typed the Vietnamese way; shown with thousands dots when left."""

    def __init__(self, parent=None, *, placeholder: str = ""):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setMaxLength(20)
        self.editingFinished.connect(self._tidy)

    def _tidy(self) -> None:
        try:
            value = parse_int(self.text())
        except UserError:
            return  # left as typed; the dialog reports it on save
        if value is not None:
            self.setText(format_number(value))

    def set_value(self, value: int | None) -> None:
        self.setText(format_number(value) if value is not None else "")


class FieldWithError(QWidget):
    """A field with a red Vietnamese message under it when its value is invalid."""

    def __init__(self, field: QWidget, parent=None):
        super().__init__(parent)
        self.field = field
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.field.setStyleSheet("border: 1px solid #b00020;" if message else "")


def show_field_errors(wrapped: dict[str, FieldWithError], errors: dict[str, str]) -> None:
    """Each field's message under it (cleared where there is none); the first field with one gets the focus."""
    for name, wrapper in wrapped.items():
        wrapper.show_error(errors.get(name))
    first = next((wrapper for name, wrapper in wrapped.items() if name in errors), None)
    if first:
        first.field.setFocus()
