"""Command line: the same services as the window, no window.

Errors go to stderr in Vietnamese: exit 1 for a problem with the data or a
file, exit 2 for a command typed wrongly.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from core import APP_NAME, __version__, argparse_vi, cli_backup, cli_excel, cli_package, cli_plans, cli_report
from core.activities import repository
from core.activities.filters import ActivityFilter
from core.errors import UserError
from core.text import format_date, format_number, parse_date

COMMANDS = ("demo", "activities", "stats", "report", "import-excel", "export-excel", "plans", "targets", "plan-doc",
            "package", "backup", "restore", "check")  # fmt: skip


class VietnameseParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {message}\n")


def _date(text: str):
    try:
        return parse_date(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương (đang là “{text}”)")
    return int(text)


def _years(text: str) -> list[int]:
    try:
        years = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"năm phải có dạng 2024,2025 (đang là “{text}”)") from None
    if not years or any(not 2000 <= y <= 2100 for y in years):
        raise argparse.ArgumentTypeError(f"năm phải từ 2000 đến 2100 (đang là “{text}”)")
    return years


def build_parser() -> argparse.ArgumentParser:
    argparse_vi.install()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="tệp cơ sở dữ liệu (mặc định: trong thư mục dữ liệu của người dùng)")
    common.add_argument("--format", choices=("table", "csv", "json"), default=argparse.SUPPRESS, help="dạng kết quả")

    parser = VietnameseParser(prog="main.py", description=APP_NAME, parents=[common])
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", title="lệnh", metavar="lệnh", parser_class=VietnameseParser)

    demo = sub.add_parser("demo", parents=[common], help="tạo dữ liệu mẫu để dùng thử")
    demo.add_argument("--activities", type=_positive, required=True, help="số hoạt động cần tạo")
    demo.add_argument("--units", type=_positive, default=5, help="số đơn vị (1 = một xã; nhiều hơn = một huyện và các xã)")
    demo.add_argument("--years", type=_years, default=None, help="các năm, ví dụ 2024,2025")
    demo.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên (cùng hạt giống cho cùng dữ liệu)")

    def add_filters(p):
        p.add_argument("--from", dest="date_from", type=_date, help="từ ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
        p.add_argument("--to", dest="date_to", type=_date, help="đến ngày")
        p.add_argument("--form", action="append", default=[], help="mã hình thức, ví dụ tin_bai (có thể lặp lại)")
        p.add_argument("--topic", action="append", default=[], help="mã chủ đề (có thể lặp lại)")
        p.add_argument("--funding", action="append", default=[], help="mã nguồn kinh phí (có thể lặp lại)")
        p.add_argument("--unit", action="append", default=[],
                       help="mã đơn vị (gồm cả các đơn vị cấp dưới); lặp lại hoặc cách nhau bởi dấu phẩy để chọn nhiều")  # fmt: skip
        p.add_argument("--only-unit", action="store_true", help="chỉ đơn vị này, không gồm cấp dưới")
        p.add_argument("--search", default="", help="tìm theo chữ (không phân biệt dấu, hoa thường)")

    listing = sub.add_parser("activities", parents=[common], help="liệt kê hoạt động")
    add_filters(listing)
    listing.add_argument("--limit", type=_positive, default=50, help="số dòng tối đa (mặc định 50)")

    stats = sub.add_parser("stats", parents=[common], help="thống kê số lượng, kinh phí theo nhóm")
    add_filters(stats)
    stats.add_argument("--by", choices=("form", "unit", "month", "topic", "funding"), default="form", help="nhóm theo")
    cli_report.add_parsers(sub, common, _date)
    cli_excel.add_parsers(sub, common, add_filters)
    cli_plans.add_parsers(sub, common)
    cli_package.add_parsers(sub, common)
    cli_backup.add_parsers(sub, common)
    return parser


def _filter(args) -> ActivityFilter:
    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UsageError("“--to” không được trước “--from”.")
    chosen = [unit for given in args.unit for unit in given.split(",") if unit.strip()]
    return ActivityFilter(
        date_from=args.date_from,
        date_to=args.date_to,
        form_codes=tuple(args.form),
        topic_codes=tuple(args.topic),
        funding_codes=tuple(args.funding),
        unit_id=chosen[0] if len(chosen) == 1 else None,
        unit_ids=tuple(u.strip() for u in chosen) if len(chosen) > 1 else (),
        include_subunits=not args.only_unit,
        search=args.search,
    )


class UsageError(Exception):
    pass


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


LISTING_COLUMNS = [
    ("date_from", "Ngày"), ("unit_name", "Đơn vị"), ("form_label", "Hình thức"),
    ("title", "Tên, nội dung hoạt động"), ("quantity", "Số lượng"), ("counted_unit", "Đơn vị tính"),
    ("participants", "Người tham dự/tiếp cận"), ("cost", "Kinh phí (đồng)"), ("topic_labels", "Chủ đề"),
]  # fmt: skip


def cmd_activities(db, args, out) -> None:
    rows = repository.page(db, _filter(args), limit=args.limit)
    fmt = getattr(args, "format", "table")
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    def cell(row, key):
        value = row.get(key)
        if key == "date_from":
            return format_date(value)
        if key in ("quantity", "participants", "cost"):
            return format_number(value)
        return "" if value is None else str(value)
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow([label for _key, label in LISTING_COLUMNS] + ["Mã"])
        for row in rows:
            writer.writerow([cell(row, key) for key, _label in LISTING_COLUMNS] + [row["uuid"]])
        return
    short = [(k, l) for k, l in LISTING_COLUMNS if k not in ("counted_unit", "topic_labels")]
    table_rows = [[cell(r, k)[:70] for k, _l in short] for r in rows]
    out.write(_table([l for _k, l in short], table_rows, {4, 5, 6}) + "\n")
    out.write(f"({format_number(len(rows))} dòng)\n")


STAT_FIELDS = [("count", "Số hoạt động"), ("quantity", "Số lượng"), ("duration_minutes", "Thời lượng (phút)"),
               ("participants", "Người tham dự/tiếp cận"), ("cost", "Kinh phí (đồng)")]  # fmt: skip


def cmd_stats(db, args, out) -> None:
    flt = _filter(args)
    groups = repository.stats(db, flt, by=args.by)
    total = repository.totals(db, flt)
    if getattr(args, "format", "table") == "json":
        data = {
            "by": args.by,
            "groups": [{"key": g.key, "label": g.label} | g.totals.__dict__ for g in groups],
            "total": total.__dict__,
        }
        json.dump(data, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    headers = ["Nhóm"] + [label for _k, label in STAT_FIELDS]
    rows = [[g.label[:60]] + [format_number(getattr(g.totals, k)) for k, _l in STAT_FIELDS] for g in groups]
    rows.append(["Tổng cộng"] + [format_number(getattr(total, k)) for k, _l in STAT_FIELDS])
    if getattr(args, "format", "table") == "csv":
        csv.writer(out).writerows([headers] + rows)
        return
    out.write(_table(headers, rows, {1, 2, 3, 4, 5}) + "\n")


def cmd_demo(db, args, out) -> None:
    from core.demo import generate

    started = time.perf_counter()
    count = generate(db, activities=args.activities, units=args.units, years=args.years, seed=args.seed)
    seconds = time.perf_counter() - started
    if getattr(args, "format", "table") == "json":
        json.dump({"created": count, "seconds": round(seconds, 2)}, out)
        out.write("\n")
    else:
        out.write(f"Đã tạo {format_number(count)} hoạt động mẫu trong {seconds:.1f} giây.\n")


def run(argv: list[str], out=None, err=None) -> int:
    """Run a CLI command; returns the process exit code."""
    from core.db import open_db
    from core.paths import default_db_path, is_removable

    out = out or _utf8(sys.stdout)
    err = err or _utf8(sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not args.command:
        parser.print_usage(err)
        err.write("Lỗi: hãy nêu một lệnh: " + ", ".join(COMMANDS) + "\n")
        return 2
    db_path = Path(getattr(args, "db", None) or default_db_path())
    if not db_path.exists() and is_removable(db_path):
        err.write(f"Cảnh báo: tệp dữ liệu “{db_path}” được tạo trên ổ đĩa di động; rút ổ ra có thể làm mất dữ liệu.\n")
    try:
        if args.command in ("check", "restore"):  # they read or replace the file without opening it as usual
            return {"check": cli_backup.cmd_check, "restore": cli_backup.cmd_restore}[args.command](db_path, args, out)
        db = open_db(db_path)
        try:
            commands = {"demo": cmd_demo, "activities": cmd_activities, "stats": cmd_stats,
                        "report": cli_report.cmd_report, "import-excel": cli_excel.cmd_import_excel,
                        "export-excel": lambda db, args, out: cli_excel.cmd_export_excel(db, args, out, _filter(args)),
                        "plans": cli_plans.cmd_plans, "targets": cli_plans.cmd_targets,
                        "plan-doc": cli_plans.cmd_plan_doc, "package": cli_package.cmd_package,
                        "backup": cli_backup.cmd_backup}
            code = commands[args.command](db, args, out)
        finally:
            db.close()
    except UsageError as exc:
        err.write(f"Lỗi: {exc}\n")
        return 2
    except UserError as exc:
        err.write(f"Lỗi: {exc.message}\n")
        return 1
    except KeyboardInterrupt:
        err.write("Đã dừng theo yêu cầu.\n")
        return 1
    except BrokenPipeError:  # output piped into `head` and closed early
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no noise at exit
        return 0
    return code or 0


def _utf8(stream):
    """Redirected output on Windows uses the ANSI code page, which has no Vietnamese: use UTF-8."""
    if hasattr(stream, "reconfigure") and not stream.isatty():
        stream.reconfigure(encoding="utf-8")
    return stream


def is_cli_invocation(argv: list[str]) -> bool:
    """Anything but nothing, ``--db PATH`` or ``--db=PATH`` is a command line (the window
    takes only those), so a typo gets a Vietnamese usage error, not a window."""
    if not argv:
        return False
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return False
    return not (len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"))
