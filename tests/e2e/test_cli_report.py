"""`main.py report`: the Word file's figures agree with `stats`, and the Excel file with the Word file."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from docx import Document

from core.text import parse_number
from tests.e2e.test_cli import assert_vietnamese_error, run


@pytest.fixture(scope="module")
def report_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    db = folder / "so.db"
    result = run("--db", str(db), "demo", "--activities", "1500", "--units", "4", "--years", "2024,2025",
                 "--seed", "7", tmp_path=folder)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return db


def stats_json(db, tmp_path, *extra):
    result = run("--db", str(db), "--format", "json", "stats", *extra, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def docx_table_rows(path, index=0):
    document = Document(str(path))
    table = [t for t in document.tables if len(t.columns) >= 6][index]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_report_figures_match_stats_and_excel(report_db, tmp_path):
    docx, xlsx = tmp_path / "bc.docx", tmp_path / "bc.xlsx"
    result = run("--db", str(report_db), "report", "--kind", "quy", "--year", "2025", "--quarter", "2",
                 "--rules", "nd09", "--out", str(docx), "--xlsx", str(xlsx), tmp_path=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Kỳ báo cáo: quý II năm 2025 (từ 15/03/2025 đến 14/06/2025)." in result.stdout

    stats = stats_json(report_db, tmp_path, "--from", "15/03/2025", "--to", "14/06/2025", "--by", "form")
    by_label = {g["label"]: g for g in stats["groups"]}
    rows = docx_table_rows(docx)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:5] == ["STT", "Hình thức tuyên truyền", "Đơn vị tính", "Số lượng", "Số hoạt động"]
    current = [row for row in body if row[4] != "0"]
    assert len(current) == len(by_label)
    assert all(parse_number(row[7]) > 0 for row in body if row[4] == "0")  # shown for last year's figure
    for row in current:
        group = by_label[row[1]]
        assert parse_number(row[3]) == group["quantity"] and parse_number(row[4]) == group["count"]
        assert (parse_number(row[6]) or 0) == group["cost"]
    assert parse_number(total[4]) == stats["total"]["count"]
    assert parse_number(total[6]) == stats["total"]["cost"]

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Kết quả công tác tuyên truyền chuyển đổi số quý II năm 2025" in text
    assert f"đã thực hiện {stats['total']['count']:,} hoạt động".replace(",", ".") in text

    sheet = openpyxl.load_workbook(xlsx)["Thống kê"]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    total_row = next(r for r in values if r and "Tổng cộng" in r)
    numbers = [v for v in total_row if isinstance(v, (int, float))]
    assert stats["total"]["count"] in numbers and stats["total"]["cost"] in numbers
    activities = openpyxl.load_workbook(xlsx)["Danh sách hoạt động"]
    assert activities.max_row >= stats["total"]["count"] + 1


def test_report_to_pdf_with_libreoffice(report_db, tmp_path):
    from core.reports.export import pdf_converter, to_pdf

    assert shutil.which("soffice"), "LibreOffice is installed by .ci/run"
    assert pdf_converter()[0] == "libreoffice"
    docx = tmp_path / "bc.docx"
    result = run("--db", str(report_db), "report", "--kind", "6thang", "--year", "2025", "--out", str(docx),
                 tmp_path=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = to_pdf(docx)
    assert pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    "args",
    [
        ["--kind", "quy", "--year", "2025"],  # no quarter
        ["--kind", "thang", "--year", "2025", "--month", "13"],
        ["--kind", "dotxuat", "--year", "2025", "--from", "10/05/2025", "--to", "01/05/2025"],
    ],
)
def test_bad_periods_are_refused_in_vietnamese(report_db, tmp_path, args):
    result = run("--db", str(report_db), "report", *args, "--out", str(tmp_path / "x.docx"), tmp_path=tmp_path)
    assert_vietnamese_error(result, 1)
    assert not (tmp_path / "x.docx").exists()


def test_out_must_be_docx(report_db, tmp_path):
    result = run("--db", str(report_db), "report", "--kind", "nam", "--year", "2025", "--out",
                 str(tmp_path / "x.pdf"), tmp_path=tmp_path)  # fmt: skip
    assert_vietnamese_error(result, 2)
