"""Command line: plans and targets (registered by core/cli.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from core.cli_report import period_from_args
from core.text import format_date, format_number

KINDS = ("thang", "quy", "6thang", "9thang", "nam")


def add_parsers(sub, common) -> None:
    sub.add_parser("plans", parents=[common], help="liệt kê kế hoạch và chỉ tiêu")
    add_plan_doc_parser(sub, common)
    targets = sub.add_parser("targets", parents=[common], help="chỉ tiêu: kế hoạch, thực hiện, tỷ lệ, cùng kỳ")
    targets.add_argument("--year", type=int, required=True, help="năm của chỉ tiêu")
    targets.add_argument("--kind", choices=KINDS, default="nam", help="kỳ tính thực hiện (mặc định: cả năm)")
    targets.add_argument("--quarter", type=int, help="quý (1–4), với --kind quy")
    targets.add_argument("--month", type=int, help="tháng (1–12), với --kind thang")
    targets.add_argument("--rules", choices=("nd09", "calendar"), default=None,
                         help="cách tính kỳ: nd09 (từ ngày 15) hoặc calendar (năm dương lịch)")  # fmt: skip


def add_plan_doc_parser(sub, common) -> None:
    doc = sub.add_parser("plan-doc", parents=[common], help="lập kế hoạch tuyên truyền của đơn vị (Word)")
    doc.add_argument("--year", type=int, required=True, help="năm của kế hoạch")
    doc.add_argument("--out", type=Path, required=True, help="tệp Word cần ghi (.docx)")
    doc.add_argument("--number", type=int, help="số văn bản (mặc định để trống: …/KH-UBND)")
    doc.add_argument("--template", type=Path, help="mẫu Word của tỉnh (mặc định: mẫu đang dùng cho báo cáo)")


def cmd_plan_doc(db, args, out) -> int:
    from core.plan_doc import write_plan_doc

    if args.out.suffix.lower() != ".docx":
        from core.cli import UsageError

        raise UsageError("--out phải là tệp .docx")
    path = write_plan_doc(db, args.year, args.out, template=args.template, number=args.number)
    out.write(f"Đã ghi kế hoạch năm {args.year}: {path}\n")
    return 0


def _value(value, unit_kind: str) -> str:
    if value is None:
        return "—"
    text = format_number(round(value, 1) if unit_kind == "percent" else round(value))
    return f"{text}%" if unit_kind == "percent" else text


def cmd_plans(db, args, out) -> int:
    from core import plans

    listed = plans.list_plans(db)
    if getattr(args, "format", "table") == "json":
        json.dump([{**{k: v for k, v in plan.__dict__.items() if k != "issued_on"},
                    "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
                    "targets": [t.__dict__ for t in plans.targets_for_plan(db, plan.id)]}
                   for plan in listed], out, ensure_ascii=False, indent=1)  # fmt: skip
        out.write("\n")
        return 0
    if not listed:
        out.write("Chưa có kế hoạch nào.\n")
    for plan in listed:
        issued = f" ngày {format_date(plan.issued_on)}" if plan.issued_on else ""
        out.write(f"{plan.number or '(chưa có số)'}{issued} — {plan.title} ({plan.year_from}–{plan.year_to}; "
                  f"{plans.STATUSES[plan.status].lower()})\n")  # fmt: skip
        for target in plans.targets_for_plan(db, plan.id):
            how = "nhập tay" if target.source == "manual" else plans.MEASURES[target.measure].lower()
            unit = "" if target.unit_kind == "percent" else f" {target.unit_label}"
            out.write(f"  {target.year}: {target.name}: {_value(target.planned, target.unit_kind)}{unit} ({how})\n")
    return 0


def cmd_targets(db, args, out) -> int:
    from core.achievement import achievements

    period = period_from_args(db, args)
    # targets belong to a calendar year: the period is taken within it
    start, end = max(period.start, dt.date(args.year, 1, 1)), min(period.end, dt.date(args.year, 12, 31))
    found = achievements(db, args.year, start, end)
    if getattr(args, "format", "table") == "json":
        json.dump({"period": {"label": period.label, "start": start.isoformat(), "end": end.isoformat()},
                   "targets": [{"name": a.target.name, "plan_id": a.target.plan_id, "unit_kind": a.target.unit_kind,
                                "unit_label": a.target.unit_label, "source": a.target.source,
                                "planned": a.planned, "achieved": a.achieved, "year_to_date": a.year_to_date,
                                "percent": None if a.percent is None else round(a.percent, 1),
                                "last_year": a.last_year, "expected_percent": round(a.expected_percent, 1),
                                "behind": a.behind} for a in found]}, out, ensure_ascii=False, indent=1)  # fmt: skip
        out.write("\n")
        return 0
    out.write(f"Chỉ tiêu năm {args.year}, thực hiện {period.label} "
              f"(từ {format_date(start)} đến {format_date(end)}):\n")  # fmt: skip
    if not found:
        out.write("Chưa có chỉ tiêu nào cho năm này.\n")
    for a in found:
        kind = a.target.unit_kind
        state = "chưa nhập" if a.achieved is None else ("chậm tiến độ" if a.behind else "đúng tiến độ")
        percent = "—" if a.percent is None else f"{format_number(round(a.percent))}%"
        out.write(f"- {a.target.name}: kế hoạch {_value(a.planned, kind)}, thực hiện {_value(a.achieved, kind)}"
                  f" (lũy kế {_value(a.year_to_date, kind)}, đạt {percent}), cùng kỳ {_value(a.last_year, kind)};"
                  f" {state}\n")  # fmt: skip
    return 0
