"""USB exchange end to end: a commune exports a period, its district previews and merges the package."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from core import periods, plans
from core.activities.repository import get_activity
from core.activities.service import delete_activities, update_activity, values_of
from core.cli import run
from core.package import merge, receive
from core.package.export import export_package
from core.package.status import period_status
from core.errors import NotFoundError, ValidationError
from core.units import create_unit, get_unit, map_old_unit, unit_mappings
from tests.e2e.package_helpers import (
    COMMUNE, COMMUNE_CODE, DISTRICT_CODE, PERIOD, PHOTO, activity_rows, dump, edit_json, evidence_path, files_under,
    open_at, read_members, rebuild, setup_commune, setup_district, write_zip,
)  # fmt: skip


@pytest.fixture
def commune(tmp_path):
    db = open_at(tmp_path / "xa")
    db.ids = setup_commune(db, tmp_path / "tep")
    yield db
    db.close()


@pytest.fixture
def district(tmp_path):
    db = open_at(tmp_path / "huyen")
    db.unit = setup_district(db)
    yield db
    db.close()


@pytest.fixture
def usb(tmp_path):
    (tmp_path / "usb").mkdir()
    return tmp_path / "usb"


def receive_all(db, paths, **options):
    found = receive.preview(db, paths, **options)
    return found, merge.merge(db, found)


def uuid_of(db, activity_id: int) -> str:
    return db.execute("SELECT uuid FROM activities WHERE id = ?", [activity_id]).fetchone()[0]


def local_id(db, uuid: str) -> int:
    return db.execute("SELECT id FROM activities WHERE uuid = ?", [uuid]).fetchone()[0]


def cli(db, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path(db)), "package", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def db_path(db) -> Path:
    return Path(db.execute("PRAGMA database_list").fetchone()[2])


def stored_beside(db) -> list[Path]:
    """Files the app wrote in folders beside the database (backups, evidence, received reports)."""
    folder = db_path(db).parent
    return [p for p in files_under(folder) if p.parent != folder]


def in_period(rows: dict) -> dict:
    start, end = PERIOD.start.isoformat(), PERIOD.end.isoformat()
    return {uuid: row for uuid, row in rows.items() if start <= row["date_from"] <= end}


# --- 1. round trip ----------------------------------------------------------------------------


@pytest.mark.parametrize("with_evidence", [True, False], ids=["kem-minh-chung", "khong-minh-chung"])
def test_round_trip_brings_the_commune_and_identical_activities(commune, district, usb, with_evidence):
    exported = export_package(commune, PERIOD, usb, include_evidence=with_evidence)
    assert exported.manifest["counts"] == {"activities": 3, "deleted": 1, "units": 2,
                                           "evidence_files": 1 if with_evidence else 0}  # fmt: skip
    found, result = receive_all(district, [exported.path], accept_new_units=True)
    assert found.refused == []
    assert (result.new, result.changed, result.unchanged, result.deleted, result.conflicts) == (3, 0, 1, 0, 0)
    assert result.backup is not None and result.backup.parent == db_path(district).parent / "sao_luu"
    backup = sqlite3.connect(result.backup)  # the state before the merge: no commune yet
    assert backup.execute("SELECT count(*) FROM units WHERE id = ?", [COMMUNE_CODE]).fetchone()[0] == 0
    backup.close()

    here = get_unit(district, COMMUNE_CODE)
    assert (here.name, here.level, here.parent_id) == (COMMUNE, "xa", DISTRICT_CODE)
    hamlet = district.execute("SELECT name, parent_id FROM units WHERE parent_id = ?", [COMMUNE_CODE]).fetchall()
    assert hamlet == [("Thôn Phú Hải", COMMUNE_CODE)]

    sent, arrived = in_period(activity_rows(commune)), activity_rows(district)
    assert len(sent) == 4 and uuid_of(commune, commune.ids["later"]) not in arrived  # July is outside the period
    assert arrived == sent  # every column but the local id, topics, evidence rows, target uuids; deleted one too
    assert arrived[uuid_of(commune, commune.ids["deleted"])]["deleted_at"] is not None

    copy = evidence_path(district, uuid_of(commune, commune.ids["conference"]))
    if with_evidence:
        assert copy.read_bytes() == PHOTO
    else:
        assert not copy.exists() and files_under(copy.parents[1]) == []

    # the commune's plan arrives as the commune's, never among the district's own plans
    assert district.execute("SELECT number, unit_id FROM plans WHERE unit_id IS NOT NULL").fetchall() == [
        ("12/KH-UBND", COMMUNE_CODE)]
    assert [p.number for p in plans.list_plans(district)] == ["5/KH-UBND"]
    assert [p.number for p in plans.list_plans(district, year=2025)] == ["5/KH-UBND"]
    assert plans.targets_for_year(district, 2025) == []
    targets = "SELECT uuid, name, planned FROM targets ORDER BY uuid"
    assert district.execute(targets).fetchall() == commune.execute(targets).fetchall()
    values = "SELECT as_of, value, note, created_at FROM target_values"
    assert district.execute(values).fetchall() == commune.execute(values).fetchall()


# --- 2. the same package again ----------------------------------------------------------------


@pytest.mark.parametrize("period", [PERIOD, periods.period_for("quy", 2025, number=4)], ids=["6thang", "quy4-trong"])
def test_receiving_the_same_package_again_changes_nothing(commune, district, usb, period):
    exported = export_package(commune, period, usb)
    first, _ = receive_all(district, [exported.path], accept_new_units=True)
    count = len(first.packages[0].records.activities)
    before, backups = dump(district), files_under(db_path(district).parent / "sao_luu")

    again, result = receive_all(district, [exported.path], accept_new_units=True)
    package = again.packages[0]
    assert package.received_before is True
    assert (package.new, package.changed, package.unchanged, package.deleted, package.conflicts) == (0, 0, count, 0, 0)
    assert result.backup is None and files_under(db_path(district).parent / "sao_luu") == backups
    assert dump(district) == before


# --- 3. edits, deletions, conflicts -----------------------------------------------------------


def test_an_update_and_a_deletion_propagate_and_a_newer_local_edit_is_kept(commune, district, usb):
    receive_all(district, [export_package(commune, PERIOD, usb).path], accept_new_units=True)
    ids = commune.ids
    conference, news, hamlet = (uuid_of(commune, ids[k]) for k in ("conference", "news", "hamlet"))
    mine = local_id(district, conference)  # the district corrects the conference after receiving it
    update_activity(district, mine, values_of(get_activity(district, mine)) | {"notes": "Huyện đã đối chiếu"})
    update_activity(commune, ids["news"], values_of(get_activity(commune, ids["news"]))
                    | {"title": "Đăng tin hướng dẫn cài đặt và kích hoạt VNeID", "quantity": "4"})  # fmt: skip
    delete_activities(commune, [ids["hamlet"]])
    assert get_activity(commune, ids["news"]).updated_at > "2025-06-21T09:00:00Z"

    found, result = receive_all(district, [export_package(commune, PERIOD, usb).path])
    assert found.refused == [] and found.packages[0].received_before is False
    assert (result.new, result.changed, result.unchanged, result.deleted, result.conflicts) == (0, 1, 1, 1, 1)
    arrived, sent = activity_rows(district), activity_rows(commune)
    assert arrived[news] == sent[news]
    assert arrived[news]["title"] == "Đăng tin hướng dẫn cài đặt và kích hoạt VNeID" and arrived[news]["quantity"] == 4
    assert arrived[hamlet] == sent[hamlet] and arrived[hamlet]["deleted_at"] is not None
    assert arrived[conference]["notes"] == "Huyện đã đối chiếu"  # ours is newer: kept
    assert arrived[conference]["updated_at"] > sent[conference]["updated_at"]


def test_the_newer_edit_wins_by_time_not_by_how_its_stamp_is_written(commune, district, usb, tmp_path):
    """records.py accepts stamps with an offset: 16:30+07:00 is 09:30 UTC, older than the district's 10:00 UTC."""
    exported = export_package(commune, PERIOD, usb).path
    receive_all(district, [exported], accept_new_units=True)
    conference = uuid_of(commune, commune.ids["conference"])
    district.execute("UPDATE activities SET notes = 'Huyện đã đối chiếu', updated_at = '2025-06-21T10:00:00Z'"
                     " WHERE uuid = ?", [conference])  # fmt: skip

    def older_edit(activities):
        edited = next(a for a in activities if a["uuid"] == conference)
        edited.update(notes="Xã sửa lúc 9 giờ 30 (giờ UTC)", updated_at="2025-06-21T16:30:00+07:00")

    package = rebuild(exported, tmp_path / "gio_vn" / exported.name, edit_json("activities.json", older_edit))
    found, result = receive_all(district, [package])
    assert found.refused == []
    assert (result.changed, result.conflicts) == (0, 1)
    assert district.execute("SELECT notes, updated_at FROM activities WHERE uuid = ?", [conference]).fetchone() == (
        "Huyện đã đối chiếu", "2025-06-21T10:00:00Z")


# --- 4. who may send ----------------------------------------------------------------------------


def test_an_unknown_commune_is_refused_unless_new_units_are_accepted(commune, district, usb):
    exported = export_package(commune, PERIOD, usb)
    before = dump(district)
    found = receive.preview(district, [exported.path])
    assert found.packages == [] and [r.file for r in found.refused] == [exported.path.name]
    assert "chưa có trong danh sách đơn vị trực thuộc" in found.refused[0].reason
    code, out, _err = cli(district, "import", str(exported.path), "--format", "json")
    assert code == 1
    assert "chưa có trong danh sách đơn vị trực thuộc" in json.loads(out)["refused"][0]["reason"]
    assert dump(district) == before and stored_beside(district) == []


def test_a_known_unit_outside_mine_is_refused(district, tmp_path, usb):
    create_unit(district, name="Huyện Triệu Phong", level="huyen", parent_id="45", official_code="464")
    sibling = open_at(tmp_path / "trieu_phong")
    setup_commune(sibling, tmp_path / "tep2", name="Huyện Triệu Phong", code="464")
    exported = export_package(sibling, PERIOD, usb)
    sibling.close()
    before = dump(district)
    found = receive.preview(district, [exported.path], accept_new_units=True)
    assert found.packages == [] and len(found.refused) == 1
    assert "không phải đơn vị của bạn" in found.refused[0].reason
    assert dump(district) == before and stored_beside(district) == []


# --- 6. a good package and a broken one on the same stick ------------------------------------------


def test_a_mixed_folder_merges_the_good_package_and_names_the_bad_one(commune, district, usb):
    good = export_package(commune, PERIOD, usb, include_evidence=True).path
    manifest, members = read_members(good)
    members["activities.json"] = members["activities.json"].replace(b"VNeID", b"VNEID")  # same size, other hash
    bad = usb / "BaoCao_XaHaiTruong_6thang_2025.cdsx"
    write_zip(bad, manifest, list(members.items()))
    found = receive.preview(district, [usb], accept_new_units=True)
    assert [p.path for p in found.packages] == [good]
    assert [r.file for r in found.refused] == [bad.name] and "SHA-256" in found.refused[0].reason

    code, out, err = cli(district, "import", str(usb), "--accept-new-units", "--format", "json")
    report = json.loads(out)
    assert code == 0, err
    assert [p["file"] for p in report["packages"]] == [good.name] and report["new"] == 3
    assert report["refused"] == [{"file": bad.name, "reason": found.refused[0].reason}]
    assert activity_rows(district) == in_period(activity_rows(commune))
    assert "VNEID" not in json.dumps(activity_rows(district), ensure_ascii=False)


# --- 7. who has reported --------------------------------------------------------------------------


def test_status_lists_sent_late_and_missing_units(commune, district, tmp_path, usb, monkeypatch):
    on_time = export_package(commune, PERIOD, usb).path
    other = open_at(tmp_path / "hai_truong")
    setup_commune(other, tmp_path / "tep2", name="Xã Hải Trường", code="19502")
    late = export_package(other, PERIOD, usb).path
    other.close()
    create_unit(district, name="Xã Hải Sơn", level="xa", parent_id=DISTRICT_CODE, official_code="19503")
    due = periods.due_date(PERIOD)
    early = due - dt.timedelta(days=4)
    with monkeypatch.context() as patch:  # this one arrived four days before the due date
        patch.setattr(merge, "now_iso", lambda: f"{early.isoformat()}T03:00:00Z")
        receive_all(district, [on_time], accept_new_units=True)
    receive_all(district, [late], accept_new_units=True)  # arrives today, long after the due date

    shown_due, statuses = period_status(district, PERIOD)
    assert shown_due == due
    by_name = {s.unit.name: (s.state, s.label) for s in statuses}
    assert by_name == {COMMUNE: ("sent", "Đã nộp"), "Xã Hải Trường": ("late", "Nộp muộn"),
                       "Xã Hải Sơn": ("missing", "Chưa nộp")}  # fmt: skip
    sent = next(s for s in statuses if s.unit.name == COMMUNE)
    assert sent.file_name == on_time.name and sent.received_at == f"{early.isoformat()}T03:00:00Z"

    code, out, _err = cli(district, "status", "--kind", "6thang", "--year", "2025", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and listed["due"] == due.isoformat()
    assert {u["name"]: u["state"] for u in listed["units"]} == {COMMUNE: "sent", "Xã Hải Trường": "late",
                                                                 "Xã Hải Sơn": "missing"}  # fmt: skip
    code, out, _err = cli(district, "status", "--kind", "6thang", "--year", "2025")
    assert code == 0 and "Xã Hải Sơn: Chưa nộp" in out and "Đã nộp 1/3 đơn vị." in out


# --- 8. command line ------------------------------------------------------------------------------


def test_cli_export_names_the_file_safely_and_dry_run_writes_nothing(commune, district, usb):
    code, out, err = cli(commune, "export", "--kind", "6thang", "--year", "2025", "--out", str(usb), "--evidence")
    assert code == 0, err
    path = Path(out.strip())
    assert path.parent == usb and path.is_file()
    assert path.name == "BaoCao_XaHaiPhu_6thang_2025.cdsx" and re.fullmatch(r"[A-Za-z0-9_]{1,100}\.cdsx", path.name)

    before = dump(district)
    code, out, err = cli(district, "import", str(path), "--dry-run", "--accept-new-units", "--format", "json")
    report = json.loads(out)
    assert code == 0, err
    assert report["dry_run"] is True and report["refused"] == []
    assert (report["new"], report["changed"], report["unchanged"], report["deleted"], report["conflicts"]) == (3, 0, 1, 0, 0)
    assert dump(district) == before
    assert stored_beside(district) == []  # no backup, no evidence copied


# --- 9. an older package -----------------------------------------------------------------------


def test_a_format_1_package_without_plans_is_accepted(commune, district, usb, tmp_path):
    exported = export_package(commune, PERIOD, usb, include_evidence=True).path

    def layout_1(members):
        for name in [n for n in members if n == "plans.json" or n.startswith("report")]:
            del members[name]

    old = rebuild(exported, tmp_path / "cu" / exported.name, layout_1, format_version=1)
    manifest, members = read_members(old)
    assert manifest["format_version"] == 1 and "plans.json" not in members and "plans.json" not in manifest["members"]
    found, result = receive_all(district, [old], accept_new_units=True)
    assert found.refused == [] and found.packages[0].records.plans == []
    assert (result.new, result.unchanged) == (3, 1)
    sent = {uuid: row | {"targets": []} for uuid, row in in_period(activity_rows(commune)).items()}
    assert activity_rows(district) == sent  # the targets they served did not travel in format 1
    assert district.execute("SELECT count(*) FROM plans WHERE unit_id IS NOT NULL").fetchone()[0] == 0
    assert evidence_path(district, uuid_of(commune, commune.ids["conference"])).read_bytes() == PHOTO


# --- merged communes (2025 reform) ---------------------------------------------------------------


def test_a_merged_communes_package_goes_to_its_new_unit(commune, district, usb):
    """A commune merged into another still sends under its old id: mapped, its activities land on the new
    unit, the new unit keeps its name, and the mapping is refused when it makes no sense."""
    new_unit = create_unit(district, name="Xã Hải Phú Mới", level="xa", parent_id=district.unit.id)
    old_id = commune.execute("SELECT id FROM units WHERE name = ?", [COMMUNE]).fetchone()[0]
    code, out, err = cli(district, "map-unit", old_id, new_unit.id)
    assert code == 0 and "Xã Hải Phú Mới" in out, err
    exported = export_package(commune, PERIOD, usb)
    found, result = receive_all(district, [exported.path])
    assert found.refused == [] and result.new > 0
    units_used = {r[0] for r in district.execute("SELECT DISTINCT unit_id FROM activities")}
    assert new_unit.id in units_used and old_id not in units_used
    assert district.execute("SELECT name FROM units WHERE id = ?", [new_unit.id]).fetchone()[0] == "Xã Hải Phú Mới"
    assert unit_mappings(district) == {old_id: new_unit.id}
    with pytest.raises(ValidationError):
        map_old_unit(district, new_unit.id, new_unit.id)
    with pytest.raises(NotFoundError):
        map_old_unit(district, "xa-cu", "khong-co")
