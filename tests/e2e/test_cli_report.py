"""`main.py report`: the Word file's figures agree with `stats`, and the Excel file with the Word file;
`--finalise` freezes the period's report with its files, once, until `--reopen`."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

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
    copy_db(db, folder / "demo.db")  # as the demo left it, before any test drafts a report in it
    return db


def copy_db(source_path, target_path) -> None:
    source, target = sqlite3.connect(str(source_path)), sqlite3.connect(str(target_path))
    try:
        source.backup(target)
    finally:
        source.close(), target.close()


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


# --- report --finalise / --reopen ---------------------------------------------------------

QUARTER_1 = ["report", "--kind", "quy", "--year", "2025", "--quarter", "1", "--rules", "nd09"]
SIGNER = "Nguyễn Văn An"


@pytest.fixture
def own_db(report_db, tmp_path):
    """A copy of the demo's database, with no report yet, that a test may finalise reports in."""
    db = tmp_path / "so.db"
    copy_db(report_db.with_name("demo.db"), db)
    return db


def reports_of(db) -> list[dict]:
    conn = sqlite3.connect(str(db))
    try:
        rows = conn.execute("SELECT id, uuid, status, finalised_at, frozen FROM reports ORDER BY id").fetchall()
        return [{"id": i, "uuid": u, "status": s, "finalised_at": f, "frozen": json.loads(z) if z else None,
                 "history": [a for (a,) in conn.execute("SELECT action FROM history WHERE activity_uuid = ?"
                                                        " ORDER BY id", [u])],
                 "reopenings": [r for (r,) in conn.execute("SELECT reason FROM report_reopenings WHERE report_id = ?",
                                                           [i])]}
                for i, u, s, f, z in rows]  # fmt: skip
    finally:
        conn.close()


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_finalise_writes_the_files_and_freezes_the_report(own_db, tmp_path):
    docx, xlsx = tmp_path / "bc.docx", tmp_path / "bc.xlsx"
    result = run("--db", str(own_db), *QUARTER_1, "--finalise", "--signer", SIGNER, "--out", str(docx),
                 "--xlsx", str(xlsx), tmp_path=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Kỳ báo cáo: quý I năm 2025 (từ 15/12/2024 đến 14/03/2025)." in result.stdout
    assert f"Đã ghi: {docx}" in result.stdout and f"Đã ghi: {xlsx}" in result.stdout
    assert "Đã chốt báo cáo số 01/BC-UBND lúc " in result.stdout and "--reopen" in result.stdout

    (report,) = reports_of(own_db)
    assert report["status"] == "final" and report["finalised_at"]
    assert report["frozen"]["files"] == {"bc.docx": sha256(docx), "bc.xlsx": sha256(xlsx)}
    assert report["history"][-1] == "report_final"
    stats = stats_json(own_db, tmp_path, "--from", "15/12/2024", "--to", "14/03/2025")
    assert report["frozen"]["figures"]["total"]["count"] == stats["total"]["count"] > 0

    document = Document(str(docx))  # the files as sent open, and say who signs
    assert SIGNER in "\n".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Thống kê" in openpyxl.load_workbook(xlsx, read_only=True).sheetnames


def test_finalising_twice_is_refused_until_reopened(own_db, tmp_path):
    docx = tmp_path / "bc.docx"
    first = run("--db", str(own_db), *QUARTER_1, "--finalise", "--signer", SIGNER, "--out", str(docx),
                tmp_path=tmp_path)  # fmt: skip
    assert first.returncode == 0, first.stderr
    sent = sha256(docx)

    again = run("--db", str(own_db), *QUARTER_1, "--finalise", "--out", str(tmp_path / "lan2.docx"),
                tmp_path=tmp_path)  # fmt: skip
    assert_vietnamese_error(again, 1)
    assert "đã được chốt lúc" in again.stderr and "--reopen" in again.stderr and "Mở lại" in again.stderr
    assert not (tmp_path / "lan2.docx").exists() and sha256(docx) == sent  # nothing written, nothing created
    (report,) = reports_of(own_db)
    assert report["status"] == "final" and report["history"].count("report_final") == 1

    reopened = run("--db", str(own_db), *QUARTER_1, "--reopen", "Bổ sung hoạt động tháng 3", tmp_path=tmp_path)
    assert reopened.returncode == 0, reopened.stderr
    assert "Đã mở lại báo cáo số 01/BC-UBND (quý I năm 2025); lý do: Bổ sung hoạt động tháng 3." in reopened.stdout
    (report,) = reports_of(own_db)
    assert report["status"] == "draft" and report["reopenings"] == ["Bổ sung hoạt động tháng 3"]

    final = run("--db", str(own_db), "--format", "json", *QUARTER_1, "--finalise", "--out", str(docx),
                tmp_path=tmp_path)  # fmt: skip
    assert final.returncode == 0, final.stderr
    data = json.loads(final.stdout)
    assert data["status"] == "final" and data["number"] == "01/BC-UBND" and data["files"] == [str(docx)]
    (report,) = reports_of(own_db)  # the same report, finalised again with the files written now
    assert report["status"] == "final" and report["frozen"]["files"] == {"bc.docx": sha256(docx)}
    assert report["history"].count("report_final") == 2 and report["history"].count("report_reopen") == 1


def test_finalise_without_out_writes_beside_the_database_as_the_window_does(own_db, tmp_path):
    result = run("--db", str(own_db), *QUARTER_1, "--finalise", "--signer", SIGNER, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "bao_cao"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["BaoCao_01_quy1-2025.docx", "BaoCao_01_quy1-2025.xlsx"]
    (report,) = reports_of(own_db)
    assert report["frozen"]["files"] == {name: sha256(folder / name) for name in names}
    Document(str(folder / names[0]))


def test_finalise_without_a_signer_is_refused_and_writes_nothing(own_db, tmp_path):
    docx = tmp_path / "bc.docx"
    result = run("--db", str(own_db), *QUARTER_1, "--finalise", "--out", str(docx), tmp_path=tmp_path)
    assert_vietnamese_error(result, 1)
    assert "Chưa chốt được báo cáo" in result.stderr and "người ký" in result.stderr and "--signer" in result.stderr
    assert not docx.exists() and not list(tmp_path.glob("*.docx"))
    assert [r["status"] for r in reports_of(own_db)] == ["draft"]  # the draft is kept for the next try


def test_signer_is_remembered_for_the_next_report(own_db, tmp_path):
    first = run("--db", str(own_db), *QUARTER_1, "--out", str(tmp_path / "q1.docx"), "--signer", SIGNER,
                tmp_path=tmp_path)  # fmt: skip
    assert first.returncode == 0, first.stderr
    second = run("--db", str(own_db), "report", "--kind", "quy", "--year", "2025", "--quarter", "2", "--finalise",
                 "--out", str(tmp_path / "q2.docx"), tmp_path=tmp_path)  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert [r["status"] for r in reports_of(own_db)] == ["draft", "final"]


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--reopen", "Sửa số liệu"], 1, "Chưa có báo cáo nào cho quý I năm 2025"),
        (["--reopen", "  "], 2, "hãy ghi lý do mở lại"),
        (["--finalise", "--reopen", "Sửa số liệu"], 2, "không dùng cùng với"),
        (["--reopen", "Sửa số liệu", "--out", "bc.docx"], 2, "--reopen chỉ mở lại báo cáo"),
        ([], 2, "--out"),  # neither a file to write nor --finalise
        (["--finalise", "--out", "bc.pdf"], 2, "--out phải là tệp .docx"),
        (["--finalise", "--signer", SIGNER, "--out", "bc.docx", "--xlsx", "bc.csv"], 2, "--xlsx phải là tệp .xlsx"),
    ],
)
def test_finalise_and_reopen_mistakes_are_refused_in_vietnamese(own_db, tmp_path, args, code, said):
    args = [str(tmp_path / a) if a.startswith("bc.") else a for a in args]
    result = run("--db", str(own_db), *QUARTER_1, *args, tmp_path=tmp_path)
    assert_vietnamese_error(result, code)
    assert said in result.stderr
    assert not list(tmp_path.glob("bc.*"))
    assert all(r["status"] == "draft" for r in reports_of(own_db))


def test_reopening_a_draft_says_there_is_nothing_to_reopen(own_db, tmp_path):
    assert run("--db", str(own_db), *QUARTER_1, "--out", str(tmp_path / "q1.docx"), tmp_path=tmp_path).returncode == 0
    result = run("--db", str(own_db), *QUARTER_1, "--reopen", "Sửa số liệu", tmp_path=tmp_path)
    assert_vietnamese_error(result, 1)
    assert "Báo cáo số 01/BC-UBND (quý I năm 2025) chưa chốt nên không cần mở lại." in result.stderr
