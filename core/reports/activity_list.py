"""The period's activity list for the report workbook, written while the report is drafted.

A year of a province's activities is 100,000 rows: too slow for one Python thread
within the report's budget. So the rows are cut into equal slices by (date, id) and
each slice is written by its own process (core/reports/activity_rows.py), reading
the database file read-only, while this process drafts the report and renders the
Word file. The slices are joined in order into the workbook by core/reports/xlsx_rows.py.

Small periods (and a database that is not a file) are written in this process: a
process costs more to start than it saves there. When worker processes cannot start
or fail, the rows are written in this process instead; the officer only waits longer.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import tempfile
from pathlib import Path

import sqlite_utils

from core.activities.filters import ActivityFilter
from core.progress import Progress
from core.reports.activity_rows import RowsWritten, count_rows, split_keys, work_in_process, write_rows

PARALLEL_FROM = 20_000  # activities; below this one process is faster
MAX_PROCESSES = 4
_BUFFER = 1 << 20


def _database_file(db: sqlite_utils.Database) -> str | None:
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or None
    return None


class ActivityList:
    """The rows of one filter's activities as SpreadsheetML slices in a scratch folder.

    ``start()`` begins the work (in worker processes for a large list); ``wait()``
    returns the slice files in order with the count and the column sums, calling
    ``progress.update(done, total)`` as rows are written; ``discard()`` stops the
    workers and removes every scratch file. Use it as a context manager.
    """

    def __init__(self, db: sqlite_utils.Database, flt: ActivityFilter, styles: dict[str, int], *,
                 processes: int | None = None, parallel_from: int = PARALLEL_FROM):  # fmt: skip
        self.db, self.flt, self.styles = db, flt, styles
        self._processes = processes if processes is not None else min(os.cpu_count() or 1, MAX_PROCESSES)
        self._parallel_from = parallel_from
        self._folder: Path | None = None
        self._workers: list = []
        self._messages = None
        self._cancelled = None
        self.total = 0
        self._slices: list[tuple[Path, int, tuple | None, tuple | None]] = []

    def __enter__(self) -> ActivityList:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.discard()

    # --- the work ---------------------------------------------------------------------

    def start(self) -> ActivityList:
        self._folder = Path(tempfile.mkdtemp(prefix="so-tuyen-truyen-"))
        self._db_path = _database_file(self.db)
        parts = self._processes if self._db_path else 1
        self.total = count_rows(self.db.conn, self.flt)
        parallel = parts > 1 and self.total >= max(self._parallel_from, parts)
        bounds = [None, *(split_keys(self.db.conn, self.flt, self.total, parts) if parallel else []), None]
        for i in range(len(bounds) - 1):
            first = 1 + (i * self.total // (len(bounds) - 1))
            self._slices.append((self._folder / f"rows{i:02d}.xml", first, bounds[i], bounds[i + 1]))
        if len(self._slices) > 1:
            try:
                self._start_workers()
            except (OSError, RuntimeError, ValueError):
                self._stop_workers()  # this process writes them all in wait()
        return self

    def _start_workers(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process holding Qt and SQLite
        self._messages, self._cancelled = context.Queue(), context.Event()
        db_path = self._db_path
        for index, (path, first, lower, upper) in enumerate(self._slices):
            worker = context.Process(
                target=work_in_process, daemon=True, name=f"activity-rows-{index}",
                args=(db_path, self.flt, str(path), self.styles, first, lower, upper,
                      self._messages, self._cancelled, index),
            )  # fmt: skip
            worker.start()
            self._workers.append(worker)

    def wait(self, progress: Progress | None = None) -> tuple[list[Path], RowsWritten]:
        if progress is not None:
            progress.update(0, self.total)
        if self._workers and self._wait_for_workers(progress):
            return [path for path, *_ in self._slices], self._written
        self._stop_workers()
        self._slices = [(self._folder / "rows.xml", 1, None, None)]
        done = RowsWritten()
        with open(self._slices[0][0], "w", encoding="utf-8", newline="", buffering=_BUFFER) as out:
            written = write_rows(self.db.conn, self.flt, out, self.styles, on_progress=(
                None if progress is None else lambda count: progress.update(count, self.total)))  # fmt: skip
        done.add(written)
        return [self._slices[0][0]], done

    def _wait_for_workers(self, progress: Progress | None) -> bool:
        """True when every worker wrote its slice; False when one failed (write them here)."""
        counts = [0] * len(self._workers)
        results: dict[int, RowsWritten] = {}
        while len(results) < len(self._workers):
            try:
                message = self._messages.get(timeout=0.2)
            except queue.Empty:
                if any(not w.is_alive() for i, w in enumerate(self._workers) if i not in results):
                    try:  # its last message may still be on the way
                        message = self._messages.get(timeout=1.0)
                    except queue.Empty:
                        return False  # a worker died without a word (killed, out of memory)
                else:
                    continue
            kind, index, *rest = message
            if kind == "progress":
                counts[index] = rest[0]
                if progress is not None:
                    progress.update(sum(counts), self.total)
            elif kind == "done":
                written = RowsWritten(rest[0], rest[1])
                results[index], counts[index] = written, written.count
            else:
                return False
        self._written = RowsWritten()
        for index in range(len(self._workers)):
            self._written.add(results[index])
        for worker in self._workers:
            worker.join(timeout=5)
        return True

    # --- clean-up ---------------------------------------------------------------------

    def _stop_workers(self) -> None:
        if self._cancelled is not None:
            self._cancelled.set()
        for worker in self._workers:
            worker.join(timeout=2)
            if worker.is_alive():
                worker.terminate()
                worker.join(timeout=2)
        self._workers = []
        if self._messages is not None:
            self._messages.close()
            self._messages.join_thread()
            self._messages = None

    def discard(self) -> None:
        self._stop_workers()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
