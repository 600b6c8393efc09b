"""Real databases and real .cdsx packages for the USB exchange tests (commune → district)."""

from __future__ import annotations

import hashlib
import json
import warnings
import zipfile
from pathlib import Path

from core import periods, settings
from core.activities.evidence import add_evidence, stored_path
from core.activities.service import create_activity, delete_activities
from core.db import open_db
from core.plans import create_plan, create_target, record_value
from core.units import Unit, create_unit

PERIOD = periods.period_for("6thang", 2025)  # nd09: 15/12/2024 – 14/06/2025
COMMUNE, COMMUNE_CODE = "Xã Hải Phú", "19501"
DISTRICT, DISTRICT_CODE = "Huyện Hải Lăng", "470"
PROVINCE, PROVINCE_CODE = "Tỉnh Quảng Trị", "45"
CREATED, EDITED, DELETED = "2025-06-20T08:00:00Z", "2025-06-21T09:00:00Z", "2025-06-22T10:00:00Z"
PHOTO = b"\xff\xd8\xff\xe0 anh hoi nghi chuyen doi so " + bytes(range(256)) * 40


def open_at(folder: Path):
    """The app's database in its own folder (evidence lives beside it, so each unit needs its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    return open_db(folder / "so.db")


def setup_commune(db, files: Path, *, name: str = COMMUNE, code: str = COMMUNE_CODE) -> dict[str, int]:
    """A commune with a hamlet, a plan with two targets, five activities of 2025 (one deleted, one
    outside the period, one with a photo); all stamps set back so later edits are clearly newer."""
    unit = create_unit(db, name=name, level="xa", official_code=code)
    hamlet = create_unit(db, name="Thôn Phú Hải", level="khac", parent_id=unit.id)
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Lê Thị Mai", officer_title="Công chức"))
    plan = create_plan(db, {"number": "12/KH-UBND", "issued_on": "10/01/2025", "issuer": "UBND xã",
                            "title": "Kế hoạch tuyên truyền chuyển đổi số năm 2025", "year_from": 2025,
                            "year_to": 2025})  # fmt: skip
    linked = create_target(db, plan.id, {"name": "Tin bài về chuyển đổi số", "planned": "24", "source": "linked"})
    manual = create_target(db, plan.id, {"name": "Hộ gia đình dùng VNeID", "planned": "80", "unit_kind": "percent",
                                         "source": "manual"})  # fmt: skip
    record_value(db, manual.id, "30/05/2025", "45", note="Theo báo cáo của các thôn")
    base = {"unit_id": unit.id, "quantity": "1"}
    ids = {
        "conference": create_activity(db, base | {
            "date_from": "05/03/2025", "form_code": "hoi_nghi", "topics": ["chinh_quyen_so", "de_an_06"],
            "title": "Hội nghị triển khai chuyển đổi số", "content": "Quán triệt Nghị quyết 57-NQ/TW",
            "channel": "Hội trường UBND xã", "duration_minutes": "120", "participants": "85", "cost": "1.500.000",
            "funding_code": "ns_xa", "link": "https://haiphu.gov.vn/tin/hoi-nghi", "notes": "Có ảnh",
            "target_ids": [linked.id]}).id,  # fmt: skip
        "news": create_activity(db, base | {
            "date_from": "10/04/2025", "date_to": "12/04/2025", "form_code": "tin_bai", "topics": ["dich_vu_cong"],
            "title": "Đăng tin hướng dẫn cài đặt VNeID", "quantity": "3", "target_ids": [linked.id]}).id,
        "hamlet": create_activity(db, base | {
            "unit_id": hamlet.id, "date_from": "20/05/2025", "form_code": "phat_thanh",
            "title": "Phát thanh chuyên mục chuyển đổi số", "quantity": "2", "duration_minutes": "15"}).id,
        "deleted": create_activity(db, base | {"date_from": "02/06/2025", "form_code": "pano",
                                               "title": "Treo băng rôn tuyên truyền"}).id,  # fmt: skip
        "later": create_activity(db, base | {"date_from": "20/07/2025", "form_code": "tin_bai",
                                             "title": "Tin bài tháng 7 (ngoài kỳ)"}).id,  # fmt: skip
    }
    photo = files / "anh_hoi_nghi.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(PHOTO)
    add_evidence(db, ids["conference"], photo)
    delete_activities(db, [ids["deleted"]])
    db.execute("UPDATE activities SET created_at = ?, updated_at = ?", [CREATED, EDITED])
    db.execute("UPDATE activities SET updated_at = ?, deleted_at = ? WHERE deleted_at IS NOT NULL", [DELETED, DELETED])
    return ids


def commune_package(folder: Path) -> Path:
    """A real package of the commune (setup_commune), with its evidence file, written under ``folder``."""
    from core.package.export import export_package

    db = open_at(folder / "db")
    setup_commune(db, folder / "tep")
    (folder / "usb").mkdir()
    path = export_package(db, PERIOD, folder / "usb", include_evidence=True).path
    db.close()
    return path


def setup_district(db) -> Unit:
    """A district below its province (the province is known here, but not below my unit)."""
    province = create_unit(db, name=PROVINCE, level="tinh", official_code=PROVINCE_CODE)
    district = create_unit(db, name=DISTRICT, level="huyen", parent_id=province.id, official_code=DISTRICT_CODE)
    settings.save_profile(db, settings.Profile(unit_id=district.id, officer_name="Trần Văn Hùng"))
    create_plan(db, {"number": "5/KH-UBND", "title": "Kế hoạch của huyện năm 2025", "year_from": 2025,
                     "year_to": 2025})  # fmt: skip
    return district


def dump(db) -> list[str]:
    """Every table's rows and the schema, as SQL text."""
    return list(db.conn.iterdump())


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def activity_rows(db) -> dict[str, dict]:
    """Every activity by uuid: all columns but the local id, with topics, evidence and target uuids."""
    cursor = db.execute("SELECT * FROM activities")
    names = [c[0] for c in cursor.description]
    rows = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        local = row.pop("id")
        row["topics"] = sorted(r[0] for r in db.execute(
            "SELECT topic_code FROM activity_topics WHERE activity_id = ?", [local]))  # fmt: skip
        row["evidence"] = sorted(db.execute(
            "SELECT file_name, sha256, size FROM evidence WHERE activity_id = ?", [local]).fetchall())  # fmt: skip
        row["targets"] = sorted(r[0] for r in db.execute(
            "SELECT t.uuid FROM activity_targets a JOIN targets t ON t.id = a.target_id WHERE a.activity_id = ?",
            [local]))  # fmt: skip
        rows[row["uuid"]] = row
    return rows


def evidence_path(db, activity_uuid: str) -> Path:
    name, sha = db.execute("SELECT e.file_name, e.sha256 FROM evidence e JOIN activities a ON a.id = e.activity_id"
                           " WHERE a.uuid = ?", [activity_uuid]).fetchone()  # fmt: skip
    return stored_path(db, sha, name)


# --- taking packages apart and putting them back together ----------------------------------


def read_members(path: Path) -> tuple[dict, dict[str, bytes]]:
    """(manifest, {name: bytes}) of a package, read with zipfile alone."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    return json.loads(members.pop("manifest.json")), members


def write_zip(path: Path, manifest: dict, entries: list[tuple[str, bytes]]) -> Path:
    """manifest.json then ``entries`` as given (duplicates and unsafe names allowed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
            for name, data in entries:
                archive.writestr(name, data)
    return path


def listing(members: dict[str, bytes]) -> dict:
    return {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in members.items()}


def rebuild(source: Path, target: Path, edit=None, **manifest_changes) -> Path:
    """A copy of ``source`` whose members ``edit(members)`` changed, with a manifest listing them correctly."""
    manifest, members = read_members(source)
    if edit is not None:
        edit(members)
    manifest.update(members=listing(members))
    manifest.update(manifest_changes)
    return write_zip(target, manifest, list(members.items()))


def edit_json(name: str, change):
    """An ``edit`` for rebuild: ``change(value)`` on the member ``name`` parsed as JSON."""

    def edit(members: dict[str, bytes]) -> None:
        value = json.loads(members[name])
        value = change(value) or value
        members[name] = json.dumps(value, ensure_ascii=False).encode("utf-8")

    return edit
