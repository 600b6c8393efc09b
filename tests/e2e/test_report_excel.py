"""The report workbook (.xlsx) as the Sở opens it: read back with openpyxl, cell by cell."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet import _writer as openpyxl_writer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import transaction  # noqa: E402
from core.activities.filters import ActivityFilter  # noqa: E402
from core.errors import FileProblem  # noqa: E402
from core.progress import Cancelled, Progress  # noqa: E402
from core.reports.activity_list import ActivityList  # noqa: E402
from core.reports.excel import row_style_ids, write_report_xlsx  # noqa: E402
from core.reports.sample import sample_context  # noqa: E402
from core.units import create_unit  # noqa: E402

ACTIVITY_HEADERS = [
    "STT", "Ngày", "Đến ngày", "Đơn vị", "Hình thức", "Tên, nội dung hoạt động", "Chủ đề", "Kênh",
    "Số lượng", "Đơn vị tính", "Thời lượng (phút)", "Người tham dự/tiếp cận", "Kinh phí (đồng)",
    "Nguồn kinh phí", "Đường dẫn", "Ghi chú", "Số tệp minh chứng",
]
NUMERIC_KEYS = ["quantity", "duration_minutes", "participants", "cost", "evidence_count"]
NUMERIC_COLUMNS = {"quantity": 9, "duration_minutes": 11, "participants": 12, "cost": 13, "evidence_count": 17}

UNITS = ["Xã Hải Phú", "Thôn Mỹ Thủy", "Trường Tiểu học Hải Phú"]
FORMS = ["hoi_nghi", "tin_bai", "phat_thanh"]

NOTES = {
    5: "=Đã báo cáo huyện",  # looks like a formula: must stay text
    7: "Chuông\x07 báo",  # a control character pasted from another program: Excel refuses it
    9: unicodedata.normalize("NFD", "Đã nhập bằng bộ gõ khác"),  # decomposed: written as NFC
    13: "Ký hiệu <b> & “ngoặc”",  # characters XML must escape
}


def make_rows(n: int):
    """Activities as stored (codes, not labels), with gaps and Vietnamese text; dates oldest first."""
    start = dt.date(2025, 1, 1)
    for i in range(n):
        day = start + dt.timedelta(days=i * 180 // max(n, 1))
        yield {
            "id": i + 1,
            "uuid": f"00000000-0000-4000-8000-{i:012d}",
            "date_from": day.isoformat(),
            "date_to": (day + dt.timedelta(days=2)).isoformat() if i % 4 == 0 else None,
            "unit": i % 3,
            "form_code": FORMS[i % 3],
            "title": f"Tuyên truyền chuyển đổi số đợt {i + 1} tại nhà văn hóa thôn Mỹ Thủy",
            "content": "Hướng dẫn người dân cài đặt VNeID, thanh toán không dùng tiền mặt" if i % 2 else "",
            "channel": "Loa truyền thanh" if i % 5 else "",
            "quantity": None if i % 7 == 0 else 1 + i % 4,
            "duration_minutes": None if i % 3 == 0 else 15 * (1 + i % 6),
            "participants": None if i % 11 == 0 else 20 + i,
            "cost": None if i % 2 else 250_000 * (1 + i % 5),
            "funding_code": "ns_xa" if i % 2 == 0 else None,
            "topics": ["dich_vu_cong", "chinh_quyen_so"] if i % 3 else [],  # stored out of the taxonomy's order
            "evidence_count": i % 3,
            "link": f"https://haiphu.quangtri.gov.vn/tin/{i}" if i % 6 == 0 else "",
            "notes": NOTES.get(i, "Ghi chú: đủ hồ sơ" if i % 10 == 0 else ""),
        }


def log_with(db, n: int) -> list[dict]:
    """Put ``n`` activities straight into the database (text as it is, even NFD or control characters)."""
    units = [create_unit(db, name=name, level="xa").id for name in UNITS]
    rows = list(make_rows(n))
    columns = ["id", "uuid", "date_from", "date_to", "unit_id", "form_code", "title", "content", "channel",
               "quantity", "duration_minutes", "participants", "cost", "funding_code", "link", "notes",
               "created_at", "updated_at"]  # fmt: skip
    stamp = "2025-01-01T00:00:00+00:00"
    with transaction(db):
        db.conn.executemany(
            f"INSERT INTO activities ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[*(row[c] for c in columns[:4]), units[row["unit"]], *(row[c] for c in columns[5:16]), stamp, stamp]
             for row in rows],
        )  # fmt: skip
        db.conn.executemany("INSERT INTO activity_topics (activity_id, topic_code) VALUES (?, ?)",
                            [(row["id"], code) for row in rows for code in row["topics"]])  # fmt: skip
        db.conn.executemany(
            "INSERT INTO evidence (activity_id, file_name, sha256, size, added_at) VALUES (?, ?, ?, 1, ?)",
            [(row["id"], f"anh{k}.jpg", f"{row['id']:060d}{k:04d}", stamp)
             for row in rows for k in range(row["evidence_count"])],
        )  # fmt: skip
    return rows


def write(db, target, context=None, *, progress=None, flt=None, **options) -> Path:
    """The report workbook for ``flt`` (every activity by default), as core.reports.export writes it."""
    with ActivityList(db, flt or ActivityFilter(), row_style_ids(), **options) as rows:
        return write_report_xlsx(target, context or sample_context(), rows, progress=progress)


def labels(db, kind: str) -> dict[str, str]:
    return dict(db.execute("SELECT code, label FROM taxonomy WHERE kind = ?", [kind]).fetchall())


def find_row(ws, column: int, value) -> int:
    for row in ws.iter_rows(min_col=column, max_col=column):
        if row[0].value == value:
            return row[0].row
    raise AssertionError(f"{value!r} not found in column {column}")


@pytest.fixture
def workbook_300(tmp_path, db):
    rows = log_with(db, 300)
    path = write(db, tmp_path / "bao_cao.xlsx")
    assert path == tmp_path / "bao_cao.xlsx"
    rows = [{**row, "unit_name": UNITS[row["unit"]], "form_label": labels(db, "form")[row["form_code"]]}
            for row in rows]  # fmt: skip
    return load_workbook(path), rows


def test_sheets_and_title_block(workbook_300):
    wb, _ = workbook_300
    assert wb.sheetnames == ["Thống kê", "Danh sách hoạt động"]
    ws = wb["Thống kê"]
    texts = [c.value for row in ws.iter_rows(max_col=1) for c in row if c.value]
    assert "ỦY BAN NHÂN DÂN XÃ HẢI PHÚ" in texts
    assert "Kết quả công tác tuyên truyền chuyển đổi số 6 tháng đầu năm 2025" in texts
    assert "Từ ngày 15/12/2024 đến ngày 14/06/2025" in texts
    assert "Theo hình thức tuyên truyền" in texts
    summary = ws.cell(find_row(ws, 1, "Kết quả công tác tuyên truyền chuyển đổi số 6 tháng đầu năm 2025"), 1)
    assert (summary.font.name, summary.font.sz, summary.font.b) == ("Times New Roman", 12, True)
    assert any(str(rng).startswith(f"A{summary.row}:") for rng in ws.merged_cells.ranges)


def test_by_form_table_holds_real_numbers(workbook_300):
    wb, _ = workbook_300
    ws = wb["Thống kê"]
    header = find_row(ws, 1, "STT")
    assert [c.value for c in ws[header]] == sample_context()["appendix"]["tables"][0]["columns"]
    for cell in ws[header]:
        assert cell.font.b and cell.font.name == "Times New Roman"
        assert cell.fill.fill_type == "solid"
        assert cell.border.top.style == "thin" and cell.border.left.style == "thin"

    first = [c.value for c in ws[header + 1]]
    assert first == ["1", "Tin, bài, ảnh trên cổng/trang thông tin điện tử, báo chí", "tin, bài",
                     24, 10, 3200, 500000, 20, pytest.approx(0.2)]
    second = [c.value for c in ws[header + 2]]
    assert second[3:] == [2, 2, 350, 12000000, 1, pytest.approx(1.0)]
    assert all(isinstance(v, int) for v in first[3:8])
    cost = ws.cell(header + 1, 7)
    assert cost.number_format == "#,##0" and cost.data_type == "n"
    assert cost.font.name == "Times New Roman" and cost.font.sz == 11
    assert ws.cell(header + 1, 9).number_format == "+0%;-0%;0%"

    total = ws[header + 3]
    assert [c.value for c in total] == [None, "Tổng cộng", None, 26, 12, 3550, 12500000, 21, None]
    assert all(c.font.b for c in total)
    assert total[6].number_format == "#,##0"
    # the figures add up the way the Sở adds them
    assert sum(ws.cell(r, 7).value for r in (header + 1, header + 2)) == total[6].value


def test_figures_in_other_shapes(tmp_path, db):
    context = sample_context()
    table = context["appendix"]["tables"][0]
    table["rows"] = [["1", "Khác", "lượt", "2,5", "—", "", "1.234.567", "0", "-15%"]]
    table["total"] = ["", "Tổng cộng", "", "2,5", "", "", "1.234.567", "0", "85%"]
    wb = load_workbook(write(db, tmp_path / "a.xlsx", context))
    ws = wb["Thống kê"]
    row = find_row(ws, 2, "Khác")
    values = [c.value for c in ws[row]]
    assert values == ["1", "Khác", "lượt", 2.5, "—", None, 1234567, 0, pytest.approx(-0.15)]
    assert ws.cell(row, 4).number_format == "#,##0.##"
    assert ws.cell(row, 9).number_format == "+0%;-0%;0%"
    assert ws.cell(row + 1, 9).value == pytest.approx(0.85)
    assert ws.cell(row + 1, 9).number_format == "0%"


def test_activity_sheet(workbook_300):
    wb, rows = workbook_300
    ws = wb["Danh sách hoạt động"]
    assert [c.value for c in ws[1]] == ACTIVITY_HEADERS
    assert all(c.font.b for c in ws[1])
    assert ws.max_row == 1 + 300 + 1

    first = ws[2]
    assert first[0].value == 1
    assert first[1].value == dt.datetime(2025, 1, 1) and first[1].number_format == "dd/mm/yyyy"
    assert first[2].value == dt.datetime(2025, 1, 3) and first[2].number_format == "dd/mm/yyyy"
    assert ws.cell(3, 3).value is None  # no end date
    assert first[3].value == "Xã Hải Phú" and first[4].value == rows[0]["form_label"] == "Hội nghị, hội thảo, sự kiện"
    assert first[3].font.name == "Times New Roman" and first[3].font.sz == 11
    assert first[5].value == "Tuyên truyền chuyển đổi số đợt 1 tại nhà văn hóa thôn Mỹ Thủy"
    assert first[5].alignment.wrap_text
    second_title = ws.cell(3, 6).value
    assert second_title.endswith("\nHướng dẫn người dân cài đặt VNeID, thanh toán không dùng tiền mặt")
    assert unicodedata.is_normalized("NFC", second_title)
    assert first[12].value == 250000 and first[12].number_format == "#,##0" and first[12].data_type == "n"
    assert first[8].value is None  # quantity None stays empty, not 0
    assert ws.cell(7, 16).value == "=Đã báo cáo huyện" and ws.cell(7, 16).data_type == "s"  # text, not a formula
    assert ws.cell(9, 16).value == "Chuông báo"
    assert ws.cell(11, 16).value == unicodedata.normalize("NFC", "Đã nhập bằng bộ gõ khác")
    assert ws.cell(15, 16).value == "Ký hiệu <b> & “ngoặc”"
    assert ws.cell(3, 7).value == "Chính quyền số; Dịch vụ công trực tuyến"  # in the taxonomy's order
    assert ws.cell(2, 7).value is None and ws.cell(2, 14).value == "Ngân sách xã"
    assert ws.cell(2, 10).value == "sự kiện" and ws.cell(2, 8).value is None and ws.cell(3, 8).value == "Loa truyền thanh"

    for key, column in NUMERIC_COLUMNS.items():
        for r, row in enumerate(rows, start=2):
            cell = ws.cell(r, column)
            assert cell.value == row[key], (key, r)
            if row[key] is not None:
                assert cell.number_format == "#,##0"

    total = ws[302]
    assert total[5].value == "Tổng cộng" and total[5].font.b
    expected = {key: sum(row[key] or 0 for row in rows) for key in NUMERIC_KEYS}
    assert {key: total[column - 1].value for key, column in NUMERIC_COLUMNS.items()} == expected
    assert expected["cost"] == 112_500_000  # the generator really produced money to add up
    assert all(total[column - 1].number_format == "#,##0" for column in NUMERIC_COLUMNS.values())

    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:Q301"
    assert ws.column_dimensions["F"].width > ws.column_dimensions["B"].width >= 10


def test_print_setup_on_both_sheets(workbook_300):
    wb, _ = workbook_300
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert int(ws.page_setup.fitToWidth) == 1
        assert int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert wb["Danh sách hoạt động"].print_title_rows == "$1:$1"
    assert wb["Thống kê"].print_title_rows is None  # a second table's page must not repeat the first's header


@pytest.fixture
def out(tmp_path):
    """An empty folder for the workbook (the database lives beside it)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_cancel_leaves_no_file_and_keeps_the_old_one(db, out):
    log_with(db, 6000)
    target = out / "bao_cao.xlsx"
    target.write_bytes(b"old report")
    temp_files_before = list(openpyxl_writer.ALL_TEMP_FILES)
    scratch_before = set(Path(tempfile.gettempdir()).glob("so-tuyen-truyen-*"))
    calls = []

    class CancelAt5000(Progress):
        def update(self, done, total=None, label=None):
            calls.append((done, total))
            if done >= 5000:
                self.cancel()  # the officer presses "Hủy"
            super().update(done, total, label)

    with pytest.raises(Cancelled):
        write(db, target, progress=CancelAt5000())
    assert calls == [(0, 6000), (5000, 6000)]
    assert sorted(p.name for p in out.iterdir()) == ["bao_cao.xlsx"]
    assert target.read_bytes() == b"old report"
    assert openpyxl_writer.ALL_TEMP_FILES == temp_files_before
    assert all(os.path.exists(p) for p in openpyxl_writer.ALL_TEMP_FILES)
    assert set(Path(tempfile.gettempdir()).glob("so-tuyen-truyen-*")) == scratch_before


def test_cancel_stops_the_worker_processes(db, out):
    log_with(db, 12_000)
    scratch_before = set(Path(tempfile.gettempdir()).glob("so-tuyen-truyen-*"))

    class CancelAtOnce(Progress):
        def update(self, done, total=None, label=None):
            if done:
                self.cancel()
            super().update(done, total, label)

    with ActivityList(db, ActivityFilter(), row_style_ids(), processes=2, parallel_from=1) as rows:
        workers = list(rows._workers)
        assert len(workers) == 2  # really in two processes
        with pytest.raises(Cancelled):
            write_report_xlsx(out / "bao_cao.xlsx", sample_context(), rows, progress=CancelAtOnce())
    assert all(not w.is_alive() for w in workers)
    assert list(out.iterdir()) == []
    assert set(Path(tempfile.gettempdir()).glob("so-tuyen-truyen-*")) == scratch_before


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet2.xml")


def test_worker_processes_write_the_same_workbook(db, out):
    rows = log_with(db, 2500)
    alone = write(db, out / "mot.xlsx", processes=1)
    shared = write(db, out / "ba.xlsx", processes=3, parallel_from=1)
    assert sheet_xml(alone) == sheet_xml(shared)
    ws = load_workbook(shared)["Danh sách hoạt động"]
    assert [ws.cell(r, 1).value for r in (2, 834, 835, 2501)] == [1, 833, 834, 2500]  # numbered across slices
    assert ws.cell(2502, 13).value == sum(row["cost"] or 0 for row in rows)

    # only the officer's unit and the period: the same filter as the report's
    unit_id = db.execute("SELECT id FROM units WHERE name = ?", [UNITS[1]]).fetchone()[0]
    flt = ActivityFilter(date_from=dt.date(2025, 2, 1), date_to=dt.date(2025, 3, 31), unit_id=unit_id)
    alone = write(db, out / "mot.xlsx", flt=flt, processes=1)
    shared = write(db, out / "ba.xlsx", flt=flt, processes=2, parallel_from=1)
    assert sheet_xml(alone) == sheet_xml(shared)
    expected = [r for r in rows if r["unit"] == 1 and "2025-02-01" <= r["date_from"] <= "2025-03-31"]
    assert load_workbook(shared)["Danh sách hoạt động"].max_row == len(expected) + 2 > 100


def test_a_failing_worker_leaves_the_rows_to_this_process(db, out, monkeypatch):
    log_with(db, 3000)
    expected = sheet_xml(write(db, out / "mot.xlsx", processes=1))
    from core.reports import activity_list

    monkeypatch.setattr(activity_list, "_database_file", lambda db: str(out / "khong_co.db"))
    with ActivityList(db, ActivityFilter(), row_style_ids(), processes=2, parallel_from=1) as rows:
        assert len(rows._workers) == 2  # they start, cannot open the file, and say so
        target = write_report_xlsx(out / "hai.xlsx", sample_context(), rows)
    assert sheet_xml(target) == expected


def test_cancelled_before_start_writes_nothing(db, out):
    log_with(db, 10)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        write(db, out / "x.xlsx", progress=progress)
    assert list(out.iterdir()) == []


def test_unwritable_target_raises_file_problem(db, out):
    log_with(db, 3)
    not_a_folder = out / "ghi_chu.txt"
    not_a_folder.write_text("tệp thường")
    with pytest.raises(FileProblem) as err:
        write(db, not_a_folder / "bao_cao.xlsx")
    assert "đang mở trong Excel hoặc không ghi được; hãy đóng tệp rồi thử lại." in str(err.value)
    assert "bao_cao.xlsx" in str(err.value)

    folder = out / "bao_cao.xlsx"  # a folder where the file should go
    folder.mkdir()
    with pytest.raises(FileProblem):
        write(db, folder)
    assert sorted(p.name for p in out.iterdir()) == ["bao_cao.xlsx", "ghi_chu.txt"]
    assert list(folder.iterdir()) == []
    assert not_a_folder.read_text() == "tệp thường"


def test_overwrites_an_existing_report(db, out):
    log_with(db, 5)
    target = out / "bao_cao.xlsx"
    write(db, target)
    write(db, target, flt=ActivityFilter(date_to=dt.date(2025, 1, 1)))
    assert load_workbook(target)["Danh sách hoạt động"].max_row == 1 + 1 + 1
    assert sorted(p.name for p in out.iterdir()) == ["bao_cao.xlsx"]


_BIG_EXPORT = r"""
import json, os, sys, time, zipfile
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from core.db import open_db
from core.progress import Progress
from core.reports.sample import sample_context
from test_report_excel import log_with, write
db = open_db(sys.argv[4])
log_with(db, 100_000)
try:
    import resource
except ImportError:  # Windows: measure Python allocations instead
    resource = None
    import tracemalloc

calls = []
class Recording(Progress):
    def update(self, done, total=None, label=None):
        calls.append(done)
        super().update(done, total, label)

def peak_rss():  # peak resident memory: since the last reset on Linux, of the whole process elsewhere
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)

if resource:
    try:  # start the peak afresh, so what imports used before does not hide what the export uses
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass
    before = peak_rss()
else:
    tracemalloc.start()
started = time.perf_counter()
path = write(db, sys.argv[3], progress=Recording(), processes=1)  # all in this process: its memory is measured
seconds = time.perf_counter() - started
if resource:
    peak = peak_rss()
    growth = peak - before
else:
    before, peak = 0, tracemalloc.get_traced_memory()[1]
    growth = peak
rows = 0
with zipfile.ZipFile(path) as archive:
    names = archive.namelist()
    with archive.open("xl/worksheets/sheet2.xml") as sheet:
        while chunk := sheet.read(1 << 20):
            rows += chunk.count(b"<row")
        sheet.seek(max(0, sheet.tell() - 20000))
        tail = sheet.read().decode("utf-8", "replace")
print(json.dumps({"seconds": seconds, "before": before, "peak": peak, "growth": growth, "calls": calls,
                  "tail": tail, "rows": rows, "names": names}))
"""


@pytest.mark.slow
def test_100000_rows_stream_in_flat_memory(tmp_path):
    """100,000 activities are written in a fresh process whose peak memory barely grows."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "lon.xlsx"
    result = subprocess.run(
        [sys.executable, "-c", _BIG_EXPORT, str(ROOT), str(HERE), str(target), str(tmp_path / "lon.db")],
        capture_output=True, encoding="utf-8", timeout=900,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    print(f"100.000 dòng: {report['seconds']:.1f} s; bộ nhớ {report['before'] / 2**20:.1f} -> "
          f"{report['peak'] / 2**20:.1f} MB (tăng {report['growth'] / 2**20:.1f} MB)")
    assert report["growth"] < 100 * 1024 * 1024
    assert report["calls"] == [0, *range(5000, 100_001, 5000)]
    assert report["rows"] == 100_002  # header + 100,000 activities + totals
    assert "T&#7893;ng c&#7897;ng" in report["tail"] or "Tổng cộng" in report["tail"]
    assert "<autoFilter ref=\"A1:Q100001\"" in report["tail"]
    assert sorted(p.name for p in out.iterdir()) == ["lon.xlsx"]


def test_rows_are_tall_enough_for_wrapped_text(workbook_300):
    """Excel and LibreOffice do not grow rows when they open a file: the heights are written."""
    wb, rows = workbook_300
    listing = wb["Danh sách hoạt động"]
    assert listing.row_dimensions[1].height >= 30  # "Người tham dự/tiếp cận" in two lines
    assert listing.row_dimensions[2].height is None or listing.row_dimensions[2].height <= 15  # one line
    assert listing.row_dimensions[3].height >= 30  # title and content: two lines
    stats = wb["Thống kê"]
    assert stats.row_dimensions[find_row(stats, 2, "Tổng cộng")].height is None  # one line: left alone
    header = find_row(stats, 1, "STT")
    assert stats.row_dimensions[header].height >= 30


def test_wrapped_lines_estimate():
    from core.reports.xlsx_rows import row_start, wrapped_lines

    assert wrapped_lines("", 10) == wrapped_lines(None, 10) == 1
    assert wrapped_lines("Xã Hải Phú", 22) == 1
    assert wrapped_lines("a" * 90, 40) == 2 and wrapped_lines("a" * 100, 40) == 3
    assert wrapped_lines("Dòng một\nDòng hai\n\nDòng bốn", 60) == 4
    assert row_start(1) == "<row>" and row_start(3) == '<row ht="45" customHeight="1">'
