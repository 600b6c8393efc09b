"""Every damaged or hostile package is refused by open_package, with its own message, before any read."""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path

import pytest

from core.package import container
from core.package.container import Limits, PackageError, open_package, write_package

GOOD = [("activities.json", b'[{"id": 1}]'), ("units.json", b"[]")]
MiB = 1 << 20


def good_file(tmp: Path) -> Path:
    return write_package(tmp / "goi.cdsx", {"unit": "Xã Hải Lăng"}, dict(GOOD)) and tmp / "goi.cdsx"


def truncated(tmp, zips):
    path = good_file(tmp)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def random_bytes(tmp, zips):
    path = tmp / "goi.cdsx"
    path.write_bytes(b"\x00" + random.Random(7).randbytes(5000))
    return path


def empty(tmp, zips):
    path = tmp / "goi.cdsx"
    path.write_bytes(b"")
    return path


def entries(items, manifest=None, **options):
    return lambda tmp, zips: zips.build(tmp / "goi.cdsx", items, manifest, **options)


def with_manifest(**changes):
    return lambda tmp, zips: zips.build(tmp / "goi.cdsx", GOOD, zips.manifest_for(GOOD, **changes))


def member_changed(**entry):
    def make(tmp, zips):
        manifest = zips.manifest_for(GOOD)
        manifest["members"]["units.json"].update(entry)
        return zips.build(tmp / "goi.cdsx", GOOD, manifest)
    return make


def unsafe(name):
    items = GOOD + [(name, b"x")]
    return lambda tmp, zips: zips.build(tmp / "goi.cdsx", items, zips.manifest_for(GOOD))


def header_claims_more(tmp, zips):  # header and manifest say 10, the data has 2 bytes
    manifest = zips.manifest_for(GOOD)
    manifest["members"]["units.json"]["size"] = 10
    path = zips.build(tmp / "goi.cdsx", GOOD, manifest)
    zips.patch_entry(path, "units.json", size=10)
    return path


def header_lies(tmp, zips):  # 20 MiB of zeros whose headers and manifest say 1000 bytes
    items = [("evidence/big.bin", bytes(20 * MiB))]
    manifest = zips.manifest_for(items)
    manifest["members"]["evidence/big.bin"]["size"] = 1000
    path = zips.build(tmp / "goi.cdsx", items, manifest)
    zips.patch_entry(path, "evidence/big.bin", size=1000)
    return path


def bad_crc(tmp, zips):
    path = zips.build(tmp / "goi.cdsx", GOOD, compression=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    raw[raw.index(b'[{"id": 1}]') + 2] ^= 0x01  # same length, one bit changed: only the CRC can tell
    path.write_bytes(bytes(raw))
    return path


def broken_deflate(tmp, zips):
    path = zips.build(tmp / "goi.cdsx", [("activities.json", b"x" * 5000)])
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("activities.json")
    raw = bytearray(path.read_bytes())
    start = info.header_offset + 30 + sum(struct.unpack_from("<HH", raw, info.header_offset + 26))
    raw[start: start + info.compress_size] = b"\xff" * info.compress_size  # block type 3 does not exist
    path.write_bytes(bytes(raw))
    return path


def patched(items, **patch):
    def make(tmp, zips):
        path = zips.build(tmp / "goi.cdsx", items)
        zips.patch_entry(path, items[-1][0], **patch)
        return path
    return make


CASES = {
    "truncated zip": (truncated, "truncated", "bị cắt cụt"),
    "random bytes": (random_bytes, "not_zip", "không phải gói dữ liệu của phần mềm hoặc đã bị hỏng"),
    "empty file": (empty, "empty", "trống (0 byte)"),
    "wrong hash": (member_changed(sha256="0" * 64), "hash", "không khớp mã kiểm tra SHA-256"),
    "wrong size": (member_changed(size=3), "header_size", "2 byte theo tệp nén nhưng 3 byte theo danh mục"),
    "header claims more than the data": (header_claims_more, "size", "dài 2 byte, khác với 10 byte"),
    "headers lie about size": (header_lies, "size_lie", "nhiều hơn 1000 byte đã khai báo"),
    "1000:1 compression bomb": (entries([("evidence/zeros.bin", bytes(20 * MiB))]), "bomb", "tỉ lệ 1"),
    "../x": (unsafe("../x"), "unsafe_name", "trỏ ra ngoài thư mục (..)"),
    "/abs": (unsafe("/abs"), "unsafe_name", "là đường dẫn tuyệt đối"),
    "C:/x": (unsafe("C:/x"), "unsafe_name", "có tên ổ đĩa"),
    "a\\b": (unsafe("a\\b"), "unsafe_name", "có dấu gạch ngược"),
    "CON.json": (unsafe("data/CON.json"), "unsafe_name", "dùng tên dành riêng của Windows"),
    "lpt9 any case": (unsafe("lpt9.tar.gz"), "unsafe_name", "“lpt9.tar.gz” (dùng tên dành riêng"),
    "empty component": (unsafe("a//b"), "unsafe_name", "có thành phần rỗng"),
    "control character": (unsafe("a\x07.json"), "unsafe_name", "“a?.json” (có ký tự điều khiển"),
    "name over 200 chars": (unsafe("a" * 201), "unsafe_name", "dài quá 200 ký tự"),
    "alternate data stream": (unsafe("a.json:evil"), "unsafe_name", "ký tự Windows không cho dùng"),
    "trailing dot": (unsafe("a.json."), "unsafe_name", "kết thúc bằng dấu chấm"),
    "duplicate member names": (entries(GOOD + [GOOD[0]]), "duplicate", "trùng tên “activities.json”"),
    "names equal but for case": (entries(GOOD + [("Units.JSON", b"[]")]), "duplicate", "trùng tên “Units.JSON”"),
    "member not in the manifest": (unsafe("extra.json"), "unlisted", "“extra.json” không có trong danh mục"),
    "manifest member missing": (entries(GOOD[:1], {"members": 0}), "", ""),  # replaced below
    "too many entries": (entries([(f"m{i}.json", b"1") for i in range(9)]), "too_many", "quá nhiều phần (10, tối đa 5)"),
    "too big in total": (entries([("big.json", b"1" * 3000)]), "too_big", "khi giải nén quá lớn"),
    "manifest too big": (entries(GOOD), "manifest_size", "manifest.json lớn bất thường"),
    "newer format": (with_manifest(format_version=3, app_version="0.9.2"), "newer", "cần cập nhật phần mềm lên phiên bản 0.9.2"),
    "invalid JSON manifest": (entries(GOOD, b'{"format": "cdsx",'), "manifest_json", "không phải JSON UTF-8"),
    "NaN in manifest": (entries(GOOD, b'{"format": NaN}'), "manifest_json", "không phải JSON UTF-8"),
    "manifest not an object": (entries(GOOD, b"[1, 2]"), "manifest_object", "phải là một đối tượng JSON"),
    "no manifest": (entries(GOOD, with_manifest=False), "no_manifest", "thiếu phần mô tả manifest.json"),
    "missing key": (with_manifest(app_version=None), "manifest_key", "sai mục “app_version”"),
    "wrongly typed version": (with_manifest(format_version="2"), "manifest_key", "sai mục “format_version”"),
    "bad date": (with_manifest(created_at="hôm qua"), "manifest_key", "sai mục “created_at”"),
    "bad member entry": (member_changed(sha256="XYZ"), "manifest_key", "“members/units.json/sha256”"),
    "negative size": (member_changed(size=-1), "manifest_key", "“members/units.json/size”"),
    "not our format": (with_manifest(format="docx"), "not_ours", "không phải gói dữ liệu của phần mềm này"),
    "CRC error": (bad_crc, "crc", "sai mã kiểm tra CRC"),
    "broken deflate stream": (broken_deflate, "damaged", "bị hỏng, không giải nén được"),
    "encrypted member": (patched(GOOD, flags=0x1), "encrypted", "được đặt mật khẩu"),
    "overlapping entries": (patched(GOOD, header_offset_of="activities.json"), "overlap", "chồng lên nhau"),
    "unsupported method": (entries(GOOD, compression=zipfile.ZIP_BZIP2), "method", "kiểu phần mềm không hỗ trợ"),
}
CASES["manifest member missing"] = (
    lambda tmp, zips: zips.build(tmp / "goi.cdsx", GOOD[:1], zips.manifest_for(GOOD)),
    "missing", "thiếu phần “units.json”",
)
SMALL = {"too many entries": Limits(max_entries=5), "too big in total": Limits(max_total_size=2000),
         "manifest too big": Limits(max_manifest_size=100)}


def refusal(tmp_path: Path, zips, case: str) -> PackageError:
    make, _cause, _fragment = CASES[case]
    path = make(tmp_path, zips)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PackageError) as caught:
        with open_package(path, SMALL.get(case, Limits())) as package:
            for name in package.names():
                package.extract(name, out / name.replace("/", "_"))
    assert list(out.iterdir()) == []  # nothing extracted
    assert sorted(p.name for p in tmp_path.iterdir()) == ["goi.cdsx", "out"]
    return caught.value


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_or_hostile_package_is_refused_with_its_own_reason(tmp_path, zips, case):
    error = refusal(tmp_path, zips, case)
    _make, cause, fragment = CASES[case]
    assert error.cause == cause
    assert fragment in str(error)
    assert str(error).startswith("Tệp “goi.cdsx” ")


def test_every_cause_reads_differently(tmp_path_factory, zips):
    causes_of: dict[str, set[str]] = {}
    for case in CASES:
        error = refusal(tmp_path_factory.mktemp("c"), zips, case)
        causes_of.setdefault(str(error), set()).add(error.cause)
    assert all(len(causes) == 1 for causes in causes_of.values())
    assert len({cause for causes in causes_of.values() for cause in causes}) == len({c for _m, c, _f in CASES.values()})


def test_a_lying_header_stops_the_reading_early(tmp_path, zips, monkeypatch):
    chunks = []
    real = container.pump

    def counting(path, archive, info, limit, sink):
        return real(path, archive, info, limit, lambda chunk: (chunks.append(len(chunk)), sink(chunk)))

    monkeypatch.setattr("core.package.members.pump", counting)
    with pytest.raises(PackageError):
        open_package(header_lies(tmp_path, zips))
    assert sum(chunks) <= 1000  # 20 MiB on the disk, not a byte past the declared size let through


def test_an_old_format_without_upgrade_is_refused(tmp_path, zips, monkeypatch):
    monkeypatch.setattr(container, "UPGRADES", {})
    path = zips.build(tmp_path / "goi.cdsx", GOOD, zips.manifest_for(GOOD, format_version=1))
    with pytest.raises(PackageError, match="định dạng gói số 1 quá cũ") as caught:
        open_package(path)
    assert caught.value.cause == "too_old"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(PackageError, match="“khong_co.cdsx” không còn ở đó"):
        open_package(tmp_path / "khong_co.cdsx")
