"""Budgets of the one-folder build (the Linux build stands in for the Windows one):
size of the folder ≤ 150 MB; spawn of the frozen program → main window shown ≤ 2 s.

The build is made with build.spec into bench/out/frozen/ (about 40 s), or reused when it is newer
than every file it is built from. Each start is a fresh process of the built program with
SO_TUYEN_TRUYEN_STARTUP_PROBE=1 on a prepared 20,000-activity database (bench/out/frozen20000.db):
the real start (gui.app.start_window: lock, open, setup check, main window, the daily backup in the
background), which prints "STARTUP_PROBE <ms>" once the window is shown and the event loop has run,
then quits. The figure is measured here, from Popen to that line (gui/smoke_test.py startup_probe).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import OUT, ROOT, Result, ensure_database, ms, print_machine, print_table, run_child, spread

SIZE_BUDGET_MB = 150
START_BUDGET = 2.0
BUILD = OUT / "frozen"
DB = OUT / "frozen20000.db"
DEMO = ["--activities", "20000", "--units", "10", "--years", "2024,2025", "--seed", "1"]
SOURCES = ["main.py", "build.spec", "core", "gui", "resources"]


def app_id() -> str:
    sys.path.insert(0, str(ROOT))
    from core import APP_ID

    return APP_ID


def program() -> Path:
    return BUILD / "dist" / app_id() / (app_id() + (".exe" if sys.platform == "win32" else ""))


def newest_source() -> float:
    stamps = []
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        stamps += [p.stat().st_mtime for p in files]
    return max(stamps)


def ensure_build() -> tuple[Path, float | None]:
    """The built program, and the seconds the build took (None when a fresh build was reused)."""
    exe = program()
    if exe.is_file() and exe.stat().st_mtime > newest_source():
        return exe, None
    print(f"Building {exe.parent} with PyInstaller…", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "build"), "build.spec"],
                   cwd=ROOT, check=True)  # fmt: skip
    return exe, time.perf_counter() - started


def folder_size(folder: Path) -> tuple[int, list[tuple[int, str]]]:
    """Bytes of every file (symlinks not counted), and the size of each item: Qt's libraries one by one,
    the other top-level entries of _internal/ as a whole."""
    sizes: dict[str, int] = {}
    total = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        parts = path.relative_to(folder).parts
        if parts[:2] != ("_internal", "PySide6"):
            key = "/".join(parts[:2])
        else:  # Qt's libraries and PySide6's modules one by one, Qt's plugins by kind
            key = "/".join(parts[:6] if parts[2:4] == ("Qt", "plugins") else parts)
        sizes[key] = sizes.get(key, 0) + size
    return total, sorted(((size, key) for key, size in sizes.items()), reverse=True)


def one_start(exe: Path, db: Path, settings: Path) -> tuple[float, float]:
    """(seconds from spawn to the window shown, milliseconds the program itself counted)."""
    seen = {}

    def on_line(elapsed, line):
        if line.startswith("STARTUP_PROBE "):
            seen["spawn"] = elapsed
            seen["inside"] = float(line.split()[1])

    probe = {"SO_TUYEN_TRUYEN_STARTUP_PROBE": "1", "XDG_CONFIG_HOME": str(settings)}  # QSettings: not the user's
    from core.smoke import environment

    with environment(**probe):  # run_child passes this process's environment on
        code, _peak, _seconds = run_child([str(exe), "--db", str(db)], on_line)
    if code != 0 or "spawn" not in seen:
        raise RuntimeError(f"frozen start-up probe failed (exit {code})")
    return seen["spawn"], seen["inside"]


def run(runs: int = 5) -> list[Result]:
    exe, built = ensure_build()
    print(f"== Frozen build: {exe.parent}" + (f" (built in {built:.0f} s)" if built else " (reused)"))
    total, biggest = folder_size(exe.parent)
    mb = total / 1_000_000
    print(f"  size {mb:.1f} MB ({total / 1024**2:.1f} MiB); the biggest items:")
    for size, name in biggest[:12]:
        print(f"    {size / 1_000_000:6.1f} MB  {name}")
    db = ensure_database(DB, DEMO)
    starts = []
    with tempfile.TemporaryDirectory() as settings:
        for n in range(runs):
            spawn, inside = one_start(exe, db, Path(settings))
            starts.append(spawn)
            print(f"  run {n + 1}: main window shown {ms(spawn)} after spawn ({inside:.0f} ms counted inside)")
    print()
    median = statistics.median(starts)
    results = [
        Result("Frozen build: one-folder size", f"{mb:.0f} MB", f"≤ {SIZE_BUDGET_MB} MB", mb <= SIZE_BUDGET_MB),
        Result("Frozen start: spawn → main window shown", spread(starts), f"≤ {START_BUDGET:g} s",
               median <= START_BUDGET),
    ]
    if built:
        results.append(Result("Frozen build: PyInstaller build.spec", f"{built:.0f} s, no budget, for information"))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print_machine()
    print_table(run(args.runs))
