"""The search text and title sort key of many imported rows, worked out in a second process.

Folding and sort keys are a third of a large import's own work and need nothing
but the text, so for a big sheet a worker process (started before the sheet is
read, so that its start-up costs nothing) computes them while this process puts
the rows together. If the worker cannot start or fails, they are computed here.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from core.gc_pause import paused_gc
from core.text import fold, vi_sort_key

WORKER_FILE_BYTES = 2 * 1024 * 1024  # a sheet of ~40,000 rows, packages of ~10,000 activities: below, one process


def text_keys(titles: list[str], *others: list[str]) -> tuple[list[str], list[str]]:
    """Per row: (the search text of its title and other texts, the sort key of its title), as
    core.activities.service.stored_row makes them. Runs in the worker process."""
    with paused_gc():
        folded = [fold(" ".join(texts)) for texts in zip(titles, *others)]
        return folded, [vi_sort_key(title) for title in titles]


def spawn_worker() -> ProcessPoolExecutor | None:
    """One worker process, started now (while this process reads on); None when it cannot start.
    Spawned: a process that holds Qt and SQLite is never forked."""
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        pool.submit(int)
        return pool
    except Exception:  # noqa: BLE001 - no worker: the work is done in this process
        return None


class TextKeyWorker:
    """One worker process for ``text_keys``; ``close`` always, even after a failure."""

    def __init__(self):
        self._pool = spawn_worker()

    def submit(self, titles: list[str], *others: list[str]) -> Future | None:
        if self._pool is None:
            return None
        try:
            return self._pool.submit(text_keys, titles, *others)
        except Exception:  # noqa: BLE001 - a broken pool: computed here instead
            return None

    @staticmethod
    def result(pending: Future | None, titles: list[str], *others: list[str]) -> tuple[list[str], list[str]]:
        if pending is not None and not pending.cancel():  # not started yet: sooner done here than waited for
            try:
                return pending.result()
            except Exception:  # noqa: BLE001 - the worker died or failed: the same work, here
                pass
        return text_keys(titles, *others)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
