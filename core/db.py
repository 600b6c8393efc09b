"""Opening the database: refuse what is not ours or is newer, then migrate.

Every connection: WAL, foreign keys on, a busy timeout. The schema version is
``PRAGMA user_version`` (the number of applied migrations) and the file is
marked as ours with ``PRAGMA application_id``.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from core.errors import DatabaseError, NewerDatabaseError, NotOurDatabaseError

APPLICATION_ID = 0x43445354  # "CDST"
SQLITE_HEADER = b"SQLite format 3\x00"


def _inspect(path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, number of tables) read without writing."""
    header = b""
    with open(path, "rb") as handle:
        header = handle.read(16)
    if len(header) and header != SQLITE_HEADER:
        raise NotOurDatabaseError(
            f"Tệp “{path.name}” không phải là cơ sở dữ liệu của phần mềm này. "
            "Tệp được giữ nguyên; hãy chọn đúng tệp dữ liệu (.db)."
        )
    if not header:
        return 0, 0, 0
    # Without a WAL beside it, read as immutable so not even -wal/-shm files appear
    # next to a file we are about to refuse (it may be on someone's USB stick).
    wal = path.with_name(path.name + "-wal")
    uri = f"file:{quote(str(path))}?" + ("mode=ro" if wal.exists() else "immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotOurDatabaseError(
            f"Không đọc được tệp “{path.name}”: tệp bị hỏng hoặc không phải cơ sở dữ liệu. "
            "Tệp được giữ nguyên."
        ) from exc
    return app_id, version, tables


def check_file(path: Path) -> int:
    """Raise if ``path`` exists and must not be opened by this version; else its schema version (0: new)."""
    from core.migrations import SCHEMA_VERSION

    if path.is_dir():
        raise DatabaseError(f"“{path}” là một thư mục, không phải tệp dữ liệu.")
    if not path.exists():
        return 0
    app_id, version, tables = _inspect(path)
    if tables and app_id != APPLICATION_ID:
        raise NotOurDatabaseError(
            f"Tệp “{path.name}” là cơ sở dữ liệu của một phần mềm khác. "
            "Tệp được giữ nguyên; hãy chọn đúng tệp dữ liệu của Sổ tuyên truyền."
        )
    if app_id != APPLICATION_ID and version:
        raise NotOurDatabaseError(
            f"Tệp “{path.name}” không phải là cơ sở dữ liệu của phần mềm này. Tệp được giữ nguyên."
        )
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(
            f"Tệp “{path.name}” được tạo bởi phiên bản mới hơn của phần mềm "
            f"(cấu trúc {version}, phiên bản này đọc được đến {SCHEMA_VERSION}). "
            "Hãy cập nhật phần mềm; tệp được giữ nguyên."
        )
    return version


def _schema_version() -> int:
    from core.migrations import SCHEMA_VERSION

    return SCHEMA_VERSION


_DAMAGED: set[str] = set()  # databases found damaged in this session: read, never written


def mark_damaged(path: Path | str) -> None:
    """From now on every connection to ``path`` only reads (until the app starts again after a restore)."""
    _DAMAGED.add(str(Path(path).resolve()))


def clear_damaged(path: Path | str) -> None:
    """``path`` holds another file now (a backup was restored over it)."""
    _DAMAGED.discard(str(Path(path).resolve()))


def is_damaged(path: Path | str | None = None) -> bool:
    return bool(_DAMAGED) if path is None else str(Path(path).resolve()) in _DAMAGED


def connect(path: Path | str) -> sqlite_utils.Database:
    """A configured connection, without any version check (use open_db)."""
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    if str(path) != ":memory:":
        if is_damaged(path):
            conn.execute("PRAGMA query_only = ON")  # SQLite itself refuses any write
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    return sqlite_utils.Database(conn)


def open_db(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the app's database at ``path``.

    Raises NotOurDatabaseError / NewerDatabaseError and leaves the file untouched
    when it is not ours or comes from a newer version.
    """
    from core.migrations import apply_migrations

    path = Path(path)
    version = check_file(path)
    if migrate and 0 < version < _schema_version():
        from core.backup import backup_file_before

        backup_file_before(path, "nang-cap")  # before the migrations change an older file
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(path)
        if migrate:
            apply_migrations(db)
    except (OSError, sqlite3.Error) as exc:
        raise _open_problem(path, exc) from exc
    if str(path) != ":memory:":
        from core import file_guard

        file_guard.remember(path)
    return db


def _open_problem(path: Path, exc: Exception) -> DatabaseError:
    """The Vietnamese reason a database could not be opened for writing."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "permission denied" in text or isinstance(exc, PermissionError):
        return DatabaseError(
            f"Thư mục “{path.parent}” hoặc tệp “{path.name}” chỉ cho đọc, không ghi được, nên phần mềm chưa mở "
            "dữ liệu (để không ghi dở vào đó). Dữ liệu trong tệp vẫn nguyên vẹn. Hãy chép thư mục dữ liệu sang "
            "nơi ghi được (ví dụ thư mục Tài liệu) rồi mở lại, hoặc nhờ cán bộ tin học cấp quyền ghi."
        )  # fmt: skip
    if "disk is full" in text or "no space" in text:
        return DatabaseError(f"Ổ đĩa chứa “{path.name}” đã đầy nên chưa mở được dữ liệu. Hãy xóa bớt tệp không "
                             "cần thiết rồi mở lại; dữ liệu trong tệp vẫn nguyên vẹn.")  # fmt: skip
    return DatabaseError(f"Không mở được tệp dữ liệu “{path}” ({exc}). Tệp được giữ nguyên.")


@contextmanager
def checkpoint_later(db: sqlite_utils.Database):
    """Leave a big transaction's pages in the write-ahead log instead of copying them into the
    database file as it commits; ``checkpoint`` copies them afterwards, off the officer's wait.
    They are safe in the log meanwhile: SQLite reads and recovers them from there."""
    before = db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    db.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        db.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")


def checkpoint(path: Path | str) -> None:
    """Copy the write-ahead log into the database file (readers and writers are not blocked)."""
    db = connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        db.close()
