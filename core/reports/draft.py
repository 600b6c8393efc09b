"""Text drafted from the log for each section of the report; the officer edits it after.

A section's text is lines: "1. …" and "a) …" are headings, other lines are paragraphs.
"""

from __future__ import annotations

from core.reports.figures import Figures, change_phrase
from core.resources import load_json
from core.text import format_number


def outline() -> dict:
    return load_json("report_outline.json")


def _form_sentence(form, phrase: str, year: int) -> str:
    qty = form.now.quantity or form.now.count
    sentence = phrase.format(n=format_number(qty))
    extra = []
    if form.now.participants:
        extra.append(f"thu hút khoảng {format_number(form.now.participants)} lượt người tham dự, tiếp cận")
    if form.now.duration_minutes:
        extra.append(f"tổng thời lượng {format_number(form.now.duration_minutes)} phút")
    last_qty = form.last_year.quantity or form.last_year.count
    return sentence + "".join(f", {e}" for e in extra) + change_phrase(qty, last_qty, year - 1)


def draft_results(figures: Figures, *, period_label: str, year: int) -> str:
    """Section II: one numbered part per group of forms, then information security and the budget."""
    data = outline()
    phrases = data["phrases"]
    by_code = {f.code: f for f in figures.forms}
    lines: list[str] = []
    number = 0
    for group in data["groups"]:
        active = [by_code[c] for c in group["forms"] if c in by_code and by_code[c].now.count]
        if not active:
            continue
        number += 1
        lines.append(f"{number}. {group['title']}")
        parts = [_form_sentence(f, phrases.get(f.code, "thực hiện {n} " + f.counted_unit), year) for f in active]
        lines.append(f"Trong {period_label}, đã " + "; ".join(parts) + ".")
    if figures.security.count:
        number += 1
        lines.append(f"{number}. Tuyên truyền về an toàn thông tin mạng")
        lines.append(
            f"Đã thực hiện {format_number(figures.security.count)} hoạt động tuyên truyền về bảo đảm an toàn "
            "thông tin mạng, phòng chống lừa đảo trực tuyến"
            + (f", với khoảng {format_number(figures.security.participants)} lượt người tham dự, tiếp cận"
               if figures.security.participants else "") + "."
        )  # fmt: skip
    if figures.units:
        number += 1
        lines.append(f"{number}. Kết quả của các đơn vị cấp dưới")
        done = [f"{name}: {format_number(t.count)} hoạt động" for name, t in figures.units if t.count]
        silent = [name for name, t in figures.units if not t.count]
        if done:
            lines.append("Số hoạt động của từng đơn vị: " + "; ".join(done) + ".")
        if silent:
            lines.append("Chưa ghi nhận hoạt động của: " + ", ".join(silent) + ".")
    if figures.targets:
        number += 1
        lines.append(f"{number}. Thực hiện các chỉ tiêu kế hoạch")
        lines.extend(_target_sentences(figures.targets))
    number += 1
    lines.append(f"{number}. Kinh phí")
    if figures.total.cost:
        detail = "; ".join(f"{label}: {format_number(cost)} đồng" for label, cost in figures.funding)
        lines.append(
            f"Tổng kinh phí thực hiện công tác tuyên truyền là {format_number(figures.total.cost)} đồng"
            + (f" ({detail})" if detail else "")
            + change_phrase(figures.total.cost, figures.total_last_year.cost, year - 1) + "."
        )  # fmt: skip
    else:
        lines.append("Các hoạt động được thực hiện lồng ghép, không phát sinh kinh phí riêng.")
    lines.append(
        f"Tổng cộng, trong {period_label} đã thực hiện {format_number(figures.total.count)} hoạt động tuyên truyền"
        + change_phrase(figures.total.count, figures.total_last_year.count, year - 1) + "."
    )  # fmt: skip
    if not figures.total.count:
        lines = [f"Trong {period_label}, chưa ghi nhận hoạt động tuyên truyền nào trong sổ."]
    return "\n".join(lines)


def _target_sentences(targets: list[dict]) -> list[str]:
    """One sentence for the targets on track, one for each target behind schedule."""
    def amount(value, target) -> str:
        if target["unit_kind"] == "percent":
            return f"{format_number(round(value, 1))}%"
        unit = target["unit_label"] or ""
        return f"{format_number(round(value))} {unit}".rstrip()

    on_track = [t for t in targets if t["percent"] is not None and not t["behind"]]
    lines = []
    if on_track:
        lines.append(f"Có {len(on_track)}/{len(targets)} chỉ tiêu đạt tiến độ kế hoạch năm: "
                     + "; ".join(f"{t['name']} (đạt {format_number(round(t['percent']))}%)" for t in on_track) + ".")
    for t in targets:
        if t["percent"] is None:
            lines.append(f"Chỉ tiêu “{t['name']}” chưa có số liệu đánh giá.")
        elif t["behind"]:
            lines.append(f"Chỉ tiêu “{t['name']}” mới đạt {format_number(round(t['percent']))}% kế hoạch năm "
                         f"(kế hoạch {amount(t['planned'], t)}, thực hiện {amount(t['year_to_date'], t)}), "
                         "chậm so với tiến độ; cần tập trung thực hiện trong thời gian tới.")  # fmt: skip
    return lines


def draft_assessment(figures: Figures) -> str:
    used = [f for f in figures.forms if f.now.count]
    unused = [f.label for f in figures.forms if not f.now.count and f.code != "khac"]
    strengths = (
        f"Công tác tuyên truyền được triển khai với {len(used)} hình thức, "
        f"tổng số {format_number(figures.total.count)} hoạt động; nội dung bám sát các chủ trương về chuyển đổi số."
        if used else "Đã quán triệt các văn bản chỉ đạo về chuyển đổi số."
    )  # fmt: skip
    weaknesses = (
        "Một số hình thức tuyên truyền chưa được thực hiện trong kỳ: " + "; ".join(unused[:6]) + "."
        if unused else "Chất lượng một số tin, bài chưa cao; việc đánh giá hiệu quả tuyên truyền còn hạn chế."
    )  # fmt: skip
    return "\n".join([
        "1. Ưu điểm", strengths,
        "2. Tồn tại, hạn chế", weaknesses,
        "3. Nguyên nhân",
        "Đội ngũ làm công tác tuyên truyền chủ yếu kiêm nhiệm; kinh phí và trang thiết bị còn hạn chế.",
    ])  # fmt: skip


DEFAULT_TEXTS = {
    "chi_dao": (
        "Thực hiện các kế hoạch, văn bản chỉ đạo của cấp trên về công tác tuyên truyền chuyển đổi số, "
        "{agency} đã ban hành kế hoạch và chỉ đạo các bộ phận chuyên môn, Tổ công nghệ số cộng đồng "
        "triển khai thực hiện với nhiều hình thức phù hợp."
    ),
    "phuong_huong": "\n".join([
        "1. Tiếp tục đẩy mạnh tuyên truyền về chuyển đổi số, chính quyền số, kinh tế số, xã hội số trên các phương tiện thông tin.",
        "2. Phát huy vai trò của Tổ công nghệ số cộng đồng trong hướng dẫn người dân sử dụng dịch vụ công trực tuyến, thanh toán không dùng tiền mặt.",
        "3. Tăng cường tuyên truyền về an toàn thông tin mạng, phòng chống lừa đảo trực tuyến.",
    ]),  # fmt: skip
    "de_xuat": "Đề nghị cấp trên tiếp tục quan tâm hỗ trợ tài liệu, kinh phí và tập huấn kỹ năng cho đội ngũ làm công tác tuyên truyền.",
}


def draft_sections(figures: Figures, *, period_label: str, year: int, agency: str) -> dict[str, str]:
    """key -> drafted text, for every section of the outline."""
    texts = {
        "chi_dao": DEFAULT_TEXTS["chi_dao"].format(agency=agency),
        "ket_qua": draft_results(figures, period_label=period_label, year=year),
        "danh_gia": draft_assessment(figures),
        "phuong_huong": DEFAULT_TEXTS["phuong_huong"],
        "de_xuat": DEFAULT_TEXTS["de_xuat"],
    }
    return {s["key"]: texts[s["key"]] for s in outline()["sections"]}
