"""Where each target stands: planned, achieved, % achieved, same period last year, behind or not.

For a period of the target's year (a month, quarter, 6 months… or the whole year):

- ``achieved`` is what was done in the period (log and linked targets) or the last
  value entered on or before the period's end (manual targets: a level, such as a %);
- ``year_to_date`` is the same from 1 January to the end of the period, and decides
  ``behind``: a target is behind when its year-to-date share of the plan is below the
  share of the year elapsed (at the period's end, or today if that is earlier);
- ``last_year`` is the same figure for the same period a year before (for a manual
  target: the value of the same target copied from last year, if there is one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from core.activities import repository
from core.activities.filters import ActivityFilter
from core.plans import Target, targets_for_year


@dataclass
class Achievement:
    target: Target
    planned: float
    achieved: float | None  # None: a manual target with no value yet
    year_to_date: float | None
    percent: float | None  # year to date, of the plan
    last_year: float | None
    expected_percent: float  # share of the year elapsed, in %
    behind: bool


def _filter(target: Target, start: dt.date, end: dt.date) -> ActivityFilter:
    return ActivityFilter(date_from=start, date_to=end, form_codes=tuple(target.form_codes),
                          topic_codes=tuple(target.topic_codes), unit_ids=tuple(target.unit_ids))  # fmt: skip


def _measured(db: sqlite_utils.Database, target: Target, start: dt.date, end: dt.date) -> float:
    if target.source == "linked":
        column = "1" if target.measure == "count" else f"coalesce(a.{target.measure}, 0)"
        row = db.execute(
            f"SELECT coalesce(sum({column}), 0) FROM activities a JOIN activity_targets l ON l.activity_id = a.id"
            " WHERE l.target_id = ? AND a.deleted_at IS NULL AND a.date_from BETWEEN ? AND ?",
            [target.id, start.isoformat(), end.isoformat()],
        ).fetchone()  # fmt: skip
        return row[0]
    totals = repository.totals(db, _filter(target, start, end))
    return getattr(totals, target.measure)


def _manual(db: sqlite_utils.Database, target_id: int, end: dt.date) -> float | None:
    row = db.execute(
        "SELECT value FROM target_values WHERE target_id = ? AND as_of <= ? ORDER BY as_of DESC, id DESC LIMIT 1",
        [target_id, end.isoformat()],
    ).fetchone()
    return None if row is None else row[0]


def _last_years_target(db: sqlite_utils.Database, target: Target) -> int | None:
    row = db.execute("SELECT id FROM targets WHERE series = ? AND year = ?", [target.series, target.year - 1]).fetchone()
    return row[0] if row else None


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year - 1, day=28)


def elapsed_percent(year: int, at: dt.date) -> float:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if at < start:
        return 0.0
    if at >= end:
        return 100.0
    return ((at - start).days + 1) * 100 / ((end - start).days + 1)


def achievement(db: sqlite_utils.Database, target: Target, start: dt.date, end: dt.date, *,
                today: dt.date | None = None) -> Achievement:  # fmt: skip
    today = today or dt.date.today()
    year_start = dt.date(target.year, 1, 1)
    last_start, last_end = _shift_year(start), _shift_year(end)
    if target.source == "manual":
        achieved = year_to_date = _manual(db, target.id, end)
        previous = _last_years_target(db, target)
        last_year = _manual(db, previous, last_end) if previous else None
    else:
        achieved = _measured(db, target, start, end)
        year_to_date = achieved if start <= year_start else _measured(db, target, year_start, end)
        last_year = _measured(db, target, last_start, last_end)
    percent = None if year_to_date is None else year_to_date * 100 / target.planned
    expected = elapsed_percent(target.year, min(end, today))
    behind = percent is not None and percent + 1e-9 < min(expected, 100.0)
    return Achievement(target, target.planned, achieved, year_to_date, percent, last_year, expected, behind)


def achievements(db: sqlite_utils.Database, year: int, start: dt.date | None = None, end: dt.date | None = None,
                 *, today: dt.date | None = None) -> list[Achievement]:  # fmt: skip
    """Every active plan's targets for ``year``, measured over start–end (default: the whole year)."""
    start = start or dt.date(year, 1, 1)
    end = end or dt.date(year, 12, 31)
    return [achievement(db, target, start, end, today=today) for target in targets_for_year(db, year)]
