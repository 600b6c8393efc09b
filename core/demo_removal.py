"""Xóa dữ liệu mẫu: what the demo made goes in one transaction, the officer's own data stays.

The demo's activities carry origin "demo"; the units and plan it created are listed
under the setting core.demo.DEMO_KEY. A demo unit is kept if anything of the officer's
refers to it (an activity typed for it, a package received from it); reports of demo
units are demo reports and go.
When the profile's unit goes, so does the profile: the next start asks for the unit again.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from core import history, settings
from core.activities.model import ORIGIN_DEMO
from core.demo import DEMO_KEY


@dataclass(frozen=True)
class DemoData:
    activities: int
    units: int
    plans: int

    @property
    def any(self) -> bool:
        return bool(self.activities or self.units or self.plans)


def has_demo(db: sqlite_utils.Database) -> bool:
    """Whether demo data was made here and not removed (one settings lookup: asked at every start)."""
    return settings.get(db, DEMO_KEY) is not None


def demo_data(db: sqlite_utils.Database) -> DemoData:
    """How much demo data the database holds now (counts a million rows in a few tenths of a second)."""
    marks = settings.get(db, DEMO_KEY) or {}
    count = db.execute("SELECT count(*) FROM activities WHERE origin = ?", [ORIGIN_DEMO]).fetchone()[0]
    units = _existing(db, "units", "id", marks.get("units", []))
    plans = _existing(db, "plans", "uuid", marks.get("plans", []))
    return DemoData(count, len(units), len(plans))


def _existing(db, table: str, column: str, keys: list[str]) -> list[str]:
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return [r[0] for r in db.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", keys)]


def remove_demo(db: sqlite_utils.Database) -> DemoData:
    """Delete the demo data (activities, and the units and plan it created when nothing else uses them);
    returns what was removed. The profile goes with its unit."""
    from core.activities.evidence import forget_unused_files

    marks = settings.get(db, DEMO_KEY) or {}
    with db.atomic():
        activities = db.execute("DELETE FROM activities WHERE origin = ?", [ORIGIN_DEMO]).rowcount
        plans = _existing(db, "plans", "uuid", marks.get("plans", []))
        for uuid in plans:
            db.execute("DELETE FROM plans WHERE uuid = ?", [uuid])  # its targets and values go with it
        units = _existing(db, "units", "id", marks.get("units", []))
        for unit_id in units:  # reports drafted while trying the demo are demo too
            db.execute("DELETE FROM reports WHERE unit_id = ?", [unit_id])
        removed_units = _remove_units(db, units)
        profile = settings.load_profile(db)
        if profile is not None and profile.unit_id in removed_units:
            db.execute("DELETE FROM settings WHERE key = 'profile'")
        db.execute("DELETE FROM settings WHERE key = ?", [DEMO_KEY])
        history.record(db, "remove_demo", [(None, {"activities": activities, "units": len(removed_units),
                                                   "plans": len(plans)})])  # fmt: skip
    forget_unused_files(db)
    return DemoData(activities, len(removed_units), len(plans))


def _remove_units(db: sqlite_utils.Database, candidates: list[str]) -> set[str]:
    """Delete the demo units nothing else uses, children before their parent."""
    removed: set[str] = set()
    pending = set(candidates)
    while pending:
        done_now = set()
        for unit_id in pending:
            if _in_use(db, unit_id):
                continue
            db.execute("DELETE FROM unit_aliases WHERE unit_id = ?", [unit_id])
            db.execute("DELETE FROM units WHERE id = ?", [unit_id])
            done_now.add(unit_id)
        if not done_now:
            break  # the rest are used by the officer's own data: kept
        removed |= done_now
        pending -= done_now
    return removed


def _in_use(db: sqlite_utils.Database, unit_id: str) -> bool:
    checks = ("SELECT 1 FROM activities WHERE unit_id = ?", "SELECT 1 FROM units WHERE parent_id = ?",
              "SELECT 1 FROM reports WHERE unit_id = ?", "SELECT 1 FROM received_packages WHERE unit_id = ?",
              "SELECT 1 FROM plans WHERE unit_id = ?", "SELECT 1 FROM unit_aliases WHERE maps_to = ?")  # fmt: skip
    return any(db.execute(f"{sql} LIMIT 1", [unit_id]).fetchone() for sql in checks)
