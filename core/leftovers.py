"""Files a write cut short (power cut, the app killed) leaves in the data folder, removed at start.

Every file the app writes goes first under a temporary name and is renamed into place
when complete; a write that never finished leaves only that temporary file. They are
removed when the window starts (it holds the data folder's lock), once a few minutes old
so that a command still running beside it is never disturbed.
"""

from __future__ import annotations

import time
from pathlib import Path

from core.paths import evidence_dir, received_dir, reports_dir

MIN_AGE_SECONDS = 600
# folder -> the temporary names written there (core/files.py, core/reports/*, core/package/safe_write.py)
_PATTERNS = (
    (reports_dir, ("**/.*.tmp", "**/.~*.partial")),
    (evidence_dir, ("*/*.tmp", "*/.~*.partial")),
    (received_dir, ("**/.~*.partial", "**/*.tmp")),
)


def remove_partial_files(db_path: Path, now: float | None = None) -> int:
    """Delete the unfinished temporary files beside the database at ``db_path``; how many went."""
    now = time.time() if now is None else now
    db_path = Path(db_path)
    candidates = list(db_path.resolve().parent.glob(f"{db_path.name}.khoi-phuc.tmp"))
    for folder_of, patterns in _PATTERNS:
        folder = folder_of(db_path)
        if folder.is_dir():
            candidates += [p for pattern in patterns for p in folder.glob(pattern)]
    removed = 0
    for path in set(candidates):
        try:
            if path.is_file() and now - path.stat().st_mtime >= MIN_AGE_SECONDS:
                path.unlink()
                removed += 1
        except OSError:
            pass  # held open by another program: next start
    return removed
