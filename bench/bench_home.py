"""Budget: the home screen ("Tổng quan") on 1,000,000 activities, every part filled in and painted, ≤ 1 s.

On bench/out/bench1m.db, for the database's last year ("today" is its last activity's day,
or the real today if earlier):

- ``core.overview.overview`` cold (cache emptied by ``invalidate()`` before each run) and
  warm (cached), each target (``core.achievement``) and the reports due with the drafts:
  the page runs them off the UI thread, two at a time;
- ``HomePage``: from the constructor to every part on screen (``loaded``) and a full paint
  of the page (``grab()``, offscreen), with an empty cache (the budget) and a warm one;
  and how long the UI thread itself is busy (constructor, filling in the parts).

A database built before plans existed has no targets: the demo plan the CLI now creates
(``core.demo.demo_plan``) is added to it once, so the targets are measured too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from common import Result, ensure_database, ms, print_machine, print_table, repeat, spread

BUDGET = 1.0


def _today(db) -> dt.date:
    last = db.execute("SELECT max(date_from) FROM activities WHERE deleted_at IS NULL").fetchone()[0]
    return min(dt.date.today(), dt.date.fromisoformat(last)) if last else dt.date.today()


def _ensure_targets(db, year: int) -> None:
    from core.demo import demo_plan
    from core.plans import targets_for_year

    if targets_for_year(db, year):
        return
    years = [r[0] for r in db.execute("SELECT DISTINCT CAST(substr(date_from, 1, 4) AS INTEGER) FROM activities"
                                      " INDEXED BY activities_by_date WHERE deleted_at IS NULL")]  # fmt: skip
    print(f"  (no targets for {year}: adding the demo plan for {min(years)}–{max(years)}, once)")
    demo_plan(db, sorted(years), _today(db))


def _open_page(app, db, db_path, today) -> dict[str, float]:
    """Seconds from the constructor to: constructed, shown, every part in, painted."""
    from PySide6.QtCore import QEventLoop

    from gui.home_page import HomePage

    marks = {}
    start = time.perf_counter()
    page = HomePage(db, db_path, today=today)
    marks["constructed"] = time.perf_counter() - start
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    marks["shown"] = time.perf_counter() - start
    if page.loading:
        loop = QEventLoop()
        page.loaded.connect(loop.quit)
        loop.exec()
    marks["loaded"] = time.perf_counter() - start
    page.grab()
    marks["painted"] = time.perf_counter() - start
    # what the UI thread spends filling the parts in (the callbacks, run again on the same data)
    busy = time.perf_counter()
    page._show_overview(page.overview)
    page._show_targets(page.achievements)
    page._show_reports(page.reports)
    app.processEvents()
    marks["fill_in"] = time.perf_counter() - busy
    page.close()
    page.deleteLater()
    app.processEvents()
    return marks


def run(runs: int = 5) -> list[Result]:
    from PySide6.QtWidgets import QApplication

    from core import overview as ov
    from core.db import open_db
    from core.plans import targets_for_year
    from gui.home_page import reports_due, target_progress

    app = QApplication.instance() or QApplication([])
    db_path = ensure_database()
    db = open_db(db_path)
    today = _today(db)
    year = today.year
    print(f"== Home screen (Tổng quan): year {year}, today {today:%d/%m/%Y}")
    _ensure_targets(db, year)
    total = db.execute("SELECT count(*) FROM activities WHERE deleted_at IS NULL").fetchone()[0]

    def cold():
        ov.invalidate()
        return ov.overview(db, year, today)

    data = cold()
    cold_runs = repeat(cold, runs)
    warm_runs = repeat(lambda: ov.overview(db, year, today), 20)
    targets = targets_for_year(db, year)
    target_runs = [repeat(lambda t=t: target_progress(db, t, today), 3) for t in targets]
    report_runs = repeat(lambda: reports_due(db, today), 3)
    version = repeat(lambda: ov.data_version(db), 20)
    print(f"  {total:,} activities; {data.total_this_year:,} this year so far, {len(data.by_form)} forms, "
          f"{len(data.subordinates)} subordinate units")  # fmt: skip
    print(f"  overview() cold  {spread(cold_runs)}")
    print(f"  overview() warm  {spread(warm_runs)}   (data version {spread(version)})")
    for target, samples in zip(targets, target_runs):
        print(f"  target “{target.name}” ({target.source}): {spread(samples)}")
    targets_total = sum(statistics.median(s) for s in target_runs)
    print(f"  {len(targets)} targets one after the other: {ms(targets_total)}; reports due + drafts {spread(report_runs)}")

    opened, warm_opened = [], []
    for _ in range(runs):
        ov.invalidate()
        opened.append(_open_page(app, db, db_path, today))
    for _ in range(runs):
        warm_opened.append(_open_page(app, db, db_path, today))
    painted = [m["painted"] for m in opened]
    for label, marks in (("empty cache", opened), ("warm cache", warm_opened)):
        print(f"  HomePage, {label}: constructed {spread([m['constructed'] for m in marks])}")
        print(f"    shown (\"Đang tính…\") {spread([m['shown'] for m in marks])}")
        print(f"    every part in   {spread([m['loaded'] for m in marks])}")
        print(f"    painted         {spread([m['painted'] for m in marks])}")
    busy = [max(m["constructed"], m["fill_in"]) for m in opened]
    print(f"  UI thread busy at most {ms(max(busy))} at a time (constructor, or filling the parts in)")
    db.close()
    print()
    return [
        Result("Home screen: open, all parts in, painted", spread(painted), "≤ 1 s",
               statistics.median(painted) <= BUDGET),  # fmt: skip
        Result("  overview() cold / warm", f"median {ms(statistics.median(cold_runs))} / "
               f"{ms(statistics.median(warm_runs))}; no budget"),  # fmt: skip
        Result(f"  {len(targets)} targets (shared by 2 threads)", f"{ms(targets_total)} one after the other; no budget"),
        Result("  home screen, warm cache", f"median {ms(statistics.median([m['painted'] for m in warm_opened]))};"
               " no budget"),  # fmt: skip
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print_machine()
    print_table(run(args.runs))
