"""Budget 1: from process start to the main window showing the first page of the log ≤ 1.5 s.

Each run spawns a fresh `python bench/startup_probe.py` (the real create_app, open_db,
MainWindow); the figure is measured in this process from Popen to the child's
"FIRST_PAGE" line, so interpreter start-up and every import are included.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from common import ROOT, Result, ensure_database, ms, print_machine, print_table, run_child, spread

BUDGET = 1.5
PROBE = ROOT / "bench" / "startup_probe.py"


def one_start(db) -> dict:
    seen = {}

    def on_line(elapsed, line):
        word, _, rest = line.partition(" ")
        if word in ("FIRST_PAGE", "LOADED"):
            seen[word] = elapsed
            seen[word + "_inside"] = float(rest.split()[0])
            seen[word + "_rows"] = rest.split("rows=")[-1]
        elif word == "PHASES":
            seen["phases"] = dict(pair.split("=") for pair in rest.split())

    code, peak_mb, _seconds = run_child([sys.executable, str(PROBE), "--db", str(db)], on_line)
    if code != 0 or "LOADED" not in seen:
        raise RuntimeError(f"startup probe failed (exit {code}): {seen}")
    seen["peak_mb"] = peak_mb
    return seen


def run(runs: int = 7) -> list[Result]:
    db = ensure_database()
    print(f"== Start-up: {runs} fresh processes on {db.name}")
    starts = []
    for n in range(runs):
        s = one_start(db)
        starts.append(s)
        print(f"  run {n + 1}: first page {ms(s['FIRST_PAGE'])} after spawn"
              f" ({ms(s['FIRST_PAGE_inside'])} after the probe's first line, {s['FIRST_PAGE_rows']} rows),"
              f" full list + totals {ms(s['LOADED'])} ({s['LOADED_rows']} rows), peak RSS {s['peak_mb']:.0f} MB")  # fmt: skip
    first = [s["FIRST_PAGE"] for s in starts]
    loaded = [s["LOADED"] for s in starts]
    print("  where the time goes before the first page (median of runs, inside the process):")
    for phase in starts[0]["phases"]:
        print(f"    {phase:<14} {ms(statistics.median(float(s['phases'][phase]) for s in starts))}")
    print(f"  interpreter start-up before the probe's first line: "
          f"{ms(statistics.median(s['FIRST_PAGE'] - s['FIRST_PAGE_inside'] for s in starts))}")  # fmt: skip
    print()
    median = statistics.median(first)
    return [
        Result("Start-up: spawn → first page shown", spread(first), f"≤ {BUDGET} s", median <= BUDGET),
        Result("Start-up: spawn → full list + totals", spread(loaded) + ", no budget, for information"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print_machine()
    print_table(run(args.runs))
