"""Settings stored in the database (they travel with backups): the unit profile."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import sqlite_utils

from core.text import nfc


def get(db: sqlite_utils.Database, key: str, default=None):
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def put(db: sqlite_utils.Database, key: str, value) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value, ensure_ascii=False)],
        )


@dataclass
class Profile:
    """Who is using the app: my unit, the officer, where reports go."""

    unit_id: str = ""
    officer_name: str = ""
    officer_title: str = ""
    province: str = ""
    parent_agency: str = ""
    recipients: list[str] = field(default_factory=list)

    def normalised(self) -> "Profile":
        return Profile(
            unit_id=self.unit_id,
            officer_name=nfc(self.officer_name),
            officer_title=nfc(self.officer_title),
            province=nfc(self.province),
            parent_agency=nfc(self.parent_agency),
            recipients=[nfc(r) for r in self.recipients if nfc(r)],
        )


def load_profile(db: sqlite_utils.Database) -> Profile | None:
    data = get(db, "profile")
    if not data:
        return None
    known = {k: v for k, v in data.items() if k in Profile.__dataclass_fields__}
    return Profile(**known)


def save_profile(db: sqlite_utils.Database, profile: Profile) -> Profile:
    profile = profile.normalised()
    put(db, "profile", asdict(profile))
    return profile


def save_setup(
    db: sqlite_utils.Database,
    *,
    unit_name: str,
    level: str,
    officer_name: str,
    officer_title: str = "",
    province: str = "",
    parent_agency: str = "",
    recipients: list[str] = (),
    official_code: str | None = None,
    unit_id: str | None = None,
) -> Profile:
    """First-start setup (and Cài đặt): my unit and who I am, in one transaction."""
    from core.errors import ValidationError
    from core.units import create_unit, update_unit

    errors = {}
    if not nfc(officer_name):
        errors["officer_name"] = "Hãy nhập họ và tên cán bộ phụ trách."
    if not [r for r in recipients if nfc(r)]:
        errors["recipients"] = "Hãy chọn hoặc nhập cơ quan nhận báo cáo."
    if not nfc(unit_name):
        errors["unit_name"] = "Tên đơn vị không được để trống."
    if errors:
        raise ValidationError(errors)
    current = load_profile(db)
    with db.atomic():
        if current and current.unit_id:
            from core.units import get_unit

            unit = get_unit(db, current.unit_id)
            unit = update_unit(db, unit.id, name=unit_name, level=level, parent_id=unit.parent_id)
        else:
            unit = create_unit(
                db, name=unit_name, level=level, official_code=official_code, unit_id=unit_id
            )
        return save_profile(
            db,
            Profile(
                unit_id=unit.id,
                officer_name=officer_name,
                officer_title=officer_title,
                province=province,
                parent_agency=parent_agency,
                recipients=list(recipients),
            ),
        )
