"""Time ranges the officer filters and reports by.

Two things live here:

* ``calendar_presets(today)`` / ``Range``: the plain calendar ranges the log's
  period filter offers (used by gui/filter_bar.py; keep them as they are).
* Report periods (``Period``, ``period_for``, ``due_date``, ``upcoming``): a kind
  of report (month, quarter, 6 months, 9 months, year, ad hoc) + a year, whose
  start/end depend on configurable rules (domain.md §4):

  - ``"nd09"``: Nghị định 09/2019/NĐ-CP data cut-off. Monthly = 15th of the
    previous month → 14th of the month; quarterly = 15th of the month before the
    quarter → 14th of its last month; 6 months = 15/12 of the previous year →
    14/6; 9 months = 15/12 → 14/9; annual = 15/12 of the previous year → 14/12.
  - ``"calendar"``: calendar month / quarter; 1/1–30/6; 1/1–30/9; 1/1–31/12.

  Ad-hoc reports ("dotxuat") always use the start/end the officer typed.

No Qt here: core/ must run without it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from core.errors import UserError
from core.text import format_date


@dataclass(frozen=True)
class Range:
    label: str
    start: dt.date | None
    end: dt.date | None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def calendar_presets(today: dt.date) -> list[Range]:
    """The ranges offered in the log's period filter, most used first."""
    y, m = today.year, today.month
    q_first = 3 * ((m - 1) // 3) + 1
    return [
        Range("Mọi thời gian", None, None),
        Range(f"Tháng {m:02d}/{y}", dt.date(y, m, 1), _month_end(y, m)),
        Range(f"Quý {(m - 1) // 3 + 1}/{y}", dt.date(y, q_first, 1), _month_end(y, q_first + 2)),
        Range(f"6 tháng đầu năm {y}", dt.date(y, 1, 1), dt.date(y, 6, 30)),
        Range(f"6 tháng cuối năm {y}", dt.date(y, 7, 1), dt.date(y, 12, 31)),
        Range(f"Năm {y}", dt.date(y, 1, 1), dt.date(y, 12, 31)),
        Range(f"Năm {y - 1}", dt.date(y - 1, 1, 1), dt.date(y - 1, 12, 31)),
    ]


# ---------------------------------------------------------------------------
# Report periods
# ---------------------------------------------------------------------------

KINDS = ("thang", "quy", "6thang", "9thang", "nam", "dotxuat")
KIND_LABELS = {
    "thang": "Tháng",
    "quy": "Quý",
    "6thang": "6 tháng",
    "9thang": "9 tháng",
    "nam": "Năm",
    "dotxuat": "Đột xuất",
}
RULES = ("nd09", "calendar")
RULE_LABELS = {
    "nd09": "Theo Nghị định 09/2019/NĐ-CP (số liệu từ ngày 15)",
    "calendar": "Theo năm dương lịch",
}

MIN_YEAR = 2000
MAX_YEAR = 2100

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Kinds that have a fixed place in the year (everything but ad-hoc reports).
PERIODIC_KINDS = ("thang", "quy", "6thang", "9thang", "nam")

# Default due dates, per rules then per kind. The value formats are the same
# as for the ``overrides`` of ``due_date``:
#   thang, quy:          "N"     day of the month: the first day N after the
#                                period's end ("20" under nd09: March (15/02–14/03)
#                                is due 20/03; "5" under calendar: March is due 05/04)
#   6thang, 9thang, nam: "dd/mm" a day of the period's year
#   dotxuat:             "N"     number of days after the period's end
DEFAULT_DUE: dict[str, dict[str, str]] = {
    "nd09": {"thang": "20", "quy": "20", "6thang": "01/06", "9thang": "20/09", "nam": "01/12", "dotxuat": "5"},
    "calendar": {"thang": "5", "quy": "5", "6thang": "01/06", "9thang": "20/09", "nam": "01/12", "dotxuat": "5"},
}


@dataclass(frozen=True)
class Period:
    """A report period. Build it with ``period_for`` (which validates)."""

    kind: str
    year: int
    number: int | None  # month 1-12 for "thang", quarter 1-4 for "quy", else None
    start: dt.date
    end: dt.date
    rules: str

    @property
    def label(self) -> str:
        """The phrase after "Kết quả công tác tuyên truyền chuyển đổi số " in the report."""
        y = self.year
        if self.kind == "thang":
            return f"tháng {self.number} năm {y}"
        if self.kind == "quy":
            return f"quý {ROMAN[self.number]} năm {y}"
        if self.kind == "6thang":
            return f"6 tháng đầu năm {y}"
        if self.kind == "9thang":
            return f"9 tháng đầu năm {y}"
        if self.kind == "nam":
            return f"năm {y}"
        return f"từ ngày {format_date(self.start)} đến ngày {format_date(self.end)}"

    @property
    def short_label(self) -> str:
        """A compact name for lists: "Tháng 03/2025", "Quý I/2025", "01/03/2025–15/04/2025"."""
        y = self.year
        if self.kind == "thang":
            return f"Tháng {self.number:02d}/{y}"
        if self.kind == "quy":
            return f"Quý {ROMAN[self.number]}/{y}"
        if self.kind == "6thang":
            return f"6 tháng {y}"
        if self.kind == "9thang":
            return f"9 tháng {y}"
        if self.kind == "nam":
            return f"Năm {y}"
        return f"{format_date(self.start)}–{format_date(self.end)}"

    @property
    def code(self) -> str:
        """A stable ASCII key: "thang03-2025", "quy3-2025", "6thang-2025", "dotxuat-20250301-20250415".

        The rules are not part of the code (a unit reports one period of a kind per year).
        """
        if self.kind == "thang":
            return f"thang{self.number:02d}-{self.year}"
        if self.kind == "quy":
            return f"quy{self.number}-{self.year}"
        if self.kind == "dotxuat":
            return f"dotxuat-{self.start:%Y%m%d}-{self.end:%Y%m%d}"
        return f"{self.kind}-{self.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def same_period_last_year(self) -> Period:
        """The same kind/number one year earlier (ad hoc: both dates one year back, 29/02 → 28/02)."""
        if self.kind == "dotxuat":
            return Period("dotxuat", self.year - 1, None, _year_back(self.start), _year_back(self.end), self.rules)
        return _build(self.kind, self.year - 1, self.number, self.rules)


def _year_back(d: dt.date) -> dt.date:
    if d.month == 2 and d.day == 29:
        return dt.date(d.year - 1, 2, 28)
    return d.replace(year=d.year - 1)


def _bounds(kind: str, year: int, number: int | None, rules: str) -> tuple[dt.date, dt.date]:
    """Start and end of a periodic report (inputs already validated)."""
    if rules == "nd09":
        if kind == "thang":
            first_month = last_month = number
        elif kind == "quy":
            first_month, last_month = 3 * number - 2, 3 * number
        else:
            first_month, last_month = 1, {"6thang": 6, "9thang": 9, "nam": 12}[kind]
        # From the 15th of the month before the first month, to the 14th of the last one.
        if first_month == 1:
            start = dt.date(year - 1, 12, 15)
        else:
            start = dt.date(year, first_month - 1, 15)
        return start, dt.date(year, last_month, 14)
    if kind == "thang":
        return dt.date(year, number, 1), _month_end(year, number)
    if kind == "quy":
        return dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number)
    last_month = {"6thang": 6, "9thang": 9, "nam": 12}[kind]
    return dt.date(year, 1, 1), _month_end(year, last_month)


def _build(kind: str, year: int, number: int | None, rules: str) -> Period:
    start, end = _bounds(kind, year, number, rules)
    return Period(kind, year, number, start, end, rules)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_rules(rules: str) -> None:
    if rules not in RULES:
        raise UserError(
            f"Cách tính kỳ báo cáo “{rules}” không hợp lệ. Hãy chọn "
            f"“{RULE_LABELS['nd09']}” hoặc “{RULE_LABELS['calendar']}”."
        )


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        choices = ", ".join(KIND_LABELS[k] for k in KINDS)
        raise UserError(f"Loại kỳ báo cáo “{kind}” không hợp lệ. Hãy chọn một trong: {choices}.")


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value  # type: ignore[return-value]


def period_for(
    kind: str,
    year: int,
    *,
    number: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    rules: str = "nd09",
) -> Period:
    """The report period of ``kind`` for ``year``; raises ``UserError`` (Vietnamese) for bad input.

    ``number`` is the month (1-12) for "thang" or the quarter (1-4) for "quy" and is
    ignored for other kinds. ``start``/``end`` are required for "dotxuat" and ignored
    otherwise; for "dotxuat" ``year`` is the reporting year the caller chose (usually
    ``end.year``) and the rules do not change the dates.
    """
    _check_kind(kind)
    _check_rules(rules)
    if not _is_int(year) or not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(f"Năm báo cáo phải từ {MIN_YEAR} đến {MAX_YEAR} (đang là “{year}”).")
    if kind == "dotxuat":
        if start is None or end is None:
            raise UserError("Báo cáo đột xuất cần có cả “Từ ngày” và “Đến ngày”.")
        start, end = _as_date(start), _as_date(end)
        if end < start:
            raise UserError(
                f"“Đến ngày” ({format_date(end)}) không được trước “Từ ngày” ({format_date(start)}). Hãy nhập lại khoảng thời gian."
            )
        return Period("dotxuat", year, None, start, end, rules)
    if kind == "thang":
        if number is None:
            raise UserError("Hãy chọn tháng báo cáo (từ 1 đến 12).")
        if not _is_int(number) or not 1 <= number <= 12:
            raise UserError(f"Tháng báo cáo phải từ 1 đến 12 (đang là “{number}”).")
    elif kind == "quy":
        if number is None:
            raise UserError("Hãy chọn quý báo cáo (I, II, III hoặc IV).")
        if not _is_int(number) or not 1 <= number <= 4:
            raise UserError(f"Quý báo cáo phải từ 1 đến 4 (I đến IV) (đang là “{number}”).")
    else:
        number = None
    return _build(kind, year, number, rules)


# ---------------------------------------------------------------------------
# Due dates
# ---------------------------------------------------------------------------

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*$")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _due_from_spec(period: Period, spec: str) -> dt.date:
    kind = period.kind
    text = str(spec)
    name = KIND_LABELS[kind].lower()
    if kind in ("thang", "quy"):
        m = _NUMBER.match(text)
        day = int(m.group(1)) if m else 0
        if not 1 <= day <= 31:
            raise UserError(
                f"Hạn nộp báo cáo {name} “{text.strip()}” không hợp lệ. "
                "Hãy nhập ngày trong tháng, từ 1 đến 31, ví dụ 20."
            )
        # The first day-of-month ``day`` after the period's end (clamped to short months).
        end = period.end
        candidate = _clamped(end.year, end.month, day)
        if candidate <= end:
            y, mo = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
            candidate = _clamped(y, mo, day)
        return candidate
    if kind == "dotxuat":
        m = _NUMBER.match(text)
        if not m:
            raise UserError(
                f"Hạn nộp báo cáo đột xuất “{text.strip()}” không hợp lệ. "
                "Hãy nhập số ngày sau ngày kết thúc, ví dụ 5."
            )
        return period.end + dt.timedelta(days=int(m.group(1)))
    m = _DAY_MONTH.match(text)
    ok = False
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        # Any day that exists in some year (29/02 included; clamped in other years).
        ok = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]
    if not ok:
        raise UserError(
            f"Hạn nộp báo cáo {name} “{text.strip()}” không hợp lệ. Hãy nhập ngày/tháng, ví dụ 01/06."
        )
    return _clamped(period.year, month, day)


def due_date(period: Period, overrides: dict[str, str] | None = None) -> dt.date:
    """When the report for ``period`` is due.

    ``overrides`` maps a kind to a due-date spec in the formats of ``DEFAULT_DUE``
    ("20" for thang/quy, "01/06" for 6thang/9thang/nam, "5" days for dotxuat);
    kinds missing from it, or with an empty value, use ``DEFAULT_DUE[period.rules]``.
    A malformed override raises ``UserError``.
    """
    spec = (overrides or {}).get(period.kind)
    if spec is None or not str(spec).strip():
        spec = DEFAULT_DUE[period.rules][period.kind]
    return _due_from_spec(period, spec)


# ---------------------------------------------------------------------------
# What is current, what is due next
# ---------------------------------------------------------------------------


def _periods_around(kind: str, year: int, rules: str) -> list[Period]:
    """All periods of ``kind`` for ``year``, in order."""
    if kind == "thang":
        return [_build(kind, year, n, rules) for n in range(1, 13)]
    if kind == "quy":
        return [_build(kind, year, n, rules) for n in range(1, 5)]
    return [_build(kind, year, None, rules)]


def current_period(kind: str, today: dt.date, rules: str = "nd09") -> Period:
    """The period of ``kind`` that contains ``today``.

    Under nd09 a day from 15/12 on belongs to next year's periods (e.g. 20/12/2025 is in
    tháng 1 năm 2026). For 6thang/9thang, when today lies after this year's period (and
    not in next year's), this year's period is returned. "dotxuat" has no current period.
    """
    _check_kind(kind)
    _check_rules(rules)
    if kind == "dotxuat":
        raise UserError("Báo cáo đột xuất không có kỳ cố định: hãy nhập “Từ ngày” và “Đến ngày”.")
    for year in (today.year, today.year + 1):
        for p in _periods_around(kind, year, rules):
            if p.contains(today):
                return p
    # Only 6thang/9thang leave gaps in the year.
    return _build(kind, today.year, None, rules)


def upcoming(
    today: dt.date,
    rules: str = "nd09",
    overrides: dict[str, str] | None = None,
    horizon_days: int = 120,
) -> list[tuple[Period, dt.date, int]]:
    """The next report of each periodic kind due on or after ``today`` within ``horizon_days``.

    Returns ``(period, due date, days left)`` sorted by due date (then by kind order);
    days left is 0 when the report is due today. Ad-hoc reports are not included.
    """
    _check_rules(rules)
    limit = today + dt.timedelta(days=horizon_days)
    found: list[tuple[Period, dt.date, int]] = []
    for kind in PERIODIC_KINDS:
        for year in (today.year - 1, today.year, today.year + 1, today.year + 2):
            hit = None
            for p in _periods_around(kind, year, rules):
                due = due_date(p, overrides)
                if due >= today:
                    hit = (p, due)
                    break
            if hit:
                break
        if hit and hit[1] <= limit:
            p, due = hit
            found.append((p, due, (due - today).days))
    order = {k: i for i, k in enumerate(KINDS)}
    found.sort(key=lambda item: (item[1], order[item[0].kind]))
    return found
