"""Xuất ra USB: one period's data of my unit (and the units below it) as a .cdsx package.

``describe`` says what would be written (shown before writing, with the size of the
evidence files); ``export_package`` writes the package safely onto the stick
(core/package/container.save_package: temporary name, fsync, verify, rename) and the
report's .docx/.xlsx beside it, so the stick can also go to a printer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import sqlite_utils

from core import units
from core.activities.evidence import db_file, stored_path
from core.errors import UserError
from core.files import copy_atomically, file_sha256
from core.package.container import save_package
from core.package.safe_write import safe_file_name
from core.paths import reports_dir
from core.periods import Period
from core.progress import Progress
from core.reports import store
from core.text import TEXT_KEYS_VERSION

_ACTIVITY_COLUMNS = ("uuid", "date_from", "date_to", "unit_id", "form_code", "title", "content", "channel", "quantity",
                     "duration_minutes", "participants", "cost", "funding_code", "link", "notes", "origin",
                     "created_at", "updated_at", "deleted_at",
                     "search_text", "title_key")  # fmt: skip  # the last two as stored: the receiver need not work them out


@dataclass
class ExportContents:
    unit: units.Unit
    period: Period
    unit_ids: list[str]
    activities: int = 0
    deleted: int = 0
    evidence_files: int = 0
    evidence_bytes: int = 0
    report: store.Report | None = None
    report_files: list[Path] = field(default_factory=list)  # the finalised report's files, as sent

    @property
    def file_name(self) -> str:
        """"BaoCao_XaHaiLang_6thang_2025.cdsx": readable and FAT32-safe."""
        return f"BaoCao_{safe_file_name(self.unit.name)}_{self.period.code.replace('-', '_')}.cdsx"


@dataclass
class ExportResult:
    path: Path
    beside: list[Path]  # the report's files written next to the package
    manifest: dict


def _in_list(ids: list[str]) -> str:
    return ",".join("?" * len(ids))


def describe(db: sqlite_utils.Database, period: Period) -> ExportContents:
    """What a package of ``period`` holds, before anything is written."""
    unit = units.own_unit(db, "xuất dữ liệu ra USB")
    ids = units.subtree_ids(db, unit.id)
    contents = ExportContents(unit, period, ids)
    where = f"unit_id IN ({_in_list(ids)}) AND date_from BETWEEN ? AND ?"
    params = [*ids, period.start.isoformat(), period.end.isoformat()]
    contents.activities, contents.deleted = db.execute(
        f"SELECT count(*), count(deleted_at) FROM activities WHERE {where}", params).fetchone()  # fmt: skip
    contents.evidence_files, contents.evidence_bytes = db.execute(
        f"SELECT count(*), coalesce(sum(size), 0) FROM (SELECT DISTINCT e.sha256, e.size FROM evidence e"
        f" JOIN activities a ON a.id = e.activity_id WHERE a.deleted_at IS NULL AND a.{where.replace(' AND ', ' AND a.', 1)})",
        params).fetchone()  # fmt: skip
    contents.report = _period_report(db, unit.id, period)
    if contents.report is not None and contents.report.status == store.STATUS_FINAL:
        contents.report_files = _sent_files(db, contents.report)
    return contents


def _period_report(db: sqlite_utils.Database, unit_id: str, period: Period) -> store.Report | None:
    row = db.execute(
        "SELECT id FROM reports WHERE unit_id = ? AND kind = ? AND year = ? AND coalesce(period_number, 0) = ?"
        " AND period_start = ? AND period_end = ? ORDER BY status = 'final' DESC, id DESC LIMIT 1",
        [unit_id, period.kind, period.year, period.number or 0, period.start.isoformat(), period.end.isoformat()],
    ).fetchone()  # fmt: skip
    return store.get_report(db, row[0]) if row else None


def _sent_files(db: sqlite_utils.Database, report: store.Report) -> list[Path]:
    """The finalised report's files as they were sent (their hashes still match), in the reports folder."""
    folder = reports_dir(db_file(db))
    found = []
    for name, sha in (report.frozen or {}).get("files", {}).items():
        path = folder / name
        if path.is_file() and file_sha256(path) == sha:
            found.append(path)
    return found


def _activities(db: sqlite_utils.Database, contents: ExportContents) -> list[dict]:
    ids, period = contents.unit_ids, contents.period
    rows = db.execute(
        f"SELECT id, {', '.join(_ACTIVITY_COLUMNS)} FROM activities WHERE unit_id IN ({_in_list(ids)})"
        " AND date_from BETWEEN ? AND ? ORDER BY date_from, id",
        [*ids, period.start.isoformat(), period.end.isoformat()],
    ).fetchall()  # fmt: skip
    by_id = {row[0]: dict(zip(_ACTIVITY_COLUMNS, row[1:]), topics=[], evidence=[], targets=[]) for row in rows}
    if by_id:
        low, high = min(by_id), max(by_id)
        for activity_id, code in db.execute(
            "SELECT activity_id, topic_code FROM activity_topics WHERE activity_id BETWEEN ? AND ?"
            " ORDER BY activity_id, topic_code", [low, high]):  # fmt: skip
            if activity_id in by_id:
                by_id[activity_id]["topics"].append(code)
        for activity_id, name, sha, size in db.execute(
            "SELECT activity_id, file_name, sha256, size FROM evidence WHERE activity_id BETWEEN ? AND ? ORDER BY id",
            [low, high]):  # fmt: skip
            if activity_id in by_id:
                by_id[activity_id]["evidence"].append({"file_name": name, "sha256": sha, "size": size})
        for activity_id, target in db.execute(
            "SELECT at.activity_id, t.uuid FROM activity_targets at JOIN targets t ON t.id = at.target_id"
            " JOIN plans p ON p.id = t.plan_id WHERE p.unit_id IS NULL AND at.activity_id BETWEEN ? AND ?"
            " ORDER BY t.uuid", [low, high]):  # fmt: skip
            if activity_id in by_id:
                by_id[activity_id]["targets"].append(target)
    return list(by_id.values())


def _plans(db: sqlite_utils.Database, year: int) -> dict:
    """This unit's own plans covering ``year``, their targets and recorded values."""
    plans = [dict(zip(("id", "uuid", "number", "issued_on", "issuer", "title", "year_from", "year_to", "status",
                       "created_at", "updated_at"), row)) for row in db.execute(
        "SELECT id, uuid, number, issued_on, issuer, title, year_from, year_to, status, created_at, updated_at"
        " FROM plans WHERE unit_id IS NULL AND year_from <= ? AND year_to >= ? ORDER BY id", [year, year])]  # fmt: skip
    uuid_of = {p.pop("id"): p["uuid"] for p in plans}
    targets, values = [], []
    target_uuid = {}
    for row in db.execute(
        "SELECT id, uuid, series, plan_id, name, year, planned, unit_kind, unit_label, source, measure, form_codes,"
        " topic_codes, unit_ids, sort_order, created_at, updated_at FROM targets ORDER BY id"):  # fmt: skip
        if row[3] not in uuid_of:
            continue
        target_uuid[row[0]] = row[1]
        targets.append({"uuid": row[1], "series": row[2], "plan_uuid": uuid_of[row[3]], "name": row[4],
                        "year": row[5], "planned": row[6], "unit_kind": row[7], "unit_label": row[8],
                        "source": row[9], "measure": row[10], "form_codes": json.loads(row[11]),
                        "topic_codes": json.loads(row[12]), "unit_ids": json.loads(row[13]), "sort_order": row[14],
                        "created_at": row[15], "updated_at": row[16]})  # fmt: skip
    for target_id, as_of, value, note, created in db.execute(
        "SELECT target_id, as_of, value, note, created_at FROM target_values ORDER BY id"):  # fmt: skip
        if target_id in target_uuid:
            values.append({"target_uuid": target_uuid[target_id], "as_of": as_of, "value": value, "note": note,
                           "created_at": created})  # fmt: skip
    return {"plans": plans, "targets": targets, "target_values": values}


def _units(db: sqlite_utils.Database, ids: list[str]) -> list[dict]:
    rows = db.execute(
        f"SELECT id, name, level, parent_id, official_code, updated_at FROM units WHERE id IN ({_in_list(ids)})"
        " ORDER BY id", ids).fetchall()  # fmt: skip
    return [dict(zip(("id", "name", "level", "parent_id", "official_code", "updated_at"), row)) for row in rows]


def _report_record(report: store.Report, files: list[Path]) -> dict:
    period = report.period
    return {"uuid": report.uuid, "kind": period.kind, "year": period.year, "period_number": period.number,
            "status": report.status, "doc_number": report.doc_number, "doc_symbol": report.doc_symbol,
            "doc_date": report.doc_date.isoformat(), "finalised_at": report.finalised_at,
            "files": [f.name for f in files]}  # fmt: skip


def _json(value) -> bytes:
    return orjson.dumps(value)


def export_package(db: sqlite_utils.Database, period: Period, folder: Path | str, *, include_evidence: bool = False,
                   progress: Progress | None = None) -> ExportResult:  # fmt: skip
    """Write the package of ``period`` into ``folder`` (a stick or any folder); returns where."""
    contents = describe(db, period)
    folder = Path(folder)
    activities = _activities(db, contents)
    members: dict[str, bytes | Path] = {
        "units.json": _json(_units(db, contents.unit_ids)),
        "activities.json": _json(activities),
        "plans.json": _json(_plans(db, period.year)),
    }
    if contents.report is not None:
        members["report.json"] = _json(_report_record(contents.report, contents.report_files))
        for path in contents.report_files:
            members[f"report/{path.name}"] = path
    evidence = 0
    if include_evidence:
        for activity in activities:
            for item in activity["evidence"] if not activity["deleted_at"] else []:
                source = stored_path(db, item["sha256"], item["file_name"])
                if f"evidence/{item['sha256']}" not in members and source.is_file():
                    members[f"evidence/{item['sha256']}"] = source
                    evidence += 1
    unit = contents.unit
    manifest = {
        "unit": {"id": unit.id, "name": unit.name, "level": unit.level, "parent_id": unit.parent_id},
        "period": {"kind": period.kind, "year": period.year, "number": period.number, "rules": period.rules,
                   "start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.short_label},
        "counts": {"activities": contents.activities - contents.deleted, "deleted": contents.deleted,
                   "units": len(contents.unit_ids), "evidence_files": evidence},
        "report": None if contents.report is None else {"status": contents.report.status,
                                                         "number": contents.report.number_text},
        "text_keys": TEXT_KEYS_VERSION,  # how the activities' search_text and title_key were made
    }  # fmt: skip
    if not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục “{folder}” (ổ USB có thể đã bị rút ra).")
    path = folder / contents.file_name
    written = save_package(path, manifest, members, progress)
    beside = [copy_atomically(source, folder / source.name) for source in contents.report_files]
    return ExportResult(path, beside, written)
