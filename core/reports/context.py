"""The report as plain data for the renderers (shape: core/reports/sample.py)."""

from __future__ import annotations

import datetime as dt
import re

import sqlite_utils

from core.reports import draft, figures as figures_mod
from core.reports.figures import change_cell
from core.reports.store import Report, agency_in_sentence
from core.text import format_date, format_number

_H2 = re.compile(r"^\d+\.\s")
_H3 = re.compile(r"^[a-zđ]\)\s")


def place_date(place: str, day: dt.date) -> str:
    """"Hải Phú, ngày 05 tháng 01 năm 2025": a zero before days below 10 and months 1 and 2 (NĐ 30)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def body_paragraphs(sections) -> list[dict]:
    """Section headings and the officer's lines as paragraphs; the last one ends with "./."."""
    body = []
    for section in sections:  # anything with .heading and .text (store.Section)
        body.append({"kind": "h1", "text": section.heading})
        for line in section.text.splitlines():
            line = line.strip()
            if not line:
                continue
            # "1. Ưu điểm" is a heading; "1. Tiếp tục đẩy mạnh … ." (a full sentence) is a numbered paragraph
            heading = not line.endswith((".", ";", ":", "./."))
            kind = "h2" if heading and _H2.match(line) else "h3" if heading and _H3.match(line) else "body"
            body.append({"kind": kind, "text": line})
    if body:
        last = body[-1]["text"].rstrip()
        if not last.endswith("./."):
            body[-1]["text"] = (last[:-1] if last.endswith(".") else last) + "./."
    return body


def current_figures(db: sqlite_utils.Database, report: Report) -> dict:
    """The figures as sent for a finalised report, otherwise as the log stands now."""
    if report.frozen:
        return report.frozen["figures"]
    figs = figures_mod.compute(db, unit_id=report.unit_id, period=report.period,
                               security_topic=draft.outline()["security_topic"])  # fmt: skip
    return figs.to_json()


def form_table(figs: dict, last_year: int) -> dict:
    columns = ["STT", "Hình thức tuyên truyền", "Đơn vị tính", "Số lượng", "Số hoạt động",
               "Người tham dự/tiếp cận", "Kinh phí (đồng)", f"Số lượng cùng kỳ năm {last_year}", "Tăng/giảm"]  # fmt: skip
    rows, sums = [], [0, 0, 0, 0, 0]
    for form in figs["forms"]:
        now, before = form["now"], form["last_year"]
        if not now["count"] and not before["count"]:
            continue
        values = [now["quantity"], now["count"], now["participants"], now["cost"], before["quantity"]]
        sums = [a + b for a, b in zip(sums, values)]
        rows.append([str(len(rows) + 1), form["label"], form["counted_unit"]]
                    + [format_number(v) for v in values] + [change_cell(now["quantity"], before["quantity"])])  # fmt: skip
    # quantities are in different units per form (tin, bài / buổi / cái): they are not added up
    total = ["", "Tổng cộng", "", "", format_number(sums[1]), format_number(sums[2]), format_number(sums[3]), "", ""]
    return {"title": "1. Theo hình thức tuyên truyền", "columns": columns, "rows": rows, "total": total,
            "numeric_from": 3}  # fmt: skip


def unit_table(figs: dict, own_name: str) -> dict:
    columns = ["STT", "Đơn vị", "Số hoạt động", "Thời lượng (phút)", "Người tham dự/tiếp cận", "Kinh phí (đồng)"]
    keys = ["count", "duration_minutes", "participants", "cost"]
    rows, sums = [], [0] * len(keys)
    for name, totals in [(f"{own_name} (trực tiếp thực hiện)", figs["own"])] + figs["units"]:
        values = [totals[k] for k in keys]
        sums = [a + b for a, b in zip(sums, values)]
        rows.append([str(len(rows) + 1), name] + [format_number(v) for v in values])
    total = ["", "Tổng cộng"] + [format_number(v) for v in sums]
    return {"title": "2. Theo đơn vị cấp dưới", "columns": columns, "rows": rows, "total": total,
            "numeric_from": 2}  # fmt: skip


def target_value(value, unit_kind: str) -> str:
    if value is None:
        return ""
    if unit_kind == "percent":
        return f"{format_number(round(value, 1))}%"
    return format_number(round(value))


def targets_table(targets: list[dict], number: int) -> dict:
    """Chỉ tiêu / kế hoạch / thực hiện / tỷ lệ, as the plans ask reports to say."""
    columns = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "Tỷ lệ thực hiện (%)"]
    rows = []
    for target in targets:
        kind = target["unit_kind"]
        percent = target["percent"]
        rows.append([str(len(rows) + 1), target["name"], target["unit_label"] or "",
                     target_value(target["planned"], kind), target_value(target["year_to_date"], kind),
                     "" if percent is None else f"{format_number(round(percent))}%"])  # fmt: skip
    return {"title": f"{number}. Kết quả thực hiện chỉ tiêu kế hoạch", "columns": columns, "rows": rows,
            "total": None, "numeric_from": 3, "kind": "targets"}  # fmt: skip


def build_context(db: sqlite_utils.Database, report: Report, figs: dict | None = None) -> dict:
    figs = figs or current_figures(db, report)
    recipients = report.recipients or [""]
    if len(recipients) == 1:
        lines = [recipients[0].rstrip(".;") + "."]
    else:
        lines = [f"- {r.lstrip('- ').rstrip('.;')};" for r in recipients]
        lines[-1] = lines[-1][:-1] + "."
    tables = [form_table(figs, report.period.year - 1)]
    if figs["units"]:
        tables.append(unit_table(figs, agency_in_sentence(report.agency_name)))
    if figs.get("targets"):  # reports finalised before targets existed have none
        tables.append(targets_table(figs["targets"], len(tables) + 1))
    return {
        # the official form prints "ỦY BAN NHÂN DÂN" on a line of its own above the unit
        "agency": {"parent": report.agency_parent,
                   "name": report.agency_name.replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1)},  # fmt: skip
        "number": f"Số: {report.number_text}",
        "place_date": place_date(report.place, report.doc_date),
        "doc_type": "BÁO CÁO",
        "summary": report.summary,
        "recipients_inline": len(recipients) == 1,
        "recipients": lines,
        "period": {"kind": report.period.kind, "label": report.period.label,
                   "start": format_date(report.period.start), "end": format_date(report.period.end)},  # fmt: skip
        "body": body_paragraphs(report.sections),
        "signature": {"authority": report.authority, "title_lines": report.title_lines, "signer": report.signer},
        "noi_nhan": report.noi_nhan,
        "appendix": {
            "title": f"THỐNG KÊ KẾT QUẢ TUYÊN TRUYỀN CHUYỂN ĐỔI SỐ {report.period.label.upper()}",
            "annotation": f"(Kèm theo Báo cáo số {report.number_text} ngày {format_date(report.doc_date)}"
                          f" của {agency_in_sentence(report.agency_name)})",
            "tables": tables,
        },
    }
