"""Copies of the database taken before an operation that changes much (a merge of packages).

SQLite's online backup API copies a consistent snapshot while the app keeps it open;
the copy is switched out of WAL mode so it is one self-contained file, and checked
with ``integrity_check``. The last ``KEEP_BEFORE`` such copies are kept.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils

from core.activities.evidence import db_file
from core.errors import FileProblem

KEEP_BEFORE = 10


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "sao_luu"


def backup_to(db: sqlite_utils.Database, target: Path) -> Path:
    """A verified single-file copy of ``db`` at ``target`` (written beside it first, then renamed)."""
    target = Path(target)
    partial = target.with_name(target.name + ".tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        copy = sqlite3.connect(str(partial))
        try:
            db.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise FileProblem("Bản sao lưu vừa ghi bị lỗi khi kiểm tra; dữ liệu chưa bị thay đổi.")
        finally:
            copy.close()
        partial.replace(target)
    except OSError as exc:
        raise FileProblem(f"Không ghi được bản sao lưu vào “{target.parent}”: {exc.strerror or exc}. "
                          "Dữ liệu chưa bị thay đổi.") from exc  # fmt: skip
    finally:
        partial.unlink(missing_ok=True)
    return target


def backup_before(db: sqlite_utils.Database, operation: str) -> Path:
    """A copy taken before ``operation`` (e.g. "nhan-du-lieu"); older such copies beyond KEEP_BEFORE go."""
    folder = backups_dir(db_file(db))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = backup_to(db, folder / f"truoc-{operation}-{stamp}.db")
    copies = sorted(folder.glob("truoc-*.db"))
    for old in copies[:-KEEP_BEFORE]:
        old.unlink(missing_ok=True)
    return path
