"""Run every benchmark on the 1,000,000-activity database and check the budgets.

    python bench/run.py               # everything (about 4 minutes; builds the database once)
    python bench/run.py --skip-demo   # without the minute-long demo-data build

Exit code 1 if any figure is over its budget.
"""

from __future__ import annotations

import argparse
import sys
import time

import bench_demo
import bench_export
import bench_frozen
import bench_home
import bench_import
import bench_package
import bench_report
import bench_scroll_memory
import bench_search
import bench_startup
from common import ensure_database, print_machine, print_table


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmarks with their budgets.")
    parser.add_argument("--skip-demo", action="store_true", help="skip timing `main.py demo` (about a minute)")
    args = parser.parse_args()
    started = time.perf_counter()
    print_machine()
    db = ensure_database()
    print(f"Database: {db} ({db.stat().st_size / 1024**2:.0f} MB)\n")
    results = bench_startup.run() + bench_search.run() + bench_scroll_memory.run() + bench_report.run()
    results += bench_home.run() + bench_export.run() + bench_import.run() + bench_package.run()
    results += bench_frozen.run()
    if not args.skip_demo:
        results += bench_demo.run()
    print_table(results)
    over = [r.benchmark.strip() for r in results if r.ok is False]
    print(f"\n{len(over)} over budget" + (": " + "; ".join(over) if over else "")
          + f" (benchmarks took {time.perf_counter() - started:.0f} s)")  # fmt: skip
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
