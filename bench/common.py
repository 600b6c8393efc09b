"""Shared by the benchmarks: machine description, timing, the 1,000,000-activity database."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB_PATH = OUT / "bench1m.db"
ACTIVITIES = 1_000_000
DEMO_ARGS = ["--activities", str(ACTIVITIES), "--units", "30", "--years", "2024,2025,2026", "--seed", "1"]

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def demo_command(db: Path) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), "--db", str(db), "demo", *DEMO_ARGS]


def machine_info() -> list[tuple[str, str]]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "?"
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    try:
        from PySide6 import QtCore, __version__ as pyside

        qt = f"Qt {QtCore.qVersion()}, PySide6 {pyside}"
    except ImportError:
        qt = "not installed"
    return [
        ("CPU", cpu),
        ("Cores", f"{os.cpu_count()} logical, {usable} usable by this process"),
        ("Load average", f"{load} (1/5/15 min; other work shares this machine)"),
        ("RAM", ram),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("SQLite", sqlite3.sqlite_version),
        ("Qt", qt),
    ]


def print_machine() -> None:
    print("Machine")
    for key, value in machine_info():
        print(f"  {key:<13} {value}")
    print()


# --- timing -----------------------------------------------------------------------


def repeat(fn, times: int) -> list[float]:
    """Seconds taken by each of ``times`` calls of ``fn``."""
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def ms(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def spread(samples: list[float], unit=ms) -> str:
    """'median X (min Y, max Z, n=N)'."""
    return (
        f"median {unit(statistics.median(samples))}"
        f" (min {unit(min(samples))}, max {unit(max(samples))}, n={len(samples)})"
    )


@dataclass
class Result:
    benchmark: str
    figure: str
    budget: str = "—"
    ok: bool | None = None  # None: shown for information, no budget

    @property
    def status(self) -> str:
        return "info" if self.ok is None else ("OK" if self.ok else "OVER")


def print_table(results: list[Result]) -> None:
    header = ("Benchmark", "Figure", "Budget", "")
    rows = [header] + [(r.benchmark, r.figure, r.budget, r.status) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for n, row in enumerate(rows):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            print("-+-".join("-" * w for w in widths))


# --- the database -------------------------------------------------------------------


def ensure_database(path: Path = DB_PATH, demo_args: list[str] | None = None) -> Path:
    """A demo database built once with the real CLI (by default the 1M-activity one, about a minute)."""
    path = Path(path)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    print(f"Building {path}…", flush=True)
    command = demo_command(partial) if demo_args is None else \
        [sys.executable, str(ROOT / "main.py"), "--db", str(partial), "demo", *demo_args]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run(  # fold the WAL into the file before renaming it
        [sys.executable, "-c", "import sqlite3,sys; sqlite3.connect(sys.argv[1])"
         ".execute('PRAGMA wal_checkpoint(TRUNCATE)')", str(partial)], check=True)  # fmt: skip
    partial.rename(path)
    for leftover in path.parent.glob(partial.name + "-*"):
        leftover.unlink()
    return path


def run_child(cmd: list[str], on_line=None) -> tuple[int, float, float]:
    """Run ``cmd``; call ``on_line(seconds_since_spawn, line)`` for each stdout line.

    Returns (exit code, the child's peak RSS in MB from wait4, seconds from spawn to exit).
    """
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True, bufsize=1)
        for line in proc.stdout:
            if on_line:
                on_line(time.perf_counter() - start, line.rstrip("\n"))
        proc.stdout.close()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:  # Qt's harmless offscreen warnings are shown only on failure
            errors.seek(0)
            sys.stderr.write(errors.read())
    return proc.returncode, usage.ru_maxrss / 1024, seconds
