"""Member bytes of a .cdsx package: streamed in bounded chunks, hashed, never trusted unchecked.

Package (returned by container.open_package) reads members; the helpers below also feed
write_package from bytes or from files too big to load whole.
"""

from __future__ import annotations

import copy
import hashlib
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from core.errors import FileProblem
from core.package.package_error import PackageError
from core.package.safe_write import os_error, write_safely
from core.progress import Progress

CHUNK = 1 << 20
KEEP_BYTES = 64 << 20  # record members up to this size are kept from the check for reading
Source = bytes | Path  # a member given to write_package


class Package:
    """An opened package whose every member was checked; use it in a ``with`` block (it holds the file)."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, manifest: dict, format_version: int,
                 infos: dict[str, zipfile.ZipInfo]):
        self.path = path
        self.manifest = manifest  # upgraded to the current layout
        self.format_version = format_version  # as written in the file (older ones were upgraded)
        self._archive = archive
        self._infos = infos
        self._closed = False
        self._kept: dict[str, bytes] = {}

    def names(self) -> list[str]:
        return sorted(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def size(self, name: str) -> int:
        return self._entry(name)["size"]

    def read_bytes(self, name: str) -> bytes:
        kept = self._kept.pop(name, None)  # a record member verified by verify_all, read once
        if kept is not None:
            return kept
        chunks: list[bytes] = []
        self._verify(name, chunks.append)
        return b"".join(chunks)

    def read_json(self, name: str):
        try:
            return parse_json(self.read_bytes(name))
        except ValueError:
            raise PackageError(self.path, "member_json", name=name) from None

    def extract(self, name: str, dest: Path) -> Path:
        """Stream a member to ``dest`` through a temporary name, its hash checked again on the way."""
        dest = Path(dest)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, dest) from exc

        def write(temp: Path) -> None:
            with open(temp, "wb") as out:
                self._verify(name, out.write)

        write_safely(dest, write)
        return dest

    def verify_all(self, progress: Progress | None = None) -> None:
        """Check every member's size and SHA-256 (open_package does it before returning)."""
        total = sum(entry["size"] for entry in self.manifest["members"].values())
        done = 0

        def tick(chunk: bytes) -> None:
            nonlocal done
            done += len(chunk)
            if progress is not None:
                progress.update(done, total, "Đang kiểm tra gói dữ liệu")

        for name in self.names():
            if name.endswith(".json") and self.manifest["members"][name]["size"] <= KEEP_BYTES:
                chunks: list[bytes] = []
                self._verify(name, lambda chunk: (tick(chunk), chunks.append(chunk)))
                self._kept[name] = b"".join(chunks)  # verified: read_json need not unpack it again
            else:
                self._verify(name, tick)

    def close(self) -> None:
        self._kept.clear()
        self._archive.close()
        self._closed = True

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _entry(self, name: str) -> dict:
        if name not in self._infos:
            raise PackageError(self.path, "absent", name=name)
        return self.manifest["members"][name]

    def _verify(self, name: str, sink: Callable[[bytes], object]) -> None:
        if self._closed:
            raise ValueError("the package is closed")
        entry = self._entry(name)
        digest = hashlib.sha256()

        def take(chunk: bytes) -> None:
            digest.update(chunk)
            sink(chunk)

        count = pump(self.path, self._archive, self._infos[name], entry["size"], take)
        if count != entry["size"]:
            raise PackageError(self.path, "size", name=name, actual=count, declared=entry["size"])
        if digest.hexdigest() != entry["sha256"]:
            raise PackageError(self.path, "hash", name=name)


def parse_json(data: bytes):
    """JSON from UTF-8 bytes; ValueError for bad UTF-8, bad JSON, NaN/Infinity or too deep nesting."""

    try:  # orjson (Rust): several times faster on 300,000 records; strict UTF-8, no NaN/Infinity
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None


def pump(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, sink) -> int:
    """Decompress one member into ``sink`` by chunks, refusing a single byte more than ``limit``."""
    probe = copy.copy(info)
    # zipfile stops (and checks the CRC) at file_size: set it past the limit by more than one read,
    # so that a member longer than declared is seen here, as such, before zipfile's own end
    probe.file_size = limit + 2 * CHUNK
    count = 0
    with _guarded(path, info, lambda: archive.open(probe)) as stream:
        while chunk := _guarded(path, info, lambda: stream.read(CHUNK)):
            count += len(chunk)
            if count > limit:
                raise PackageError(path, "size_lie", name=info.orig_filename, declared=limit)
            sink(chunk)  # its own errors (a full disk while extracting) pass through untouched
    return count


def _guarded(path: Path, info: zipfile.ZipInfo, action):
    try:
        return action()
    except zipfile.BadZipFile as exc:
        cause = "crc" if "CRC" in str(exc) else "damaged"
        raise PackageError(path, cause, name=info.orig_filename) from exc
    except (ValueError, struct.error, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise PackageError(path, "damaged", name=info.orig_filename) from exc
    except OSError as exc:
        raise PackageError(path, "unreadable") from exc


# --- member sources for writing ----------------------------------------------------------------


def source_size(source: Source) -> int:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    try:
        return Path(source).stat().st_size
    except OSError as exc:
        raise _unreadable_source(Path(source), exc) from exc


def source_digest(source: Source, tick: Callable[[int], None]) -> dict:
    """{"sha256": hex, "size": bytes} of a member, streamed."""
    digest, size = hashlib.sha256(), 0
    for chunk in source_chunks(source):
        digest.update(chunk)
        size += len(chunk)
        tick(len(chunk))
    return {"sha256": digest.hexdigest(), "size": size}


def source_chunks(source: Source) -> Iterator[bytes | memoryview]:
    """The bytes of a member by chunks; a file's read errors become FileProblem (not the target's)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source)
        yield from (view[start:start + CHUNK] for start in range(0, len(view), CHUNK))
        return
    path = Path(source)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise _unreadable_source(path, exc) from exc
    with handle:
        while True:
            try:
                chunk = handle.read(CHUNK)
            except OSError as exc:
                raise _unreadable_source(path, exc) from exc
            if not chunk:
                return
            yield chunk


def _unreadable_source(path: Path, exc: OSError) -> FileProblem:
    return FileProblem(f"Không đọc được tệp “{path.name}” để đưa vào gói ({exc.strerror or exc}). "
                       "Hãy kiểm tra tệp còn đó rồi thử lại.")
