"""Budget: report (.docx + .xlsx) for a period holding 100,000 activities ≤ 3 s; 5,000 ≤ 1 s.

Builds two small demo databases (one year, 2025) once in bench/out/, creates the annual
report (calendar rules: 01/01–31/12/2025 holds every activity) and times
core.reports.export.write_files — drafting context, the Word file and the Excel file with
the activity list — three times each.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from common import OUT, ROOT, Result, print_machine, print_table, repeat, spread

CASES = [(5_000, 1.0), (100_000, 3.0)]


def _database(activities: int) -> Path:
    path = OUT / f"report{activities}.db"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), "demo", "--activities",
                        str(activities), "--units", "10", "--years", "2025", "--seed", "2"],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return path


def run() -> list[Result]:
    from core import periods
    from core.db import open_db
    from core.reports import export, store

    results = []
    print("== Report: .docx + .xlsx for one period")
    for activities, budget in CASES:
        db = open_db(_database(activities))
        period = periods.period_for("nam", 2025, rules="calendar")
        report = store.find_draft(db, period) or store.create_report(db, period, today=dt.date(2025, 12, 20))
        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            docx, xlsx = Path(folder) / "bc.docx", Path(folder) / "bc.xlsx"
            samples = repeat(lambda: export.write_files(db, report.id, docx, xlsx), 3)
            sizes = f"docx {docx.stat().st_size / 1024:.0f} KB, xlsx {xlsx.stat().st_size / 1024**2:.1f} MB"
        db.close()
        print(f"  {activities:,} activities: {spread(samples)}; {sizes}")
        median = sorted(samples)[1]
        results.append(Result(f"Report .docx+.xlsx, {activities:,} activities", spread(samples),
                              f"≤ {budget:.0f} s", median <= budget))  # fmt: skip
    print()
    return results


if __name__ == "__main__":
    print_machine()
    print_table(run())
