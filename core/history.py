"""History: every change to an activity — who (the officer's name from the profile), when, which
fields, old and new values — so that an officer can prove what was reported and who changed what.

Written inside the same transaction as the change itself (core/activities/service.py calls
``record``); a whole Excel import or package merge is one line with its counts.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass

import sqlite_utils

from core import settings
from core.activities.model import FIELD_LABELS
from core.clock import now_iso

ACTION_LABELS = {"create": "Thêm", "update": "Sửa", "delete": "Xóa (vào thùng rác)", "restore": "Lấy lại từ thùng rác",
                 "purge": "Xóa hẳn", "import": "Nhập từ Excel", "merge": "Nhận dữ liệu", "remove_demo": "Xóa dữ liệu mẫu",
                 "report_update": "Sửa", "report_final": "Chốt", "report_reopen": "Mở lại"}  # fmt: skip
COALESCE_MINUTES = 15  # a report is saved as the officer types: one line per sitting, not per keystroke


@dataclass(frozen=True)
class Entry:
    at: str
    officer: str
    action: str
    changes: dict  # field -> [old, new]

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def new_batch() -> str:
    return uuidlib.uuid4().hex


def _officer(db: sqlite_utils.Database) -> str:
    profile = settings.load_profile(db)
    return profile.officer_name if profile else ""


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return sorted(_plain(v) for v in value)
    return value


def changes_between(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields of FIELD_LABELS whose value differs."""
    changed = {}
    for name in FIELD_LABELS:
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if (old or None) != (new or None):
            changed[name] = [old, new]
    return changed


def record(db: sqlite_utils.Database, action: str, rows: list[tuple[str | None, dict]], batch: str = "", *,
           officer: str | None = None) -> None:  # fmt: skip
    """One line per (activity uuid, changes) — call inside the change's own transaction. ``officer``: the
    officer's name when the caller has already read it (read from the profile otherwise)."""
    if not rows:
        return
    stamp, officer = now_iso(), _officer(db) if officer is None else officer
    db.conn.executemany(
        "INSERT INTO history(at, officer, action, activity_uuid, batch, changes) VALUES (?, ?, ?, ?, ?, ?)",
        [(stamp, officer, action, uuid, batch, json.dumps(changes, ensure_ascii=False)) for uuid, changes in rows],
    )


def of_subject(db: sqlite_utils.Database, uuid: str, *, last: int | None = None) -> list[Entry]:
    """The history of an activity or a report (by its uuid), oldest first; only the ``last`` lines if given."""
    rows = db.execute("SELECT at, officer, action, changes FROM history WHERE activity_uuid = ? ORDER BY id DESC"
                      + (f" LIMIT {int(last)}" if last is not None else ""), [uuid]).fetchall()  # fmt: skip
    return [Entry(at, officer, action, json.loads(changes)) for at, officer, action, changes in reversed(rows)]


def record_edit(db: sqlite_utils.Database, action: str, uuid: str, changes: dict) -> None:
    """An edit of something saved as it is typed (a report): folded into the officer's last line of the
    same kind when it is recent, keeping each field's first old value and its latest new value."""
    if not changes:
        return
    officer = _officer(db)
    last = db.execute("SELECT id, at, officer, action, changes FROM history WHERE activity_uuid = ?"
                      " ORDER BY id DESC LIMIT 1", [uuid]).fetchone()  # fmt: skip
    if last and last[2] == officer and last[3] == action:
        then = dt.datetime.fromisoformat(last[1].replace("Z", "+00:00"))
        if dt.datetime.now(dt.timezone.utc) - then <= dt.timedelta(minutes=COALESCE_MINUTES):
            merged = json.loads(last[4])
            for name, (old, new) in changes.items():
                merged[name] = [merged[name][0] if name in merged else old, new]
            merged = {name: pair for name, pair in merged.items() if pair[0] != pair[1]}
            db.execute("UPDATE history SET at = ?, changes = ? WHERE id = ?",
                       [now_iso(), json.dumps(merged, ensure_ascii=False), last[0]])  # fmt: skip
            return
    record(db, action, [(uuid, changes)], officer=officer)
