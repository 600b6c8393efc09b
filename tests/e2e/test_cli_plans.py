"""plans and targets on the command line, with the demo's plan."""

from __future__ import annotations

import io
import json

from core.cli import run


def cli(db_path, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path), *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_demo_plan_listed_and_measured(db_path):
    assert cli(db_path, "demo", "--activities", "2000", "--units", "3", "--years", "2024,2025", "--seed", "5")[0] == 0
    code, text, _ = cli(db_path, "plans")
    assert code == 0 and text.startswith("148/KH-UBND ngày 15/01/2024 — Kế hoạch tuyên truyền về chuyển đổi số")
    assert "  2025: Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số: 50% (nhập tay)" in text
    plans = json.loads(cli(db_path, "plans", "--format", "json")[1])
    assert len(plans) == 1 and len(plans[0]["targets"]) == 10  # five targets a year

    code, text, _ = cli(db_path, "targets", "--year", "2025", "--kind", "6thang", "--rules", "calendar")
    assert code == 0 and "thực hiện 6 tháng đầu năm 2025 (từ 01/01/2025 đến 30/06/2025)" in text
    report = json.loads(cli(db_path, "targets", "--year", "2025", "--format", "json")[1])
    assert report["period"] == {"label": "năm 2025", "start": "2025-01-01", "end": "2025-12-14"}  # NĐ 09: to 14/12
    by_name = {t["name"]: t for t in report["targets"]}
    news = by_name["Tin, bài trên cổng/trang thông tin điện tử"]
    stats = json.loads(cli(db_path, "stats", "--by", "form", "--from", "01/01/2025",
                           "--to", report["period"]["end"], "--format", "json")[1])  # fmt: skip
    from_stats = next(g for g in stats["groups"] if g["key"] == "tin_bai")
    assert news["achieved"] == from_stats["quantity"]  # the same log, the same figure
    assert by_name["Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số"]["achieved"] == 40
    assert by_name["Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số"]["last_year"] == 35
    assert cli(db_path, "targets")[0] == 2  # --year is required


def test_report_has_the_targets_table_and_sentences(db_path, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    cli(db_path, "demo", "--activities", "2000", "--units", "3", "--years", "2024,2025", "--seed", "5")
    docx, xlsx = tmp_path / "bc.docx", tmp_path / "bc.xlsx"
    code, _, err = cli(db_path, "report", "--kind", "6thang", "--year", "2025", "--rules", "calendar",
                       "--out", str(docx), "--xlsx", str(xlsx))  # fmt: skip
    assert code == 0, err
    document = Document(str(docx))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    assert [c.text for c in table.rows[0].cells] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện",
                                                      "Tỷ lệ thực hiện (%)"]  # fmt: skip
    schools = next(r for r in table.rows if r.cells[1].text.startswith("Tỷ lệ trường học"))
    assert [c.text for c in schools.cells[2:]] == ["%", "50%", "40%", "80%"]
    targets = json.loads(cli(db_path, "targets", "--year", "2025", "--kind", "6thang", "--rules", "calendar",
                             "--format", "json")[1])["targets"]  # fmt: skip
    news = next(r for r in table.rows if r.cells[1].text.startswith("Tin, bài trên cổng"))
    assert news.cells[4].text == f"{targets[0]['year_to_date']:,}".replace(",", ".")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Thực hiện các chỉ tiêu kế hoạch" in text
    behind = [t for t in targets if t["behind"]]
    assert behind and all(f"Chỉ tiêu “{t['name']}” mới đạt" in text for t in behind)

    stats = load_workbook(xlsx)["Thống kê"]
    cells = {c.value: c for row in stats.iter_rows() for c in row if c.value is not None}
    assert "3. Kết quả thực hiện chỉ tiêu kế hoạch" in cells
    row = cells["Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số"].row
    assert [stats.cell(row, c).value for c in (4, 5, 6)] == [0.5, 0.4, 0.8]  # percent cells are numbers
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Thống kê", "Danh sách hoạt động", "Chỉ tiêu"]
    sheet = book["Chỉ tiêu"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[:2] == ["STT", "Chỉ tiêu"])
    assert len([r for r in values[header + 1:] if r[1]]) == 5 and values[header + 5][5] == 0.8


def test_plan_doc_follows_the_report_layout(db_path, tmp_path):
    from docx import Document

    cli(db_path, "demo", "--activities", "2000", "--units", "3", "--years", "2024,2025", "--seed", "5")
    out = tmp_path / "ke_hoach.docx"
    code, text, err = cli(db_path, "plan-doc", "--year", "2025", "--out", str(out), "--number", "7")
    assert code == 0, err
    assert text == f"Đã ghi kế hoạch năm 2025: {out}\n"
    document = Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    assert "KẾ HOẠCH" in paragraphs and "Tuyên truyền chuyển đổi số năm 2025" in paragraphs
    assert not any(p.startswith("Kính gửi") for p in paragraphs)  # a plan is issued, not addressed
    assert "I. MỤC ĐÍCH, YÊU CẦU" in paragraphs and "IV. KINH PHÍ" in paragraphs
    assert any(p.startswith("- Tỷ lệ trường học có nội dung tuyên truyền về chuyển đổi số: 50%") for p in paragraphs)
    body = [p for p in paragraphs if p.strip()]
    assert any(p.endswith("./.") for p in body)
    header_cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("Số: 07/KH-UBND" in c for c in header_cells)
    forms = next(t for t in document.tables if t.rows[0].cells[1].text == "Hình thức tuyên truyền"
                 and t.rows[0].cells[3].text == "Thời gian")  # fmt: skip
    event = next(r for r in forms.rows if r.cells[1].text.startswith("Hội nghị"))
    assert event.cells[3].text.startswith("Tháng 10")
    for text_run in (r for p in document.paragraphs for r in p.runs if r.text.strip()):
        assert text_run.font.name in (None, "Times New Roman")
    assert cli(db_path, "plan-doc", "--year", "2025", "--out", str(tmp_path / "x.pdf"))[0] == 2
