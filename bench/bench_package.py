"""Budgets of the USB exchange (issue 6), on this machine:

- import 30 packages × 10,000 activities into a district database: ≤ 10 s;
- importing the same 30 again (nothing changes): ≤ 5 s;
- exporting one 10,000-activity package: ≤ 2 s.

Builds 30 commune databases (demo data of 2025, each its own unit) and their
packages of the year once in bench/out/packages/, then times, in one run: the export
of one package; preview + merge of all 30 into a fresh district database (the
backup before the merge included); and preview + merge of all 30 again.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from common import OUT, Result, print_machine, print_table, repeat, spread

COMMUNES = 30
ACTIVITIES = 10_000
BUDGET_IMPORT, BUDGET_AGAIN, BUDGET_EXPORT = 10.0, 5.0, 2.0
FOLDER = OUT / "packages"


def _period():
    from core import periods

    return periods.period_for("nam", 2025)


def _commune(number: int) -> Path:
    """The commune's database with its 10,000 activities (built once)."""
    from core import settings
    from core.db import open_db
    from core.demo import generate
    from core.units import create_unit

    path = FOLDER / f"xa{number:02d}" / "so.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_db(path)
    unit = create_unit(db, name=f"Xã Thử Nghiệm {number}", level="xa", unit_id=f"xa-thu-{number:02d}")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Nguyễn Thị Hoa"))
    generate(db, activities=ACTIVITIES, years=[2025], seed=number, today=dt.date(2025, 12, 31))
    db.close()
    return path


def _packages() -> list[Path]:
    from core.db import open_db
    from core.package.export import export_package

    usb = FOLDER / "usb"
    usb.mkdir(parents=True, exist_ok=True)
    found = []
    for number in range(1, COMMUNES + 1):
        expected = usb / f"BaoCao_XaThuNghiem{number}_nam_2025.cdsx"
        if not expected.exists():
            db = open_db(_commune(number))
            export_package(db, _period(), usb)
            db.close()
        found.append(expected)
    return found


def _district(folder: Path):
    from core import settings
    from core.db import open_db
    from core.units import create_unit

    db = open_db(folder / "huyen.db")
    unit = create_unit(db, name="Huyện Thử Nghiệm", level="huyen")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Trần Văn Nam"))
    return db


def run() -> list[Result]:
    from core.db import open_db
    from core.package import merge, receive
    from core.package.export import export_package

    print(f"== USB exchange: {COMMUNES} packages × {ACTIVITIES:,} activities")
    packages = _packages()
    size = sum(p.stat().st_size for p in packages) / 1024**2
    print(f"  packages: {len(packages)} files, {size:.1f} MB together")
    source = open_db(_commune(1))
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        exports = repeat(lambda: export_package(source, _period(), Path(scratch)), 3)
    source.close()
    first, again, counts = [], [], []
    for _ in range(3):
        with tempfile.TemporaryDirectory(dir=OUT) as scratch:
            db = _district(Path(scratch))
            start = time.perf_counter()
            found = receive.preview(db, packages, accept_new_units=True)
            merged = merge.merge(db, found)
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            second = merge.merge(db, receive.preview(db, packages))
            again.append(time.perf_counter() - start)
            counts.append((merged.new, len(found.refused), second.new + second.changed + second.deleted))
            db.close()
            del found, merged, second  # each run starts as the window does, with nothing of the last one held
    print(f"  export of one package: {spread(exports)}")
    print(f"  import of all {COMMUNES}: {spread(first)}; new activities {counts[0][0]:,}, refused {counts[0][1]}")
    print(f"  the same {COMMUNES} again: {spread(again)}; changed anything: {counts[0][2]}")
    print()
    med = lambda samples: sorted(samples)[len(samples) // 2]  # noqa: E731
    return [
        Result("Package export, 10,000 activities", spread(exports), f"≤ {BUDGET_EXPORT:.0f} s",
               med(exports) <= BUDGET_EXPORT),  # fmt: skip
        Result(f"Package import, {COMMUNES} × 10,000", spread(first), f"≤ {BUDGET_IMPORT:.0f} s",
               med(first) <= BUDGET_IMPORT),  # fmt: skip
        Result(f"Package import again, {COMMUNES} × 10,000", spread(again), f"≤ {BUDGET_AGAIN:.0f} s",
               med(again) <= BUDGET_AGAIN),  # fmt: skip
    ]


if __name__ == "__main__":
    print_machine()
    print_table(run())
