"""Budget 3: scrolling the log from top to bottom without loading all rows: peak memory ≤ 300 MB.

A child process (so the figure is its own peak RSS) opens the real MainWindow on the 1M
database, waits for the full id list, then drags the scroll bar top to bottom in
200 steps (events processed after each, so the view paints and asks for rows) and
ends with scrollToBottom(). Reported: peak RSS (ru_maxrss), rows held in the model's
page cache at the end, pages read from the database, and the time taken.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

BUDGET_MB = 300
STEPS = 200


def child(db_path: Path) -> None:
    import resource

    from PySide6.QtCore import QEventLoop, QTimer

    from core.activities import repository
    from core.db import open_db
    from gui.app import create_app
    from gui.main_window import MainWindow

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    pages_read = []
    real_rows_by_id = repository.rows_by_id

    def counting_rows_by_id(db, ids):  # the model reads through the module attribute
        pages_read.append(len(ids))
        return real_rows_by_id(db, ids)

    repository.rows_by_id = counting_rows_by_id
    app = create_app([])
    window = MainWindow(open_db(db_path), db_path)
    window.show()
    tick = QTimer()
    tick.start(50)
    while window.loading:
        app.processEvents(QEventLoop.WaitForMoreEvents)
    app.processEvents()
    table, model = window.table, window.model
    before = {"peak_mb": rss_mb(), "cached_rows": model.cached_rows, "pages": len(pages_read)}
    bar = table.verticalScrollBar()
    start = time.perf_counter()
    for step in range(STEPS + 1):
        bar.setValue(bar.maximum() * step // STEPS)
        app.processEvents()
    table.scrollToBottom()
    app.processEvents()
    seconds = time.perf_counter() - start
    last_visible = table.rowAt(table.viewport().height() - 1)
    print(json.dumps({
        "rows": model.rowCount(), "before": before, "peak_mb": rss_mb(), "seconds": seconds,
        "cached_rows": model.cached_rows, "pages_read": len(pages_read) - before["pages"],
        "rows_read": sum(pages_read[before["pages"]:]), "last_visible_row": last_visible,
        "bottom_row_text": model.data(model.index(model.rowCount() - 1, 0)),
    }), flush=True)  # fmt: skip
    os._exit(0)  # skip Qt teardown


def run(runs: int = 3):
    from common import Result, ensure_database, run_child, spread

    db = ensure_database()
    print(f"== Scroll to the end: {runs} fresh processes, {STEPS} scroll-bar steps + scrollToBottom")
    reports = []
    for n in range(runs):
        lines = []
        cmd = [sys.executable, __file__, "--child", str(db)]
        code, _mb, _s = run_child(cmd, lambda _t, line: lines.append(line))
        if code != 0 or not lines:
            raise RuntimeError(f"scroll child failed (exit {code})")
        r = json.loads(lines[-1])
        reports.append(r)
        reached = r["last_visible_row"] == r["rows"] - 1
        print(f"  run {n + 1}: peak RSS {r['peak_mb']:.0f} MB (after loading, before scrolling:"
              f" {r['before']['peak_mb']:.0f} MB); {r['cached_rows']:,} rows cached of {r['rows']:,};"
              f" {r['pages_read']} pages ({r['rows_read']:,} rows) read while scrolling in {r['seconds']:.2f} s;"
              f" last row visible: {'yes' if reached else 'NO, row ' + str(r['last_visible_row'])}"
              f" ({r['bottom_row_text']})")  # fmt: skip
    print()
    peak = [r["peak_mb"] for r in reports]
    worst_cache = max(r["cached_rows"] for r in reports)
    all_reached = all(r["last_visible_row"] == r["rows"] - 1 for r in reports)
    mb = lambda v: f"{v:.0f} MB"  # noqa: E731
    return [
        Result("Scroll to the end: peak RSS", spread(peak, mb), f"≤ {BUDGET_MB} MB",
               statistics.median(peak) <= BUDGET_MB and all_reached),
        Result("  rows cached at the end (of 1,000,000)", f"{worst_cache:,} (max of runs)", "far below 1M",
               worst_cache <= 100_000),
        Result("  time to scroll top → bottom", spread([r["seconds"] for r in reports]) + "; no budget"),
    ]  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import print_machine, print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
    else:
        print_machine()
        print_table(run(args.runs))
