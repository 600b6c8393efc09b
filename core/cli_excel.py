"""Command line: import-excel and export-excel (registered by core/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

from core.text import format_number


def add_parsers(sub, common, add_filters) -> None:
    imp = sub.add_parser("import-excel", parents=[common], help="nhập hoạt động từ tệp Excel (.xlsx, .xlsm, .xls)")
    imp.add_argument("file", type=Path, help="tệp Excel cần nhập")
    imp.add_argument("--sheet", help="tên trang tính (mặc định: trang đầu tiên)")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi vào sổ")
    imp.add_argument("--unit", help="mã đơn vị cho các dòng không ghi đơn vị (mặc định: đơn vị của máy này)")
    imp.add_argument("--funding", help="mã nguồn kinh phí cho các dòng có kinh phí mà không ghi nguồn")
    exp = sub.add_parser("export-excel", parents=[common], help="xuất sổ hoạt động (đã lọc) ra tệp Excel")
    exp.add_argument("out", type=Path, help="tệp Excel cần ghi (.xlsx)")
    add_filters(exp)


def cmd_import_excel(db, args, out) -> int:
    from core import settings
    from core.importers import service

    profile = settings.load_profile(db)
    defaults = {"unit": args.unit or (profile.unit_id if profile else None), "funding": args.funding}
    options = service.ImportOptions(sheet=args.sheet, defaults={k: v for k, v in defaults.items() if v})
    preview = service.analyse(db, args.file, options)
    result = None if args.dry_run or not preview.ready else service.commit(db, preview)
    imported = result.imported if result else 0
    duplicates = result.duplicates if result else preview.duplicates
    summary = {
        "read": preview.read,
        "imported": imported,
        "ready": len(preview.ready),
        "skipped": preview.skipped + preview.rows_with_problems,
        "duplicates": duplicates,
        "errors": [{"row": p.row, "column": p.column, "message": p.message} for p in preview.problems],
        "sheet": preview.sheet,
        "encoding": preview.encoding,
        "dry_run": bool(args.dry_run),
    }
    if getattr(args, "format", "table") == "json":
        json.dump(summary, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        _print_summary(summary, preview, out)
    return 0 if (imported or (args.dry_run and preview.ready)) else 1


def _print_summary(summary: dict, preview, out) -> None:
    legacy = {"tcvn3": " (đã chuyển chữ từ bảng mã TCVN3)", "vni": " (đã chuyển chữ từ bảng mã VNI)"}
    out.write(f"Trang tính “{summary['sheet']}”{legacy.get(summary['encoding'] or '', '')}: "
              f"đọc {format_number(summary['read'])} dòng.\n")  # fmt: skip
    if summary["dry_run"]:
        out.write(f"Sẵn sàng nhập: {format_number(summary['ready'])} hoạt động (chưa ghi vì có --dry-run).\n")
    else:
        out.write(f"Đã nhập: {format_number(summary['imported'])} hoạt động.\n")
    if summary["duplicates"]:
        out.write(f"Đã có trong sổ, không nhập lại: {format_number(summary['duplicates'])} hoạt động.\n")
    if preview.skipped:
        out.write(f"Bỏ qua {format_number(preview.skipped)} dòng tổng cộng.\n")
    if preview.defaulted_quantity:
        out.write(f"{format_number(preview.defaulted_quantity)} dòng không ghi số lượng được tính là 1.\n")
    if summary["errors"]:
        out.write(f"Có lỗi ở {format_number(preview.rows_with_problems)} dòng (không nhập các dòng này):\n")
        for error in summary["errors"]:
            out.write(f"  Dòng {error['row']}, cột “{error['column']}”: {error['message']}\n")


def cmd_export_excel(db, args, out, flt) -> int:
    from core.importers.export import export_log_xlsx

    if args.out.suffix.lower() != ".xlsx":
        from core.cli import UsageError

        raise UsageError("tệp xuất phải có đuôi .xlsx")
    path, count = export_log_xlsx(db, flt, args.out)
    if getattr(args, "format", "table") == "json":
        json.dump({"file": str(path), "activities": count}, out, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(f"Đã ghi {format_number(count)} hoạt động vào {path}\n")
    return 0
