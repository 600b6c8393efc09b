"""Sao lưu ra USB: the database and every evidence file in one checked file on a stick, and back.

The file (``SaoLuu_XaHaiLang_20261123.cdsbak``) is the same container as an exchange
package (core/package/container.py: manifest with every member's SHA-256, written under
a temporary name, fsynced, read back, renamed), with ``kind`` "backup": a verified copy
of the database and the files of ``minh_chung/`` (evidence, plan documents).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core import settings, units
from core.activities.evidence import db_file
from core.backup import backup_to
from core.errors import UserError
from core.package.container import open_package, save_package
from core.package.safe_write import safe_file_name
from core.paths import evidence_dir
from core.progress import Progress

SUFFIX = ".cdsbak"
KIND = "backup"
DATABASE = "data/so_tuyen_truyen.db"


@dataclass
class UsbBackup:
    path: Path
    activities: int
    files: int


def backup_name(db: sqlite_utils.Database, today: dt.date | None = None) -> str:
    profile = settings.load_profile(db)
    try:
        unit = units.get_unit(db, profile.unit_id).name if profile and profile.unit_id else ""
    except UserError:
        unit = ""
    return f"SaoLuu_{safe_file_name(unit, fallback='DuLieu')}_{(today or dt.date.today()):%Y%m%d}{SUFFIX}"


def write_usb_backup(db: sqlite_utils.Database, folder: Path | str, progress: Progress | None = None,
                     *, today: dt.date | None = None) -> UsbBackup:  # fmt: skip
    """Write the backup into ``folder`` (a stick); returns where, with what it holds."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục “{folder}” (ổ USB có thể đã bị rút ra).")
    evidence = evidence_dir(db_file(db))
    files = sorted(p for p in evidence.rglob("*") if p.is_file()) if evidence.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="saoluu-") as scratch:
        copy = backup_to(db, Path(scratch) / "so.db")
        members: dict[str, Path] = {DATABASE: copy}
        members.update({f"minh_chung/{p.relative_to(evidence).as_posix()}": p for p in files})
        activities = db.execute("SELECT count(*) FROM activities WHERE deleted_at IS NULL").fetchone()[0]
        manifest = {"kind": KIND, "database": db_file(db).name, "activities": activities, "files": len(files)}
        path = folder / backup_name(db, today)
        save_package(path, manifest, members, progress)
    return UsbBackup(path, activities, len(files))


def restore_usb_backup(db_path: Path, source: Path) -> Path | None:
    """Restore the database and the evidence files from a backup written by ``write_usb_backup``."""
    from core.restore import restore

    with open_package(Path(source)) as package:
        if package.manifest.get("kind") != KIND or not package.has(DATABASE):
            raise UserError(f"Tệp “{Path(source).name}” không phải bản sao lưu của phần mềm này.")
        with tempfile.TemporaryDirectory(prefix="khoiphuc-") as scratch:
            copy = package.extract(DATABASE, Path(scratch) / "so.db")
            before = restore(db_path, copy)
        target = evidence_dir(Path(db_path))
        for name in package.names():
            if name.startswith("minh_chung/") and not (target / name[len("minh_chung/"):]).exists():
                package.extract(name, target / name[len("minh_chung/"):])  # names were checked on opening
    return before
