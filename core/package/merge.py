"""Merging previewed packages (core/package/receive.py) into the database: all of them or none.

Evidence files and the senders' report files are copied into the data folder first
(by content hash, so a failed merge leaves only unused copies that are cleaned up);
then one transaction creates and renames units, inserts and updates activities with
their topics, evidence and targets, upserts plans and targets, and records each
package as received (which is what "who has reported" reads).
"""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core import history, units
from core.activities.bulk import bulk_load
from core.activities.model import SEARCHED
from core.activities.evidence import StoredFile, db_file, forget_files, stored_path
from core.backup import backup_before
from core.clock import now_iso
from core.db import checkpoint_later
from core.gc_pause import paused_gc
from core.overview import invalidate
from core.package.container import open_package
from core.package.receive import PackagePreview, ReceivePreview
from core.paths import received_dir
from core.progress import Progress
from core.text import fold, vi_sort_key

_COLUMNS = ("uuid", "date_from", "date_to", "unit_id", "form_code", "title", "content", "channel", "quantity",
            "duration_minutes", "participants", "cost", "funding_code", "link", "notes", "origin", "created_at",
            "updated_at", "deleted_at", "search_text", "title_key")  # fmt: skip


@dataclass
class ReceiveResult:
    packages: int
    new: int
    changed: int
    unchanged: int
    deleted: int
    conflicts: int
    backup: Path | None


def merge(db: sqlite_utils.Database, received: ReceivePreview, progress: Progress | None = None,
          *, backup: bool = True) -> ReceiveResult:  # fmt: skip
    """Write every package of ``received`` in one transaction; a failure or cancel writes nothing."""
    progress = progress or Progress()
    packages = [p for p in received.packages if not p.received_before or p.actions]
    copy = backup_before(db, "nhan-du-lieu") if backup and packages else None
    copied: list[StoredFile] = []  # evidence copied in for this merge
    with paused_gc():
        try:
            for package in packages:
                _copy_files(db, package, progress, copied)
            with checkpoint_later(db), db.atomic():
                adding = sum(1 for p in packages for a in p.actions.values() if a in ("new", "tombstone"))
                me = units.own_unit(db, "nhận dữ liệu").id
                with bulk_load(db, adding) as first_id:
                    next_id = first_id
                    for number, package in enumerate(packages):
                        progress.update(number, len(packages), f"Đang nhập dữ liệu của {package.unit_name}")
                        next_id = _merge_one(db, package, next_id, me)
        except BaseException:
            forget_files(db, copied)  # the copies a failed merge left behind
            raise
    invalidate()
    return ReceiveResult(len(received.packages), received.total("new"), received.total("changed"),
                         received.total("unchanged"), received.total("deleted"), received.total("conflicts"),
                         copy)  # fmt: skip


def _copy_files(db: sqlite_utils.Database, package: PackagePreview, progress: Progress,
                copied: list[StoredFile]) -> None:  # fmt: skip
    """The package's evidence files not here yet (noted in ``copied``) and its report files."""
    if not any(name.startswith(("evidence/", "report/")) for name in package.manifest["members"]):
        return  # nothing but records: no need to open the package again
    with open_package(package.path, verify=False) as opened:  # checked by the preview; extract checks again
        for activity in package.records.activities:  # also files sent later for activities already here
            if activity["deleted_at"] or package.actions.get(activity["uuid"]) == "deleted":
                continue
            for item in activity["evidence"]:
                target = stored_path(db, item["sha256"], item["file_name"])
                if opened.has(f"evidence/{item['sha256']}") and not target.exists():
                    progress.check()
                    opened.extract(f"evidence/{item['sha256']}", target)
                    copied.append(StoredFile(item["file_name"], item["sha256"], item["size"], new=True))
        report = package.records.report
        if report:
            folder = received_dir(db_file(db)) / package.sender
            for name in report["files"]:
                opened.extract(f"report/{name}", folder / name)


def _merge_one(db: sqlite_utils.Database, package: PackagePreview, next_id: int, me: str) -> int:
    stamp = now_iso()
    for unit in package.new_units:
        db.execute(
            "INSERT INTO units(id, name, level, parent_id, official_code, sort_key, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [unit["id"], unit["name"], unit["level"], unit["parent_id"], unit["official_code"],
             vi_sort_key(unit["name"]), stamp, unit["updated_at"]],
        )  # fmt: skip
    for unit in package.renamed_units:
        old = db.execute("SELECT name FROM units WHERE id = ?", [unit["id"]]).fetchone()[0]
        db.execute("INSERT INTO unit_name_history(unit_id, old_name, new_name, changed_at) VALUES (?, ?, ?, ?)",
                   [unit["id"], old, unit["name"], unit["updated_at"]])  # fmt: skip
        db.execute("UPDATE units SET name = ?, sort_key = ?, updated_at = ? WHERE id = ?",
                   [unit["name"], vi_sort_key(unit["name"]), unit["updated_at"], unit["id"]])  # fmt: skip
    targets = _merge_plans(db, package, me)
    inserts, updates, touched = [], [], []  # rows to insert, rows to update, (id here, activity) of both
    actions, text_keys, unit_map = package.actions, package.text_keys, package.unit_map
    same_units = all(here == there for here, there in unit_map.items())  # the usual case: no merged commune
    for activity in package.records.activities:
        action = actions.get(activity["uuid"])
        if action is None:
            continue
        keys = text_keys.get(activity["uuid"])
        if same_units and keys is not None:  # the fast way for 300,000 activities: two C-level tuple builds
            row = _ALL(activity) + keys
        else:
            row = _row(activity, unit_map, keys)
        if action in ("new", "tombstone"):
            inserts.append((next_id,) + row)
            touched.append((next_id, activity))
            next_id += 1
        else:
            local_id = db.execute("SELECT id FROM activities WHERE uuid = ?", [activity["uuid"]]).fetchone()[0]
            updates.append(row[1:] + (local_id,))
            touched.append((local_id, activity))
    db.conn.executemany(f"INSERT INTO activities(id, {', '.join(_COLUMNS)}) VALUES (?{', ?' * len(_COLUMNS)})",
                        inserts)  # fmt: skip
    db.conn.executemany(f"UPDATE activities SET {', '.join(f'{c} = ?' for c in _COLUMNS[1:])} WHERE id = ?",
                        updates)  # fmt: skip
    ids = [row[-1] for row in updates]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for table in ("activity_topics", "evidence", "activity_targets"):
            db.execute(f"DELETE FROM {table} WHERE activity_id IN ({marks})", chunk)
    db.conn.executemany("INSERT INTO activity_topics(activity_id, topic_code) VALUES (?, ?)",
                        [(i, code) for i, a in touched for code in a["topics"]])  # fmt: skip
    db.conn.executemany("INSERT INTO evidence(activity_id, file_name, sha256, size, added_at) VALUES (?, ?, ?, ?, ?)",
                        [(i, e["file_name"], e["sha256"], e["size"], stamp) for i, a in touched
                         for e in a["evidence"]])  # fmt: skip
    db.conn.executemany("INSERT OR IGNORE INTO activity_targets(activity_id, target_id) VALUES (?, ?)",
                        [(i, targets[t]) for i, a in touched for t in a["targets"] if t in targets])  # fmt: skip
    _record(db, package, stamp)
    return next_id


_ALL = operator.itemgetter(*_COLUMNS[:19])  # uuid ... deleted_at, unit_id as sent
_BASE = operator.itemgetter(*_COLUMNS[:3])  # uuid, date_from, date_to
_REST = operator.itemgetter(*_COLUMNS[4:19])  # form_code ... deleted_at


def _row(activity: dict, unit_map: dict[str, str], text_keys: tuple[str, str] | None) -> tuple:
    """The activities table's columns (``_COLUMNS``) for a package's activity."""
    if text_keys is None:  # not worked out while the package was checked
        text_keys = fold(" ".join(activity[name] for name in SEARCHED)), vi_sort_key(activity["title"])
    return (*_BASE(activity), unit_map[activity["unit_id"]], *_REST(activity), *text_keys)


def _merge_plans(db: sqlite_utils.Database, package: PackagePreview, me: str) -> dict[str, int]:
    """Upsert the sender's plans and targets (newer wins); returns target uuid -> id here (``me``: my unit)."""
    records = package.records
    owner = None if package.sender == me else package.sender
    plan_ids: dict[str, int] = {}  # the sender's plans here (another unit's plan with that uuid is never touched)
    for plan in records.plans:
        found = db.execute("SELECT id, updated_at, unit_id FROM plans WHERE uuid = ?", [plan["uuid"]]).fetchone()
        values = [plan[k] for k in ("number", "issued_on", "issuer", "title", "year_from", "year_to", "status",
                                    "updated_at")]  # fmt: skip
        if found is None:
            plan_ids[plan["uuid"]] = db.execute(
                "INSERT INTO plans(uuid, number, issued_on, issuer, title, year_from, year_to, status, updated_at,"
                " created_at, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [plan["uuid"], *values, plan["created_at"], owner]).lastrowid  # fmt: skip
        elif found[2] == owner:
            plan_ids[plan["uuid"]] = found[0]
            if plan["updated_at"] > found[1]:
                db.execute("UPDATE plans SET number = ?, issued_on = ?, issuer = ?, title = ?, year_from = ?,"
                           " year_to = ?, status = ?, updated_at = ? WHERE id = ?", [*values, found[0]])  # fmt: skip
    target_ids = {}
    for target in records.targets:
        if target["plan_uuid"] not in plan_ids:
            continue  # its plan belongs to another unit here
        keys = ("series", "name", "year", "planned", "unit_kind", "unit_label", "source", "measure", "form_codes",
                "topic_codes", "unit_ids", "sort_order", "updated_at")  # fmt: skip
        values = [json.dumps(target[k]) if k.endswith(("_codes", "_ids")) else target[k] for k in keys]
        found = db.execute("SELECT id, updated_at, plan_id FROM targets WHERE uuid = ?", [target["uuid"]]).fetchone()
        if found is None:
            target_ids[target["uuid"]] = db.execute(
                f"INSERT INTO targets(uuid, plan_id, {', '.join(keys)}, created_at) VALUES (?, ?{', ?' * len(keys)}, ?)",
                [target["uuid"], plan_ids[target["plan_uuid"]], *values, target["created_at"]]).lastrowid  # fmt: skip
        elif found[2] in plan_ids.values():
            target_ids[target["uuid"]] = found[0]
            if target["updated_at"] > found[1]:
                db.execute(f"UPDATE targets SET {', '.join(f'{k} = ?' for k in keys)} WHERE id = ?",
                           [*values, found[0]])  # fmt: skip
    for value in records.target_values:
        target_id = target_ids.get(value["target_uuid"])
        if target_id is not None and not db.execute(
                "SELECT 1 FROM target_values WHERE target_id = ? AND as_of = ? AND created_at = ?",
                [target_id, value["as_of"], value["created_at"]]).fetchone():  # fmt: skip
            db.execute("INSERT INTO target_values(target_id, as_of, value, note, created_at) VALUES (?, ?, ?, ?, ?)",
                       [target_id, value["as_of"], value["value"], value["note"], value["created_at"]])  # fmt: skip
    # an activity may serve the sender's targets only (never this unit's own or another unit's)
    known = dict(db.execute("SELECT t.uuid, t.id FROM targets t JOIN plans p ON p.id = t.plan_id"
                            " WHERE p.unit_id IS ?", [owner]).fetchall())  # fmt: skip
    return {**known, **target_ids}


def _record(db: sqlite_utils.Database, package: PackagePreview, stamp: str) -> None:
    if package.received_before:
        return
    period = package.manifest["period"]
    counts = {k: getattr(package, k) for k in ("new", "changed", "unchanged", "deleted", "conflicts")}
    report = package.records.report or {}
    history.record(db, "merge", [(None, {"file": package.path.name, "unit": package.unit_name,
                                         "period": package.period_label, **counts})], history.new_batch())  # fmt: skip
    db.execute(
        "INSERT INTO received_packages(sha256, unit_id, period_kind, period_year, period_number, period_start,"
        " period_end, created_at, received_at, file_name, counts, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [package.sha256, package.sender, period["kind"], period["year"], period.get("number"), period["start"],
         period["end"], str(package.manifest.get("created_at", stamp)), stamp, package.path.name,
         json.dumps(counts), json.dumps(report, ensure_ascii=False)],
    )  # fmt: skip
