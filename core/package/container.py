"""The .cdsx exchange package: a ZIP whose first member, manifest.json, hashes all the others.

A package comes on a USB stick and may be damaged, old, newer or hostile, so open_package checks
everything (names, sizes, compression ratios, every member's SHA-256) before anyone reads from it.
The layout and rules are in docs/package-format.md; the records inside belong to records.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import struct
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import __version__
from core.clock import now_iso
from core.errors import FileProblem
from core.package.members import Package, Source, parse_json, pump, source_chunks, source_digest, source_size
from core.package.package_error import PackageError
from core.package.safe_write import check_room, format_size, unsafe_name_reason, write_safely
from core.progress import Progress

__all__ = ["FORMAT", "FORMAT_VERSION", "MANIFEST", "UPGRADES", "Limits", "Package", "PackageError",
           "open_package", "save_package", "write_package"]

FORMAT = "cdsx"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
MiB, GiB = 1 << 20, 1 << 30


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile package from filling the memory or the disk."""

    max_entries: int = 100_000
    max_total_size: int = 4 * GiB  # all members uncompressed
    max_ratio: int = 200  # uncompressed : compressed, for members above ratio_above
    ratio_above: int = MiB
    max_manifest_size: int = 16 * MiB  # ~100,000 members; JSON parsed in memory, so kept small


def _from_layout_1(manifest: dict) -> dict:
    """Layout 1 (the first release) had no plans.json and no report members; nothing else changed.

    Those members simply stay absent: the records layer asks Package.has(name) and reads them as empty.
    """
    return {**manifest, "format_version": 2}


# old format_version -> a function returning the manifest in the next layout, applied in order;
# it gets a manifest whose format and format_version were checked, nothing else (the result is)
UPGRADES: dict[int, Callable[[dict], dict]] = {1: _from_layout_1}


# --- writing ---------------------------------------------------------------------------------


def write_package(target: Path, manifest: dict, members: dict[str, Source], progress: Progress | None = None) -> dict:
    """Write a package to the plain path ``target`` and return the manifest as written.

    ``manifest`` keys (unit, period, counts...) are kept; format, format_version, members and,
    when missing, app_version and created_at are filled. A Path member is streamed twice (hashed,
    then compressed and hashed again); a member compressing past Limits.max_ratio is stored as is. Raises ValueError for a bad member name, FileProblem for a
    member file that cannot be read or changes meanwhile, OSError when the target cannot be written.
    """
    seen = set()
    for name in members:
        key = unicodedata.normalize("NFC", name).casefold()
        if name == MANIFEST or unsafe_name_reason(name) or key in seen:
            raise ValueError(f"bad package member name: {name!r}")
        seen.add(key)
    total = 2 * sum(source_size(source) for source in members.values())
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress.update(done, total, "Đang ghi gói dữ liệu")

    listed = {name: source_digest(source, tick) for name, source in members.items()}
    final = {"app_version": __version__, "created_at": now_iso(), **manifest}
    final.update(format=FORMAT, format_version=FORMAT_VERSION, members=listed)
    blob = json.dumps(final, ensure_ascii=False, indent=1).encode("utf-8")
    stored: set[str] = set()
    while dense := _write_zip(target, blob, members, listed, stored, tick) - stored:
        stored |= dense  # rare: compressed past what open_package accepts, so written again uncompressed
        total += sum(entry["size"] for entry in listed.values())
    return final


def _write_zip(target: Path, blob: bytes, members: dict[str, Source], listed: dict, stored: set[str], tick) -> set[str]:
    """Write the zip; return the members whose compression ratio open_package would refuse."""
    limits, dense = Limits(), set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.writestr(_entry(MANIFEST, len(blob)), blob)
        for name, source in members.items():
            digest, info = hashlib.sha256(), _entry(name, listed[name]["size"], name in stored)
            with archive.open(info, "w") as out:
                for chunk in source_chunks(source):
                    digest.update(chunk)
                    out.write(chunk)
                    tick(len(chunk))
            if digest.hexdigest() != listed[name]["sha256"]:
                shown = source.name if isinstance(source, Path) else name
                raise FileProblem(f"Tệp “{shown}” đã thay đổi trong lúc xuất gói. Hãy thử xuất lại.")
            if info.file_size > limits.ratio_above and info.file_size > limits.max_ratio * info.compress_size:
                dense.add(name)
    return dense


def save_package(target: Path, manifest: dict, members: dict[str, Source], progress: Progress | None = None,
                 limits: Limits = Limits()) -> dict:
    """Export: check the room on the drive, write through a temporary name, re-open and verify, rename."""
    target = Path(target)
    content = sum(source_size(source) for source in members.values())
    if content > limits.max_total_size:
        raise FileProblem(f"Gói dữ liệu quá lớn (khoảng {format_size(content)}, tối đa "
                          f"{format_size(limits.max_total_size)}). Hãy xuất từng kỳ ngắn hơn hoặc bớt tệp minh chứng.")
    check_room(target.parent, content + 4096 * (len(members) + 1))  # + the zip's own headers
    return write_safely(target, lambda temp: write_package(temp, manifest, members, progress),
                        verify=lambda temp: open_package(temp, limits, progress=progress).close())


def _entry(name: str, size: int, stored: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.file_size, info.external_attr = size, 0o644 << 16
    return info


# --- opening ---------------------------------------------------------------------------------


def open_package(path: Path, limits: Limits = Limits(), *, progress: Progress | None = None,
                 verify: bool = True) -> Package:  # fmt: skip
    """Open and check a whole package (raises PackageError naming the file and the reason).

    ``verify=False`` leaves out hashing every member now, for a package checked already whose members
    are only extracted (``extract`` checks each one it writes)."""
    path = Path(path)
    archive, size = _open_zip(path)
    try:
        infos = _check_entries(path, archive, size, limits)
        manifest, version = _read_manifest(path, archive, infos.pop(MANIFEST, None), limits)
        for name, entry in manifest["members"].items():
            if name not in infos:
                raise PackageError(path, "missing", name=name)
            if infos[name].file_size != entry["size"]:
                raise PackageError(path, "header_size", name=name, header=infos[name].file_size, declared=entry["size"])
        for name in infos:
            if name not in manifest["members"]:
                raise PackageError(path, "unlisted", name=name)
        package = Package(path, archive, manifest, version, infos)
        if verify:
            package.verify_all(progress)
    except BaseException:
        archive.close()
        raise
    return package


def _open_zip(path: Path) -> tuple[zipfile.ZipFile, int]:
    head = b""
    try:
        size = path.stat().st_size
        if size == 0:
            raise PackageError(path, "empty")
        with open(path, "rb") as handle:
            head = handle.read(4)
        return zipfile.ZipFile(path), size
    except FileNotFoundError as exc:
        raise PackageError(path, "no_file") from exc
    except OSError as exc:
        raise PackageError(path, "unreadable") from exc
    except (zipfile.BadZipFile, ValueError, struct.error, EOFError, NotImplementedError, IndexError) as exc:
        raise PackageError(path, "truncated" if head == b"PK\x03\x04" else "not_zip") from exc


def _check_entries(path: Path, archive: zipfile.ZipFile, size: int, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """Names, duplicates, encryption, methods, ratios, total size and overlaps, from the headers."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise PackageError(path, "too_many", count=len(entries), limit=limits.max_entries)
    infos, seen, total = {}, set(), 0
    for info in entries:
        name = info.orig_filename  # as stored: zipfile turns "\\" into "/" in .filename on Windows
        why = unsafe_name_reason(name)
        if why:
            raise PackageError(path, "unsafe_name", name=name, why=why)
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen:
            raise PackageError(path, "duplicate", name=name)
        seen.add(key)
        infos[name] = info
        if info.flag_bits & 0x41:
            raise PackageError(path, "encrypted", name=name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(path, "method", name=name)
        if info.file_size > limits.ratio_above and info.file_size > limits.max_ratio * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackageError(path, "bomb", name=name, ratio=ratio, limit=limits.max_ratio)
        total += info.file_size
        if total > limits.max_total_size:
            raise PackageError(path, "too_big", limit=format_size(limits.max_total_size))
    spans = sorted((info.header_offset, info.header_offset + 30 + info.compress_size) for info in entries)
    for (_start, end), (next_start, _end) in zip(spans, spans[1:] + [(size, size)]):
        if end > next_start:
            raise PackageError(path, "overlap")
    return infos


def _read_manifest(path: Path, archive, info, limits: Limits) -> tuple[dict, int]:
    """The manifest, checked and upgraded to FORMAT_VERSION, and the version the file had."""
    if info is None:
        raise PackageError(path, "no_manifest")
    if info.file_size > limits.max_manifest_size:
        raise PackageError(path, "manifest_size", size=format_size(info.file_size))
    chunks: list[bytes] = []
    pump(path, archive, info, info.file_size, chunks.append)
    try:
        manifest = parse_json(b"".join(chunks))
    except ValueError:
        raise PackageError(path, "manifest_json") from None
    if not isinstance(manifest, dict):
        raise PackageError(path, "manifest_object")
    if not isinstance(manifest.get("format"), str):
        raise PackageError(path, "manifest_key", key="format")
    if manifest["format"] != FORMAT:
        raise PackageError(path, "not_ours", format=manifest["format"])
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PackageError(path, "manifest_key", key="format_version")
    if version > FORMAT_VERSION:
        app = manifest.get("app_version")
        app = app if isinstance(app, str) and 0 < len(app) <= 40 and app.isprintable() else "mới nhất"
        raise PackageError(path, "newer", version=version, supported=FORMAT_VERSION, app_version=app)
    current = version
    while current < FORMAT_VERSION:
        if current not in UPGRADES:
            raise PackageError(path, "too_old", version=version)
        manifest = UPGRADES[current](manifest)
        if manifest["format_version"] <= current:
            raise RuntimeError(f"upgrade from format {current} does not move forward")
        current = manifest["format_version"]
    _check_keys(path, manifest)
    return manifest, version


def _check_keys(path: Path, manifest: dict) -> None:
    for key in ("app_version", "created_at"):
        if not isinstance(manifest.get(key), str):
            raise PackageError(path, "manifest_key", key=key)
    try:
        dt.datetime.fromisoformat(manifest["created_at"])
    except ValueError:
        raise PackageError(path, "manifest_key", key="created_at") from None
    members = manifest.get("members")
    if not isinstance(members, dict):
        raise PackageError(path, "manifest_key", key="members")
    for name, entry in members.items():
        why = unsafe_name_reason(name) or ("tên dành riêng cho phần mô tả" if name == MANIFEST else None)
        if why:
            raise PackageError(path, "unsafe_name", name=name, why=why)
        sha, size = (entry.get("sha256"), entry.get("size")) if isinstance(entry, dict) else (None, None)
        if not (isinstance(sha, str) and len(sha) == 64 and set(sha) <= set("0123456789abcdef")):
            raise PackageError(path, "manifest_key", key=f"members/{name}/sha256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise PackageError(path, "manifest_key", key=f"members/{name}/size")
