"""Sổ tuyên truyền chuyển đổi số: `python main.py` opens the window; with a command, runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from core.cli import is_cli_invocation, run

    if is_cli_invocation(argv):
        return run(argv)
    from gui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build starts the report's worker processes through main
    sys.exit(main())
