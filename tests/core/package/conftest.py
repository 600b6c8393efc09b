"""Builders of real package files, good and broken, written with zipfile itself."""

from __future__ import annotations

import hashlib
import json
import struct
import warnings
import zipfile
from pathlib import Path

import pytest


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_for(entries: list[tuple[str, bytes]], **changes) -> dict:
    """A correct manifest for ``entries``, with ``changes`` applied on top."""
    manifest = {
        "format": "cdsx", "format_version": 2, "app_version": "0.1.0", "created_at": "2025-06-25T08:30:00Z",
        "members": {name: {"sha256": sha(data), "size": len(data)} for name, data in entries},
    }
    manifest.update(changes)
    return manifest


def build(path: Path, entries: list[tuple[str, bytes]], manifest: dict | bytes | None = None, *,
          with_manifest: bool = True, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip with manifest.json first (correct unless given) then ``entries`` (duplicates allowed)."""
    blob = manifest if isinstance(manifest, bytes) else json.dumps(manifest or manifest_for(entries)).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests want
        with zipfile.ZipFile(path, "w", compression) as archive:
            if with_manifest:
                archive.writestr("manifest.json", blob)
            for name, data in entries:
                archive.writestr(name, data)
    return path


def patch_entry(path: Path, name: str, *, size: int | None = None, flags: int = 0,
                header_offset_of: str | None = None) -> None:
    """Rewrite one entry's headers in place: uncompressed size, flag bits, or where it points."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offsets = {info.orig_filename: info.header_offset for info in archive.infolist()}
    central = raw.find(b"PK\x01\x02")
    while raw[central + 46: central + 46 + struct.unpack_from("<H", raw, central + 28)[0]] != name.encode():
        central = raw.find(b"PK\x01\x02", central + 4)
    local = offsets[name]
    if size is not None:
        struct.pack_into("<I", raw, local + 22, size)
        struct.pack_into("<I", raw, central + 24, size)
    if flags:
        struct.pack_into("<H", raw, local + 6, struct.unpack_from("<H", raw, local + 6)[0] | flags)
        struct.pack_into("<H", raw, central + 8, struct.unpack_from("<H", raw, central + 8)[0] | flags)
    if header_offset_of is not None:
        struct.pack_into("<I", raw, central + 42, offsets[header_offset_of])
    path.write_bytes(bytes(raw))


class ZipTools:
    sha = staticmethod(sha)
    manifest_for = staticmethod(manifest_for)
    build = staticmethod(build)
    patch_entry = staticmethod(patch_entry)


@pytest.fixture
def zips() -> ZipTools:
    return ZipTools()
