"""Damaged, hostile and malformed packages at the district: each refused with its own reason, nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from pathlib import Path

import pytest

from core.activities.service import KnownCodes
from core.cli import run
from core.package import merge, receive
from core.package.container import open_package
from core.package.package_error import PackageError
from core.package.records import read_records
from tests.e2e.package_helpers import (
    PHOTO, PROVINCE, PROVINCE_CODE, commune_package, dump, edit_json, files_under, listing, open_at, read_members,
    rebuild, setup_district, write_zip,
)  # fmt: skip

NAME = "BaoCao_XaHaiPhu_6thang_2025.cdsx"  # every broken copy has the real name: the reasons differ by content
MiB = 1 << 20


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A real package of the commune, with its evidence file."""
    return commune_package(tmp_path_factory.mktemp("xa"))


@pytest.fixture
def district_path(tmp_path) -> Path:
    db = open_at(tmp_path / "huyen")
    setup_district(db)
    db.close()
    return tmp_path / "huyen" / "so.db"


# --- builders: (the good package, where to write) -> the broken package ----------------------------


def truncated(good, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return out


def random_bytes(good, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(random.Random(6).randbytes(good.stat().st_size))
    return out


def wrong_hash(good, out):
    manifest, members = read_members(good)  # the manifest keeps the old hash of activities.json
    members["activities.json"] = members["activities.json"].replace(b"VNeID", b"VNEID")
    return write_zip(out, manifest, list(members.items()))


def extra_member(name):
    return lambda good, out: rebuild(good, out, lambda members: members.update({name: b"echo bi mat\n"}))


def bomb(good, out):
    zeros = bytes(20 * MiB)
    path = rebuild(good, out, lambda members: members.update({f"evidence/{hashlib.sha256(zeros).hexdigest()}": zeros}))
    with zipfile.ZipFile(path) as archive:
        info = next(i for i in archive.infolist() if i.file_size == len(zeros))
    assert info.file_size >= 1000 * info.compress_size  # a real 1000:1 deflate bomb, listed with its true hash
    return path


def duplicate(good, out):
    manifest, members = read_members(good)
    manifest["members"] = listing(members)
    return write_zip(out, manifest, [*members.items(), ("activities.json", b"[]")])


def newer(good, out):
    return rebuild(good, out, format_version=3, app_version="0.9.0")


def from_the_province(good, out):
    """A package sent by my own province: a unit this database knows, but not one below mine."""
    province = {"id": PROVINCE_CODE, "name": PROVINCE, "level": "tinh", "parent_id": None,
                "official_code": PROVINCE_CODE, "updated_at": "2025-06-20T08:00:00Z"}  # fmt: skip

    def units(records):
        for unit in records:
            unit["parent_id"] = unit["parent_id"] or PROVINCE_CODE
        records.insert(0, province)

    unit = {key: province[key] for key in ("id", "name", "level", "parent_id")}
    return rebuild(good, out, edit_json("units.json", units), unit=unit)


def first_activity(change):
    def edit(activities):
        change(activities[0], activities)

    return lambda good, out: rebuild(good, out, edit_json("activities.json", edit))


CASES = {  # id: (builder, PackageError cause from open_package + read_records, or None when the unit checks refuse, words)
    "cat-cut": (truncated, "truncated", "bị cắt cụt"),
    "byte-ngau-nhien": (random_bytes, "not_zip", "không phải gói dữ liệu"),
    "sai-ma-bam": (wrong_hash, "hash", "không khớp mã kiểm tra SHA-256"),
    "ten-len-thu-muc-cha": (extra_member("../minh_chung/thu.sh"), "unsafe_name", "“../minh_chung/thu.sh”"),
    "ten-tuyet-doi": (extra_member("/etc/cron.d/thu"), "unsafe_name", "“/etc/cron.d/thu”"),
    "bom-nen": (bomb, "bomb", "nén bất thường"),
    "trung-ten": (duplicate, "duplicate", "hai phần trùng tên “activities.json”"),
    "phien-ban-moi-hon": (newer, "newer", "cần cập nhật phần mềm lên phiên bản 0.9.0"),
    "don-vi-khong-lien-quan": (from_the_province, None, "không phải đơn vị của bạn"),
    "ngay-sai": (first_activity(lambda a, _all: a.update(date_from="2025-13-45")), "record", "mục “date_from”"),
    "thieu-muc": (first_activity(lambda a, _all: a.pop("title")), "record", "thiếu mục “title”"),
    "sai-kieu": (first_activity(lambda a, _all: a.update(quantity="nhiều")), "record", "mục “quantity”"),
    "hinh-thuc-la": (first_activity(lambda a, _all: a.update(form_code="bao_tuong")), "record", "“bao_tuong”"),
    "trung-uuid": (first_activity(lambda a, all_: all_[1].update(uuid=a["uuid"])), "record", "trùng mã"),
    "den-ngay-truoc": (first_activity(lambda a, _all: a.update(date_to="2025-03-01")), "record", "“đến ngày” trước"),
    "don-vi-ngoai-goi": (first_activity(lambda a, _all: a.update(unit_id="19999")), None,
                         "thuộc đơn vị không có trong gói"),  # fmt: skip
}


def cause_of(path: Path, known: KnownCodes) -> str | None:
    """What the container and the records checks say (None: both pass)."""
    try:
        with open_package(path) as package:
            read_records(package, known)
    except PackageError as exc:
        return exc.cause
    return None


def import_with_cli(db_path: Path, *paths: Path) -> tuple[int, dict]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path), "package", "import", *map(str, paths), "--accept-new-units", "--format", "json"],
               out=out, err=err)  # fmt: skip
    return code, json.loads(out.getvalue())


def written_beside(db_path: Path) -> list[Path]:
    """Files the app wrote beside the database: evidence, received reports, backups."""
    return [p for p in files_under(db_path.parent) if p.parent != db_path.parent]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_broken_package_is_refused_and_nothing_is_written(case, good, district_path, tmp_path):
    build, cause, words = CASES[case]
    path = build(good, tmp_path / "usb" / NAME)
    before_bytes = district_path.read_bytes()
    db = open_at(district_path.parent)
    try:
        before = dump(db)
        assert cause_of(path, KnownCodes.load(db)) == cause
        found = receive.preview(db, [path], accept_new_units=True)
        assert found.packages == [] and len(found.refused) == 1
        refusal = found.refused[0]
        assert refusal.file == NAME and refusal.reason.startswith(f"Tệp “{NAME}” ") and words in refusal.reason
        assert dump(db) == before
    finally:
        db.close()

    code, report = import_with_cli(district_path, path)
    assert code == 1 and report["packages"] == []
    assert report["refused"] == [{"file": NAME, "reason": refusal.reason}]
    assert district_path.read_bytes() == before_bytes
    db = open_at(district_path.parent)
    try:
        assert dump(db) == before
    finally:
        db.close()
    assert written_beside(district_path) == []


def test_every_broken_package_has_its_own_reason(good, district_path, tmp_path):
    paths = [build(good, tmp_path / case / NAME) for case, (build, _cause, _words) in CASES.items()]
    db = open_at(district_path.parent)
    try:
        found = receive.preview(db, paths, accept_new_units=True)
    finally:
        db.close()
    assert found.packages == [] and len(found.refused) == len(CASES)
    reasons = [r.reason for r in found.refused]
    assert len(set(reasons)) == len(CASES), reasons


def test_an_evidence_file_that_does_not_match_its_hash_is_never_stored(good, district_path, tmp_path):
    """evidence/<sha256> holding other bytes (listed in the manifest with their own, correct hash)."""
    photo = f"evidence/{hashlib.sha256(PHOTO).hexdigest()}"
    path = rebuild(good, tmp_path / "usb" / NAME, lambda members: members.update({photo: b"MZ khong phai anh"}))
    db = open_at(district_path.parent)
    try:
        found = receive.preview(db, [path], accept_new_units=True)
        if found.packages:
            merge.merge(db, found)
        stored = [p.read_bytes() for p in files_under(district_path.parent / "minh_chung")]
    finally:
        db.close()
    assert b"MZ khong phai anh" not in stored, "a file was stored under a SHA-256 name its bytes do not have"
    assert found.packages == [] and len(found.refused) == 1


def test_a_package_cannot_take_over_the_districts_own_plan(good, district_path, tmp_path):
    """plans.json reusing the uuid of one of my own plans (with a later updated_at) must not change that plan."""
    db = open_at(district_path.parent)
    try:
        own = db.execute("SELECT uuid, number, title, updated_at FROM plans WHERE unit_id IS NULL").fetchall()

        def take_over(value):
            value["plans"][0].update(uuid=own[0][0], updated_at="2099-01-01T00:00:00Z")
            for target in value["targets"]:
                target["plan_uuid"] = own[0][0]

        path = rebuild(good, tmp_path / "usb" / NAME, edit_json("plans.json", take_over))
        found = receive.preview(db, [path], accept_new_units=True)
        if found.packages:
            merge.merge(db, found)
        after = db.execute("SELECT uuid, number, title, updated_at FROM plans WHERE unit_id IS NULL").fetchall()
        own_targets = db.execute("SELECT count(*) FROM targets t JOIN plans p ON p.id = t.plan_id"
                                 " WHERE p.unit_id IS NULL").fetchone()[0]  # fmt: skip
    finally:
        db.close()
    assert after == own, "the district's own plan was overwritten by a subordinate's package"
    assert own_targets == 0, "the commune's targets were attached to the district's own plan"
