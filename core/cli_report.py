"""Command line: the report of a period (registered by core/cli.py).

report … --out F.docx [--xlsx F.xlsx]      write the period's draft report (drafted again from the log)
report … --finalise [--out F.docx] [--xlsx F.xlsx] [--signer NAME]
                                           chốt: write the files as sent and freeze figures, text and
                                           file hashes; without --out the files go to bao_cao/ beside the
                                           database, named as the window names them
report … --reopen REASON                   mở lại the period's finalised report (the reason is kept)

The report is the period's newest draft, created when there is none (as the window's
"Lập báo cáo mới" does). --finalise on a period whose report is already finalised (and has no
newer draft) is refused, without creating a second report, until the report is reopened.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.text import format_date, format_number, format_timestamp

KINDS = ("thang", "quy", "6thang", "9thang", "nam", "dotxuat")


def add_parsers(sub, common, date_type) -> None:
    report = sub.add_parser("report", parents=[common],
                            help="lập báo cáo Word (và Excel) cho một kỳ; chốt hoặc mở lại báo cáo của kỳ")  # fmt: skip
    report.add_argument("--kind", required=True, choices=KINDS, help="loại kỳ báo cáo")
    report.add_argument("--year", type=int, required=True, help="năm báo cáo")
    report.add_argument("--quarter", type=int, help="quý (1–4), với --kind quy")
    report.add_argument("--month", type=int, help="tháng (1–12), với --kind thang")
    report.add_argument("--from", dest="date_from", type=date_type, help="từ ngày, với --kind dotxuat")
    report.add_argument("--to", dest="date_to", type=date_type, help="đến ngày, với --kind dotxuat")
    report.add_argument("--rules", choices=("nd09", "calendar"), default=None,
                        help="cách tính kỳ: nd09 (từ ngày 15, Nghị định 09/2019) hoặc calendar (năm dương lịch)")
    report.add_argument("--out", type=Path,
                        help="tệp Word cần ghi (.docx); khi chốt có thể bỏ qua: tệp được ghi vào thư mục bao_cao "
                             "cạnh tệp dữ liệu")  # fmt: skip
    report.add_argument("--xlsx", type=Path, help="tệp Excel thống kê cần ghi (.xlsx)")
    report.add_argument("--template", type=Path, help="mẫu báo cáo Word của tỉnh (mặc định: mẫu đang dùng)")
    report.add_argument("--signer", metavar="HỌ_TÊN", help="họ tên người ký (lưu vào báo cáo; cần có trước khi chốt)")
    action = report.add_mutually_exclusive_group()
    action.add_argument("--finalise", action="store_true",
                        help="chốt báo cáo: lưu bản Word/Excel và khóa số liệu của kỳ")  # fmt: skip
    action.add_argument("--reopen", metavar="LÝ_DO",
                        help="mở lại báo cáo đã chốt của kỳ để sửa (bắt buộc ghi lý do)")  # fmt: skip


def _usage(message: str) -> Exception:
    from core.cli import UsageError

    return UsageError(message)


def period_from_args(db, args):
    """The period named by --kind/--year and, where the command has them, --quarter, --month, --from, --to
    and --rules (without --rules: the rules chosen in the settings). Shared by report, targets and package."""
    from core import periods, settings

    rules = getattr(args, "rules", None) or settings.get(db, "report_rules", "nd09")
    quarter, month = getattr(args, "quarter", None), getattr(args, "month", None)
    number = quarter if args.kind == "quy" else month if args.kind == "thang" else None
    return periods.period_for(args.kind, args.year, number=number, start=getattr(args, "date_from", None),
                              end=getattr(args, "date_to", None), rules=rules)  # fmt: skip


def _already_final(report) -> str:
    return (f"Báo cáo số {report.number_text} ({report.period.label}) đã được chốt lúc "
            f"{format_timestamp(report.finalised_at)} nên không chốt lại được. Muốn sửa rồi chốt lại, hãy mở lại "
            f"báo cáo trước: thêm --reopen \"lý do mở lại\" vào lệnh này (thay cho --finalise), hoặc bấm "
            f"“Mở lại…” ở trang Báo cáo trong cửa sổ chương trình.")  # fmt: skip


def _not_finalisable(exc) -> str:
    """check_finalisable's refusal, said with what to type on the command line."""
    fields = getattr(exc, "fields", None)
    if not fields:
        return f"Chưa chốt được báo cáo: {exc.message}"
    said = {"signer": "Báo cáo chưa có họ tên người ký: hãy thêm --signer \"Họ và tên người ký\" vào lệnh.",
            "doc_number": "Báo cáo chưa có số: hãy nhập số báo cáo ở trang Báo cáo trong cửa sổ chương trình."}
    lines = [f"- {said.get(name, message)}" for name, message in fields.items()]
    return "Chưa chốt được báo cáo:\n" + "\n".join(lines)


def cmd_report(db, args, out) -> int:
    from core.errors import UserError
    from core.reports import export, store

    if args.out is not None and args.out.suffix.lower() != ".docx":
        raise _usage("--out phải là tệp .docx")
    if args.xlsx is not None and args.xlsx.suffix.lower() != ".xlsx":
        raise _usage("--xlsx phải là tệp .xlsx")
    if args.reopen is not None:
        if args.out or args.xlsx or args.signer:
            raise _usage("--reopen chỉ mở lại báo cáo, không ghi tệp; hãy bỏ --out, --xlsx và --signer.")
        return _reopen(db, args, out)
    if args.out is None and not args.finalise:
        raise _usage("hãy nêu tệp Word cần ghi: --out TỆP.docx (chỉ khi chốt bằng --finalise mới có thể bỏ qua).")
    period = period_from_args(db, args)
    report = store.find_draft(db, period)
    if report is None and args.finalise:
        final = store.find_final(db, period)
        if final is not None:
            raise UserError(_already_final(final))
    report = store.apply_redraft(db, report.id) if report else store.create_report(db, period)
    if args.signer is not None:
        report.signer = args.signer
        report = store.save_report(db, report)
    docx, xlsx = args.out, args.xlsx
    if args.finalise:
        try:
            store.check_finalisable(report)  # before seconds of writing files
        except UserError as exc:
            raise UserError(_not_finalisable(exc)) from None
        if docx is None:
            from core.activities.evidence import db_file
            from core.paths import reports_dir

            folder = reports_dir(db_file(db))
            folder.mkdir(parents=True, exist_ok=True)
            base = folder / export.default_file_stem(report)
            docx, xlsx = base.with_suffix(".docx"), xlsx or base.with_suffix(".xlsx")
    paths, figs = export.write_files(db, report.id, docx, xlsx, template=args.template)
    if args.finalise:  # the files as sent, then the figures, text and hashes frozen in one transaction
        report = store.finalise(db, report.id, figures=figs, files=paths)
    if getattr(args, "format", "table") == "json":
        json.dump({"report_id": report.id, "number": report.number_text, "status": report.status,
                   "finalised_at": report.finalised_at,
                   "period": {"kind": period.kind, "label": period.label, "start": period.start.isoformat(),
                              "end": period.end.isoformat(), "rules": period.rules},
                   "files": [str(p) for p in paths], "activities": figs["total"]["count"]}, out,
                  ensure_ascii=False)  # fmt: skip
        out.write("\n")
        return 0
    out.write(f"Kỳ báo cáo: {period.label} (từ {format_date(period.start)} đến {format_date(period.end)}).\n")
    out.write(f"Số hoạt động trong kỳ: {format_number(figs['total']['count'])}.\n")
    for path in paths:
        out.write(f"Đã ghi: {path}\n")
    if args.finalise:
        out.write(f"Đã chốt báo cáo số {report.number_text} lúc {format_timestamp(report.finalised_at)}: số liệu, "
                  "nội dung và các tệp trên được giữ nguyên như đã gửi. Muốn sửa, hãy mở lại bằng "
                  "--reopen \"lý do mở lại\".\n")  # fmt: skip
    return 0


def _reopen(db, args, out) -> int:
    from core.errors import UserError
    from core.reports import store

    if not args.reopen.strip():
        raise _usage("hãy ghi lý do mở lại, ví dụ: --reopen \"Bổ sung hoạt động tháng 3\"")
    period = period_from_args(db, args)
    report = store.find_final(db, period)
    if report is None:
        draft = store.find_draft(db, period)
        if draft is None:
            raise UserError(f"Chưa có báo cáo nào cho {period.label} nên không có gì để mở lại.")
        raise UserError(f"Báo cáo số {draft.number_text} ({period.label}) chưa chốt nên không cần mở lại.")
    report = store.reopen(db, report.id, args.reopen)
    if getattr(args, "format", "table") == "json":
        json.dump({"report_id": report.id, "number": report.number_text, "status": report.status,
                   "reason": report.reopenings[-1][0]}, out, ensure_ascii=False)  # fmt: skip
        out.write("\n")
        return 0
    out.write(f"Đã mở lại báo cáo số {report.number_text} ({period.label}); lý do: {report.reopenings[-1][0]}.\n")
    out.write("Báo cáo lại là bản nháp: sửa nếu cần rồi chốt lại bằng --finalise.\n")
    return 0
