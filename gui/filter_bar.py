"""Search box and filters above the log: period, form, topic, unit, funding."""

from __future__ import annotations

import datetime as dt

import sqlite_utils
from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)  # fmt: skip

from core import periods, settings, taxonomy, units
from core.activities.filters import ActivityFilter
from core.periods import calendar_presets
from core.text import format_date
from gui.unit_choice_dialog import UnitChoiceDialog

CUSTOM = "custom"
MANY = "many"  # the unit list's "Chọn nhiều đơn vị…"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def date_edit(parent=None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


class FilterBar(QWidget):
    changed = Signal(object)  # ActivityFilter

    def __init__(self, db: sqlite_utils.Database, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.chosen_units: tuple[str, ...] = ()  # "Chọn nhiều đơn vị…": the units ticked
        self._previous_unit = 0
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm kiếm (gõ không dấu cũng được, ví dụ: chuyen doi so)… Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.period = QComboBox()
        self.date_from = date_edit()
        self.date_to = date_edit()
        self.form = QComboBox()
        self.topic = QComboBox()
        self.unit = QComboBox()
        self.subunits = QCheckBox("gồm đơn vị cấp dưới")
        self.subunits.setChecked(True)
        self.funding = QComboBox()
        for combo in (self.form, self.topic, self.unit, self.funding):
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.reload_choices()

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(QLabel("Thời gian:"))
        top.addWidget(self.period, 1)
        top.addWidget(self.date_from)
        self.dash = QLabel("–")
        top.addWidget(self.dash)
        top.addWidget(self.date_to)
        bottom = QHBoxLayout()
        for label, widget in (("Hình thức:", self.form), ("Chủ đề:", self.topic),
                              ("Đơn vị:", self.unit)):  # fmt: skip
            bottom.addWidget(QLabel(label))
            bottom.addWidget(widget, 1)
        bottom.addWidget(self.subunits)
        bottom.addWidget(QLabel("Nguồn kinh phí:"))
        bottom.addWidget(self.funding, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.emit_changed)
        self.search.textChanged.connect(self._debounce.start)
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.date_from.dateChanged.connect(self._dates_edited)
        self.date_to.dateChanged.connect(self._dates_edited)
        for combo in (self.form, self.topic, self.funding):
            combo.currentIndexChanged.connect(self.emit_changed)
        self.unit.currentIndexChanged.connect(self._unit_chosen)
        self.subunits.toggled.connect(self.emit_changed)
        self._period_chosen()

    def reload_choices(self) -> None:
        """Fill the lists from the database (after labels or units change)."""
        blockers = [w.blockSignals(True) for w in (self.period, self.form, self.topic, self.unit, self.funding)]
        self.period.clear()
        for preset in calendar_presets(self.today):
            self.period.addItem(preset.label, (preset.start, preset.end))
        rules = settings.get(self.db, "report_rules", "nd09")
        for kind in ("thang", "quy", "6thang", "9thang", "nam"):  # the report periods, as counted for reports
            period = periods.current_period(kind, self.today, rules)
            self.period.addItem(f"Kỳ báo cáo {period.short_label.lower()} ({format_date(period.start)}–"
                                f"{format_date(period.end)})", (period.start, period.end))  # fmt: skip
        self.period.addItem("Khoảng ngày tự chọn…", CUSTOM)
        for combo, kind, everything in ((self.form, "form", "Tất cả hình thức"),
                                        (self.topic, "topic", "Tất cả chủ đề"),
                                        (self.funding, "funding", "Tất cả nguồn")):  # fmt: skip
            current = combo.currentData()
            combo.clear()
            combo.addItem(everything, None)
            for term in taxonomy.terms(self.db, kind):
                combo.addItem(term.label, term.code)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        current = self.unit.currentData()
        self.unit.clear()
        self.unit.addItem("Tất cả đơn vị", None)
        for unit in units.all_units(self.db):
            self.unit.addItem(unit.name, unit.id)
        self.unit.addItem(self._many_label(), MANY)
        self.unit.setCurrentIndex(max(0, self.unit.findData(current)))
        self._previous_unit = self.unit.currentIndex()  # the rows moved: what a cancelled choice goes back to
        for widget, _ in zip((self.period, self.form, self.topic, self.unit, self.funding), blockers):
            widget.blockSignals(False)

    def show_filter(self, flt) -> None:
        """Set the bar to ``flt`` (dates as a custom range, a form, a unit) and apply it once."""
        widgets = (self.search, self.period, self.date_from, self.date_to, self.form, self.topic, self.unit,
                   self.subunits, self.funding)  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        self.period.setCurrentIndex(self.period.findData(CUSTOM))
        if flt.date_from:
            self.date_from.setDate(to_qdate(flt.date_from))
        if flt.date_to:
            self.date_to.setDate(to_qdate(flt.date_to))
        self.form.setCurrentIndex(max(0, self.form.findData(flt.form_codes[0] if flt.form_codes else None)))
        self.topic.setCurrentIndex(0)
        self.funding.setCurrentIndex(0)
        if flt.unit_ids:
            self.chosen_units = tuple(flt.unit_ids)
            self.unit.setItemText(self.unit.findData(MANY), self._many_label())
        self.unit.setCurrentIndex(max(0, self.unit.findData(MANY if flt.unit_ids else flt.unit_id)))
        self._previous_unit = self.unit.currentIndex()
        self.subunits.setChecked(flt.include_subunits)
        for widget in widgets:
            widget.blockSignals(False)
        self._period_chosen()  # shows the date boxes and emits changed once

    def _period_chosen(self) -> None:
        data = self.period.currentData()
        custom = data == CUSTOM
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.dash.setVisible(custom)
        if custom:
            start = self.date_from.date()
            if start == QDate(2000, 1, 1):  # QDateEdit's default: start at this year
                self.date_from.setDate(to_qdate(dt.date(self.today.year, 1, 1)))
                self.date_to.setDate(to_qdate(self.today))
        self.emit_changed()

    def _dates_edited(self) -> None:
        if self.period.currentData() == CUSTOM:
            self.emit_changed()

    def current_filter(self) -> ActivityFilter:
        data = self.period.currentData()
        if data == CUSTOM:
            start, end = from_qdate(self.date_from.date()), from_qdate(self.date_to.date())
        else:
            start, end = data if data else (None, None)
        return ActivityFilter(
            date_from=start,
            date_to=end,
            form_codes=(self.form.currentData(),) if self.form.currentData() else (),
            topic_codes=(self.topic.currentData(),) if self.topic.currentData() else (),
            funding_codes=(self.funding.currentData(),) if self.funding.currentData() else (),
            unit_id=None if self.unit.currentData() == MANY else self.unit.currentData(),
            unit_ids=self.chosen_units if self.unit.currentData() == MANY else (),
            include_subunits=self.subunits.isChecked(),
            search=self.search.text(),
        )

    def _many_label(self) -> str:
        count = len(self.chosen_units)
        return f"{count} đơn vị đã chọn…" if count else "Chọn nhiều đơn vị…"

    def _unit_chosen(self) -> None:
        if self.unit.currentData() == MANY:
            dialog = UnitChoiceDialog(self.db, self.chosen_units, self)
            if dialog.exec() and dialog.chosen():
                self.chosen_units = dialog.chosen()
                self.unit.setItemText(self.unit.currentIndex(), self._many_label())
            else:  # cancelled: back to what was shown
                self.unit.blockSignals(True)
                self.unit.setCurrentIndex(self._previous_unit if self._previous_unit != self.unit.currentIndex() else 0)
                self.unit.blockSignals(False)
                return
        self._previous_unit = self.unit.currentIndex()
        self.emit_changed()

    def emit_changed(self) -> None:
        self.changed.emit(self.current_filter())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
