"""Sổ tuyên truyền chuyển đổi số: `python main.py` opens the window; with a command, runs headless.

`main.py --smoke-test` checks the whole app (a frozen build too) in a temporary folder: one line
and exit code 0 when every step passes (gui/smoke_test.py).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # for the start-up probe (SO_TUYEN_TRUYEN_STARTUP_PROBE=1)

import os  # noqa: E402
import sys  # noqa: E402


def _attach_console() -> None:
    """A windowed Windows build has no stdout or stderr: when started from a console with arguments
    (a command, --smoke-test), write into that console."""
    if sys.platform != "win32" or (sys.stdout is not None and sys.stderr is not None):
        return
    import ctypes

    # ATTACH_PARENT_PROCESS; there is none when started by a click or without a console: then the
    # output goes nowhere (the exit code still tells), rather than failing on a missing stdout
    target = "CONOUT$" if ctypes.windll.kernel32.AttachConsole(-1) else os.devnull
    if sys.stdout is None:
        sys.stdout = open(target, "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(target, "w", encoding="utf-8", errors="replace")  # noqa: SIM115


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        _attach_console()
    if argv[:1] == ["--smoke-test"]:
        from gui.smoke_test import run_smoke_test

        return run_smoke_test(argv[1:])
    from core.cli import is_cli_invocation, run

    if is_cli_invocation(argv):
        return run(argv)
    if os.environ.get("SO_TUYEN_TRUYEN_STARTUP_PROBE"):
        from gui.smoke_test import startup_probe

        return startup_probe(argv, STARTED)
    from gui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build starts the report's worker processes through main
    sys.exit(main())
