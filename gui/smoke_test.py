"""``main.py --smoke-test`` (core/smoke.py's steps, then the main window offscreen) and the start-up
probe that bench/bench_frozen.py times (SO_TUYEN_TRUYEN_STARTUP_PROBE=1).

Opening the main window proves Qt's libraries and plugins are in the build. Qt's messages go to
stderr as usual, except the few the offscreen platform prints about what it cannot do, which say
nothing about the app: a frozen build's check must print nothing but its one line.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from core.smoke import CORE_STEPS, Context, SmokeFailure, Step, run_steps

WINDOW_TIMEOUT = 60.0  # seconds for the window's first figures (the log and the overview)
PROBE_ENV = "SO_TUYEN_TRUYEN_STARTUP_PROBE"

# What the offscreen platform says it cannot do that a window system would ("This plugin does not
# support propagateSizeHints()" when a window is shown); harmless there, dropped.
OFFSCREEN_NOISE = "This plugin does not support "


def _quiet_offscreen_messages() -> None:
    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] != "offscreen":
        return

    def handler(kind, context, message) -> None:
        if message.startswith(OFFSCREEN_NOISE):
            return
        if sys.stderr is not None:
            sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")
            sys.stderr.flush()

    qInstallMessageHandler(handler)


def _settings_into(folder: Path) -> None:
    """The window's QSettings (geometry, recent folders) go into the temporary folder too."""
    from PySide6.QtCore import QSettings

    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.IniFormat, scope, str(folder / "cai_dat"))


def open_main_window(ctx: Context) -> None:
    """The real start (gui.app.start_window: lock, open, main window, daily backup) on the district's
    data, then wait for its first figures and close it."""
    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import create_app, start_window

    _settings_into(ctx.folder)
    app = create_app([])
    db_path = Path(ctx.district.execute("PRAGMA database_list").fetchone()[2])
    window, code = start_window(db_path)
    if window is None:
        raise SmokeFailure(f"cửa sổ chính không mở được (mã {code})")

    def busy() -> bool:  # the log's full list and totals, the overview's figures
        return bool(getattr(window, "loading", False) or getattr(getattr(window, "home", None), "loading", False))

    try:
        tick = QTimer()  # wakes the wait below even when no event comes
        tick.start(50)
        deadline = time.monotonic() + WINDOW_TIMEOUT
        while (busy() or not window.isVisible()) and time.monotonic() < deadline:
            app.processEvents(QEventLoop.AllEvents | QEventLoop.WaitForMoreEvents, 100)
        tick.stop()
        if busy():
            raise SmokeFailure(f"cửa sổ chính chưa hiện xong số liệu sau {WINDOW_TIMEOUT:.0f} giây")
        if not window.isVisible():
            raise SmokeFailure("cửa sổ chính không hiện lên")
        if app.windowIcon().isNull():
            raise SmokeFailure("không tải được biểu tượng của phần mềm (resources/icons/app.png)")
    finally:
        window.close()
        QThreadPool.globalInstance().waitForDone(30_000)  # the daily backup, the loaders
        app.processEvents()
        window.db.close()
        window.deleteLater()
        app.sendPostedEvents(None, 0)  # DeferredDelete
        app.processEvents()
    QApplication.closeAllWindows()


def _utf8(stream):
    """Redirected output on Windows uses the ANSI code page, which has no Vietnamese: use UTF-8."""
    if stream is not None and hasattr(stream, "reconfigure") and not stream.isatty():
        stream.reconfigure(encoding="utf-8")
    return stream


def run_smoke_test(argv: list[str]) -> int:
    out, err = _utf8(sys.stdout), _utf8(sys.stderr)
    if argv:
        err.write("Lỗi: --smoke-test không nhận thêm tham số nào.\n")
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed (CI, an installer's check)

    def setup(_folder: Path) -> None:
        _quiet_offscreen_messages()

    return run_steps([*CORE_STEPS, Step("Mở cửa sổ chính", open_main_window)], out=out, err=err, setup=setup)


def startup_probe(argv: list[str], started: float) -> int:
    """Start like `main.py` does (gui.app.run_gui), print "STARTUP_PROBE <ms>" once the main window is
    shown and the event loop has run, then quit. ``started`` is time.perf_counter() at main.py's top."""
    from PySide6.QtCore import QThreadPool, QTimer

    from core.paths import default_db_path
    from gui.app import configure_logging, create_app, parse_gui_args, start_window

    _quiet_offscreen_messages()
    db_path = parse_gui_args(argv).db or default_db_path()
    configure_logging(db_path)
    app = create_app(argv)
    window, code = start_window(db_path)
    if window is None:
        return code or 1

    def shown() -> None:
        sys.stdout.write(f"STARTUP_PROBE {(time.perf_counter() - started) * 1000:.0f}\n")
        sys.stdout.flush()
        app.quit()

    QTimer.singleShot(0, shown)  # runs once the show and the first paint have been processed
    app.exec()
    window.close()
    QThreadPool.globalInstance().waitForDone(30_000)
    window.db.close()
    return 0
