"""Writing activities: validate and normalise, then one transaction per user action.

Input values may be what the officer typed ("1.500.000", "05/03/2025") or
already-typed Python values; every problem is reported per field, in Vietnamese,
and nothing is written unless everything is valid.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass, replace

import sqlite_utils

from core.activities.model import FIELD_LABELS, ORIGIN_TYPED, Activity
from core import history
from core.activities.repository import get_activity
from core.clock import now_iso
from core.errors import FileProblem, UserError, ValidationError
from core.text import fold, nfc, parse_date, parse_int, vi_sort_key

MAX_TITLE = 500
MAX_MONEY = 10**13
MAX_COUNT = 10**9


@dataclass(frozen=True)
class KnownCodes:
    """The unit ids and taxonomy codes an activity may use (loaded once for a whole import)."""

    units: frozenset[str]
    form: frozenset[str]
    topic: frozenset[str]
    funding: frozenset[str]

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> KnownCodes:
        def codes(kind: str) -> frozenset[str]:
            return frozenset(r[0] for r in db.execute("SELECT code FROM taxonomy WHERE kind = ?", [kind]))

        units = frozenset(r[0] for r in db.execute("SELECT id FROM units"))
        return cls(units, codes("form"), codes("topic"), codes("funding"))


def parse_activity(db: sqlite_utils.Database, values: dict, *, today: dt.date | None = None,
                   known: KnownCodes | None = None) -> Activity:  # fmt: skip
    """Build a valid Activity from ``values`` or raise ValidationError (field -> message)."""
    today = today or dt.date.today()
    known = known or KnownCodes.load(db)
    errors: dict[str, str] = {}

    def parsed(name, parser):
        try:
            return parser(values.get(name), label=FIELD_LABELS[name])
        except UserError as exc:
            errors[name] = exc.message
            return None

    date_from = parsed("date_from", parse_date)
    date_to = parsed("date_to", parse_date)
    if date_from is None and "date_from" not in errors:
        errors["date_from"] = "Hãy nhập ngày thực hiện (ngày/tháng/năm)."
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value and not (dt.date(2000, 1, 1) <= value <= dt.date(today.year + 1, 12, 31)):
            errors[name] = f"{FIELD_LABELS[name]} phải trong khoảng từ năm 2000 đến năm {today.year + 1}."
    if date_from and date_to and date_to < date_from and "date_to" not in errors:
        errors["date_to"] = "“Đến ngày” không được trước ngày bắt đầu."
    if date_to == date_from:
        date_to = None

    unit_id = nfc(values.get("unit_id"))
    if not unit_id:
        errors["unit_id"] = "Hãy chọn đơn vị thực hiện."
    elif unit_id not in known.units:
        errors["unit_id"] = "Đơn vị thực hiện không có trong danh sách đơn vị."

    form_code = nfc(values.get("form_code"))
    if not form_code:
        errors["form_code"] = "Hãy chọn hình thức tuyên truyền."
    elif form_code not in known.form:
        errors["form_code"] = f"Hình thức “{form_code}” không có trong danh mục."

    topics = list(dict.fromkeys(nfc(t) for t in values.get("topics") or [] if nfc(t)))
    unknown = [t for t in topics if t not in known.topic]
    if unknown:
        errors["topics"] = f"Chủ đề không có trong danh mục: {', '.join(unknown)}."

    title = nfc(values.get("title"))
    if not title:
        errors["title"] = "Hãy nhập tên, nội dung hoạt động."
    elif len(title) > MAX_TITLE:
        errors["title"] = f"Tên hoạt động dài quá {MAX_TITLE} ký tự; hãy đưa phần chi tiết vào “Mô tả chi tiết”."

    numbers = {}
    for name, upper in (
        ("quantity", MAX_COUNT), ("duration_minutes", MAX_COUNT),
        ("participants", MAX_COUNT), ("cost", MAX_MONEY),
    ):  # fmt: skip
        numbers[name] = parsed(name, parse_int)
        if numbers[name] is not None and numbers[name] > upper:
            errors[name] = f"{FIELD_LABELS[name]} quá lớn."
    if numbers["quantity"] is None and "quantity" not in errors:
        errors["quantity"] = "Hãy nhập số lượng (ví dụ 1)."

    funding_code = nfc(values.get("funding_code")) or None
    if funding_code and funding_code not in known.funding:
        errors["funding_code"] = f"Nguồn kinh phí “{funding_code}” không có trong danh mục."
    if numbers["cost"] and not funding_code and "cost" not in errors:
        errors["funding_code"] = "Có kinh phí thì hãy chọn nguồn kinh phí."

    link = nfc(values.get("link"))
    if link and " " in link:
        errors["link"] = "Đường dẫn không được chứa dấu cách, ví dụ https://xahailang.gov.vn/tin-tuc."

    if errors:
        raise ValidationError(errors)
    return Activity(
        date_from=date_from,
        date_to=date_to,
        unit_id=unit_id,
        form_code=form_code,
        topics=topics,
        title=title,
        content=nfc(values.get("content")),
        channel=nfc(values.get("channel")),
        funding_code=funding_code,
        link=link,
        notes=nfc(values.get("notes")),
        origin=values.get("origin") or ORIGIN_TYPED,
        **numbers,
    )


def stored_row(activity: Activity) -> dict:
    """The activities table's columns for ``activity`` (without uuid, origin and timestamps)."""
    return {
        "date_from": activity.date_from.isoformat(),
        "date_to": activity.date_to.isoformat() if activity.date_to else None,
        "unit_id": activity.unit_id,
        "form_code": activity.form_code,
        "title": activity.title,
        "content": activity.content,
        "channel": activity.channel,
        "quantity": activity.quantity,
        "duration_minutes": activity.duration_minutes,
        "participants": activity.participants,
        "cost": activity.cost,
        "funding_code": activity.funding_code,
        "link": activity.link,
        "notes": activity.notes,
        "search_text": fold(activity.search_source()),
        "title_key": vi_sort_key(activity.title),
    }


def _write_topics(db: sqlite_utils.Database, activity_id: int, topics: list[str]) -> None:
    db.execute("DELETE FROM activity_topics WHERE activity_id = ?", [activity_id])
    db.conn.executemany(
        "INSERT INTO activity_topics(activity_id, topic_code) VALUES (?, ?)",
        [(activity_id, code) for code in topics],
    )


def _write_targets(db: sqlite_utils.Database, activity_id: int, values: dict) -> None:
    """The targets the activity serves, when the values say (the dialog does; imports do not)."""
    if "target_ids" not in values:
        return
    chosen = sorted({int(t) for t in values["target_ids"] or []})
    known = {r[0] for r in db.execute(
        f"SELECT id FROM targets WHERE id IN ({','.join('?' * len(chosen))})", chosen)} if chosen else set()  # fmt: skip
    if set(chosen) - known:
        raise ValidationError({"target_ids": "Có chỉ tiêu đã chọn không còn trong kế hoạch; hãy mở lại hoạt động."})
    db.execute("DELETE FROM activity_targets WHERE activity_id = ?", [activity_id])
    db.conn.executemany("INSERT INTO activity_targets (activity_id, target_id) VALUES (?, ?)",
                        [(activity_id, t) for t in chosen])  # fmt: skip


def target_ids_of(db: sqlite_utils.Database, activity_id: int) -> list[int]:
    return [r[0] for r in db.execute("SELECT target_id FROM activity_targets WHERE activity_id = ? ORDER BY target_id",
                                     [activity_id])]  # fmt: skip


def create_activity(db: sqlite_utils.Database, values: dict) -> Activity:
    activity = parse_activity(db, values)
    stamp = now_iso()
    row = stored_row(activity) | {
        "uuid": values.get("uuid") or str(uuidlib.uuid4()),
        "origin": activity.origin,
        "created_at": stamp,
        "updated_at": stamp,
    }
    with db.atomic():
        columns = ", ".join(row)
        cursor = db.execute(
            f"INSERT INTO activities ({columns}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        _write_topics(db, cursor.lastrowid, activity.topics)
        _write_targets(db, cursor.lastrowid, values)
        history.record(db, "create", [(row["uuid"], history.changes_between({}, values_of(activity)))])
    return get_activity(db, cursor.lastrowid)


def update_activity(db: sqlite_utils.Database, activity_id: int, values: dict) -> Activity:
    current = get_activity(db, activity_id)
    activity = parse_activity(db, {"origin": current.origin} | values)
    row = stored_row(activity) | {"updated_at": now_iso()}
    changes = history.changes_between(values_of(current), values_of(activity))
    with db.atomic():
        assignments = ", ".join(f"{name} = ?" for name in row)
        db.execute(
            f"UPDATE activities SET {assignments} WHERE id = ?", [*row.values(), activity_id]
        )
        _write_topics(db, activity_id, activity.topics)
        _write_targets(db, activity_id, values)
        if changes:
            history.record(db, "update", [(current.uuid, changes)])
    return get_activity(db, activity_id)


def save_activity(
    db: sqlite_utils.Database,
    activity_id: int | None,
    values: dict,
    *,
    add_files: list = (),
    remove_evidence_ids: list[int] = (),
) -> Activity:
    """The dialog's "Lưu": the activity and its evidence changes, all or nothing.

    Files are copied into the data folder first; then one transaction writes the
    activity and its evidence rows. Nothing is written if anything is invalid.
    A removed file's copy stays in the data folder until the next start (so that
    Hoàn tác can attach it again); see forget_unused_files.
    """
    from core.activities.evidence import forget_files, store_file

    parse_activity(db, values)  # validate before copying any file
    stored = [store_file(db, path) for path in add_files]
    try:
        activity = _write_activity(db, activity_id, values, stored, remove_evidence_ids)
    except BaseException:
        try:  # the copies made just now for nothing (disk full, power...) do not pile up
            forget_files(db, [item for item in stored if item.new])
        except Exception:  # noqa: BLE001 - the first error is the one the officer must see
            pass
        raise
    return get_activity(db, activity.id)


def put_back(db: sqlite_utils.Database, activity_id: int, values: dict, evidence: list) -> Activity:
    """An activity's values and evidence list as they were (Hoàn tác of an edit), in one transaction.

    ``evidence`` holds EvidenceFile-like items (file_name, sha256, size); a file whose copy is no
    longer in the data folder cannot be attached again: FileProblem, and nothing changes.
    """
    from core.activities.evidence import StoredFile, attach, stored_path

    with db.atomic():
        activity = update_activity(db, activity_id, values)
        current = {(e.file_name, e.sha256): e.id for e in activity.evidence}
        wanted = {(e.file_name, e.sha256): e for e in evidence}
        for key, item in wanted.items():
            if key not in current and not stored_path(db, item.sha256, item.file_name).exists():
                raise FileProblem(f"Tệp minh chứng “{item.file_name}” không còn trong thư mục dữ liệu "
                                  "nên không hoàn tác được; hoạt động được giữ nguyên.")  # fmt: skip
        gone = [key for key in current if key not in wanted]
        back = [key for key in wanted if key not in current]
        for key in gone:
            db.execute("DELETE FROM evidence WHERE id = ?", [current[key]])
        for key in back:
            item = wanted[key]
            attach(db, activity_id, StoredFile(item.file_name, item.sha256, item.size))
        if not (gone or back):
            return activity
        history.record(db, "update", [(activity.uuid, {"evidence": [sorted(k[0] for k in gone),
                                                                    sorted(k[0] for k in back)]})])  # fmt: skip
    return get_activity(db, activity_id)


def _write_activity(db, activity_id, values, stored, remove_evidence_ids) -> Activity:
    """save_activity's one transaction."""
    from core.activities.evidence import attach

    with db.atomic():
        if activity_id is None:
            activity = create_activity(db, values)
        else:
            activity = update_activity(db, activity_id, values)
        removed = [r[0] for r in db.execute(
            f"SELECT file_name FROM evidence WHERE activity_id = ? AND id IN ({','.join('?' * len(remove_evidence_ids))})",
            [activity.id, *remove_evidence_ids])] if remove_evidence_ids else []  # fmt: skip
        for item in stored:
            attach(db, activity.id, item)
        for evidence_id in remove_evidence_ids:
            db.execute(
                "DELETE FROM evidence WHERE id = ? AND activity_id = ?", [evidence_id, activity.id]
            )
        if stored or removed:
            history.record(db, "update", [(activity.uuid, {"evidence": [sorted(removed),
                                                                        sorted(i.file_name for i in stored)]})])  # fmt: skip
    return activity


def values_of(activity: Activity) -> dict:
    """The editable values of an activity, as parse_activity accepts them."""
    return {
        name: getattr(activity, name) for name in FIELD_LABELS
    }


def duplicate_activity(db: sqlite_utils.Database, activity_id: int) -> Activity:
    """A new activity with the same values (a new id and uuid, typed here)."""
    source = get_activity(db, activity_id)
    return create_activity(db, values_of(replace(source, origin=ORIGIN_TYPED)))


def _in_chunks(db: sqlite_utils.Database, sql: str, params: list, ids: list[int]) -> int:
    """Run ``sql`` (ending in "id IN ({})") for ids 500 at a time; total rows changed."""
    total = 0
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        cursor = db.execute(sql.format(",".join("?" * len(chunk))), [*params, *chunk])
        total += cursor.rowcount
    return total


def _uuids(db: sqlite_utils.Database, ids: list[int], where: str) -> list[str]:
    found: list[str] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        found += [r[0] for r in db.execute(
            f"SELECT uuid FROM activities WHERE {where} AND id IN ({','.join('?' * len(chunk))})", chunk)]  # fmt: skip
    return found


def delete_activities(db: sqlite_utils.Database, ids: list[int]) -> int:
    """Move to the trash (Thùng rác); returns how many were moved."""
    stamp = now_iso()
    with db.atomic():
        moved = _uuids(db, ids, "deleted_at IS NULL")
        history.record(db, "delete", [(uuid, {}) for uuid in moved], history.new_batch() if len(moved) > 1 else "")
        return _in_chunks(
            db,
            "UPDATE activities SET deleted_at = ?, updated_at = ?"
            " WHERE deleted_at IS NULL AND id IN ({})",
            [stamp, stamp],
            ids,
        )


def restore_activities(db: sqlite_utils.Database, ids: list[int]) -> int:
    """Bring activities back from the trash; returns how many came back."""
    with db.atomic():
        back = _uuids(db, ids, "deleted_at IS NOT NULL")
        history.record(db, "restore", [(uuid, {}) for uuid in back], history.new_batch() if len(back) > 1 else "")
        return _in_chunks(
            db,
            "UPDATE activities SET deleted_at = NULL, updated_at = ?"
            " WHERE deleted_at IS NOT NULL AND id IN ({})",
            [now_iso()],
            ids,
        )


def empty_trash(db: sqlite_utils.Database, ids: list[int] | None = None) -> int:
    """Delete for good what is in the trash (all of it, or just ``ids``)."""
    from core.activities.evidence import forget_unused_files

    with db.atomic():
        gone = [r[0] for r in db.execute("SELECT uuid FROM activities WHERE deleted_at IS NOT NULL")] if ids is None \
            else _uuids(db, ids, "deleted_at IS NOT NULL")  # fmt: skip
        history.record(db, "purge", [(uuid, {}) for uuid in gone], history.new_batch() if len(gone) > 1 else "")
        if ids is None:
            total = db.execute("DELETE FROM activities WHERE deleted_at IS NOT NULL").rowcount
        else:
            total = _in_chunks(
                db, "DELETE FROM activities WHERE deleted_at IS NOT NULL AND id IN ({})", [], ids
            )
    forget_unused_files(db)
    return total
