"""The unit's own yearly communication plan (Kế hoạch tuyên truyền chuyển đổi số năm Y).

The plans ask every unit to issue one, with the targets, the activities planned per
form with quantities and timing, and a budget estimate (dự toán kinh phí). It is
drafted from the year's targets and last year's log and rendered with the report's
Nghị định 30 template and renderer (core/reports/word.py): only the words differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core import settings, taxonomy
from core.activities import repository
from core.activities.filters import ActivityFilter
from core.plans import targets_for_year
from core.reports import store
from core.reports.context import body_paragraphs, place_date, target_value
from core.reports.store import agency_in_sentence, place_of
from core.text import format_date, format_number

# when each form is usually done (the plan says so for every form)
TIMING = {"hoi_nghi": "Tháng 10 (hưởng ứng Ngày Chuyển đổi số quốc gia 10/10)", "tap_huan": "Quý II, quý III",
          "cuoc_thi": "Quý III", "khen_thuong": "Tháng 12"}  # fmt: skip
TIMING_DEFAULT = "Thường xuyên trong năm"

PURPOSES = "\n".join([
    "1. Mục đích",
    "Nâng cao nhận thức của cán bộ, công chức và Nhân dân về chuyển đổi số, chính quyền số, kinh tế số, xã hội số; "
    "hướng dẫn người dân sử dụng dịch vụ công trực tuyến, định danh điện tử và thanh toán không dùng tiền mặt.",
    "2. Yêu cầu",
    "Công tác tuyên truyền được thực hiện thường xuyên, với hình thức phù hợp từng nhóm đối tượng; "
    "bám sát chỉ tiêu của kế hoạch cấp trên; kết quả được báo cáo theo định kỳ.",
])  # fmt: skip
ORGANISATION = "\n".join([
    "1. Công chức Văn hóa - Xã hội",
    "Chủ trì tham mưu triển khai kế hoạch; theo dõi, tổng hợp kết quả và báo cáo định kỳ 6 tháng, năm.",
    "2. Đài truyền thanh, Tổ công nghệ số cộng đồng",
    "Xây dựng chuyên mục, tin, bài; hướng dẫn trực tiếp người dân tại thôn, tổ dân phố.",
    "3. Các thôn, tổ dân phố và đoàn thể",
    "Lồng ghép tuyên truyền trong sinh hoạt của thôn, chi hội; phản ánh khó khăn, vướng mắc về cơ quan chủ trì.",
])  # fmt: skip


@dataclass
class Part:
    heading: str
    text: str


def _planned_forms(db: sqlite_utils.Database, year: int) -> list[dict]:
    """Per form: what last year's log did, what this year's targets ask, hence the quantity planned."""
    last = ActivityFilter(date_from=dt.date(year - 1, 1, 1), date_to=dt.date(year - 1, 12, 31))
    done = {g.key: g.totals for g in repository.stats(db, last, by="form")}
    asked: dict[str, float] = {}
    for target in targets_for_year(db, year):
        if target.source == "log" and target.measure == "quantity" and len(target.form_codes) == 1:
            asked[target.form_codes[0]] = max(asked.get(target.form_codes[0], 0), target.planned)
    rows = []
    for term in taxonomy.terms(db, "form"):
        before = done.get(term.code, repository.Totals())
        quantity = max(before.quantity, asked.get(term.code, 0))
        if quantity:
            rows.append({"code": term.code, "label": term.label, "unit": term.counted_unit, "quantity": quantity,
                         "last_quantity": before.quantity, "cost": before.cost,
                         "timing": TIMING.get(term.code, TIMING_DEFAULT)})  # fmt: skip
    return rows


def draft_parts(db: sqlite_utils.Database, year: int) -> list[Part]:
    """The plan's five parts as drafted from the year's targets and last year's log (the officer edits them)."""
    return _drafted(year, targets_for_year(db, year), _planned_forms(db, year))


def _drafted(year: int, targets: list, forms: list[dict]) -> list[Part]:
    budget = sum(f["cost"] for f in forms)
    target_lines = [f"- {t.name}: {target_value(t.planned, t.unit_kind)}"
                    + ("" if t.unit_kind == "percent" else f" {t.unit_label}".rstrip()) + "."
                    for t in targets]  # fmt: skip
    form_lines = [f"- {f['label']}: {format_number(round(f['quantity']))} {f['unit']}; thời gian: {f['timing'][0].lower() + f['timing'][1:]}."
                  for f in forms]  # fmt: skip
    return [
        Part("I. MỤC ĐÍCH, YÊU CẦU", PURPOSES),
        Part("II. CHỈ TIÊU", "\n".join(target_lines) or
             f"Phấn đấu thực hiện các hình thức tuyên truyền với số lượng không thấp hơn năm {year - 1}."),
        Part("III. NỘI DUNG, HÌNH THỨC VÀ THỜI GIAN THỰC HIỆN", "\n".join(form_lines) or
             "Thực hiện các hình thức tuyên truyền theo hướng dẫn của cấp trên."),
        Part("IV. KINH PHÍ", f"Dự toán kinh phí thực hiện: {format_number(budget)} đồng (chi tiết tại Phụ lục), "
                             "từ nguồn ngân sách được giao và các nguồn hợp pháp khác."
             if budget else "Các hoạt động được thực hiện lồng ghép, sử dụng kinh phí chi thường xuyên được giao."),
        Part("V. TỔ CHỨC THỰC HIỆN", ORGANISATION),
    ]  # fmt: skip


def plan_context(db: sqlite_utils.Database, year: int, *, today: dt.date | None = None,
                 number: int | None = None, parts: list[Part] | None = None) -> dict:  # fmt: skip
    """The template's context for the plan of ``year`` (see core/reports/sample.py for its shape)."""
    today = today or dt.date.today()
    profile, unit, agency = store.issuing_unit(db, "kế hoạch")
    targets = targets_for_year(db, year)
    forms = _planned_forms(db, year)
    budget = sum(f["cost"] for f in forms)
    number_text = f"{number:02d}/KH-UBND" if number else "…/KH-UBND"

    parts = parts or _drafted(year, targets, forms)
    tables = [
        {"title": "1. Chỉ tiêu", "columns": ["STT", "Chỉ tiêu", "Đơn vị tính", f"Kế hoạch năm {year}"],
         "rows": [[str(i), t.name, t.unit_label, target_value(t.planned, t.unit_kind)] for i, t in
                  enumerate(targets, 1)], "total": None, "numeric_from": 3},
        {"title": "2. Hoạt động dự kiến theo hình thức",
         "columns": ["STT", "Hình thức tuyên truyền", "Đơn vị tính", "Thời gian", "Số lượng dự kiến",
                     f"Thực hiện năm {year - 1}"],
         "rows": [[str(i), f["label"], f["unit"], f["timing"], format_number(round(f["quantity"])),
                   format_number(f["last_quantity"])] for i, f in enumerate(forms, 1)],
         "total": None, "numeric_from": 4},
        {"title": "3. Dự toán kinh phí", "columns": ["STT", "Nội dung", "Kinh phí dự kiến (đồng)"],
         "rows": [[str(i), f["label"], format_number(f["cost"])] for i, f in
                  enumerate([f for f in forms if f["cost"]], 1)],
         "total": ["", "Tổng cộng", format_number(budget)], "numeric_from": 2},
    ]  # fmt: skip
    signature = settings.get(db, "report_signature_last") or dict(store.DEFAULT_SIGNATURE)
    body = body_paragraphs(parts)
    return {
        "agency": {"parent": profile.parent_agency.upper(), "name": agency.replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1)},
        "number": f"Số: {number_text}",
        "place_date": place_date(place_of(unit.name), today),
        "doc_type": "KẾ HOẠCH",
        "summary": f"Tuyên truyền chuyển đổi số năm {year}",
        "recipients_inline": False,
        "recipients": [],  # a plan is issued, not sent to someone: no "Kính gửi"
        "period": {"kind": "nam", "label": f"năm {year}", "start": format_date(dt.date(year, 1, 1)),
                   "end": format_date(dt.date(year, 12, 31))},
        "body": body,
        "signature": {"authority": signature.get("authority", ""), "title_lines": signature.get("title_lines", []),
                      "signer": signature.get("signer", "")},
        "noi_nhan": signature.get("noi_nhan") or ["- UBND cấp trên (để b/c);", "- Lưu: VT."],
        "appendix": {
            "title": f"CHỈ TIÊU, HOẠT ĐỘNG VÀ DỰ TOÁN KINH PHÍ TUYÊN TRUYỀN CHUYỂN ĐỔI SỐ NĂM {year}",
            "annotation": f"(Kèm theo Kế hoạch số {number_text} ngày {format_date(today)} của "
                          f"{agency_in_sentence(agency)})",
            "tables": tables,
        },
    }  # fmt: skip


def write_plan_doc(db: sqlite_utils.Database, year: int, out: Path, *, template: Path | None = None,
                   today: dt.date | None = None, number: int | None = None,
                   parts: list[Part] | None = None) -> Path:  # fmt: skip
    """Render the plan of ``year`` (its parts as drafted, or as the officer edited them) to ``out``."""
    from core.reports import templates, word

    context = plan_context(db, year, today=today, number=number, parts=parts)
    return word.render_report(context, Path(out), template_path=template or templates.active_template(db))
