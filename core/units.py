"""Units (đơn vị): a hierarchy of any depth — tỉnh / huyện / xã, or tỉnh / xã since 2025.

A unit's id is its official administrative code when it has one (so data from
different laptops agree on who is who), otherwise a generated one. Renaming
keeps the old name in ``unit_name_history``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlite_utils

from core import settings
from core.clock import now_iso
from core.errors import NotFoundError, ValidationError
from core.resources import load_json
from core.text import nfc, vi_sort_key


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    level: str
    parent_id: str | None = None
    official_code: str | None = None


def level_labels() -> dict[str, str]:
    return {item["code"]: item["label"] for item in load_json("presets.json")["unit_levels"]}


def _row_to_unit(row) -> Unit:
    return Unit(id=row[0], name=row[1], level=row[2], parent_id=row[3], official_code=row[4])


_COLUMNS = "id, name, level, parent_id, official_code"


def get_unit(db: sqlite_utils.Database, unit_id: str) -> Unit:
    row = db.execute(f"SELECT {_COLUMNS} FROM units WHERE id = ?", [unit_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Không tìm thấy đơn vị có mã “{unit_id}”.")
    return _row_to_unit(row)


def all_units(db: sqlite_utils.Database) -> list[Unit]:
    """Every unit, in Vietnamese dictionary order of names."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM units ORDER BY sort_key").fetchall()
    return [_row_to_unit(row) for row in rows]


def subtree_ids(db: sqlite_utils.Database, unit_id: str) -> list[str]:
    """The unit and all units below it, at any depth."""
    rows = db.execute(
        """
        WITH RECURSIVE tree(id) AS (
            SELECT ? UNION SELECT units.id FROM units JOIN tree ON units.parent_id = tree.id
        )
        SELECT id FROM tree
        """,
        [unit_id],
    ).fetchall()
    return [row[0] for row in rows]


def _validate(db, name: str, level: str, parent_id: str | None) -> dict[str, str]:
    errors = {}
    if not name:
        errors["name"] = "Tên đơn vị không được để trống."
    if level not in level_labels():
        errors["level"] = "Hãy chọn cấp của đơn vị (tỉnh, huyện, xã hoặc khác)."
    if parent_id and db.execute("SELECT 1 FROM units WHERE id = ?", [parent_id]).fetchone() is None:
        errors["parent_id"] = "Đơn vị cấp trên không tồn tại."
    return errors


def create_unit(
    db: sqlite_utils.Database,
    *,
    name: str,
    level: str,
    parent_id: str | None = None,
    official_code: str | None = None,
    unit_id: str | None = None,
) -> Unit:
    name = nfc(name)
    official_code = nfc(official_code) or None
    errors = _validate(db, name, level, parent_id)
    if errors:
        raise ValidationError(errors)
    new_id = unit_id or official_code or f"u-{uuid.uuid4().hex[:12]}"
    stamp = now_iso()
    with db.atomic():
        if db.execute("SELECT 1 FROM units WHERE id = ?", [new_id]).fetchone():
            raise ValidationError({"official_code": f"Đã có đơn vị với mã “{new_id}”."})
        db.execute(
            "INSERT INTO units(id, name, level, parent_id, official_code, sort_key, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [new_id, name, level, parent_id, official_code, vi_sort_key(name), stamp, stamp],
        )
    return get_unit(db, new_id)


def update_unit(
    db: sqlite_utils.Database, unit_id: str, *, name: str, level: str, parent_id: str | None
) -> Unit:
    """Change a unit; a new name is recorded in its history. Cycles are refused."""
    current = get_unit(db, unit_id)
    name = nfc(name)
    errors = _validate(db, name, level, parent_id)
    if parent_id and parent_id in subtree_ids(db, unit_id):
        errors["parent_id"] = "Đơn vị cấp trên không thể là chính nó hoặc đơn vị cấp dưới của nó."
    if errors:
        raise ValidationError(errors)
    stamp = now_iso()
    with db.atomic():
        if name != current.name:
            db.execute(
                "INSERT INTO unit_name_history(unit_id, old_name, new_name, changed_at) VALUES (?, ?, ?, ?)",
                [unit_id, current.name, name, stamp],
            )
        db.execute(
            "UPDATE units SET name = ?, level = ?, parent_id = ?, sort_key = ?, updated_at = ? WHERE id = ?",
            [name, level, parent_id, vi_sort_key(name), stamp, unit_id],
        )
    return get_unit(db, unit_id)


def name_history(db: sqlite_utils.Database, unit_id: str) -> list[tuple[str, str, str]]:
    """(old name, new name, changed at) oldest first."""
    return db.execute(
        "SELECT old_name, new_name, changed_at FROM unit_name_history WHERE unit_id = ? ORDER BY id",
        [unit_id],
    ).fetchall()


def own_unit(db: sqlite_utils.Database, doing: str) -> Unit:
    """This database's own unit (from the profile); ``doing`` ("nhận dữ liệu") ends the message when unset."""
    return own_profile_and_unit(db, doing)[1]


def own_profile_and_unit(db: sqlite_utils.Database, doing: str) -> tuple[settings.Profile, Unit]:
    """(profile, own unit), the profile read once; refused as own_unit refuses when no unit is set."""
    profile = settings.load_profile(db)
    if profile is None or not profile.unit_id:
        from core.errors import UserError

        raise UserError(f"Hãy khai báo đơn vị của bạn (Cài đặt → Thông tin đơn vị và cán bộ…) trước khi {doing}.")
    return profile, get_unit(db, profile.unit_id)


def map_old_unit(db: sqlite_utils.Database, old_id: str, new_id: str) -> None:
    """Data sent under ``old_id`` (a commune merged away in the 2025 reform) goes to ``new_id`` from now on
    (core/package/receive.py reads the mapping); the old unit's own history here is left as it is."""
    old_id, new_id = nfc(old_id), nfc(new_id)
    get_unit(db, new_id)  # NotFoundError in Vietnamese when it is not here
    if old_id == new_id:
        raise ValidationError({"unit_id": "Đơn vị cũ và đơn vị mới phải khác nhau."})
    if db.execute("SELECT 1 FROM unit_aliases WHERE unit_id = ?", [new_id]).fetchone():
        raise ValidationError({"unit_id": "Đơn vị mới đã được ghép vào một đơn vị khác; hãy chọn đơn vị đang dùng."})
    with db.atomic():
        db.execute("INSERT OR REPLACE INTO unit_aliases(unit_id, maps_to) VALUES (?, ?)", [old_id, new_id])


def unit_mappings(db: sqlite_utils.Database) -> dict[str, str]:
    """Old unit id -> the unit its data goes to."""
    return dict(db.execute("SELECT unit_id, maps_to FROM unit_aliases ORDER BY unit_id").fetchall())
