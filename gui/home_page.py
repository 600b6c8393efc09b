"""The home screen "Tổng quan": this year's targets, activities by month and by form against last
year, reports coming due and unfinished drafts, and the subordinate units' activity.

Everything is read off the UI thread, each on its own connection, two at a time: the
activity figures (core.overview, cached: about 0.19 s on 1,000,000 activities, then under
a millisecond), each target (core.achievement reads a year of the log twice per target:
0.1–0.2 s each, 0.5–0.8 s for the five demo targets one after the other) and the reports.
The page shows at once with "Đang tính…" in each part and fills them in; bench/bench_home.py
measures it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar,
    QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)  # fmt: skip

from core import overview as overview_mod
from core import periods, settings
from core.achievement import Achievement, achievement
from core.db import connect
from core.errors import UserError
from core.package.status import period_status
from core.plans import Target, targets_for_year
from core.reports import store
from core.text import format_date, format_number
from gui import submissions
from gui.home_charts import LAST_YEAR, THIS_YEAR, BarListChart, MonthChart
from gui.tasks import run_in_background

log = logging.getLogger(__name__)

BEHIND = "#d84315"
ON_TRACK = "#2e7d32"
MUTED = "#6b7785"
SOON = 7  # days: a report due this soon is shown in red, within 30 days in orange


# --- what the second task reads -------------------------------------------------------------


@dataclass(frozen=True)
class DueReport:
    period: periods.Period
    due: dt.date
    days_left: int
    report_id: int | None  # a report already started for this period (the newest)
    final: bool  # that report is finalised


@dataclass(frozen=True)
class ReportsDue:
    due: list[DueReport]
    drafts: list[store.Report]
    submissions: tuple | None = None  # (period, due date, [UnitStatus]) of the next period due, with units below


def reports_due(db, today: dt.date) -> ReportsDue:
    """The reports due next (the same core calls as the "Báo cáo" page) and the drafts."""
    rules = settings.get(db, "report_rules", "nd09") or "nd09"
    overrides = settings.get(db, "report_due", {}) or {}
    reports = store.list_reports(db)
    due = []
    for period, day, days in periods.upcoming(today, rules, overrides):
        same = [r for r in reports if (r.period.kind, r.period.start, r.period.end) == (period.kind, period.start, period.end)]
        newest = max(same, key=lambda r: r.id, default=None)
        due.append(DueReport(period, day, days, newest.id if newest else None,
                             bool(newest and newest.status == store.STATUS_FINAL)))  # fmt: skip
    drafts = [r for r in reports if r.status == store.STATUS_DRAFT]
    sent = None
    if due:
        try:
            day, statuses = period_status(db, due[0].period)
            sent = (due[0].period, day, statuses) if statuses else None
        except UserError:
            sent = None
    return ReportsDue(due, drafts, sent)


def target_progress(db, target: Target, today: dt.date) -> Achievement:
    """One target over its whole year, as ``core.achievement.achievements`` measures each."""
    return achievement(db, target, dt.date(target.year, 1, 1), dt.date(target.year, 12, 31), today=today)


def _on_connection(db_path: Path, work):
    db = connect(db_path)
    try:
        return work(db)
    finally:
        db.close()


# --- small pieces ---------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{format_number(round(value))}%"


def _amount(value: float, achievement: Achievement) -> str:
    target = achievement.target
    if target.unit_kind == "percent":
        return f"{format_number(round(value, 1))}%"
    unit = "đồng" if target.unit_kind == "money" else target.unit_label
    return f"{format_number(round(value, 1))} {unit}".strip()


def _section(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("homeSection")
    frame.setStyleSheet("#homeSection { background: white; border: 1px solid #d5dbe1; border-radius: 6px; }")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    heading = QLabel(title)
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    heading.setFont(font)
    layout.addWidget(heading)
    return frame, layout


def _note(text: str = "", color: str = MUTED) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {color};")
    return label


class TargetRow(QWidget):
    """One target: name, progress bar, planned / achieved / %, behind or not."""

    def __init__(self, achievement: Achievement, parent=None):
        super().__init__(parent)
        self.achievement = achievement
        target = achievement.target
        self.behind = achievement.behind
        self.name = QLabel(target.name)
        self.name.setWordWrap(True)
        self.percent = QLabel()
        self.percent.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        bold = self.percent.font()
        bold.setBold(True)
        self.percent.setFont(bold)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(12)
        self.detail = _note()
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignRight | Qt.AlignVCenter)

        if achievement.year_to_date is None:  # a manual target nobody has filled in yet
            color, value = MUTED, 0
            self.percent.setText("chưa nhập")
            self.percent.setStyleSheet(f"color: {MUTED};")
            self.detail.setText(f"Kế hoạch {_amount(achievement.planned, achievement)} · chưa nhập giá trị đạt được")
            self.status.setText("")
        else:
            value = min(100, round(achievement.percent))
            if achievement.behind:
                color = BEHIND
                self.status.setText("<b>chậm tiến độ</b>")
            else:
                color = ON_TRACK
                self.status.setText("đã đạt kế hoạch" if achievement.percent >= 100 else "đúng tiến độ")
            self.status.setStyleSheet(f"color: {color};")
            self.percent.setText(_percent(achievement.percent))
            self.percent.setStyleSheet(f"color: {color};")
            verb = "Đạt" if target.unit_kind == "percent" else "Thực hiện"
            text = f"{verb} {_amount(achievement.year_to_date, achievement)} / kế hoạch {_amount(achievement.planned, achievement)}"
            if achievement.last_year is not None:
                text += f" · năm trước: {_amount(achievement.last_year, achievement)}"
            if achievement.behind:
                text += f" · đến nay cần đạt khoảng {_percent(achievement.expected_percent)} kế hoạch"
            self.detail.setText(text)
        self.bar.setValue(value)
        self.bar.setProperty("behind", achievement.behind)
        self.bar.setStyleSheet(
            "QProgressBar { border: 1px solid #c9d0d8; border-radius: 4px; background: #eef1f4; }"
            f"QProgressBar::chunk {{ background: {color}; border-radius: 3px; }}"
        )
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(3)
        layout.addWidget(self.name, 0, 0)
        layout.addWidget(self.status, 0, 1)
        layout.addWidget(self.percent, 0, 2)
        layout.addWidget(self.bar, 1, 0, 1, 3)
        layout.addWidget(self.detail, 2, 0, 1, 3)
        layout.setColumnStretch(0, 1)


class _FittedList(QListWidget):
    """A list as tall as its rows (the page scrolls, not the list); a click opens the row."""

    def __init__(self):
        super().__init__()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.setFocusPolicy(Qt.NoFocus)
        self.setTextElideMode(Qt.ElideRight)
        self.setStyleSheet("QListWidget { border: none; background: transparent; }"
                           "QListWidget::item { padding: 3px 2px; border-bottom: 1px solid #edf0f3; }")  # fmt: skip
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def fit(self) -> None:
        rows = sum(self.sizeHintForRow(i) for i in range(self.count()))
        self.setFixedHeight(rows + 2 * self.frameWidth() + 2)
        self.setVisible(self.count() > 0)


# --- the page -------------------------------------------------------------------------------


class HomePage(QWidget):
    """Tổng quan. Signals: ``open_log(ActivityFilter)`` (a bar was clicked),
    ``open_report(report_id)`` (a report was clicked), ``loaded()`` (a refresh is on screen)."""

    open_log = Signal(object)
    open_report = Signal(int)
    loaded = Signal()

    def __init__(self, db, db_path: Path, today: dt.date | None = None, parent=None):
        super().__init__(parent)
        self.db = db
        self.db_path = Path(db_path)
        self._fixed_today = today
        self.overview: overview_mod.Overview | None = None
        self.achievements: list[Achievement] | None = None
        self.reports: ReportsDue | None = None
        self._targets: list[Achievement | None] = []
        self.target_rows: list[TargetRow] = []
        self.loading = False
        self._generation = 0
        self._pending = 0
        self._stale = False
        # Own pool: the two parts run side by side, not queued behind the log's list loading.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        if QCoreApplication.instance() is not None:  # no figures left half-read at exit
            QCoreApplication.instance().aboutToQuit.connect(self._stop_loading)
        self._build()
        self.refresh()

    def today(self) -> dt.date:
        return self._fixed_today or dt.date.today()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(QFont.DemiBold)
        self.title.setFont(font)
        self.summary = _note()
        self.summary.setTextFormat(Qt.RichText)
        refresh = QPushButton("Làm mới")
        refresh.setToolTip("Tính lại các số liệu từ sổ hoạt động")
        refresh.clicked.connect(self.reload)
        header = QGridLayout()
        header.addWidget(self.title, 0, 0)
        header.addWidget(self.summary, 1, 0)
        header.addWidget(refresh, 0, 1, 2, 1, Qt.AlignRight | Qt.AlignVCenter)
        header.setColumnStretch(0, 1)

        targets_box, self.targets_layout = _section("Chỉ tiêu năm nay")
        self.targets_note = _note("Đang tính…")
        self.targets_layout.addWidget(self.targets_note)
        self.targets_list = QVBoxLayout()
        self.targets_list.setSpacing(2)
        self.targets_layout.addLayout(self.targets_list)

        months_box, months_layout = _section("Hoạt động theo tháng")
        self.months_note = _note("Đang tính…")
        self.month_chart = MonthChart()
        self.month_chart.bar_clicked.connect(self._month_clicked)
        months_layout.addWidget(self.months_note)
        months_layout.addWidget(self.month_chart)

        forms_box, forms_layout = _section("Hoạt động theo hình thức")
        self.forms_note = _note("Đang tính…")
        self.form_chart = BarListChart()
        self.form_chart.bar_clicked.connect(self._form_clicked)
        forms_layout.addWidget(self.forms_note)
        forms_layout.addWidget(self.form_chart)

        reports_box, reports_layout = _section("Báo cáo sắp đến hạn")
        self.due_note = _note("Đang tính…")
        self.due = _FittedList()
        self.due.itemClicked.connect(self._report_clicked)
        self.drafts_heading = QLabel("<b>Bản nháp chưa chốt</b>")
        self.drafts_note = _note()
        self.drafts = _FittedList()
        self.drafts.itemClicked.connect(self._report_clicked)
        self.submissions_heading = QLabel()
        self.submissions_heading.setWordWrap(True)
        self.submissions = _FittedList()
        for widget in (self.due_note, self.due, self.submissions_heading, self.submissions, self.drafts_heading,
                       self.drafts_note, self.drafts):  # fmt: skip
            reports_layout.addWidget(widget)

        self.units_box, units_layout = _section("Đơn vị cấp dưới")
        self.units_note = _note("Đang tính…")
        self.unit_chart = BarListChart()
        self.unit_chart.bar_clicked.connect(self._unit_clicked)
        self.own_note = _note()
        units_layout.addWidget(self.units_note)
        units_layout.addWidget(self.unit_chart)
        units_layout.addWidget(self.own_note)

        left = QVBoxLayout()
        left.setSpacing(12)
        for box in (targets_box, months_box, forms_box):
            left.addWidget(box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(12)
        for box in (reports_box, self.units_box):
            right.addWidget(box)
        right.addStretch(1)
        content = QWidget()
        content.setObjectName("homeContent")
        content.setStyleSheet("#homeContent { background: #f3f5f8; }")
        grid = QGridLayout(content)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(12)
        grid.addLayout(header, 0, 0, 1, 2)
        grid.addLayout(left, 1, 0)
        grid.addLayout(right, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # --- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the figures again (the activity figures come from core.overview's cache when
        nothing changed); ``loaded`` is emitted once every part is on screen."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        today = self.today()
        year = today.year
        self.title.setText(f"Tổng quan năm {year}")
        targets = targets_for_year(self.db, year)  # a few rows: the measuring is what takes time
        self._targets = [None] * len(targets)
        self.loading = True
        self._pending = 2 + len(targets)
        db_path = self.db_path

        def start(work, show, part):
            run_in_background(
                lambda: _on_connection(db_path, work),
                on_done=lambda result: self._arrived(generation, show, result),
                on_error=lambda exc, details: self._arrived(generation, self._show_error, (exc, details, part)),
                pool=self._pool,
            )

        # Two at a time, the longest first; each target on its own so both threads share them.
        start(lambda db: overview_mod.overview(db, year, today), self._show_overview, "overview")
        for index, target in enumerate(targets):
            start(lambda db, target=target: target_progress(db, target, today),
                  lambda result, index=index: self._target_measured(index, result), "targets")  # fmt: skip
        start(lambda db: reports_due(db, today), self._show_reports, "reports")
        if not targets:
            self._show_targets([])

    def reload(self) -> None:
        """"Làm mới": forget the cached figures and read everything again."""
        overview_mod.invalidate()
        self.refresh()

    def data_changed(self) -> None:
        """Call after saving activities (an edit of a date, form or unit is invisible to the
        cache's cheap data version): forget the cached figures; refresh now if the page is on
        screen, otherwise when it is shown next."""
        overview_mod.invalidate()
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """Coming back to the tab reads again (targets, reports and plans may have changed on
        other tabs); the figures on screen stay until the new ones arrive."""
        super().showEvent(event)
        if not event.spontaneous() and (self._stale or not self.loading):
            self.refresh()

    def _stop_loading(self) -> None:
        self._generation += 1  # whatever still arrives is dropped
        self._pool.clear()
        self._pool.waitForDone(5000)

    def _arrived(self, generation: int, show, result) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the page is gone, or a newer refresh is under way
        show(result)
        self._pending -= 1
        if self._pending == 0:
            self.loading = False
            self.loaded.emit()

    def _show_error(self, failure) -> None:
        exc, details, part = failure
        if isinstance(exc, UserError):
            message = exc.message
        else:
            log.error("home page: %s figures failed:\n%s", part, details)
            message = "Không tính được số liệu; hãy bấm “Làm mới” để thử lại."
        notes = {"overview": (self.months_note, self.forms_note, self.units_note), "targets": (self.targets_note,),
                 "reports": (self.due_note,)}[part]  # fmt: skip
        for note in notes:
            note.setText(message)
            note.setStyleSheet(f"color: {BEHIND};")
            note.show()

    # --- showing ----------------------------------------------------------------------

    def _show_overview(self, data: overview_mod.Overview) -> None:
        self.overview = data
        year, last = data.year, data.year - 1
        total, before = data.total_this_year, data.total_last_year_same_period
        partial = data.this_year_through < dt.date(year, 12, 31)
        so_far = f"Năm {year} (đến {format_date(data.this_year_through)})" if partial else f"Năm {year}"
        same = f"cùng kỳ năm {last}" if partial else f"năm {last}"
        text = f"{so_far}: " + (f"<b>{format_number(total)}</b> hoạt động" if total else "chưa có hoạt động nào")
        text += f" · {same}: {format_number(before)}" if before else f" · {same}: không có"
        if total and before:
            change = round((total - before) * 100 / before, 1)
            text += f" ({'tăng' if change > 0 else 'giảm'} {format_number(abs(change))}%)" if change else " (bằng nhau)"
        if data.unit is not None:
            text = f"{data.unit.name} · " + text
        self.summary.setText(text)

        months_this = [m.this_year for m in data.by_month]
        months_last = [m.last_year for m in data.by_month]
        tips = {}
        for m in data.by_month:
            tips[(m.month, False)] = (f"Tháng {m.month:02d}/{year}: {format_number(m.this_year)} hoạt động\n"
                                      f"Tháng {m.month:02d}/{last}: {format_number(m.last_year)} hoạt động")  # fmt: skip
            tips[(m.month, True)] = tips[(m.month, False)]
        self.month_chart.set_data(months_this, months_last, (f"Năm {year}", f"Năm {last}"), tooltips=tips,
                                  empty_text=f"Chưa có hoạt động nào trong năm {year} và năm {last}.")  # fmt: skip
        self.months_note.setText("Số hoạt động mỗi tháng; bấm vào một cột để xem các hoạt động của tháng đó.")
        self.months_note.setStyleSheet(f"color: {MUTED};")

        last_label = f"Cùng kỳ năm {last}" if partial else f"Năm {last}"
        rows = [(f.code, f.label, (f.this_year, f.last_year)) for f in data.by_form]
        tips = {f.code: f"{f.label}\n{so_far}: {format_number(f.this_year)} hoạt động\n"
                        f"{same[0].upper() + same[1:]}: {format_number(f.last_year)} hoạt động"
                for f in data.by_form}  # fmt: skip
        self.form_chart.set_rows(rows, [(f"Năm {year}", THIS_YEAR), (last_label, LAST_YEAR)], tooltips=tips,
                                 empty_text="Chưa có hoạt động nào.")  # fmt: skip
        note = f"Số hoạt động từ 01/01 đến {data.this_year_through:%d/%m} của mỗi năm" if partial else \
            "Số hoạt động cả năm"  # fmt: skip
        self.forms_note.setText(note + "; bấm vào một thanh để xem các hoạt động đó.")
        self.forms_note.setStyleSheet(f"color: {MUTED};")

        self.units_box.setVisible(bool(data.subordinates))
        if data.subordinates:
            period = data.period
            self.units_note.setText(
                f"Số hoạt động trong kỳ báo cáo {period.label} (từ {format_date(period.start)} đến "
                f"{format_date(period.end)}) của mỗi đơn vị, kể cả các đơn vị trực thuộc, theo dữ liệu có trong máy này."
            )
            self.units_note.setStyleSheet(f"color: {MUTED};")
            rows = [(u.unit_id, u.name, (u.count,)) for u in data.subordinates]
            tips = {u.unit_id: f"{u.name}: {format_number(u.count)} hoạt động trong kỳ" for u in data.subordinates}
            self.unit_chart.set_rows(rows, [("Số hoạt động trong kỳ", THIS_YEAR)], tooltips=tips)
            self.own_note.setText(f"{data.unit.name} tự thực hiện: {format_number(data.own_count)} hoạt động.")

    def _target_measured(self, index: int, result: Achievement) -> None:
        self._targets[index] = result
        if all(a is not None for a in self._targets):
            self._show_targets(list(self._targets))

    def _show_targets(self, found: list[Achievement]) -> None:
        self.achievements = found
        while self.targets_list.count():
            widget = self.targets_list.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.target_rows = [TargetRow(a) for a in found]
        for row in self.target_rows:
            self.targets_list.addWidget(row)
        if found:
            behind = sum(a.behind for a in found)
            self.targets_note.setText(f"{len(found)} chỉ tiêu, " + (
                f"{behind} chỉ tiêu chậm tiến độ." if behind else "không có chỉ tiêu nào chậm tiến độ."))
        else:
            self.targets_note.setText(f"Chưa có chỉ tiêu nào cho năm {self.today().year}"
                                      " (trong các kế hoạch đang thực hiện).")  # fmt: skip
        self.targets_note.setStyleSheet(f"color: {MUTED};")

    def _show_reports(self, data: ReportsDue) -> None:
        self.reports = data

        self.due.clear()
        for item in data.due:
            when = "hôm nay" if item.days_left == 0 else f"còn {item.days_left} ngày"
            text = f"{item.period.short_label} — hạn {format_date(item.due)} ({when})"
            if item.report_id is not None:
                text += " · đã chốt" if item.final else " · có bản nháp"
            row = QListWidgetItem(text)
            row.setData(Qt.UserRole, item.report_id)
            color = ON_TRACK if item.final else BEHIND if item.days_left <= SOON else "#b86e00" if item.days_left <= 30 else None
            if color:
                row.setForeground(QColor(color))
            row.setToolTip("Bấm để mở báo cáo" if item.report_id else "Chưa lập báo cáo cho kỳ này")
            self.due.addItem(row)
        self.due.fit()
        self.due_note.setText("" if data.due else "Không có báo cáo nào đến hạn trong 120 ngày tới.")
        self.due_note.setStyleSheet(f"color: {MUTED};")
        self.due_note.setVisible(not data.due)

        for widget in (self.submissions_heading, self.submissions):
            widget.setVisible(data.submissions is not None)
        if data.submissions is not None:
            period, day, statuses = data.submissions
            self.submissions_heading.setText(f"<b>{submissions.summary(period.short_label, day, statuses)}</b>")
            submissions.fill(self.submissions, statuses)
            self.submissions.fit()

        self.drafts.clear()
        for report in data.drafts:
            row = QListWidgetItem(f"{report.period.short_label} — số {report.number_text}, ngày {format_date(report.doc_date)}")
            row.setData(Qt.UserRole, report.id)
            row.setToolTip("Bấm để mở báo cáo")
            self.drafts.addItem(row)
        self.drafts.fit()
        self.drafts_note.setText("" if data.drafts else "Không có bản nháp nào.")
        self.drafts_note.setVisible(not data.drafts)

    # --- clicks ---------------------------------------------------------------------------

    def _month_clicked(self, month: int, last_year: bool) -> None:
        if self.overview is not None:
            self.open_log.emit(self.overview.month_filter(month, last_year=last_year))

    def _form_clicked(self, code: str, series: int) -> None:
        if self.overview is not None:
            self.open_log.emit(self.overview.form_filter(code, last_year=series == 1))

    def _unit_clicked(self, unit_id: str, _series: int) -> None:
        if self.overview is not None and self.overview.period is not None:
            self.open_log.emit(self.overview.unit_filter(unit_id))

    def _report_clicked(self, item: QListWidgetItem) -> None:
        report_id = item.data(Qt.UserRole)
        if report_id is not None:
            self.open_report.emit(int(report_id))
