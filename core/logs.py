"""The app's own log: a rotating file in the data folder, for support (never shown unasked).

``nhat_ky/so_tuyen_truyen.log`` beside the database, 1 MB per file, the last five kept;
``support_copy`` puts the log files (and, on request, a verified copy of the database)
into a folder the officer chooses, e.g. a USB stick to hand to whoever helps.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGER = "so_tuyen_truyen"
FILE_NAME = "so_tuyen_truyen.log"


def logs_dir(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "nhat_ky"


def setup_logging(db_path: Path) -> Path | None:
    """Log warnings and errors of the whole app to the rotating file; None when the folder cannot take it."""
    folder = logs_dir(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(folder / FILE_NAME, maxBytes=1_000_000, backupCount=4, encoding="utf-8")
    except OSError:
        return None  # a read-only folder: the app works on, without a log file
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.INFO))
    logging.getLogger(LOGGER).info("started")
    return folder / FILE_NAME


def support_copy(db_path: Path, folder: Path, *, with_database: bool = False, db=None) -> Path:
    """Copy the log files (and a copy of the database when asked) into ``folder/HoTro_<time>``."""
    target = Path(folder) / f"HoTro_{dt.datetime.now():%Y%m%d_%H%M%S}"
    target.mkdir(parents=True, exist_ok=False)
    for log in sorted(logs_dir(db_path).glob(f"{FILE_NAME}*")):
        shutil.copy2(log, target / log.name)
    if with_database and db is not None:
        from core.backup import backup_to

        backup_to(db, target / Path(db_path).name)
    return target
