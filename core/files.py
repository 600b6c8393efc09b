"""Writing files so that a failure never leaves half a file under the final name."""

from __future__ import annotations

import shutil
from pathlib import Path


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
