"""Long work off the UI thread, with a progress dialog and a cancel button.

The worker gets its own database connection and a core Progress record; a
100 ms timer reads the record (the worker never floods the UI with signals).
Cancel sets the record's flag; the worker raises Cancelled and its
transaction rolls back, so the database stays as it was.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from core.db import connect
from core.errors import UserError
from core.progress import Cancelled, Progress

log = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable, signals: _Signals):
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the UI thread, never lost
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


_running: set[_Signals] = set()  # keeps each task's signal object alive until it reports


def run_in_background(
    fn: Callable[[], object],
    *,
    on_done: Callable[[object], None],
    on_error: Callable[[Exception, str], None],
    pool: QThreadPool | None = None,
) -> _Signals:
    """Run ``fn`` on a pool thread; callbacks run on the UI thread."""
    signals = _Signals()
    _running.add(signals)
    signals.finished.connect(on_done, Qt.QueuedConnection)
    signals.failed.connect(on_error, Qt.QueuedConnection)
    signals.finished.connect(lambda *_: _running.discard(signals), Qt.QueuedConnection)
    signals.failed.connect(lambda *_: _running.discard(signals), Qt.QueuedConnection)
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, signals))
    return signals


def checkpoint_in_background(db_path: Path) -> None:
    """Copy into the file, off the UI thread, what a big write left in the write-ahead log
    (core.db.checkpoint_later): else the officer's next small save would pay for it."""
    from core.db import checkpoint

    run_in_background(lambda: checkpoint(db_path), on_done=lambda _result: None, on_error=lambda *_: None)


class DbTask(QObject):
    """``work(db, progress)`` on a worker connection to ``db_path``, shown with progress."""

    succeeded = Signal(object)
    failed = Signal(str, str)  # Vietnamese message, technical details ("" for user errors)
    cancelled = Signal()

    def __init__(self, parent: QWidget, db_path: Path, work: Callable, title: str):
        super().__init__(parent)
        self.db_path = db_path
        self.work = work
        self.progress = Progress(label=title)
        self.dialog = QProgressDialog(title, "Hủy", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._on_cancel)
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self.running = False

    def start(self) -> None:
        self.running = True
        self.timer.start()
        self._signals = run_in_background(self._run, on_done=self._done, on_error=self._error)

    def _run(self):
        db = connect(self.db_path)
        try:
            return self.work(db, self.progress)
        finally:
            db.close()

    def _on_cancel(self) -> None:
        self.progress.cancel()
        self.dialog.setLabelText("Đang hủy, xin chờ…")

    def _poll(self) -> None:
        if self.progress.total:
            self.dialog.setMaximum(self.progress.total)
            self.dialog.setValue(self.progress.done)
        if self.progress.label and not self.progress.cancel_requested:
            self.dialog.setLabelText(self.progress.label)

    def _finish(self) -> None:
        self.running = False
        self.timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()

    def _done(self, result) -> None:
        self._finish()
        self.succeeded.emit(result)

    def _error(self, exc: Exception, details: str) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
        elif isinstance(exc, UserError):
            self.failed.emit(exc.message, "")
        else:
            log.error("background task failed:\n%s", details)
            self.failed.emit("Đã có lỗi ngoài dự kiến; dữ liệu được giữ nguyên như trước.", details)


@dataclass
class TaskOutcome:
    """How a DbTask ended: ``ok`` with its result, ``cancelled``, or failed with a message."""

    ok: bool = False
    result: object = None
    cancelled: bool = False
    message: str = ""  # Vietnamese, when it failed
    details: str = ""  # technical details of an unexpected error ("" for user errors)


def run_and_wait(
    parent: QWidget,
    db_path: Path,
    work: Callable,
    title: str,
    *,
    on_start: Callable[[DbTask], None] | None = None,
) -> TaskOutcome:
    """Run ``work(db, progress)`` as a DbTask and wait for it in a local event loop.

    The window keeps repainting while it waits and the progress dialog's "Hủy" works;
    ``on_start`` receives the running task (to cancel it from elsewhere).
    """
    outcome = TaskOutcome()
    loop = QEventLoop()
    finished = {"done": False}

    def end() -> None:
        finished["done"] = True
        loop.quit()

    def succeeded(result) -> None:
        outcome.ok, outcome.result = True, result
        end()

    def failed(message: str, details: str) -> None:
        outcome.message, outcome.details = message, details
        end()

    def cancelled() -> None:
        outcome.cancelled = True
        end()

    task = DbTask(parent, db_path, work, title)
    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    task.cancelled.connect(cancelled)
    task.start()
    if on_start is not None:
        on_start(task)
    if not finished["done"]:
        loop.exec()
    return outcome
