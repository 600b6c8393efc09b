"""Khôi phục and kiểm tra: put a backup back in place of the database, and check the database.

A file is restored only if it is a readable, undamaged backup of this app from this
version or an older one (an older one is brought up to date by the migrations). The
current database is backed up first (``sao_luu/<db>-truoc-khoi-phuc-*.db``); the backup is
copied beside the database under a temporary name, flushed, then renamed over it, so
a failure at any moment leaves either the old or the new database, never half of one.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core.backup import BackupInfo, backup_file_before, describe, last_backup
from core.errors import DatabaseError, FileProblem, UserError


def check_backup(path: Path) -> BackupInfo:
    """The backup at ``path`` if it can be restored; UserError (Vietnamese) saying why not."""
    from core.migrations import SCHEMA_VERSION

    path = Path(path)
    if not path.is_file():
        raise FileProblem(f"Không tìm thấy tệp sao lưu “{path}”.")
    info = describe(path)
    if info.activities is None:
        raise DatabaseError(f"Tệp “{path.name}” không phải bản sao lưu của phần mềm này, hoặc đã bị hỏng.")
    if info.schema > SCHEMA_VERSION:
        raise DatabaseError(f"Tệp “{path.name}” được sao lưu từ phiên bản mới hơn của phần mềm: hãy cập nhật "
                            "phần mềm rồi khôi phục lại.")  # fmt: skip
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        damaged = conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        damaged = True
    finally:
        conn.close()
    if damaged:
        raise DatabaseError(f"Tệp sao lưu “{path.name}” bị hỏng (kiểm tra không đạt); hãy chọn bản sao lưu khác.")
    return info


def restore(db_path: Path, source: Path, *, checked: BackupInfo | None = None) -> Path | None:
    """Replace the database at ``db_path`` by the backup ``source``; returns the copy of the database
    as it was (None when there was none). Every connection to ``db_path`` must be closed.
    ``checked``: what check_backup(source) gave just before (its integrity check is not run twice)."""
    from core.db import clear_damaged, connect, open_db

    db_path, source = Path(db_path), Path(source)
    if checked is None:
        check_backup(source)
    if db_path.exists() and db_path.resolve() == source.resolve():
        raise UserError("Tệp sao lưu chính là tệp dữ liệu đang dùng.")
    before = None
    if db_path.exists():
        current = connect(db_path)  # the log is folded into the file so the copy and the swap see all of it
        try:
            current.execute("PRAGMA busy_timeout = 1000")  # a reader that stays: say so soon, not after 10 s
            busy = current.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            current.close()
        if busy:
            raise FileProblem("Dữ liệu đang được dùng (một cửa sổ hoặc lệnh khác đang đọc, ghi) nên chưa khôi phục "
                              "được. Hãy đóng các cửa sổ khác của phần mềm rồi thử lại; dữ liệu chưa bị thay đổi.")  # fmt: skip
        before = backup_file_before(db_path, "khoi-phuc")
    partial = db_path.with_name(db_path.name + ".khoi-phuc.tmp")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?immutable=1", uri=True)
        writer = sqlite3.connect(str(partial))
        try:
            reader.backup(writer)
        finally:
            writer.close()
            reader.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        for leftover in (db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
            leftover.unlink(missing_ok=True)  # empty after the checkpoint; they must not meet the new file
        os.replace(partial, db_path)
        clear_damaged(db_path)
    except PermissionError as exc:
        raise FileProblem("Không thay được tệp dữ liệu: tệp đang được mở ở một cửa sổ khác của phần mềm. "
                          "Hãy đóng cửa sổ đó rồi khôi phục lại; dữ liệu hiện tại chưa bị thay đổi.") from exc  # fmt: skip
    except OSError as exc:
        raise FileProblem(f"Không khôi phục được ({exc.strerror or exc}); dữ liệu hiện tại chưa bị thay đổi.") from exc
    finally:
        partial.unlink(missing_ok=True)
    open_db(db_path).close()  # an older backup is brought up to date now
    return before


@dataclass
class CheckResult:
    integrity: str
    counts: dict[str, int] = field(default_factory=dict)
    last_backup: BackupInfo | None = None
    problems: list[str] = field(default_factory=list)  # the database cannot be trusted
    warnings: list[str] = field(default_factory=list)  # worth doing something about

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db_path: Path) -> CheckResult:
    """Integrity, counts and the last backup of the database at ``db_path`` (read only)."""
    from core.db import check_file

    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileProblem(f"Không tìm thấy tệp dữ liệu “{db_path}”.")
    check_file(db_path)
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
        integrity = "ok" if [r[0] for r in rows] == ["ok"] else "; ".join(r[0] for r in rows)
        counts = {}
        for key, sql in (("activities", "SELECT count(*) FROM activities WHERE deleted_at IS NULL"),
                         ("trash", "SELECT count(*) FROM activities WHERE deleted_at IS NOT NULL"),
                         ("units", "SELECT count(*) FROM units"), ("reports", "SELECT count(*) FROM reports"),
                         ("plans", "SELECT count(*) FROM plans")):  # fmt: skip
            try:
                counts[key] = conn.execute(sql).fetchone()[0]
            except sqlite3.DatabaseError:
                pass  # an older file without that table
    except sqlite3.DatabaseError as exc:
        return CheckResult(f"không đọc được ({exc})", problems=[f"Tệp dữ liệu bị hỏng: {exc}."])
    finally:
        conn.close()
    result = CheckResult(integrity, counts, last_backup(db_path))
    if integrity != "ok":
        result.problems.append(f"Tệp dữ liệu bị hỏng: {integrity}.")
    if result.last_backup is None:
        result.warnings.append("Chưa có bản sao lưu nào (phần mềm sao lưu mỗi ngày khi mở cửa sổ; "
                               "dòng lệnh: main.py backup).")
    return result


def restore_any(db_path: Path, source: Path, *, checked: BackupInfo | None = None) -> Path | None:
    """``restore`` for a .db copy, ``restore_usb_backup`` for a .cdsbak from a stick (evidence files too)."""
    from core.backup_usb import SUFFIX, restore_usb_backup

    if Path(source).suffix.lower() == SUFFIX:
        return restore_usb_backup(db_path, source)
    return restore(db_path, source, checked=checked)
