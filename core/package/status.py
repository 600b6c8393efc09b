"""Who has reported: for a period, which units directly below mine sent their package, and when.

A unit has sent ("Đã nộp") when a package of that period from it was merged here;
"Nộp muộn" when it arrived after the due date (core/periods.due_date, with the
officer's own due dates from the settings); "Chưa nộp" when none has come.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlite_utils

from core import periods, settings, units

SENT, LATE, MISSING = "sent", "late", "missing"
LABELS = {SENT: "Đã nộp", LATE: "Nộp muộn", MISSING: "Chưa nộp"}


@dataclass
class UnitStatus:
    unit: units.Unit
    state: str  # SENT, LATE or MISSING
    received_at: str | None = None  # when the latest package of the period was merged here (UTC ISO)
    created_at: str | None = None  # when the unit wrote it
    file_name: str = ""
    report_status: str = ""  # "final" when the unit's report was finalised before sending

    @property
    def label(self) -> str:
        return LABELS[self.state]


def _received_on(stamp: str) -> dt.date:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().date()


def period_status(db: sqlite_utils.Database, period: periods.Period) -> tuple[dt.date, list[UnitStatus]]:
    """(the due date, one status per unit directly below mine, in the units' order)."""
    me = units.own_unit(db, "xem đơn vị nào đã nộp dữ liệu")
    due = periods.due_date(period, settings.get(db, "report_due", {}) or {})
    children = [u for u in units.all_units(db) if u.parent_id == me.id]
    latest: dict[str, tuple] = {}
    for unit_id, received, created, name, report in db.execute(
        "SELECT unit_id, received_at, created_at, file_name, report FROM received_packages"
        " WHERE period_kind = ? AND period_year = ? AND coalesce(period_number, 0) = ? AND period_start = ?"
        " AND period_end = ? ORDER BY received_at", [period.kind, period.year, period.number or 0,
                                                      period.start.isoformat(), period.end.isoformat()]):  # fmt: skip
        latest.setdefault(unit_id, (received, created, name, report))  # the first arrival decides on time
    statuses = []
    for unit in children:
        found = latest.get(unit.id)
        if found is None:
            statuses.append(UnitStatus(unit, MISSING))
            continue
        received, created, name, report = found
        state = SENT if _received_on(received) <= due else LATE
        statuses.append(UnitStatus(unit, state, received, created, name, json.loads(report or "{}").get("status", "")))
    return due, statuses
