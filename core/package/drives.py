"""The USB drives an officer can export a package to (or import one from).

Windows: every removable drive letter, plus fixed drives on the USB bus (USB hard disks),
found with kernel32 through ctypes. Linux and others: the volumes mounted under /media and
/run/media. A drive that disappears while being listed is skipped, never an error.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

MOUNTS = Path("/proc/self/mounts")
MEDIA_ROOTS = (Path("/media"), Path("/run/media"))

# File systems that are never a drive the officer can pick, even if mounted under /media.
_PSEUDO = {
    "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
    "fusectl", "hugetlbfs", "mqueue", "nsfs", "overlay", "proc", "pstore", "ramfs", "securityfs",
    "squashfs", "sysfs", "tmpfs", "tracefs",
}

DRIVE_REMOVABLE, DRIVE_FIXED = 2, 3
BUS_TYPE_USB = 7
IOCTL_STORAGE_QUERY_PROPERTY = 0x2D1400
_SEM_FAILCRITICALERRORS, _SEM_NOOPENFILEERRORBOX = 0x0001, 0x8000


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str  # what the officer sees, e.g. "USB (E:) — KINGSTON"
    free_bytes: int
    total_bytes: int
    filesystem: str  # "vfat", "exfat", "FAT32", "NTFS"... ("" when unknown)
    removable: bool  # the drive can be unplugged (USB stick or USB hard disk)


def list_drives(mounts: Path = MOUNTS, roots: tuple[Path, ...] = MEDIA_ROOTS) -> list[Drive]:
    """The USB drives present now, sorted by path ([] when there is none)."""
    if sys.platform == "win32":
        return windows_drives(_kernel32())
    return media_drives(mounts, roots)


# --- Linux and others: the mount table ---------------------------------------------------

_OCTAL = re.compile(r"\\([0-7]{3})")


def read_mounts(mounts: Path = MOUNTS) -> list[tuple[str, str, str]]:
    """(device, mount point, file system) of every line of a mounts file (raises OSError)."""
    table = []
    for line in Path(mounts).read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        fields = line.split()
        if len(fields) >= 3:
            device, point, fstype = (_OCTAL.sub(lambda m: chr(int(m.group(1), 8)), f) for f in fields[:3])
            table.append((device, point, fstype))
    return table


def media_drives(mounts: Path = MOUNTS, roots: tuple[Path, ...] = MEDIA_ROOTS, usage=shutil.disk_usage) -> list[Drive]:
    """Volumes mounted one or two levels below a root (/media/X, /media/user/X, /run/media/user/X)."""
    try:
        table = read_mounts(mounts)
    except OSError:
        return []
    found: dict[str, Drive] = {}
    for _device, point, fstype in table:
        if fstype in _PSEUDO or not _below_root(point, roots):
            continue
        try:
            space = usage(point)
        except OSError:  # unplugged since the table was read
            continue
        path = Path(point)
        found[point] = Drive(path, f"USB — {path.name}", space.free, space.total, fstype, True)
    return sorted(found.values(), key=lambda drive: str(drive.path))


def _below_root(point: str, roots: tuple[Path, ...]) -> bool:
    for root in roots:
        try:
            depth = len(Path(point).relative_to(root).parts)
        except ValueError:
            continue
        if 1 <= depth <= 2:
            return True
    return False


# --- Windows: kernel32 through ctypes (the calls are made on Windows only) --------------


def _kernel32():
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    kernel32.DeviceIoControl.restype = wintypes.BOOL
    kernel32.DeviceIoControl.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.LPVOID, wintypes.DWORD,
                                         wintypes.LPVOID, wintypes.DWORD, ctypes.POINTER(wintypes.DWORD),
                                         wintypes.LPVOID]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    return kernel32


def volume_info(kernel32, root: str) -> tuple[str, str] | None:
    """(volume label, file system name) of a volume root such as "E:\\" (None: no medium)."""
    label, fs_name = ctypes.create_unicode_buffer(261), ctypes.create_unicode_buffer(261)
    if not kernel32.GetVolumeInformationW(root, label, 261, None, None, None, fs_name, 261):
        return None
    return label.value, fs_name.value


def bus_type(descriptor: bytes) -> int | None:
    """BusType of a STORAGE_DEVICE_DESCRIPTOR (7 is USB); None when the buffer is too short."""
    if len(descriptor) < 32:
        return None
    return struct.unpack_from("<I", descriptor, 28)[0]


class _PropertyQuery(ctypes.Structure):  # STORAGE_PROPERTY_QUERY: StorageDeviceProperty, standard query
    _fields_ = [("PropertyId", ctypes.c_uint32), ("QueryType", ctypes.c_uint32), ("Extra", ctypes.c_ubyte * 4)]


def _on_usb_bus(kernel32, letter: str) -> bool:
    handle = kernel32.CreateFileW(f"\\\\.\\{letter}:", 0, 3, None, 3, 0, None)  # share read+write, open existing
    if handle in (None, 0, ctypes.c_void_p(-1).value, -1):
        return False
    try:
        out, returned = ctypes.create_string_buffer(1024), ctypes.c_uint32(0)
        query = _PropertyQuery(0, 0)
        if not kernel32.DeviceIoControl(handle, IOCTL_STORAGE_QUERY_PROPERTY, ctypes.byref(query),
                                        ctypes.sizeof(query), out, ctypes.sizeof(out), ctypes.byref(returned), None):
            return False
        return bus_type(out.raw[: returned.value]) == BUS_TYPE_USB
    finally:
        kernel32.CloseHandle(handle)


def windows_drives(kernel32, usage=shutil.disk_usage) -> list[Drive]:
    """Removable drive letters, and fixed ones on the USB bus; a letter without a medium is skipped."""
    drives = []
    old_mode = kernel32.SetErrorMode(_SEM_FAILCRITICALERRORS | _SEM_NOOPENFILEERRORBOX)  # no "insert a disk" box
    try:
        mask = kernel32.GetLogicalDrives()
        for index in range(26):
            if not mask & (1 << index):
                continue
            letter = chr(ord("A") + index)
            root = f"{letter}:\\"
            kind = kernel32.GetDriveTypeW(root)
            if kind == DRIVE_REMOVABLE:
                prefix = "USB"
            elif kind == DRIVE_FIXED and _on_usb_bus(kernel32, letter):
                prefix = "Ổ cứng USB"
            else:
                continue
            info = volume_info(kernel32, root)
            if info is None:
                continue
            try:
                space = usage(root)
            except OSError:
                continue
            label = f"{prefix} ({letter}:)" + (f" — {info[0]}" if info[0] else "")
            drives.append(Drive(Path(root), label, space.free, space.total, info[1], True))
    finally:
        kernel32.SetErrorMode(old_mode)
    return drives
