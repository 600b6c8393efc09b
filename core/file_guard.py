"""The data file taken away while the app has it open, and getting the data back on disk.

On Linux (and on a network or USB drive anywhere) the database's folder can be deleted,
renamed or unplugged while the app runs. SQLite keeps writing into the open, now nameless
file, and every change since is lost when the app closes. ``remember`` notes which file
was opened; ``is_gone`` says when the path no longer leads to it (a cheap ``stat``, run
on a timer by the window); ``rescue`` writes what the open connection still holds back to
disk through SQLite's backup API, as a checked single file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import sqlite_utils

from core.errors import FileProblem

_OPENED: dict[str, tuple[int, int]] = {}  # resolved path -> (device, inode) of the file opened there


def _key(path: Path | str) -> str:
    return os.path.abspath(str(path))


def _identity(path: Path | str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def remember(path: Path | str) -> None:
    """Note the file now open at ``path`` (call right after opening it)."""
    identity = _identity(path)
    if identity is not None:
        _OPENED[_key(path)] = identity


def is_gone(path: Path | str) -> bool:
    """True when the file opened at ``path`` is not there any more (deleted, moved, replaced, unplugged)."""
    known = _OPENED.get(_key(path))
    if known is None:
        return False
    now = _identity(path)
    return now is None or (known[1] != 0 and now != known)  # inode 0: a file system without them


def rescue(db: sqlite_utils.Database, path: Path | str) -> Path:
    """Write the data still held by ``db`` back to ``path`` (or beside it, when another file has
    taken that name), re-creating the folder; returns where it went. Raises FileProblem."""
    from core.backup import backup_to

    path = Path(_key(path))
    target = path
    if path.exists():  # something else is there now: never overwrite it
        target = path.with_name(f"{path.stem}-cuu-{dt.datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileProblem(f"Không tạo lại được thư mục “{target.parent}”: {exc.strerror or exc}. "
                          "Hãy chọn nơi khác để ghi dữ liệu.") from exc  # fmt: skip
    backup_to(db, target)
    remember(target)
    return target


def rescue_to_folder(db: sqlite_utils.Database, path: Path | str, folder: Path | str) -> Path:
    """The same, into a folder the officer chose (keeping the file's name)."""
    return rescue(db, Path(folder) / Path(path).name)
