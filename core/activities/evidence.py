"""Evidence files (photos, scans, scripts): copied into the data folder, content-hashed.

A file is stored once per content and extension (``minh_chung/ab/abcdef….jpg``;
the extension stays so Windows opens it with the right program) however many
activities use it; it is removed when no activity refers to it any more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core.clock import now_iso
from core.errors import FileProblem
from core.files import copy_atomically
from core.paths import evidence_dir
from core.text import nfc

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024


def db_file(db: sqlite_utils.Database) -> Path:
    """The database file behind a connection."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2])


def stored_path(db: sqlite_utils.Database, sha256: str, file_name: str) -> Path:
    suffix = Path(file_name).suffix.lower()[:10]
    return evidence_dir(db_file(db)) / sha256[:2] / f"{sha256}{suffix}"


def _hash(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


@dataclass(frozen=True)
class StoredFile:
    file_name: str
    sha256: str
    size: int
    new: bool = False  # copied in just now (not in the data folder before)


def store_file(db: sqlite_utils.Database, source: Path | str) -> StoredFile:
    """Copy ``source`` into the data folder (once per content); no database write."""
    source = Path(source)
    try:
        if not source.is_file():
            raise FileProblem(f"Không tìm thấy tệp “{source.name}”.")
        if source.stat().st_size > MAX_EVIDENCE_BYTES:
            raise FileProblem(f"Tệp “{source.name}” lớn hơn 200 MB; hãy nén hoặc giảm dung lượng trước.")
        sha, size = _hash(source)
        target = stored_path(db, sha, source.name)
        new = not target.exists()
        if new:
            copy_atomically(source, target)
    except OSError as exc:
        raise FileProblem(f"Không sao chép được tệp “{source.name}”: {exc.strerror or exc}.") from exc
    return StoredFile(nfc(source.name), sha, size, new)


def attach(db: sqlite_utils.Database, activity_id: int, stored: StoredFile) -> int:
    """Record a stored file as evidence of an activity; returns the evidence id."""
    cursor = db.execute(
        "INSERT INTO evidence(activity_id, file_name, sha256, size, added_at) VALUES (?, ?, ?, ?, ?)",
        [activity_id, stored.file_name, stored.sha256, stored.size, now_iso()],
    )
    return cursor.lastrowid


def add_evidence(db: sqlite_utils.Database, activity_id: int, source: Path | str) -> int:
    """Copy ``source`` into the data folder and attach it; returns the evidence id."""
    stored = store_file(db, source)
    with db.atomic():
        return attach(db, activity_id, stored)


def evidence_file(db: sqlite_utils.Database, evidence_id: int) -> Path:
    row = db.execute("SELECT sha256, file_name FROM evidence WHERE id = ?", [evidence_id]).fetchone()
    if row is None:
        raise FileProblem("Tệp minh chứng này không còn trong sổ.")
    path = stored_path(db, row[0], row[1])
    if not path.exists():
        raise FileProblem(f"Không tìm thấy tệp minh chứng “{row[1]}” trong thư mục dữ liệu.")
    return path


def remove_evidence(db: sqlite_utils.Database, evidence_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM evidence WHERE id = ?", [evidence_id])
    forget_unused_files(db)


def _used(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute(
        "SELECT sha256 FROM evidence UNION SELECT document_sha256 FROM plans WHERE document_sha256 != ''"
        " UNION SELECT evidence_sha256 FROM target_values WHERE evidence_sha256 != ''")}  # fmt: skip


def forget_files(db: sqlite_utils.Database, stored: list[StoredFile]) -> None:
    """Delete these stored copies when nothing refers to them (a save that failed after copying)."""
    used = _used(db)
    for item in stored:
        if item.sha256 not in used:
            stored_path(db, item.sha256, item.file_name).unlink(missing_ok=True)


def forget_unused_files(db: sqlite_utils.Database) -> int:
    """Delete stored files nothing refers to (activities' evidence, plans' documents, targets' evidence)."""
    folder = evidence_dir(db_file(db))
    if not folder.exists():
        return 0
    used = _used(db)
    removed = 0
    for path in folder.glob("*/*"):
        if path.stem not in used and path.is_file():
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass  # a file held open by a viewer is removed next time
    return removed
