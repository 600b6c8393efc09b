"""The USB drive list: a fake mount table on Linux, a fake kernel32 for the Windows logic."""

from __future__ import annotations

import ctypes
import os
import struct
import sys
from collections import namedtuple
from pathlib import Path

from core.package import drives
from core.package.drives import Drive, bus_type, list_drives, media_drives, windows_drives

Usage = namedtuple("Usage", "total used free")


def mount_line(device: str, point: Path | str, fstype: str) -> str:
    """A /proc/self/mounts line: spaces and backslashes in the mount point written as octal escapes."""
    escaped = str(point).replace("\\", "\\134").replace(" ", "\\040")
    return f"{device} {escaped} {fstype} rw,nosuid,uhelper=udisks2 0 0\n"


def test_mounted_usb_volumes_are_listed_and_the_rest_ignored(tmp_path):
    media = Path(os.path.realpath(tmp_path)) / "media"
    for folder in ("u/KINGSTON", "u/MY DISK", "u/ram", "a/b/c/deep"):
        (media / folder).mkdir(parents=True)
    mounts = tmp_path / "mounts"
    mounts.write_text("".join([
        mount_line("proc", "/proc", "proc"),
        mount_line("sysfs", "/sys", "sysfs"),
        mount_line("/dev/sda2", "/home", "ext4"),
        mount_line("tmpfs", media / "u" / "ram", "tmpfs"),
        mount_line("/dev/sdb1", media / "u" / "KINGSTON", "vfat"),
        mount_line("/dev/sdc1", media / "u" / "MY DISK", "exfat"),
        mount_line("/dev/sdd1", media / "u" / "GONE", "vfat"),  # unplugged since: its folder is gone
        mount_line("/dev/sde1", media / "a" / "b" / "c" / "deep", "vfat"),  # deeper than an automount
        "broken line\n",
    ]), encoding="utf-8")
    found = media_drives(mounts, roots=(media,))
    assert [(d.path, d.label, d.filesystem, d.removable) for d in found] == [
        (media / "u" / "KINGSTON", "USB — KINGSTON", "vfat", True),
        (media / "u" / "MY DISK", "USB — MY DISK", "exfat", True),
    ]
    assert all(d.total_bytes >= d.free_bytes > 0 for d in found)
    if sys.platform != "win32":
        assert list_drives(mounts, roots=(media,)) == found


def test_no_mount_table_means_no_drive(tmp_path):
    assert media_drives(tmp_path / "missing", roots=(tmp_path,)) == []


def test_a_drive_vanishing_during_the_listing_is_skipped(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(mount_line("/dev/sdb1", "/media/u/A", "vfat") + mount_line("/dev/sdc1", "/media/u/B", "vfat"))

    def usage(point: str):
        if point.endswith("A"):
            raise OSError(5, "I/O error")
        return Usage(100, 50, 50)

    assert [d.label for d in media_drives(mounts, (Path("/media"),), usage)] == ["USB — B"]


def descriptor(bus: int) -> bytes:
    return struct.pack("<IIBBBBIIIII", 1, 40, 0, 0, 0, 0, 0, 0, 0, 0, bus)


def test_bus_type_reads_the_storage_descriptor():
    assert bus_type(descriptor(7)) == 7
    assert bus_type(descriptor(11)) == 11  # SATA
    assert bus_type(b"\x00" * 10) is None


class FakeKernel32:
    """C: fixed SATA disk, E: USB stick, F: USB hard disk, G: empty card reader, H: network."""

    types = {"C": 3, "E": 2, "F": 3, "G": 2, "H": 4}
    volumes = {"C": ("Windows", "NTFS"), "E": ("KINGSTON", "FAT32"), "F": ("", "exFAT")}
    buses = {"C": 11, "F": 7}

    def __init__(self):
        self.modes = []
        self.closed = []

    def SetErrorMode(self, mode):  # noqa: N802 (kernel32 names)
        self.modes.append(mode)
        return 0

    def GetLogicalDrives(self):  # noqa: N802
        return sum(1 << (ord(letter) - ord("A")) for letter in self.types)

    def GetDriveTypeW(self, root):  # noqa: N802
        return self.types[root[0]]

    def GetVolumeInformationW(self, root, label, label_size, serial, length, flags, fs_name, fs_size):  # noqa: N802
        if root[0] not in self.volumes:
            return 0
        label.value, fs_name.value = self.volumes[root[0]]
        return 1

    def CreateFileW(self, name, *args):  # noqa: N802
        return 100 + ord(name[-2])

    def DeviceIoControl(self, handle, code, query, query_size, out, out_size, returned, overlapped):  # noqa: N802
        raw = descriptor(self.buses[chr(handle - 100)])
        ctypes.memmove(out, raw, len(raw))
        returned._obj.value = len(raw)
        return 1

    def CloseHandle(self, handle):  # noqa: N802
        self.closed.append(handle)


def test_windows_lists_removable_drives_and_usb_hard_disks_only():
    kernel32 = FakeKernel32()
    found = windows_drives(kernel32, usage=lambda root: Usage(32 << 30, 0, 8 << 30))
    assert found == [
        Drive(Path("E:\\"), "USB (E:) — KINGSTON", 8 << 30, 32 << 30, "FAT32", True),
        Drive(Path("F:\\"), "Ổ cứng USB (F:)", 8 << 30, 32 << 30, "exFAT", True),
    ]
    assert kernel32.modes == [0x8001, 0]  # no "insert a disk" box, then the old mode back
    assert sorted(kernel32.closed) == [100 + ord("C"), 100 + ord("F")]


def test_listing_the_real_drives_never_fails():
    assert all(isinstance(drive, drives.Drive) for drive in list_drives())
