"""Plans (kế hoạch) and their targets (chỉ tiêu), domain.md §3.

A target is measured in one of three ways:

- ``log``: computed from the activity log — the count of matching activities, or
  the sum of their quantity / duration / participants / cost — where "matching"
  is the target's forms, topics and units (each with its subordinates; empty = all);
- ``linked``: the same figures over the activities the officer linked to it;
- ``manual``: a value entered by hand as of a date, with a note and evidence
  ("% trường học có nội dung tuyên truyền").

Copying a year's targets to the next keeps their ``series``, so the same target
can be compared with the year before.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass, field

import sqlite_utils

from core.clock import now_iso
from core.errors import NotFoundError, UserError, ValidationError
from core.text import nfc, parse_date, parse_number

UNIT_KINDS = {"count": "", "percent": "%", "money": "đồng"}  # kind -> default unit label
SOURCES = ("log", "linked", "manual")
MEASURES = {"count": "Số hoạt động", "quantity": "Số lượng", "duration_minutes": "Thời lượng (phút)",
            "participants": "Người tham dự/tiếp cận", "cost": "Kinh phí (đồng)"}  # fmt: skip
STATUSES = {"active": "Đang thực hiện", "done": "Đã hoàn thành", "cancelled": "Đã dừng"}


@dataclass
class Plan:
    id: int
    uuid: str
    number: str
    issued_on: dt.date | None
    issuer: str
    title: str
    year_from: int
    year_to: int
    document_name: str = ""
    document_sha256: str = ""
    status: str = "active"


@dataclass
class Target:
    id: int
    uuid: str
    series: str
    plan_id: int
    name: str
    year: int
    planned: float
    unit_kind: str
    unit_label: str
    source: str
    measure: str = "count"
    form_codes: list[str] = field(default_factory=list)
    topic_codes: list[str] = field(default_factory=list)
    unit_ids: list[str] = field(default_factory=list)
    sort_order: int = 0


_PLAN_COLUMNS = "id, uuid, number, issued_on, issuer, title, year_from, year_to, document_name, document_sha256, status"
_TARGET_COLUMNS = ("id, uuid, series, plan_id, name, year, planned, unit_kind, unit_label, source, measure, "
                   "form_codes, topic_codes, unit_ids, sort_order")  # fmt: skip


def _plan(row) -> Plan:
    data = list(row)
    data[3] = dt.date.fromisoformat(data[3]) if data[3] else None
    return Plan(*data)


def _target(row) -> Target:
    data = list(row)
    for i in (11, 12, 13):
        data[i] = json.loads(data[i] or "[]")
    return Target(*data)


# --- plans ----------------------------------------------------------------------------


def _plan_values(values: dict) -> dict:
    errors: dict[str, str] = {}
    title = nfc(values.get("title"))
    if not title:
        errors["title"] = "Hãy nhập tên (trích yếu) của kế hoạch."
    issued_on = None
    try:
        issued_on = parse_date(values.get("issued_on"), label="Ngày ban hành")
    except UserError as exc:
        errors["issued_on"] = exc.message
    years = []
    for name in ("year_from", "year_to"):
        try:
            year = int(values.get(name) or (issued_on.year if issued_on else 0))
        except (TypeError, ValueError):
            year = 0
        if not 2000 <= year <= 2100:
            errors[name] = "Năm phải trong khoảng 2000–2100."
        years.append(year)
    if not errors.get("year_to") and not errors.get("year_from") and years[1] < years[0]:
        errors["year_to"] = "Năm kết thúc không được trước năm bắt đầu."
    status = values.get("status") or "active"
    if status not in STATUSES:
        errors["status"] = "Trạng thái không hợp lệ."
    if errors:
        raise ValidationError(errors)
    return {"number": nfc(values.get("number")), "issued_on": issued_on.isoformat() if issued_on else None,
            "issuer": nfc(values.get("issuer")), "title": title, "year_from": years[0], "year_to": years[1],
            "status": status}  # fmt: skip


def create_plan(db: sqlite_utils.Database, values: dict) -> Plan:
    row = _plan_values(values)
    stamp = now_iso()
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO plans (uuid, number, issued_on, issuer, title, year_from, year_to, status, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [str(uuidlib.uuid4()), *row.values(), stamp, stamp],
        )  # fmt: skip
    return get_plan(db, cursor.lastrowid)


def update_plan(db: sqlite_utils.Database, plan_id: int, values: dict) -> Plan:
    get_plan(db, plan_id)
    row = _plan_values(values)
    with db.atomic():
        db.execute(f"UPDATE plans SET {', '.join(f'{k} = ?' for k in row)}, updated_at = ? WHERE id = ?",
                   [*row.values(), now_iso(), plan_id])  # fmt: skip
    return get_plan(db, plan_id)


def get_plan(db: sqlite_utils.Database, plan_id: int) -> Plan:
    row = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = ?", [plan_id]).fetchone()
    if row is None:
        raise NotFoundError("Kế hoạch này không còn trong dữ liệu.")
    return _plan(row)


def list_plans(db: sqlite_utils.Database, *, year: int | None = None) -> list[Plan]:
    """Plans newest first; with ``year``, those covering it."""
    # this unit's own plans (those received from subordinate units carry their unit_id)
    where, params = ("WHERE unit_id IS NULL AND year_from <= ? AND year_to >= ?", [year, year]) if year \
        else ("WHERE unit_id IS NULL", [])  # fmt: skip
    rows = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans {where} ORDER BY year_to DESC, issued_on DESC, id DESC",
                      params).fetchall()  # fmt: skip
    return [_plan(r) for r in rows]


def delete_plan(db: sqlite_utils.Database, plan_id: int) -> None:
    """Remove a plan with its targets and their values (the activities stay)."""
    from core.activities.evidence import forget_unused_files

    with db.atomic():
        db.execute("DELETE FROM plans WHERE id = ?", [plan_id])
    forget_unused_files(db)


def attach_document(db: sqlite_utils.Database, plan_id: int, source) -> Plan:
    """Keep the plan's own PDF/DOCX in the data folder (as evidence files are) and record it."""
    from core.activities.evidence import forget_unused_files, store_file

    get_plan(db, plan_id)
    stored = store_file(db, source)
    with db.atomic():
        db.execute("UPDATE plans SET document_name = ?, document_sha256 = ?, updated_at = ? WHERE id = ?",
                   [stored.file_name, stored.sha256, now_iso(), plan_id])  # fmt: skip
    forget_unused_files(db)  # the document it replaces, if nothing else uses it
    return get_plan(db, plan_id)


def document_path(db: sqlite_utils.Database, plan: Plan):
    """Where the plan's document is kept, or None."""
    from core.activities.evidence import stored_path

    if not plan.document_sha256:
        return None
    path = stored_path(db, plan.document_sha256, plan.document_name)
    return path if path.exists() else None


# --- targets --------------------------------------------------------------------------


def _known(db, sql: str) -> set[str]:
    return {r[0] for r in db.execute(sql)}


def _target_values(db: sqlite_utils.Database, values: dict, plan: Plan) -> dict:
    errors: dict[str, str] = {}
    name = nfc(values.get("name"))
    if not name:
        errors["name"] = "Hãy nhập tên chỉ tiêu."
    try:
        year = int(values.get("year") or plan.year_from)
    except (TypeError, ValueError):
        year = 0
    if not plan.year_from <= year <= plan.year_to:
        errors["year"] = f"Năm của chỉ tiêu phải trong thời gian của kế hoạch ({plan.year_from}–{plan.year_to})."
    planned = None
    try:
        planned = parse_number(values.get("planned"), label="Kế hoạch")
    except UserError as exc:
        errors["planned"] = exc.message
    if planned is None and "planned" not in errors:
        errors["planned"] = "Hãy nhập giá trị kế hoạch (ví dụ 24 hoặc 100)."
    elif planned is not None and planned <= 0:
        errors["planned"] = "Giá trị kế hoạch phải lớn hơn 0."
    unit_kind = values.get("unit_kind") or "count"
    if unit_kind not in UNIT_KINDS:
        errors["unit_kind"] = "Đơn vị tính phải là số lượng, % hoặc đồng."
    elif unit_kind == "percent" and planned is not None and planned > 100:
        errors["planned"] = "Chỉ tiêu tính bằng % không được quá 100."
    source = values.get("source") or "log"
    if source not in SOURCES:
        errors["source"] = "Cách tính phải là: từ sổ hoạt động, theo hoạt động được gắn, hoặc nhập tay."
    measure = values.get("measure") or ("cost" if unit_kind == "money" else "count")
    if measure not in MEASURES:
        errors["measure"] = "Cách đếm không hợp lệ."
    lists = {}
    for key, sql, label in (
        ("form_codes", "SELECT code FROM taxonomy WHERE kind = 'form'", "Hình thức"),
        ("topic_codes", "SELECT code FROM taxonomy WHERE kind = 'topic'", "Chủ đề"),
        ("unit_ids", "SELECT id FROM units", "Đơn vị"),
    ):
        chosen = list(dict.fromkeys(nfc(v) for v in values.get(key) or [] if nfc(v)))
        unknown = [v for v in chosen if v not in _known(db, sql)]
        if unknown:
            errors[key] = f"{label} không có trong danh mục: {', '.join(unknown)}."
        lists[key] = json.dumps(chosen, ensure_ascii=False)
    if errors:
        raise ValidationError(errors)
    return {"name": name, "year": year, "planned": planned, "unit_kind": unit_kind,
            "unit_label": nfc(values.get("unit_label")) or UNIT_KINDS[unit_kind], "source": source,
            "measure": measure, **lists, "sort_order": int(values.get("sort_order") or 0)}  # fmt: skip


def create_target(db: sqlite_utils.Database, plan_id: int, values: dict) -> Target:
    plan = get_plan(db, plan_id)
    row = _target_values(db, values, plan)
    stamp = now_iso()
    with db.atomic():
        cursor = db.execute(
            f"INSERT INTO targets (uuid, series, plan_id, {', '.join(row)}, created_at, updated_at)"
            f" VALUES (?, ?, ?, {', '.join('?' * len(row))}, ?, ?)",
            [str(uuidlib.uuid4()), values.get("series") or str(uuidlib.uuid4()), plan_id, *row.values(),
             stamp, stamp],
        )  # fmt: skip
    return get_target(db, cursor.lastrowid)


def update_target(db: sqlite_utils.Database, target_id: int, values: dict) -> Target:
    target = get_target(db, target_id)
    values = {"sort_order": target.sort_order, **values}  # its place in the list stays unless given
    row = _target_values(db, values, get_plan(db, target.plan_id))
    with db.atomic():
        db.execute(f"UPDATE targets SET {', '.join(f'{k} = ?' for k in row)}, updated_at = ? WHERE id = ?",
                   [*row.values(), now_iso(), target_id])  # fmt: skip
    return get_target(db, target_id)


def get_target(db: sqlite_utils.Database, target_id: int) -> Target:
    row = db.execute(f"SELECT {_TARGET_COLUMNS} FROM targets WHERE id = ?", [target_id]).fetchone()
    if row is None:
        raise NotFoundError("Chỉ tiêu này không còn trong dữ liệu.")
    return _target(row)


def targets_for_year(db: sqlite_utils.Database, year: int, *, active_only: bool = True) -> list[Target]:
    status = "AND p.status = 'active'" if active_only else ""
    rows = db.execute(
        f"SELECT {', '.join('t.' + c.strip() for c in _TARGET_COLUMNS.split(','))} FROM targets t"
        f" JOIN plans p ON p.id = t.plan_id WHERE t.year = ? AND p.unit_id IS NULL {status}"
        f" ORDER BY p.id, t.sort_order, t.id",
        [year],
    ).fetchall()  # fmt: skip
    return [_target(r) for r in rows]


def targets_for_plan(db: sqlite_utils.Database, plan_id: int, year: int | None = None) -> list[Target]:
    where, params = ("t.plan_id = ? AND t.year = ?", [plan_id, year]) if year else ("t.plan_id = ?", [plan_id])
    rows = db.execute(
        f"SELECT {', '.join('t.' + c.strip() for c in _TARGET_COLUMNS.split(','))} FROM targets t"
        f" WHERE {where} ORDER BY t.year, t.sort_order, t.id", params,
    ).fetchall()  # fmt: skip
    return [_target(r) for r in rows]


def delete_target(db: sqlite_utils.Database, target_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM targets WHERE id = ?", [target_id])


def copy_targets(db: sqlite_utils.Database, from_year: int, to_year: int, *, plan_id: int | None = None) -> int:
    """Copy the targets of ``from_year`` (of one plan, or of every active plan) to ``to_year``
    (values and links are not copied).

    A target already copied (same series in ``to_year``) is skipped; a plan that does not
    cover ``to_year`` is extended to it. Returns how many targets were created.
    """
    created = 0
    stamp = now_iso()
    with db.atomic():
        existing = _known(db, f"SELECT series FROM targets WHERE year = {int(to_year)}")
        source = targets_for_plan(db, plan_id, from_year) if plan_id else targets_for_year(db, from_year)
        for target in source:
            if target.series in existing:
                continue
            db.execute("UPDATE plans SET year_to = max(year_to, ?), year_from = min(year_from, ?) WHERE id = ?",
                       [to_year, to_year, target.plan_id])  # fmt: skip
            db.execute(
                "INSERT INTO targets (uuid, series, plan_id, name, year, planned, unit_kind, unit_label, source,"
                " measure, form_codes, topic_codes, unit_ids, sort_order, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [str(uuidlib.uuid4()), target.series, target.plan_id, target.name, to_year, target.planned,
                 target.unit_kind, target.unit_label, target.source, target.measure,
                 json.dumps(target.form_codes), json.dumps(target.topic_codes), json.dumps(target.unit_ids),
                 target.sort_order, stamp, stamp],
            )  # fmt: skip
            created += 1
    return created


# --- manual values and links ------------------------------------------------------------


def record_value(db: sqlite_utils.Database, target_id: int, as_of, value, note: str = "", evidence=None) -> None:
    """A manual target's value as of a date ("đến 30/6: 62%"), with a note and optionally a file
    proving it (kept in the data folder as evidence files are)."""
    target = get_target(db, target_id)
    errors = {}
    try:
        day = parse_date(as_of, label="Ngày")
        number = parse_number(value, label="Giá trị đạt được")
    except UserError as exc:
        raise ValidationError({"value": exc.message}) from None
    if target.source != "manual":
        errors["value"] = "Chỉ tiêu này được tính từ sổ hoạt động, không nhập tay."
    elif day is None or number is None:
        errors["value"] = "Hãy nhập ngày và giá trị đạt được."
    elif day.year != target.year:
        errors["value"] = f"Ngày phải trong năm {target.year} của chỉ tiêu."
    elif number < 0 or (target.unit_kind == "percent" and number > 100):
        errors["value"] = "Giá trị đạt được không hợp lệ" + (" (0–100%)." if target.unit_kind == "percent" else ".")
    if errors:
        raise ValidationError(errors)
    stored = None
    if evidence:
        from core.activities.evidence import store_file

        stored = store_file(db, evidence)
    with db.atomic():
        db.execute("INSERT INTO target_values (target_id, as_of, value, note, evidence_name, evidence_sha256,"
                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [target_id, day.isoformat(), number, nfc(note), stored.file_name if stored else "",
                    stored.sha256 if stored else "", now_iso()])  # fmt: skip


def link_activities(db: sqlite_utils.Database, target_id: int, activity_ids: list[int]) -> None:
    get_target(db, target_id)
    with db.atomic():
        db.conn.executemany("INSERT OR IGNORE INTO activity_targets (activity_id, target_id) VALUES (?, ?)",
                            [(a, target_id) for a in activity_ids])  # fmt: skip


def unlink_activities(db: sqlite_utils.Database, target_id: int, activity_ids: list[int]) -> None:
    with db.atomic():
        db.conn.executemany("DELETE FROM activity_targets WHERE activity_id = ? AND target_id = ?",
                            [(a, target_id) for a in activity_ids])  # fmt: skip
