"""One start of the real window, for bench_startup.py (run in a fresh process each time).

Prints, flushed as they happen:
  FIRST_PAGE <s>   window shown, events processed, first row's data readable
  PHASES k=v ...   seconds spent in each step (inside this process)
  LOADED <s>       full id list and totals arrived (window.loading is False)
<s> counts from the top of this file; the parent measures from spawn.
"""

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    marks = {}

    def mark(name):
        marks[name] = time.perf_counter()

    from PySide6.QtCore import QEventLoop, QTimer

    from core import settings
    from core.db import open_db
    from gui.app import create_app

    mark("imports")
    app = create_app([])
    mark("create_app")
    db = open_db(args.db)
    if settings.load_profile(db) is None:
        sys.exit("no profile in this database: build it with `main.py demo`")
    mark("open_db")
    from gui.main_window import MainWindow

    mark("import_window")
    window = MainWindow(db, args.db)
    mark("MainWindow")
    window.show()
    app.processEvents()
    model = window.model
    if model.rowCount() == 0 or not model.data(model.index(0, 0)):
        sys.exit("the first page is empty")
    mark("show")
    print(f"FIRST_PAGE {marks['show'] - T0:.4f} rows={model.rowCount()}", flush=True)
    steps, previous = [], T0
    for name, stamp in marks.items():
        steps.append(f"{name}={stamp - previous:.4f}")
        previous = stamp
    print("PHASES " + " ".join(steps), flush=True)

    tick = QTimer()  # wakes the wait below even if no event comes
    tick.start(50)
    deadline = time.perf_counter() + args.timeout
    while window.loading and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.WaitForMoreEvents)
    if window.loading:
        sys.exit("the full list did not arrive in time")
    print(f"LOADED {time.perf_counter() - T0:.4f} rows={model.rowCount()}", flush=True)
    db.close()
    os._exit(0)  # skip Qt teardown: not part of what is measured


if __name__ == "__main__":
    main()
