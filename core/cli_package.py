"""Command line: the USB exchange package (registered by core/cli.py).

package export  --kind K --year Y [--quarter Q] [--month M] [--out DIR] [--evidence]
package import  FILE_OR_DIR... [--dry-run] [--accept-new-units] [--format json]
package status  --kind K --year Y [--quarter Q] [--month M] [--format json]
"""

from __future__ import annotations

import json
from pathlib import Path

from core.cli_report import period_from_args
from core.text import format_date, format_number, format_timestamp

KINDS = ("thang", "quy", "6thang", "9thang", "nam")


def add_parsers(sub, common) -> None:
    package = sub.add_parser("package", parents=[common], help="gói dữ liệu trao đổi qua USB (.cdsx)")
    actions = package.add_subparsers(dest="package_command", title="việc", metavar="việc", required=True,
                                     parser_class=type(package))  # fmt: skip
    export = actions.add_parser("export", parents=[common], help="xuất gói dữ liệu của một kỳ (in ra đường dẫn)")
    _period_arguments(export)
    export.add_argument("--out", type=Path, default=Path("."), help="thư mục ghi gói (mặc định: thư mục hiện tại)")
    export.add_argument("--evidence", action="store_true", help="kèm các tệp minh chứng")
    received = actions.add_parser("import", parents=[common], help="nhận gói dữ liệu của đơn vị trực thuộc")
    received.add_argument("paths", nargs="+", type=Path, metavar="TỆP_HOẶC_THƯ_MỤC", help="gói .cdsx hoặc thư mục")
    received.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và cho biết kết quả, không ghi")
    received.add_argument("--accept-new-units", action="store_true",
                          help="nhận cả gói của đơn vị chưa có trong danh sách đơn vị trực thuộc")  # fmt: skip
    status = actions.add_parser("status", parents=[common], help="đơn vị trực thuộc nào đã nộp, nộp muộn, chưa nộp")
    _period_arguments(status)
    mapping = actions.add_parser("map-unit", parents=[common],
                                 help="nhận dữ liệu của một xã cũ (đã sáp nhập) vào đơn vị mới")  # fmt: skip
    mapping.add_argument("old", metavar="MÃ_ĐƠN_VỊ_CŨ", help="mã đơn vị cũ, như trong gói dữ liệu")
    mapping.add_argument("new", metavar="MÃ_ĐƠN_VỊ_MỚI", help="mã đơn vị nhận dữ liệu ở máy này")


def _period_arguments(parser) -> None:
    parser.add_argument("--kind", choices=KINDS, required=True, help="loại kỳ báo cáo")
    parser.add_argument("--year", type=int, required=True, help="năm")
    parser.add_argument("--quarter", type=int, help="quý (1–4), với --kind quy")
    parser.add_argument("--month", type=int, help="tháng (1–12), với --kind thang")


def cmd_package(db, args, out) -> int:
    return {"export": _export, "import": _import, "status": _status,
            "map-unit": _map_unit}[args.package_command](db, args, out)  # fmt: skip


def _map_unit(db, args, out) -> int:
    from core.units import get_unit, map_old_unit

    map_old_unit(db, args.old, args.new)
    out.write(f"Dữ liệu gửi dưới mã “{args.old}” từ nay được nhận vào {get_unit(db, args.new).name}.\n")
    return 0


def _export(db, args, out) -> int:
    from core.package.export import export_package

    result = export_package(db, period_from_args(db, args), args.out, include_evidence=args.evidence)
    out.write(f"{result.path}\n")
    return 0


def _import(db, args, out) -> int:
    from core.package import merge, receive

    found = receive.preview(db, args.paths, accept_new_units=args.accept_new_units)
    if found.packages and not args.dry_run:
        merge.merge(db, found)
    keys = ("new", "changed", "unchanged", "deleted", "conflicts")
    totals = {key: found.total(key) for key in keys}
    if getattr(args, "format", "table") == "json":
        json.dump({"packages": [{"file": p.path.name, "unit": p.unit_name, "period": p.period_label,
                                 "received_before": p.received_before, **{k: getattr(p, k) for k in keys}}
                                for p in found.packages],
                   **totals, "refused": [{"file": r.file, "reason": r.reason} for r in found.refused],
                   "dry_run": args.dry_run}, out, ensure_ascii=False, indent=1)  # fmt: skip
        out.write("\n")
    else:
        verb = "Sẽ nhận" if args.dry_run else "Đã nhận"
        for p in found.packages:
            if p.received_before and not p.actions:
                out.write(f"“{p.path.name}” của {p.unit_name} ({p.period_label}) đã được nhận trước đây: "
                          f"không có gì thay đổi.\n")  # fmt: skip
                continue
            out.write(f"{verb} “{p.path.name}” của {p.unit_name} ({p.period_label}): {p.new} mới, {p.changed} "
                      f"thay đổi, {p.unchanged} không đổi, {p.deleted} đã xóa, {p.conflicts} xung đột.\n")  # fmt: skip
        for r in found.refused:
            out.write(f"Không nhận: {r.reason}\n")
        if not found.packages and not found.refused:
            out.write("Không tìm thấy gói dữ liệu (.cdsx) nào.\n")
    return 0 if found.packages else 1


def _status(db, args, out) -> int:
    from core.package.status import period_status

    period = period_from_args(db, args)
    due, statuses = period_status(db, period)
    if getattr(args, "format", "table") == "json":
        json.dump({"period": period.short_label, "due": due.isoformat(),
                   "units": [{"id": s.unit.id, "name": s.unit.name, "state": s.state, "received_at": s.received_at,
                              "file": s.file_name} for s in statuses]}, out, ensure_ascii=False, indent=1)  # fmt: skip
        out.write("\n")
        return 0
    out.write(f"{period.short_label}, hạn nộp {format_date(due)}:\n")
    for s in statuses:
        when = f" lúc {format_timestamp(s.received_at)}" if s.received_at else ""
        out.write(f"  {s.unit.name}: {s.label}{when}\n")
    if not statuses:
        out.write("  Đơn vị của bạn chưa có đơn vị trực thuộc nào.\n")
    late = sum(1 for s in statuses if s.state != "sent")
    out.write(f"Đã nộp {format_number(len(statuses) - late)}/{format_number(len(statuses))} đơn vị.\n")
    return 0
