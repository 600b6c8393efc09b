"""Lập báo cáo mới: choose the kind of report and its period."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QSpinBox, QVBoxLayout,
)  # fmt: skip

from core import periods
from core.errors import UserError
from core.text import format_date
from gui.filter_bar import date_edit, from_qdate, to_qdate


class NewReportDialog(QDialog):
    def __init__(self, parent=None, *, rules: str = "nd09", today: dt.date | None = None):
        super().__init__(parent)
        self.today = today or dt.date.today()
        self.period: periods.Period | None = None
        self.setWindowTitle("Lập báo cáo mới")
        self.kind = QComboBox()
        for code in periods.KINDS:
            self.kind.addItem(periods.KIND_LABELS[code], code)
        self.kind.setCurrentIndex(self.kind.findData("6thang"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year)
        self.number = QSpinBox()
        self.date_from = date_edit()
        self.date_to = date_edit()
        self.date_from.setDate(to_qdate(self.today.replace(day=1)))
        self.date_to.setDate(to_qdate(self.today))
        self.rules = QComboBox()
        for code in periods.RULES:
            self.rules.addItem(periods.RULE_LABELS[code], code)
        self.rules.setCurrentIndex(max(0, self.rules.findData(rules)))
        self.preview = QLabel()
        self.form = QFormLayout()
        self.form.addRow("Loại báo cáo", self.kind)
        self.form.addRow("Năm", self.year)
        self.number_label = QLabel("Quý")
        self.form.addRow(self.number_label, self.number)
        self.form.addRow("Từ ngày", self.date_from)
        self.form.addRow("Đến ngày", self.date_to)
        self.form.addRow("Cách tính kỳ", self.rules)
        self.form.addRow("Kỳ số liệu", self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Lập báo cáo")
        buttons.accepted.connect(self.accept_period)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        for widget in (self.kind, self.rules):
            widget.currentIndexChanged.connect(self._update)
        for widget in (self.year, self.number):
            widget.valueChanged.connect(self._update)
        self.date_from.dateChanged.connect(self._update)
        self.date_to.dateChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        kind = self.kind.currentData()
        custom = kind == "dotxuat"
        numbered = kind in ("thang", "quy")
        self.number_label.setText("Tháng" if kind == "thang" else "Quý")
        self.number.blockSignals(True)
        self.number.setRange(1, 12 if kind == "thang" else 4)
        if numbered and self.number.value() == 0:
            self.number.setValue(self.today.month if kind == "thang" else (self.today.month - 1) // 3 + 1)
        self.number.blockSignals(False)
        for widget in (self.number, self.number_label):
            widget.setVisible(numbered)
        for widget in (self.date_from, self.date_to, self.form.labelForField(self.date_from),
                       self.form.labelForField(self.date_to)):  # fmt: skip
            widget.setVisible(custom)
        self.year.setEnabled(not custom)
        try:
            self.period = self._period()
        except UserError as exc:
            self.period = None
            self.preview.setText(exc.message)
            return
        self.preview.setText(f"{self.period.label}: từ {format_date(self.period.start)} đến {format_date(self.period.end)}")

    def _period(self) -> periods.Period:
        kind = self.kind.currentData()
        start, end = from_qdate(self.date_from.date()), from_qdate(self.date_to.date())
        return periods.period_for(
            kind, start.year if kind == "dotxuat" else self.year.value(),
            number=self.number.value() if kind in ("thang", "quy") else None,
            start=start if kind == "dotxuat" else None, end=end if kind == "dotxuat" else None,
            rules=self.rules.currentData(),
        )  # fmt: skip

    def accept_period(self) -> None:
        try:
            self.period = self._period()
        except UserError as exc:
            QMessageBox.warning(self, "Kỳ báo cáo chưa đúng", exc.message)
            return
        self.accept()
