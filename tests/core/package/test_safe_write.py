"""write_safely, check_room, filesystem_of, safe_file_name and unsafe_name_reason on real files."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import unicodedata
from collections import namedtuple
from pathlib import Path

import pytest

from core.errors import FileProblem, UserError
from core.package import safe_write
from core.package.safe_write import (
    check_room, filesystem_of, format_size, mounted_filesystem, safe_file_name, unsafe_name_reason,
    write_safely,
)

GiB = 1 << 30


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_success_leaves_only_the_final_file_and_returns_what_write_returned(tmp_path):
    (tmp_path / "goi.cdsx").write_bytes(b"old")
    seen = []
    result = write_safely(tmp_path / "goi.cdsx", lambda temp: temp.write_bytes(b"new") and "done",
                          verify=lambda temp: seen.append(temp.read_bytes()))
    assert result == "done" and seen == [b"new"]
    assert files_in(tmp_path) == {"goi.cdsx": b"new"}


def failing_write(code: int):
    def write(temp: Path) -> None:
        temp.write_bytes(b"half of a pack")
        raise OSError(code, os.strerror(code))
    return write


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "Ổ đĩa đã đầy"),
    (errno.EIO, "ổ USB có thể đã bị rút ra"),
    (errno.ENODEV, "ổ USB có thể đã bị rút ra"),
    (errno.EROFS, "chỉ cho phép đọc"),
    (errno.EACCES, "Không có quyền ghi"),
    (errno.EFBIG, "FAT32 không chứa được tệp từ 4 GB trở lên"),
    (errno.EBUSY, "Không ghi được “goi.cdsx”"),
])
def test_an_os_error_leaves_no_temporary_and_the_old_file_untouched(tmp_path, code, words):
    (tmp_path / "goi.cdsx").write_bytes(b"old")
    with pytest.raises(FileProblem) as caught:
        write_safely(tmp_path / "goi.cdsx", failing_write(code))
    assert words in str(caught.value)
    assert files_in(tmp_path) == {"goi.cdsx": b"old"}


def test_disk_full_on_a_new_file_leaves_nothing(tmp_path):
    with pytest.raises(FileProblem, match="đầy"):
        write_safely(tmp_path / "goi.cdsx", failing_write(errno.ENOSPC))
    assert files_in(tmp_path) == {}


def test_a_failed_verification_keeps_the_old_file(tmp_path):
    (tmp_path / "goi.cdsx").write_bytes(b"old")

    def verify(temp: Path) -> None:
        raise UserError("mã kiểm tra không khớp")

    with pytest.raises(FileProblem) as caught:
        write_safely(tmp_path / "goi.cdsx", lambda temp: temp.write_bytes(b"new"), verify)
    assert "đọc lại “goi.cdsx” thấy không đúng" in str(caught.value)
    assert "mã kiểm tra không khớp" in str(caught.value)
    assert files_in(tmp_path) == {"goi.cdsx": b"old"}


def test_a_failing_rename_keeps_the_old_file(tmp_path, monkeypatch):
    (tmp_path / "goi.cdsx").write_bytes(b"old")
    monkeypatch.setattr(safe_write.os, "replace", lambda *args: (_ for _ in ()).throw(OSError(errno.EIO, "I/O")))
    with pytest.raises(FileProblem, match="rút ra"):
        write_safely(tmp_path / "goi.cdsx", lambda temp: temp.write_bytes(b"new"))
    assert files_in(tmp_path) == {"goi.cdsx": b"old"}


def test_a_bug_in_write_is_not_dressed_up_but_still_cleaned(tmp_path):
    def write(temp: Path) -> None:
        temp.write_bytes(b"x")
        raise KeyError("bug")

    with pytest.raises(KeyError):
        write_safely(tmp_path / "goi.cdsx", write)
    assert files_in(tmp_path) == {}


Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def drive(monkeypatch):
    """A drive whose file system and free space the test sets."""
    state = {"fs": "vfat", "free": 64 * GiB}
    monkeypatch.setattr(safe_write, "filesystem_of", lambda folder: state["fs"])
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: Usage(128 * GiB, 0, state["free"]))
    return state


def test_fat32_refuses_a_file_of_4_gb_or_more(tmp_path, drive):
    check_room(tmp_path, 4 * GiB - 1)
    with pytest.raises(FileProblem, match="FAT32 không chứa được tệp từ 4 GB trở lên"):
        check_room(tmp_path, 4 * GiB)
    drive["fs"] = "exfat"
    check_room(tmp_path, 5 * GiB)


def test_too_little_free_space_is_refused_with_both_sizes(tmp_path, drive):
    drive["fs"], drive["free"] = "ext4", 100 << 20
    check_room(tmp_path, 90 << 20)
    with pytest.raises(FileProblem, match=r"chỉ còn trống 100 MB, không đủ cho gói cần khoảng 150 MB"):
        check_room(tmp_path, 150 << 20)


def mount_line(device: str, point: Path | str, fstype: str) -> str:
    """A /proc/self/mounts line: spaces and backslashes in the mount point written as octal escapes."""
    escaped = str(point).replace("\\", "\\134").replace(" ", "\\040")
    return f"{device} {escaped} {fstype} rw,nosuid 0 0\n"


def test_the_longest_mount_point_gives_the_file_system_and_spaces_are_decoded(tmp_path):
    (tmp_path / "My USB" / "bao cao").mkdir(parents=True)
    root = Path(os.path.realpath(tmp_path))
    mounts = tmp_path / "mounts"
    mounts.write_text(mount_line("/dev/sda1", root.anchor, "ext4") + mount_line("proc", "/proc", "proc")
                      + mount_line("/dev/sdb1", root / "My USB", "vfat"), encoding="utf-8")
    assert mounted_filesystem(tmp_path / "My USB" / "bao cao", mounts) == "vfat"
    assert mounted_filesystem(tmp_path / "My USB", mounts) == "vfat"
    assert mounted_filesystem(tmp_path, mounts) == "ext4"
    assert mounted_filesystem(tmp_path, tmp_path / "no such file") == ""


def test_filesystem_of_names_the_file_system_of_a_real_folder(tmp_path):
    assert isinstance(filesystem_of(tmp_path), str)
    if sys.platform.startswith("linux"):
        assert filesystem_of(tmp_path) == mounted_filesystem(tmp_path) != ""


@pytest.mark.parametrize("text, expected", [
    ("Xã Hải Lăng", "XaHaiLang"),
    ("Đắk Lắk", "DakLak"),
    ("Phường Đống Đa", "PhuongDongDa"),
    ("UBND xã Hải Lăng", "UBNDXaHaiLang"),
    ("6 tháng đầu năm 2025", "6ThangDauNam2025"),
    ("a/b\\c:d*e?f<g>h|i\"j", "ABCDEFGHIJ"),
    ("Hải–Lăng (cũ)", "HaiLangCu"),
    ("con", "Con_"),
    ("COM1", "COM1_"),
    ("", "GoiDuLieu"),
    ("   —   ", "GoiDuLieu"),
])
def test_safe_file_name(text, expected):
    assert safe_file_name(text) == expected


def test_safe_file_name_is_bounded_ascii_and_ignores_the_unicode_form():
    long_name = safe_file_name("Ủy ban nhân dân xã " * 20)
    assert len(long_name) == 60 and re.fullmatch(r"[A-Za-z0-9]+", long_name)
    assert safe_file_name(unicodedata.normalize("NFD", "Xã Hải Lăng")) == "XaHaiLang"
    assert f"BaoCao_{safe_file_name('Xã Hải Lăng')}_6thang_2025.cdsx" == "BaoCao_XaHaiLang_6thang_2025.cdsx"


@pytest.mark.parametrize("name", ["activities.json", "evidence/2025/ảnh hội nghị.jpg", "report/bao_cao.docx"])
def test_ordinary_member_names_are_safe(name):
    assert unsafe_name_reason(name) is None


@pytest.mark.parametrize("name", ["", "../x", "a/../../x", "/abs", "C:/x", "c:x", "a\\b", "CON.json", "con",
                                  "x/Aux.tar.gz", "COM9", "lpt1.txt", "a//b", "./a", "a/", "a\x00b", "a\u202eb",
                                  "a" * 201, "a:b", "a?.json", "a.", "a ", "CON .json"])
def test_unsafe_member_names_have_a_reason(name):
    assert unsafe_name_reason(name)


@pytest.mark.parametrize("size, text", [(0, "0 byte"), (1536, "1,5 KB"), (150 << 20, "150 MB"), (4 * GiB, "4 GB")])
def test_format_size(size, text):
    assert format_size(size) == text
