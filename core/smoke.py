"""Kiểm tra nhanh (``main.py --smoke-test``): the whole app, end to end, in a temporary folder.

Proves an installed or frozen build works on this machine: the migrations, demo data, a report's
Word and Excel files, a worker process, the Excel log out and back in, a USB package from a commune
merged into its district, a verified backup. gui/smoke_test.py adds opening the main window.

Nothing outside the temporary folder is touched (SO_TUYEN_TRUYEN_DATA points into it while the
steps run) and the folder is removed afterwards. On success one line is printed; on a failure, a
Vietnamese line naming the step on stderr (then the technical details) and exit code 1.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

DEMO_ACTIVITIES = 400
YEAR = 2025
TODAY = dt.date(YEAR, 12, 31)  # the demo log covers the whole year, whatever today's date
COMMUNE_CODE, DISTRICT_CODE = "19501", "470"


class SmokeFailure(Exception):
    """A step ran but its result is wrong; the message says what (in Vietnamese)."""


@dataclass
class Context:
    """What the steps hand on to each other."""

    folder: Path
    dbs: list = field(default_factory=list)  # every database opened, closed at the end
    commune: object = None
    district: object = None
    period: object = None
    package: Path | None = None
    in_period: int = 0  # the commune's activities of the period (deleted ones included)

    def open(self, name: str):
        from core.db import open_db

        (self.folder / name).mkdir(parents=True, exist_ok=True)
        db = open_db(self.folder / name / "so_tuyen_truyen.db")
        self.dbs.append(db)
        return db

    def close(self) -> None:
        for db in self.dbs:
            try:
                db.close()
            except Exception:  # noqa: BLE001 - closing at the end: nothing left to save
                pass
        self.dbs.clear()


@dataclass
class Step:
    name: str  # Vietnamese, shown when it fails
    run: Callable[[Context], None]


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


# --- the steps ----------------------------------------------------------------------------------


def create_database(ctx: Context) -> None:
    from core.migrations import SCHEMA_VERSION

    ctx.commune = ctx.open("xa")
    version = ctx.commune.execute("PRAGMA user_version").fetchone()[0]
    _expect(version == SCHEMA_VERSION, f"phiên bản cấu trúc dữ liệu là {version}, cần {SCHEMA_VERSION}")
    entries = ctx.commune.execute("SELECT count(*) FROM taxonomy").fetchone()[0]
    _expect(entries > 0, "chưa có danh mục hình thức, chủ đề")


def demo_data(ctx: Context) -> None:
    from core import demo, periods, settings
    from core.units import create_unit

    db = ctx.commune
    unit = create_unit(db, name="Xã Hải Phú", level="xa", official_code=COMMUNE_CODE)
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Lê Thị Mai",
                                               officer_title="Công chức Văn hóa - Xã hội"))  # fmt: skip
    made = demo.generate(db, activities=DEMO_ACTIVITIES, units=1, years=[YEAR], seed=1, today=TODAY)
    count = db.execute("SELECT count(*) FROM activities").fetchone()[0]
    _expect(made == count == DEMO_ACTIVITIES, f"có {count} hoạt động mẫu, cần {DEMO_ACTIVITIES}")
    ctx.period = periods.period_for("6thang", YEAR)
    ctx.in_period = db.execute("SELECT count(*) FROM activities WHERE date_from BETWEEN ? AND ?",
                               [ctx.period.start.isoformat(), ctx.period.end.isoformat()]).fetchone()[0]  # fmt: skip
    _expect(ctx.in_period > 0, "kỳ báo cáo không có hoạt động nào")


def report_files(ctx: Context) -> None:
    import docx
    import openpyxl

    from core.reports import export, store

    report = store.create_report(ctx.commune, ctx.period, today=TODAY)
    folder = ctx.folder / "bao_cao"
    folder.mkdir()
    paths, _figures = export.write_files(ctx.commune, report.id, folder / "bao_cao.docx", folder / "bao_cao.xlsx")
    _expect([p.suffix for p in paths] == [".docx", ".xlsx"], f"tệp báo cáo ghi ra: {[p.name for p in paths]}")
    text = "\n".join(p.text for p in docx.Document(str(paths[0])).paragraphs)
    _expect("BÁO CÁO" in text.upper(), "tệp Word không có tiêu đề báo cáo")
    book = openpyxl.load_workbook(paths[1], read_only=True)
    try:
        rows = sum(1 for sheet in book.worksheets for _row in sheet.iter_rows(values_only=True))
    finally:
        book.close()
    _expect(rows >= ctx.in_period, f"tệp Excel có {rows} dòng, ít hơn {ctx.in_period} hoạt động của kỳ")


def worker_process(ctx: Context) -> None:
    """The report's and the import's worker processes start through main.py (spawn, freeze_support)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from core.text import fold

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        folded = pool.submit(fold, "Chuyển đổi số").result(timeout=120)
    _expect(folded == fold("Chuyển đổi số"), f"tiến trình phụ trả về “{folded}”")


def excel_round_trip(ctx: Context) -> None:
    from core.activities.filters import ActivityFilter
    from core.importers import service
    from core.importers.export import export_log_xlsx

    path, written = export_log_xlsx(ctx.commune, ActivityFilter(), ctx.folder / "so_hoat_dong.xlsx")
    preview = service.analyse(ctx.commune, path)
    _expect(not preview.problems, f"đọc lại tệp Excel thấy {len(preview.problems)} lỗi")
    found = f"đọc lại {written} hoạt động vừa xuất: {preview.duplicates} trùng, {len(preview.ready)} mới"
    _expect(preview.duplicates == written and not preview.ready, found)


def package_export(ctx: Context) -> None:
    from core.package.export import export_package

    usb = ctx.folder / "usb"
    usb.mkdir()
    result = export_package(ctx.commune, ctx.period, usb)
    _expect(result.path.is_file() and result.path.suffix == ".cdsx", f"gói dữ liệu: {result.path.name}")
    ctx.package = result.path


def package_receive(ctx: Context) -> None:
    from core import settings
    from core.package import merge, receive
    from core.units import create_unit, get_unit

    ctx.district = db = ctx.open("huyen")
    district = create_unit(db, name="Huyện Hải Lăng", level="huyen", official_code=DISTRICT_CODE)
    settings.save_profile(db, settings.Profile(unit_id=district.id, officer_name="Trần Văn Hùng"))
    found = receive.preview(db, [ctx.package], accept_new_units=True)
    _expect(not found.refused, "gói bị từ chối: " + "; ".join(r.reason for r in found.refused))
    result = merge.merge(db, found)
    _expect(result.new == ctx.in_period, f"nhận {result.new} hoạt động mới, cần {ctx.in_period}")
    commune = get_unit(db, found.packages[0].sender)
    _expect(commune.parent_id == district.id, "xã gửi gói chưa nằm dưới huyện nhận")
    again = merge.merge(db, receive.preview(db, [ctx.package], accept_new_units=True))
    _expect(again.new == 0 and again.changed == 0, "nhận lại cùng một gói vẫn thêm dữ liệu")


def backup_and_check(ctx: Context) -> None:
    from core.backup import backup_to
    from core.restore import check_backup

    copy = backup_to(ctx.district, ctx.folder / "sao_luu_kiem_tra" / "ban_sao.db")
    info = check_backup(copy)
    count = ctx.district.execute("SELECT count(*) FROM activities").fetchone()[0]
    _expect(info.activities == count, f"bản sao lưu có {info.activities} hoạt động, dữ liệu có {count}")


CORE_STEPS = [
    Step("Tạo cơ sở dữ liệu và nâng cấp cấu trúc", create_database),
    Step("Tạo dữ liệu mẫu", demo_data),
    Step("Lập báo cáo Word và Excel", report_files),
    Step("Chạy tiến trình phụ", worker_process),
    Step("Xuất sổ hoạt động ra Excel rồi đọc lại", excel_round_trip),
    Step("Xuất gói dữ liệu ra USB", package_export),
    Step("Nhận gói dữ liệu ở cấp huyện", package_receive),
    Step("Sao lưu và kiểm tra bản sao lưu", backup_and_check),
]


# --- running them -------------------------------------------------------------------------------


@contextmanager
def environment(**values: str):
    """These environment variables set for the block, then put back as they were."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_steps(steps: list[Step], *, out: TextIO, err: TextIO, setup: Callable[[Path], None] | None = None) -> int:
    """Run ``steps`` in a fresh temporary folder; 0 and one line on ``out`` when all pass."""
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="so-tuyen-truyen-kiem-tra-"))
    ctx = Context(folder)
    step = None
    try:
        with environment(SO_TUYEN_TRUYEN_DATA=str(folder / "du_lieu")):
            if setup is not None:
                setup(folder)
            for step in steps:
                step.run(ctx)
    except BaseException as exc:  # noqa: BLE001 - every failure is reported the same way
        if isinstance(exc, KeyboardInterrupt):
            raise
        what = step.name if step is not None else "Chuẩn bị thư mục tạm"
        reason = str(exc) if isinstance(exc, SmokeFailure) else getattr(exc, "message", None) or repr(exc)
        err.write(f"Kiểm tra nhanh: bước “{what}” bị lỗi: {reason}\n")
        if not isinstance(exc, SmokeFailure):
            err.write("Chi tiết kỹ thuật:\n" + "".join(traceback.format_exception(exc)))
        err.flush()
        return 1
    finally:
        ctx.close()
        shutil.rmtree(folder, ignore_errors=True)
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    out.write(f"Kiểm tra nhanh: mọi bước đều ổn ({len(steps)} bước, {seconds} giây)\n")
    out.flush()
    return 0
