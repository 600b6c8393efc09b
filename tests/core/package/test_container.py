"""Writing and reading the .cdsx container: round trips, streaming, upgrades, member errors."""

from __future__ import annotations

import json
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from core.errors import FileProblem
from core.package import container
from core.package.container import FORMAT_VERSION, PackageError, open_package, save_package, write_package
from core.progress import Cancelled, Progress

MiB = 1 << 20
UNIT = {"unit": {"code": "19516", "name": "Xã Hải Lăng"}, "period": "6thang-2025", "counts": {"activities": 2}}


def text_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that compresses like a log (about 4:1), written by lines."""
    with open(path, "wb") as out:
        number = 0
        while out.tell() < size:
            out.write(f"{number:08d},Hoạt động tuyên truyền số {number * 7919 % 100003}\n".encode())
            number += 1
        out.truncate(size)
    return path


def test_round_trip_keeps_every_byte_and_the_callers_keys(tmp_path):
    evidence = text_file(tmp_path / "anh.jpg", 3 * MiB + 5)
    activities = json.dumps([{"id": 1, "title": "Tuyên truyền Đề án 06"}], ensure_ascii=False).encode()
    members = {"activities.json": activities, "evidence/anh hội nghị.jpg": evidence, "empty.json": b""}
    written = write_package(tmp_path / "goi.cdsx", UNIT, members)

    with zipfile.ZipFile(tmp_path / "goi.cdsx") as archive:
        assert archive.infolist()[0].filename == "manifest.json"
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    with open_package(tmp_path / "goi.cdsx") as package:
        assert package.manifest == written
        assert package.manifest["unit"] == UNIT["unit"] and package.manifest["counts"] == {"activities": 2}
        assert package.format_version == written["format_version"] == FORMAT_VERSION
        assert package.manifest["format"] == "cdsx" and isinstance(package.manifest["created_at"], str)
        assert package.names() == ["activities.json", "empty.json", "evidence/anh hội nghị.jpg"]
        assert package.has("activities.json") and not package.has("plans.json")
        assert package.read_json("activities.json") == [{"id": 1, "title": "Tuyên truyền Đề án 06"}]
        assert package.read_bytes("empty.json") == b""
        assert package.size("evidence/anh hội nghị.jpg") == 3 * MiB + 5
        out = package.extract("evidence/anh hội nghị.jpg", tmp_path / "out" / "anh.jpg")
    assert out.read_bytes() == evidence.read_bytes()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["anh.jpg"]  # no temporary file left
    assert written["members"]["evidence/anh hội nghị.jpg"] == {
        "sha256": container.hashlib.sha256(evidence.read_bytes()).hexdigest(), "size": 3 * MiB + 5}


def test_file_members_are_streamed_not_loaded_whole(tmp_path):
    evidence = text_file(tmp_path / "video.mp4", 24 * MiB)
    tracemalloc.start()
    try:
        write_package(tmp_path / "goi.cdsx", UNIT, {"evidence/video.mp4": evidence})
        with open_package(tmp_path / "goi.cdsx") as package:
            package.extract("evidence/video.mp4", tmp_path / "copy.mp4")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB for a 24 MiB member"
    assert (tmp_path / "copy.mp4").stat().st_size == 24 * MiB


def test_a_member_that_compresses_too_well_is_stored_so_it_opens_again(tmp_path):
    write_package(tmp_path / "goi.cdsx", UNIT, {"log.txt": b"abc" * MiB, "a.json": b"[]"})
    with zipfile.ZipFile(tmp_path / "goi.cdsx") as archive:
        assert archive.getinfo("log.txt").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("a.json").compress_type == zipfile.ZIP_DEFLATED
    with open_package(tmp_path / "goi.cdsx") as package:
        assert package.read_bytes("log.txt") == b"abc" * MiB


def test_format_1_is_upgraded_and_its_missing_members_are_absent(tmp_path, zips):
    items = [("activities.json", b"[]"), ("units.json", b'[{"code": "19516"}]')]
    path = zips.build(tmp_path / "cu.cdsx", items, zips.manifest_for(items, format_version=1, unit="Xã Hải Lăng"))
    with open_package(path) as package:
        assert package.format_version == 1
        assert package.manifest["format_version"] == FORMAT_VERSION == 2
        assert package.manifest["unit"] == "Xã Hải Lăng"
        assert not package.has("plans.json") and not package.has("report/bao_cao.json")
        assert package.read_json("units.json") == [{"code": "19516"}]


@pytest.mark.parametrize("data", [b"\xff\xfe", b'{"a": 1', b"[NaN]", b"[" * 100_000])
def test_read_json_names_the_member_it_cannot_read(tmp_path, data):
    write_package(tmp_path / "goi.cdsx", UNIT, {"data/plans.json": data})
    with open_package(tmp_path / "goi.cdsx") as package:
        assert package.read_bytes("data/plans.json") == data
        with pytest.raises(PackageError, match="“goi.cdsx” có phần “data/plans.json” không đọc được"):
            package.read_json("data/plans.json")


def test_asking_for_an_absent_member_is_refused(tmp_path):
    write_package(tmp_path / "goi.cdsx", UNIT, {"a.json": b"[]"})
    with open_package(tmp_path / "goi.cdsx") as package:
        with pytest.raises(PackageError, match="không có phần “plans.json”"):
            package.read_json("plans.json")


def test_extract_checks_again_and_leaves_nothing_when_the_file_changed_after_opening(tmp_path):
    data = random.Random(3).randbytes(300_000)  # more than the reader's buffer, so the change is seen
    write_package(tmp_path / "goi.cdsx", UNIT, {"a.bin": data})
    with open_package(tmp_path / "goi.cdsx") as package:
        raw = bytearray((tmp_path / "goi.cdsx").read_bytes())
        with zipfile.ZipFile(tmp_path / "goi.cdsx") as archive:
            info = archive.getinfo("a.bin")
        start = info.header_offset + 30 + len(b"a.bin") + len(info.extra)  # the member's data
        raw[start + info.compress_size // 2] ^= 0xFF
        with open(tmp_path / "goi.cdsx", "r+b") as handle:  # changed under the open package
            handle.write(raw)
        with pytest.raises(PackageError):
            package.extract("a.bin", tmp_path / "out.bin")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi.cdsx"]


def test_the_package_closes_its_file(tmp_path):
    write_package(tmp_path / "goi.cdsx", UNIT, {"a.json": b"[]"})
    with open_package(tmp_path / "goi.cdsx") as package:
        pass
    with pytest.raises(ValueError):
        package.read_bytes("a.json")  # the zip is closed


@pytest.mark.parametrize("name", ["../x", "/abs", "C:/x", "a\\b", "CON.json", "a//b", "manifest.json", ""])
def test_writing_a_bad_member_name_is_a_programming_error(tmp_path, name):
    with pytest.raises(ValueError):
        write_package(tmp_path / "goi.cdsx", UNIT, {name: b"[]"})


def test_a_source_file_that_changes_while_exporting_is_refused(tmp_path, monkeypatch):
    (tmp_path / "anh.jpg").write_bytes(b"second read differs from the first")
    monkeypatch.setattr(container, "source_digest", lambda source, tick: {"sha256": "0" * 64, "size": 34})
    with pytest.raises(FileProblem, match="“anh.jpg” đã thay đổi trong lúc xuất gói"):
        write_package(tmp_path / "goi.cdsx", UNIT, {"evidence/anh.jpg": tmp_path / "anh.jpg"})


def test_a_missing_source_file_is_named(tmp_path):
    with pytest.raises(FileProblem, match="Không đọc được tệp “mat.jpg” để đưa vào gói"):
        write_package(tmp_path / "goi.cdsx", UNIT, {"mat.jpg": tmp_path / "mat.jpg"})


def test_save_package_leaves_only_the_verified_final_file(tmp_path):
    progress = Progress()
    manifest = save_package(tmp_path / "goi.cdsx", UNIT, {"a.json": b"[1]"}, progress)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi.cdsx"]
    assert progress.done == progress.total > 0
    with open_package(tmp_path / "goi.cdsx") as package:
        assert package.manifest == manifest


def test_a_cancelled_export_leaves_the_old_file_and_no_temporary(tmp_path):
    (tmp_path / "goi.cdsx").write_bytes(b"old")
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        save_package(tmp_path / "goi.cdsx", UNIT, {"a.json": b"[1]"}, progress)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi.cdsx"]
    assert (tmp_path / "goi.cdsx").read_bytes() == b"old"


def test_an_export_over_the_size_limit_is_refused_before_writing(tmp_path):
    with pytest.raises(FileProblem, match="Gói dữ liệu quá lớn"):
        save_package(tmp_path / "goi.cdsx", UNIT, {"a.json": b"1" * 5000}, limits=container.Limits(max_total_size=4000))
    assert list(tmp_path.iterdir()) == []


def test_the_records_layer_can_name_a_bad_record():
    error = PackageError(Path("E:/goi.cdsx"), "record", name="activities.json", why="có hai hoạt động trùng mã")
    assert str(error) == "Tệp “goi.cdsx” có phần “activities.json” không hợp lệ: có hai hoạt động trùng mã."
    assert error.cause == "record"
