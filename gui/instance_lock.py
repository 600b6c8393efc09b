"""One window per database: a second one says who has it open instead of working on it too.

QLockFile writes ``<database>.lock`` with the process id, the computer's name and the
app's name; a lock left by a process that died (power cut) is stale and taken over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

_held: dict[str, QLockFile] = {}  # kept while the window lives (a QLockFile unlocks when deleted)


def lock_path(db_path: Path) -> Path:
    return Path(db_path).resolve().with_name(Path(db_path).name + ".lock")


def acquire(db_path: Path) -> str | None:
    """Lock the database for this window; None when done, else the Vietnamese reason it is in use."""
    key = str(lock_path(db_path))
    if key in _held:
        return None
    lock = QLockFile(key)
    lock.setStaleLockTime(0)  # only a dead process's lock is stale, however long it was held
    if lock.tryLock(200):
        _held[key] = lock
        return None
    if lock.error() == QLockFile.LockFailedError:
        info = lock.getLockInfo()  # (pid, host, app) in PySide6; empty when the file cannot be read
        where = f"trên máy “{info[1]}” (tiến trình số {info[0]})" if info and len(info) >= 2 and info[1] \
            else "ở một cửa sổ khác"  # fmt: skip
        return (f"Tệp dữ liệu “{Path(db_path).name}” đang được mở {where}. Mỗi tệp dữ liệu chỉ nên mở ở một cửa "
                "sổ: hãy dùng cửa sổ đang mở, hoặc đóng nó rồi mở lại.")  # fmt: skip
    return None  # the folder does not allow a lock file (read-only stick): SQLite still keeps the data safe


def release(db_path: Path) -> None:
    lock = _held.pop(str(lock_path(db_path)), None)
    if lock is not None:
        lock.unlock()
