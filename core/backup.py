"""Backups: automatic copies beside the database, and restoring one.

Every copy is taken with SQLite's online backup API (a consistent snapshot while the
app keeps working), switched out of WAL mode so it is one self-contained file,
checked with ``integrity_check``, then renamed into place. Copies live in
``sao_luu/`` beside the database, named after it (``so_tuyen_truyen-…``), so that two
databases in one folder keep their copies apart:
- ``<db>-hang-ngay-YYYYMMDD.db``: at the first start of each day; the last 30 are kept;
- ``<db>-truoc-<việc>-<time>.db``: before a migration, a merge of packages, a
  restore, or when asked (``main.py backup``); the last 10 are kept.
A backup with the evidence files, for a stick, is core/backup_usb.py.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core.activities.evidence import db_file
from core.errors import FileProblem

KEEP_DAILY = 30
KEEP_BEFORE = 10
DAILY, BEFORE = "hang-ngay-", "truoc-"


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "sao_luu"


def _copy(source: sqlite3.Connection, target: Path) -> Path:
    """A verified single-file copy of the open database ``source`` at ``target``."""
    target = Path(target)
    partial = target.with_name(target.name + ".tmp")
    with _lock:
        _writing.add(partial)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(str(partial))
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise FileProblem("Bản sao lưu vừa ghi bị lỗi khi kiểm tra; dữ liệu chưa bị thay đổi.")
        finally:
            copy.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    except OSError as exc:
        raise FileProblem(f"Không ghi được bản sao lưu vào “{target.parent}”: {exc.strerror or exc}. "
                          "Dữ liệu chưa bị thay đổi.") from exc  # fmt: skip
    except sqlite3.DatabaseError as exc:
        raise FileProblem(f"Không sao lưu được dữ liệu ({exc}). Dữ liệu chưa bị thay đổi.") from exc
    finally:
        partial.unlink(missing_ok=True)
        with _lock:
            _writing.discard(partial)
    return target


_lock = threading.Lock()
_writing: set[Path] = set()  # copies being written now by this process (the daily one runs in a thread)


def _clear_cut_short(folder: Path) -> None:
    """Remove the copies in sao_luu/ a power cut or a kill left half written: they are no backup."""
    with _lock:
        busy = set(_writing)
    for left in folder.glob("*.db.tmp") if folder.is_dir() else ():
        if left not in busy:
            try:
                left.unlink(missing_ok=True)
            except OSError:
                pass  # held open by another program: next time


def backup_to(db: sqlite_utils.Database, target: Path) -> Path:
    """A verified single-file copy of ``db`` at ``target``."""
    return _copy(db.conn, target)


def _name(db_path: Path, kind: str, tail: str) -> Path:
    return backups_dir(db_path) / f"{Path(db_path).stem}-{kind}{tail}.db"


def _prune(db_path: Path, kind: str, keep: int) -> None:
    for old in sorted(backups_dir(db_path).glob(f"{Path(db_path).stem}-{kind}*.db"))[:-keep]:
        old.unlink(missing_ok=True)


def backup_before(db: sqlite_utils.Database, operation: str) -> Path:
    """A copy taken before ``operation`` (e.g. "nhan-du-lieu"); older such copies beyond KEEP_BEFORE go."""
    db_path = db_file(db)
    _clear_cut_short(backups_dir(db_path))
    path = _copy(db.conn, _name(db_path, BEFORE, f"{operation}-{_stamp()}"))
    _prune(db_path, BEFORE, KEEP_BEFORE)
    return path


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def backup_file_before(path: Path, operation: str) -> Path | None:
    """The same for a database file not opened yet (before its migration); None when there is none."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return None
    _clear_cut_short(backups_dir(path))
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy = _copy(source, _name(path, BEFORE, f"{operation}-{_stamp()}"))
    finally:
        source.close()
    _prune(path, BEFORE, KEEP_BEFORE)
    return copy


def daily_backup(db: sqlite_utils.Database, today: dt.date | None = None) -> Path | None:
    """Today's copy, unless there is one already (the first start of each day takes it)."""
    today = today or dt.date.today()
    db_path = db_file(db)
    target = _name(db_path, DAILY, f"{today:%Y%m%d}")
    if target.exists():
        return None
    _clear_cut_short(target.parent)
    _copy(db.conn, target)
    _prune(db_path, DAILY, KEEP_DAILY)
    return target


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    size: int
    activities: int | None  # None: the file is not a readable backup of this app
    schema: int | None


def describe(path: Path) -> BackupInfo:
    """What a backup file holds (read without changing it)."""
    from core.db import APPLICATION_ID

    stat = path.stat()
    taken = dt.datetime.fromtimestamp(stat.st_mtime)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return BackupInfo(path, taken, stat.st_size, None, None)
            schema = conn.execute("PRAGMA user_version").fetchone()[0]
            count = conn.execute("SELECT count(*) FROM activities WHERE deleted_at IS NULL").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return BackupInfo(path, taken, stat.st_size, None, None)
    return BackupInfo(path, taken, stat.st_size, count, schema)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The copies of the database at ``db_path`` in sao_luu/, newest first."""
    folder = backups_dir(db_path)
    found = [describe(p) for p in folder.glob(f"{Path(db_path).stem}-*.db")] if folder.is_dir() else []
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def last_backup(db_path: Path) -> BackupInfo | None:
    """The newest copy (only that one is opened, not every copy as list_backups does)."""
    folder = backups_dir(db_path)
    copies = list(folder.glob(f"{Path(db_path).stem}-*.db")) if folder.is_dir() else []
    newest = max(copies, key=lambda p: dt.datetime.fromtimestamp(p.stat().st_mtime), default=None)
    return None if newest is None else describe(newest)


KINDS = (("-hang-ngay-", "Hằng ngày"), ("-truoc-khoi-phuc-", "Trước khi khôi phục"),
         ("-truoc-nhan-du-lieu-", "Trước khi nhận dữ liệu"), ("-truoc-nhap-excel-", "Trước khi nhập Excel"),
         ("-truoc-nang-cap-", "Trước khi nâng cấp"), ("-truoc-xoa-du-lieu-mau-", "Trước khi xóa dữ liệu mẫu"))  # fmt: skip


def kind_label(path: Path) -> str:
    """What a copy in sao_luu/ was taken for, as the restore list says it."""
    return next((label for marker, label in KINDS if marker in Path(path).name), "Sao lưu")
