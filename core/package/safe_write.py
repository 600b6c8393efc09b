"""Writing a file to a USB stick so that a failure never leaves half a file under its name.

The data goes to a temporary name in the same folder, is flushed to the device, checked by the
caller, and only then renamed over the final name. Disk full, a stick pulled out, a read-only
drive: the officer gets a Vietnamese sentence, the temporary file is removed and an older file
with the same name is left as it was.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core.errors import FileProblem, UserError
from core.package.drives import MOUNTS, read_mounts, volume_info
from core.progress import Cancelled
from core.text import fold, format_number

T = TypeVar("T")

GiB = 1 << 30
FAT_MAX_FILE = 4 * GiB  # FAT32 holds files up to 4 GiB - 1 byte
FAT_NAMES = {"vfat", "fat", "fat12", "fat16", "fat32", "msdos"}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{device}{n}" for device in ("COM", "LPT") for n in range(1, 10)
}

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_GONE = {errno.EIO, errno.ENODEV, errno.ENXIO, errno.ENOENT, getattr(errno, "ENOMEDIUM", errno.EIO),
         getattr(errno, "ESTALE", errno.EIO), getattr(errno, "EREMOTEIO", errno.EIO)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
# Windows error codes: disk full; not ready, device gone, CRC, I/O device error; write-protected, access denied
_WIN_FULL, _WIN_GONE, _WIN_READ_ONLY = {39, 112}, {21, 23, 55, 483, 1117, 1167}, {5, 19}


def format_size(size: int) -> str:
    """1536 -> "1,5 KB"; 4 * 2**30 -> "4 GB" (powers of 1024, Vietnamese decimal comma)."""
    for unit, scale in (("GB", GiB), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{format_number(round(size / scale, 1))} {unit}"
    return f"{format_number(size)} byte"


def os_error(exc: OSError, target: Path) -> FileProblem:
    """The Vietnamese sentence for an OSError met while writing ``target``."""
    target = Path(target)
    where, kept = f"“{target.parent}”", "Tệp cũ cùng tên (nếu có) vẫn được giữ nguyên."
    code, win = exc.errno, getattr(exc, "winerror", None)
    if code in _FULL or win in _WIN_FULL:
        text = f"Ổ đĩa đã đầy nên chưa ghi được “{target.name}” vào {where}. Hãy xóa bớt tệp hoặc chọn ổ khác rồi thử lại. {kept}"
    elif code == errno.EFBIG:
        text = f"Tệp “{target.name}” quá lớn đối với ổ đĩa này (FAT32 không chứa được tệp từ 4 GB trở lên). Hãy chọn ổ định dạng exFAT hoặc NTFS. {kept}"
    elif code in _GONE or win in _WIN_GONE:
        text = f"Không ghi được vào {where} (ổ USB có thể đã bị rút ra hoặc bị lỗi). Hãy cắm lại ổ rồi thử lại. {kept}"
    elif code in _READ_ONLY or win in _WIN_READ_ONLY:
        text = f"Không có quyền ghi vào {where}: ổ chỉ cho phép đọc (có thể đang gạt khóa chống ghi) hoặc thư mục bị khóa. Hãy mở khóa hoặc chọn thư mục khác."
    elif code in (errno.ENAMETOOLONG, errno.EINVAL):
        text = f"Tên tệp “{target.name}” hoặc đường dẫn không dùng được trên ổ này. Hãy chọn thư mục ngắn hơn."
    else:
        text = f"Không ghi được “{target.name}” vào {where} ({exc.strerror or exc}). {kept}"
    return FileProblem(text)


def write_safely(target: Path, write: Callable[[Path], T], verify: Callable[[Path], None] | None = None) -> T:
    """Write ``target`` through ``write(temp)``, flush it, ``verify(temp)``, then rename it into place.

    Raises FileProblem (a UserError) for an OSError or a failed verification; the temporary
    file is removed and an existing ``target`` is never touched unless everything succeeded.
    """
    target = Path(target)
    partial = target.with_name(f".~{target.name}.partial")
    try:
        result = write(partial)
        with open(partial, "r+b") as written:  # FlushFileBuffers needs write access on Windows
            os.fsync(written.fileno())
        if verify is not None:
            _verify(verify, partial, target)
        os.replace(partial, target)
    except OSError as exc:
        _remove(partial)
        raise os_error(exc, target) from exc
    except BaseException:
        _remove(partial)
        raise
    _fsync_folder(target.parent)
    return result


def _verify(verify: Callable[[Path], None], partial: Path, target: Path) -> None:
    try:
        verify(partial)
    except Cancelled:
        raise
    except UserError as exc:
        raise FileProblem(
            f"Đã ghi xong nhưng đọc lại “{target.name}” thấy không đúng, nên tệp chưa được lưu "
            "(tệp cũ cùng tên, nếu có, vẫn giữ nguyên). Ổ đĩa có thể bị lỗi: hãy thử ghi sang ổ USB khác.\n"
            f"Chi tiết: {exc}"
        ) from exc


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # the device is gone: nothing more can be done
        pass


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the OS allows opening a folder (not Windows)."""
    if sys.platform == "win32":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def check_room(folder: Path, needed_bytes: int) -> None:
    """Refuse (FileProblem) a file of ``needed_bytes`` that FAT32 or the free space cannot take."""
    folder = Path(folder)
    filesystem = filesystem_of(folder)
    if filesystem.lower() in FAT_NAMES and needed_bytes >= FAT_MAX_FILE:
        raise FileProblem(
            f"Ổ “{folder}” dùng định dạng FAT32, mà FAT32 không chứa được tệp từ 4 GB trở lên "
            f"(gói cần khoảng {format_size(needed_bytes)}). Hãy chọn ổ định dạng exFAT hoặc NTFS, "
            "hoặc xuất từng kỳ ngắn hơn, ít tệp minh chứng hơn."
        )
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise os_error(exc, folder / "(gói dữ liệu)") from exc
    if free < needed_bytes + needed_bytes // 100 + (1 << 20):  # 1% and 1 MB for the zip's own records
        raise FileProblem(
            f"Ổ “{folder}” chỉ còn trống {format_size(free)}, không đủ cho gói cần khoảng "
            f"{format_size(needed_bytes)}. Hãy xóa bớt tệp trên ổ hoặc chọn ổ khác."
        )


def filesystem_of(folder: Path) -> str:
    """The file system holding ``folder`` ("vfat", "exfat", "FAT32", "NTFS"...; "" when unknown)."""
    if sys.platform == "win32":
        return _windows_filesystem(folder)
    return mounted_filesystem(folder) if sys.platform.startswith("linux") else ""


def mounted_filesystem(folder: Path, mounts: Path = MOUNTS) -> str:
    """The file system of the longest mount point holding ``folder`` in a mounts table ("" if none)."""
    try:
        table = read_mounts(mounts)
    except OSError:
        return ""
    where = Path(os.path.realpath(folder))
    best_depth, best_type = -1, ""
    for _device, point, fstype in table:
        depth = len(Path(point).parts)
        if where.is_relative_to(point) and depth >= best_depth:  # the deepest (when stacked, the last) wins
            best_depth, best_type = depth, fstype
    return best_type


def _windows_filesystem(folder: Path) -> str:
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    root = ctypes.create_unicode_buffer(1024)
    if not kernel32.GetVolumePathNameW(str(Path(folder).absolute()), root, 1024):
        return ""
    info = volume_info(kernel32, root.value)
    return info[1] if info else ""


def safe_file_name(text: str, *, fallback: str = "GoiDuLieu", max_length: int = 60) -> str:
    """An ASCII name that FAT32 and Windows accept: "Xã Hải Lăng" -> "XaHaiLang".

    Tone marks go, đ becomes d, every word starts with a capital letter (other capitals stay),
    anything but letters and digits is dropped; never empty, never a reserved Windows name.
    """
    plain = []
    for char in unicodedata.normalize("NFC", text or ""):
        if char.isascii():
            plain.append(char)
        else:
            folded = fold(char) or " "  # tone marks and đ folded; other symbols separate words
            plain.append(folded.upper() if char.isupper() else folded)
    words = [w for w in re.split(r"[^0-9A-Za-z]+", "".join(plain)) if w]
    name = "".join(w[0].upper() + w[1:] for w in words)[:max_length] or fallback
    return name + "_" if name.upper() in WINDOWS_RESERVED else name


_WINDOWS_FORBIDDEN = set('<>:"|?*')
MAX_NAME_LENGTH = 200


def unsafe_name_reason(name: str) -> str | None:
    """Why a "/"-separated relative name cannot be written safely on Windows or Linux (None: it can)."""
    if not name:
        return "tên rỗng"
    if len(name) > MAX_NAME_LENGTH:
        return f"dài quá {MAX_NAME_LENGTH} ký tự"
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        return "có ký tự điều khiển"
    if "\\" in name:
        return "có dấu gạch ngược \\"
    if name.startswith("/"):
        return "là đường dẫn tuyệt đối"
    if re.match(r"[A-Za-z]:", name):
        return "có tên ổ đĩa"
    for part in name.split("/"):
        if part in ("", "."):
            return "có thành phần rỗng hoặc “.”"
        if part == "..":
            return "trỏ ra ngoài thư mục (..)"
        if _WINDOWS_FORBIDDEN & set(part):
            return "có ký tự Windows không cho dùng trong tên tệp"
        if part.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED:
            return "dùng tên dành riêng của Windows"
        if part[-1] in ". ":
            return "kết thúc bằng dấu chấm hoặc khoảng trắng"
    return None
