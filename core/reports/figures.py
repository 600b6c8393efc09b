"""The figures a report is drafted from: this period and the same period last year."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import sqlite_utils

from core import taxonomy, units
from core.activities import repository
from core.activities.filters import ActivityFilter
from core.activities.repository import Totals


@dataclass
class FormFigures:
    code: str
    label: str
    counted_unit: str
    now: Totals
    last_year: Totals


@dataclass
class Figures:
    """Everything counted for one report: by form, by subordinate unit, by funding, in total."""

    start: str  # ISO dates of this period and the same period last year
    end: str
    last_start: str
    last_end: str
    total: Totals
    total_last_year: Totals
    forms: list[FormFigures]
    units: list[tuple[str, Totals]] = field(default_factory=list)  # (name, totals) per direct subordinate, with its own subordinates
    own: Totals = field(default_factory=Totals)  # the unit itself, without subordinates
    funding: list[tuple[str, int]] = field(default_factory=list)  # (label, cost)
    security: Totals = field(default_factory=Totals)  # activities on an toàn thông tin mạng
    targets: list[dict] = field(default_factory=list)  # the year's targets: see target_figures()

    def to_json(self) -> dict:
        return asdict(self)


def add_totals(parts) -> Totals:
    parts = list(parts)
    return Totals(*(sum(getattr(t, name) for t in parts) for name in Totals.__dataclass_fields__))


def _filter(unit_id: str | None, start, end, **extra) -> ActivityFilter:
    return ActivityFilter(date_from=start, date_to=end, unit_id=unit_id, **extra)


def compute(db: sqlite_utils.Database, *, unit_id: str | None, period, security_topic: str) -> Figures:
    """Figures of ``period`` (a core.periods.Period) for ``unit_id`` and the units below it."""
    last = period.same_period_last_year()
    now_f = _filter(unit_id, period.start, period.end)
    last_f = _filter(unit_id, last.start, last.end)
    now_by_form = {g.key: g.totals for g in repository.stats(db, now_f, by="form")}
    last_by_form = {g.key: g.totals for g in repository.stats(db, last_f, by="form")}
    forms = [
        FormFigures(t.code, t.label, t.counted_unit, now_by_form.get(t.code, Totals()),
                    last_by_form.get(t.code, Totals()))  # fmt: skip
        for t in taxonomy.terms(db, "form")
    ]
    children, own = [], Totals()
    if unit_id:  # one grouped query, added up per subtree: not one query per subordinate
        by_unit = {g.key: g.totals for g in repository.stats(db, now_f, by="unit")}
        everyone = units.all_units(db)
        below: dict[str | None, list] = {}
        for unit in everyone:
            below.setdefault(unit.parent_id, []).append(unit)

        def subtree_totals(top: str, seen: frozenset = frozenset()) -> Totals:
            seen = seen | {top}  # a damaged tree with a loop is added up once, not forever
            parts = [subtree_totals(u.id, seen) for u in below.get(top, []) if u.id not in seen]
            return add_totals([by_unit.get(top, Totals()), *parts])

        children = [(child.name, subtree_totals(child.id)) for child in below.get(unit_id, [])]
        own = by_unit.get(unit_id, Totals())
    funding = [
        (g.label, g.totals.cost)
        for g in repository.stats(db, now_f, by="funding")
        if g.totals.cost
    ]
    security = repository.totals(
        db, _filter(unit_id, period.start, period.end, topic_codes=(security_topic,))
    )
    return Figures(
        targets=target_figures(db, period),
        start=period.start.isoformat(), end=period.end.isoformat(),
        last_start=last.start.isoformat(), last_end=last.end.isoformat(),
        total=add_totals(now_by_form.values()), total_last_year=add_totals(last_by_form.values()),
        forms=forms, units=children, own=own, funding=funding, security=security,
    )  # fmt: skip


def target_figures(db: sqlite_utils.Database, period) -> list[dict]:
    """The targets of the year the period ends in, measured over the period (within that year)."""
    from core.achievement import achievements  # it needs core.activities, which needs nothing here

    year = period.end.year
    start, end = max(period.start, dt.date(year, 1, 1)), min(period.end, dt.date(year, 12, 31))
    return [{"name": a.target.name, "unit_kind": a.target.unit_kind, "unit_label": a.target.unit_label,
             "planned": a.planned, "achieved": a.achieved, "year_to_date": a.year_to_date, "percent": a.percent,
             "last_year": a.last_year, "expected_percent": a.expected_percent, "behind": a.behind}
            for a in achievements(db, year, start, end, today=end)]  # fmt: skip


def change_phrase(now: int, before: int, last_year: int) -> str:
    """", tăng 20% so với cùng kỳ năm 2024" / ", giảm 10% …" / ", bằng cùng kỳ năm 2024" / ""."""
    if not before:
        return ""
    if now == before:
        return f", bằng cùng kỳ năm {last_year}"
    percent = round(abs(now - before) * 100 / before)
    word = "tăng" if now > before else "giảm"
    return f", {word} {percent}% so với cùng kỳ năm {last_year}"


def change_cell(now: int, before: int) -> str:
    """The appendix's "Tăng/giảm" cell: "+20%", "-10%", "0%", or "" without last year's figure."""
    if not before:
        return ""
    percent = round((now - before) * 100 / before)
    return f"{percent:+d}%" if percent else "0%"
