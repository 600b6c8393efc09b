"""Writing files so that a failure never leaves half a file under the final name; a file's hash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of a file, read by 1 MiB blocks (a package or a report may be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def copy_atomically(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` through a temporary name beside it (raises OSError)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".tmp")
    try:
        shutil.copyfile(source, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
