"""Budget 4: `python main.py --db X demo --activities 1000000` ≤ 60 s.

Runs the real CLI once in a subprocess on a fresh temporary file (the cached benchmark
database is not touched) and times it from spawn to exit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import ACTIVITIES, OUT, Result, demo_command, ms, print_machine, print_table, run_child

BUDGET = 60.0


def run() -> list[Result]:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="demo-") as folder:  # same disk as the cache
        db = Path(folder) / "demo.db"
        cmd = demo_command(db)
        print(f"== Demo data: {' '.join(cmd[1:])}")
        lines = []
        code, peak_mb, seconds = run_child(cmd, lambda _t, line: lines.append(line))
        if code != 0:
            raise RuntimeError(f"demo command failed (exit {code})")
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1024**2
        count = _count(db)
        print(f"  CLI said: {lines[-1] if lines else '(nothing)'}")
        print(f"  {ms(seconds)} from spawn to exit; {count:,} activities; "
              f"{size:.0f} MB on disk; peak RSS {peak_mb:.0f} MB")  # fmt: skip
        print()
    ok = seconds <= BUDGET and count == ACTIVITIES
    return [Result(f"Demo CLI: {ACTIVITIES:,} activities", f"{ms(seconds)} (one run)", f"≤ {BUDGET:.0f} s", ok)]


def _count(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    finally:
        conn.close()


if __name__ == "__main__":
    print_machine()
    print_table(run())
