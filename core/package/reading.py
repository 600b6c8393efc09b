"""Reading many packages at once: this process and a second one share them.

Opening a package, checking every hash and record, and working out its activities'
search texts and sort keys needs nothing from the database, and is most of what
receiving thirty packages costs. For a big batch a worker process (spawned, never
forked from a process holding Qt and SQLite) takes packages from the end of the list
while this process takes them from the front; a package the worker has not begun is
read here. If the worker cannot start or fails, everything is read here.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from core.activities.model import SEARCHED
from core.errors import UserError
from core.files import file_sha256
from core.gc_pause import paused_gc
from core.importers.text_keys import WORKER_FILE_BYTES, spawn_worker, text_keys
from core.package.container import open_package
from core.package.package_error import PackageError
from core.package.records import MAX_TEXT, UNIT, Records, check, read_records
from core.progress import Progress
from core.text import TEXT_KEYS_VERSION



@dataclass
class ReadPackage:
    """A package read and checked, before anything about this database is looked at."""

    manifest: dict
    records: Records
    sha256: str
    folded: list[str] | None = None  # per activity, when worked out: its search text
    keys: list[str] | None = None  # and its title's sort key


@dataclass
class Unreadable:
    """Why a package was refused while it was read (a PackageError does not survive pickling)."""

    file: str
    message: str


def read_package(path: Path, known, received: frozenset[str] = frozenset()) -> ReadPackage | Unreadable:
    """Open and check the package at ``path``; the text keys too unless it was received before
    (``received``: the sha256 of the files merged here already)."""
    try:
        if path.suffix.lower() != ".cdsx":
            raise PackageError(path, "not_package")
        with open_package(path) as package:
            manifest = package.manifest
            check(path, "manifest.json", [manifest.get("unit")], {k: UNIT[k] for k in ("id", "name", "level")})
            period = manifest.get("period")
            if not isinstance(period, dict) or not all(isinstance(period.get(k), str) for k in ("kind", "start", "end")) \
                    or type(period.get("year")) is not int:  # fmt: skip
                raise PackageError(path, "manifest_key", key="period")
            records = read_records(package, known)
        sha = file_sha256(path)
    except PackageError as exc:
        return Unreadable(exc.file, exc.message)
    except UserError as exc:
        return Unreadable(path.name, exc.message)
    except OSError:  # the stick pulled out between the check and the hash
        return Unreadable(path.name, PackageError(path, "unreadable").message)
    read = ReadPackage(manifest, records, sha)
    if sha in received:  # a package seen before has little new: its keys are worked out if needed
        return read
    read.folded, read.keys = _sent_keys(manifest, records.activities)
    if read.folded is None:
        activities = records.activities
        read.folded, read.keys = text_keys(*[[a[key] for a in activities]
                                             for key in SEARCHED])  # fmt: skip
    return read


def _sent_keys(manifest: dict, activities: list[dict]) -> tuple[list[str] | None, list[str] | None]:
    """The search texts and sort keys the sender stored, when made by the same rules as ours.

    They are taken as sent (as text of bounded length): they only decide how the sender's own
    activities are found and sorted here, which the sender decides anyway by what it writes in them."""
    if manifest.get("text_keys") != TEXT_KEYS_VERSION or not activities:
        return None, None
    try:
        folded, keys = [a["search_text"] for a in activities], [a["title_key"] for a in activities]
    except KeyError:
        return None, None
    if set(map(type, folded + keys)) != {str} or max(map(len, folded)) > 6 * MAX_TEXT or max(map(len, keys)) > 1000:
        return None, None
    return folded, keys


def _read_in_worker(path: Path, known, received: frozenset[str]) -> ReadPackage | Unreadable:
    with paused_gc():  # millions of small objects and no cycles
        return read_package(path, known, received)


_start_pool = spawn_worker  # (a name of its own: the tests put a failing worker in its place)


def read_all(files: list[Path], known, received: frozenset[str], progress: Progress,
             *, worker: bool = True) -> list[ReadPackage | Unreadable]:  # fmt: skip
    """Each of ``files`` read, in order; with ``worker`` and a big batch, in two processes."""
    big = worker and len(files) > 1 and sum(p.stat().st_size for p in files if p.is_file()) >= WORKER_FILE_BYTES
    pool = _start_pool() if big else None
    results: list = [None] * len(files)
    pending: dict[int, Future] = {}
    try:
        if pool is not None:
            for number in reversed(range(len(files))):  # the worker starts from the end
                try:
                    pending[number] = pool.submit(_read_in_worker, files[number], known, received)
                except Exception:  # noqa: BLE001 - a broken pool: read here
                    break
        for number, path in enumerate(files):
            progress.update(number, len(files), f"Đang kiểm tra “{path.name}”")
            future = pending.pop(number, None)
            if future is not None and not future.cancel():  # begun or done by the worker
                try:
                    results[number] = future.result()
                    continue
                except Exception:  # noqa: BLE001 - the worker died: the same work, here
                    pass
            results[number] = read_package(path, known, received)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    return results
