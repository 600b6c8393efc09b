"""Where the app keeps its data, and whether a path is on a removable drive."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from core import APP_ID

DB_FILE_NAME = "so_tuyen_truyen.db"


def data_dir() -> Path:
    """The per-user data folder (%APPDATA%\\so-tuyen-truyen-cds on Windows)."""
    override = os.environ.get("SO_TUYEN_TRUYEN_DATA")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=True))


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def evidence_dir(db_path: Path) -> Path:
    """Evidence files live beside the database, so a backup of the folder has both."""
    return Path(db_path).resolve().parent / "minh_chung"


def is_removable(path: Path) -> bool:
    """True if ``path`` lies on a removable drive (USB stick, memory card)."""
    path = Path(path).resolve()
    if sys.platform == "win32":
        import ctypes

        drive = path.drive + "\\"
        DRIVE_REMOVABLE = 2
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == DRIVE_REMOVABLE
    text = str(path)
    return text.startswith(("/media/", "/run/media/", "/mnt/", "/Volumes/"))


def reports_dir(db_path: Path) -> Path:
    """The report files written when a report is finalised (Chốt), beside the database."""
    return Path(db_path).resolve().parent / "bao_cao"


def received_dir(db_path: Path) -> Path:
    """The files that came in packages from subordinate units (their reports), beside the database."""
    return Path(db_path).resolve().parent / "nhan_du_lieu"
