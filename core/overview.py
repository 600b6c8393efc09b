"""The figures of the home screen ("Tổng quan"): activities per month and per form for a year
beside the year before, and each subordinate unit's activities in the current report period.

Two SQL statements compute everything, each a set of index range counts (no sorting):

- per form × date range: for every form code present and every month of the year and of
  the year before (the month holding each year's cut-off day — today, and today a year
  back — is split there), a ``count(*)`` over ``activities_by_form (form_code, date_from)``.
  Summing by month gives the month chart (whole months); summing by form the ranges up to
  the cut-offs gives the form chart: this year so far beside the same period last year
  ("cùng kỳ"), so an activity dated ahead does not skew the comparison;
- per unit: ``count(*) … GROUP BY unit_id`` over ``activities_by_unit (unit_id, date_from)``
  for the units under the officer's unit (ActivityFilter's own unit-tree condition).

``repository.stats(by="month"|"form"|"unit")`` gives the same numbers (a test checks it) but
groups through a temporary B-tree: on 1,000,000 activities it takes 0.44 s for one year by
month and 0.42 s by form, where the counts above take about 0.11 s for both years and both
groupings together.

Cache: results are kept per database file, year, day, report period, unit tree and a cheap
data version, ``(max(id), count and sum of the ids in the trash)`` — the rowid's last entry
and the small trash index, well under a millisecond — which changes when activities are
added (from any connection: the import wizard's worker, the command line), deleted to the
trash, restored or purged.
An edit of an existing activity (new date, form or unit) changes neither: whoever saves
one calls ``invalidate()``. ``(max(updated_at), count(*))`` would see edits too, but
``updated_at`` has no index: on 1,000,000 activities it reads the whole table (0.54 s, and
0.17 s for the count), more than computing the overview itself; ``PRAGMA data_version``
does not change for the connection's own writes, which is how the window saves.
Labels (forms, unit names) are read afresh on every call, so a renamed form shows at once.

No Qt here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

import sqlite_utils

from core import periods, settings, units
from core.activities.filters import ActivityFilter
from core.errors import NotFoundError


@dataclass(frozen=True)
class MonthCount:
    month: int  # 1-12
    this_year: int
    last_year: int  # the whole month, a year before


@dataclass(frozen=True)
class FormCount:
    code: str
    label: str
    this_year: int  # 1/1 to ``Overview.this_year_through``
    last_year: int  # the same period a year before: 1/1 to ``Overview.last_year_through``


@dataclass(frozen=True)
class UnitCount:
    unit_id: str
    name: str
    count: int  # the unit and every unit below it, in the report period


@dataclass(frozen=True)
class Overview:
    year: int
    today: dt.date
    by_month: tuple[MonthCount, ...]  # 12, January first
    by_form: tuple[FormCount, ...]  # forms with activities in either period, most used this year first
    this_year_through: dt.date  # today (31/12 for a past year): forms and totals count up to it
    last_year_through: dt.date  # the same day a year before: end of "the same period last year"
    unit: units.Unit | None  # the officer's unit (profile)
    period: periods.Period | None  # the current report period (for the subordinates)
    own_count: int  # activities of the officer's unit itself in the period
    subordinates: tuple[UnitCount, ...]  # the units directly below it, in name order

    @property
    def total_this_year(self) -> int:
        """Activities from 1/1 to ``this_year_through``."""
        return sum(f.this_year for f in self.by_form)

    @property
    def total_last_year_same_period(self) -> int:
        return sum(f.last_year for f in self.by_form)

    def month_filter(self, month: int, *, last_year: bool = False) -> ActivityFilter:
        year = self.year - 1 if last_year else self.year
        return ActivityFilter(date_from=dt.date(year, month, 1), date_to=_month_end(year, month))

    def form_filter(self, code: str, *, last_year: bool = False) -> ActivityFilter:
        if last_year:
            return ActivityFilter(date_from=dt.date(self.year - 1, 1, 1), date_to=self.last_year_through,
                                  form_codes=(code,))  # fmt: skip
        return ActivityFilter(date_from=dt.date(self.year, 1, 1), date_to=self.this_year_through,
                              form_codes=(code,))  # fmt: skip

    def unit_filter(self, unit_id: str) -> ActivityFilter:
        """A subordinate (with the units below it) over the report period."""
        return ActivityFilter(date_from=self.period.start, date_to=self.period.end, unit_id=unit_id)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _year_back(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


def year_to_date_end(year: int, today: dt.date) -> dt.date:
    """The last day counted "so far" in ``year``: today while it runs, 31/12 once it is over
    (1/1 before it begins)."""
    return min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def same_period_end(year: int, today: dt.date) -> dt.date:
    """Last day of "the same period last year" (cùng kỳ): ``year_to_date_end`` a year back."""
    return _year_back(year_to_date_end(year, today))


def current_report_period(today: dt.date, rules: str = "nd09") -> periods.Period:
    """The 6-month report period holding today, else the annual one.

    Under NĐ 09/2019: 15/12 of the previous year – 14/6, then 15/12 – 14/12 (from
    15/12 on, next year's 6 months); calendar rules: 1/1–30/6, then 1/1–31/12.
    """
    half = periods.current_period("6thang", today, rules)
    return half if half.contains(today) else periods.current_period("nam", today, rules)


# --- the two statements ---------------------------------------------------------------

# Every form code present (also one missing from the taxonomy), one index seek each.
_FORMS_PRESENT = """
    WITH RECURSIVE f(code) AS (
        SELECT (SELECT min(form_code) FROM activities WHERE deleted_at IS NULL)
        UNION ALL
        SELECT (SELECT min(form_code) FROM activities WHERE deleted_at IS NULL AND form_code > f.code)
        FROM f WHERE f.code IS NOT NULL
    )
    SELECT code FROM f WHERE code IS NOT NULL
"""


def _ranges(year: int, this_through: dt.date, last_through: dt.date) -> list[tuple[int, dt.date, dt.date, bool]]:
    """(month index 0-23, start, end, up to the cut-off): this year's months (0-11), then last
    year's (12-23); the month holding its year's cut-off day is split there."""
    found = []
    for index, (y, m) in enumerate([(year, m) for m in range(1, 13)] + [(year - 1, m) for m in range(1, 13)]):
        start, end = dt.date(y, m, 1), _month_end(y, m)
        cut = this_through if y == year else last_through
        if end <= cut or start > cut:
            found.append((index, start, end, end <= cut))
        else:
            found.append((index, start, cut, True))
            found.append((index, cut + dt.timedelta(days=1), end, False))
    return found


def _form_month_counts(db: sqlite_utils.Database, year: int, this_through: dt.date,
                       last_through: dt.date) -> list[tuple[str, int, bool, int]]:  # fmt: skip
    """(form code, month index 0-23, up to the cut-off, count) for every form × range."""
    ranges = _ranges(year, this_through, last_through)
    values = ", ".join("(?, ?, ?, ?)" for _ in ranges)
    params = [v for i, s, e, same in ranges for v in (i, s.isoformat(), e.isoformat(), int(same))]
    sql = f"""
        WITH r(i, s, e, same) AS (VALUES {values}), f(code) AS ({_FORMS_PRESENT})
        SELECT f.code, r.i, r.same,
               (SELECT count(*) FROM activities a INDEXED BY activities_by_form
                 WHERE a.deleted_at IS NULL AND a.form_code = f.code AND a.date_from >= r.s AND a.date_from <= r.e)
        FROM f, r
    """
    return [(code, i, bool(same), n) for code, i, same, n in db.execute(sql, params)]


def _unit_counts(db: sqlite_utils.Database, unit_id: str, period: periods.Period) -> dict[str, int]:
    """Activities per unit id in the period, for the unit and every unit below it."""
    where, params = ActivityFilter(date_from=period.start, date_to=period.end, unit_id=unit_id).where()
    rows = db.execute(f"SELECT a.unit_id, count(*) FROM activities a INDEXED BY activities_by_unit"
                      f" WHERE {where} GROUP BY a.unit_id", params)  # fmt: skip
    return dict(rows.fetchall())


# --- the cache ------------------------------------------------------------------------

_CACHE_SIZE = 8
_cache: OrderedDict[tuple, tuple] = OrderedDict()
_lock = threading.Lock()
_generation = 0


def invalidate() -> None:
    """Forget every cached figure: call it after saving a change to existing activities."""
    global _generation
    with _lock:
        _generation += 1
        _cache.clear()


def data_version(db: sqlite_utils.Database) -> tuple[int, int, int]:
    """(highest activity id, how many activities are in the trash, the sum of their ids): the
    rowid's last entry and the trash's own index, so it costs next to nothing."""
    return tuple(db.execute(
        "SELECT coalesce(max(id), 0), (SELECT count(*) FROM activities WHERE deleted_at IS NOT NULL),"
        " (SELECT coalesce(sum(id), 0) FROM activities WHERE deleted_at IS NOT NULL) FROM activities"
    ).fetchone())  # fmt: skip


def _database_key(db: sqlite_utils.Database) -> str:
    path = next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")
    return path or f":memory:{id(db.conn)}"


# --- the overview ---------------------------------------------------------------------


def overview(db: sqlite_utils.Database, year: int, today: dt.date | None = None, *,
             use_cache: bool = True) -> Overview:  # fmt: skip
    """The home screen's figures for ``year`` (see the module's docstring)."""
    today = today or dt.date.today()
    this_through, last_through = year_to_date_end(year, today), same_period_end(year, today)
    profile = settings.load_profile(db)
    unit = None
    if profile and profile.unit_id:
        try:
            unit = units.get_unit(db, profile.unit_id)
        except NotFoundError:
            unit = None
    every_unit = units.all_units(db)
    children = [u for u in every_unit if unit and u.parent_id == unit.id]
    period = current_report_period(today, settings.get(db, "report_rules", "nd09") or "nd09") if unit else None
    tree = tuple(sorted(units.subtree_ids(db, unit.id))) if children else ()

    key = (_database_key(db), year, today, period and (period.start, period.end), tree, data_version(db))
    with _lock:
        generation = _generation
        cached = _cache.get(key) if use_cache else None
        if cached is not None:
            _cache.move_to_end(key)
    if cached is None:
        cached = (_form_month_counts(db, year, this_through, last_through), _unit_counts(db, unit.id, period) if children else {})
        with _lock:
            if use_cache and generation == _generation:  # not invalidated meanwhile
                _cache[key] = cached
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
    form_months, per_unit = cached

    months_this, months_last = [0] * 12, [0] * 12
    this_by_form: dict[str, int] = {}
    last_by_form: dict[str, int] = {}
    for code, index, to_date, count in form_months:
        months, by_form = (months_this, this_by_form) if index < 12 else (months_last, last_by_form)
        months[index % 12] += count
        if to_date:
            by_form[code] = by_form.get(code, 0) + count
    labels = {code: (label, order) for code, label, order in
              db.execute("SELECT code, label, sort_order FROM taxonomy WHERE kind = 'form'")}  # fmt: skip
    forms = [FormCount(code, labels.get(code, (code, 0))[0], this_by_form.get(code, 0), last_by_form.get(code, 0))
             for code in {*this_by_form, *last_by_form} if this_by_form.get(code) or last_by_form.get(code)]  # fmt: skip
    forms.sort(key=lambda f: (-f.this_year, -f.last_year, labels.get(f.code, ("", 999))[1], f.code))

    subordinates = []
    if children:
        parent_of = {u.id: u.parent_id for u in every_unit}

        def child_of(unit_id: str) -> str | None:  # the direct child of ``unit`` above unit_id
            seen = set()
            while unit_id is not None and unit_id not in seen:
                seen.add(unit_id)
                if parent_of.get(unit_id) == unit.id:
                    return unit_id
                unit_id = parent_of.get(unit_id)
            return None

        totals = {c.id: 0 for c in children}
        for unit_id, count in per_unit.items():
            child = child_of(unit_id)
            if child in totals:
                totals[child] += count
        subordinates = [UnitCount(c.id, c.name, totals[c.id]) for c in children]  # all_units: name order
    return Overview(
        year=year, today=today,
        by_month=tuple(MonthCount(m + 1, months_this[m], months_last[m]) for m in range(12)),
        by_form=tuple(forms), this_year_through=this_through, last_year_through=last_through, unit=unit, period=period,
        own_count=per_unit.get(unit.id, 0) if unit else 0, subordinates=tuple(subordinates),
    )  # fmt: skip
