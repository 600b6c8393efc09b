"""The activity log exported to .xlsx, as an officer opens it: read back with openpyxl (and calamine, as imported)."""

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
import python_calamine
from openpyxl import load_workbook
from openpyxl.worksheet import _writer as openpyxl_writer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import transaction  # noqa: E402
from core.activities.filters import ActivityFilter  # noqa: E402
from core.activities.service import create_activity  # noqa: E402
from core.errors import FileProblem  # noqa: E402
from core.importers.columns import COLUMNS  # noqa: E402
from core.importers.export import SHEET, export_log_xlsx  # noqa: E402
from core.progress import Cancelled, Progress  # noqa: E402
from core.text import fold  # noqa: E402
from core.units import create_unit  # noqa: E402

HEADERS = [column.header for column in COLUMNS]
STAMP = "2025-01-01T00:00:00+00:00"
UUID_A = "0b4c5a8e-6f1d-4c2b-9a7e-3d2f1e0c9b8a"


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Path:
    """A private temporary folder (other processes' scratch files are not this test's)."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def insert_raw(db, unit_id: str, rows: list[dict]) -> None:
    """Activities straight into the database, text as it is (control characters, NFD: what the service would clean)."""
    columns = ["uuid", "date_from", "date_to", "unit_id", "form_code", "title", "content", "channel", "quantity",
               "duration_minutes", "participants", "cost", "funding_code", "link", "notes", "search_text",
               "created_at", "updated_at"]  # fmt: skip
    defaults = {"date_to": None, "form_code": "tin_bai", "content": "", "channel": "", "quantity": 1,
                "duration_minutes": None, "participants": None, "cost": None, "funding_code": None, "link": "",
                "notes": ""}  # fmt: skip
    values = []
    for i, row in enumerate(rows):
        row = {**defaults, "uuid": f"00000000-0000-4000-8000-{i:012d}", "unit_id": unit_id, **row}
        row["search_text"] = fold(" ".join([row["title"], row["content"], row["channel"], row["notes"], row["link"]]))
        row["created_at"] = row["updated_at"] = STAMP
        values.append([row[c] for c in columns])
    with transaction(db):
        db.conn.executemany(
            f"INSERT INTO activities ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values
        )


def many_rows(n: int) -> list[dict]:
    start = dt.date(2025, 1, 1)
    return [{
        "date_from": (start + dt.timedelta(days=i * 360 // n)).isoformat(),
        "title": f"Tuyên truyền chuyển đổi số đợt {i + 1} tại nhà văn hóa thôn Mỹ Thủy",
        "content": "Hướng dẫn người dân cài đặt VNeID, thanh toán không dùng tiền mặt" if i % 2 else "",
        "channel": "Loa truyền thanh" if i % 5 else "",
        "quantity": 1 + i % 4,
        "participants": None if i % 11 == 0 else 20 + i,
        "cost": None if i % 2 else 250_000 * (1 + i % 5),
        "funding_code": None if i % 2 else "ns_xa",
        "notes": "Ghi chú: đủ hồ sơ" if i % 10 == 0 else "",
    } for i in range(n)]  # fmt: skip


def add_evidence(db, activity_id: int, *names: str) -> None:
    with transaction(db):
        for k, name in enumerate(names):
            db.conn.execute("INSERT INTO evidence (activity_id, file_name, sha256, size, added_at) VALUES (?, ?, ?, 1, ?)",
                            [activity_id, name, f"{activity_id:060d}{k:04d}", STAMP])  # fmt: skip


def rows_of(path: Path) -> list[dict]:
    """Every data row as {header: value}, read with openpyxl."""
    ws = load_workbook(path)[SHEET]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, values)) for values in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def officers(db):
    """Three activities of a xã and one of its thôn, made through the service as the officer types them."""
    xa = create_unit(db, name="Xã Hải Lăng", level="xa")
    thon = create_unit(db, name="Thôn Mỹ Thủy", level="khac", parent_id=xa.id)
    a = create_activity(db, {
        "date_from": "05/03/2025", "date_to": "07/03/2025", "unit_id": xa.id, "form_code": "tin_bai",
        "title": "Tuyên truyền chuyển đổi số trên cổng thông tin xã", "content": "Ba tin, bài kèm ảnh\nvề VNeID",
        "quantity": 2, "topics": ["kinh_te_so", "chinh_quyen_so"], "channel": "Cổng thông tin điện tử xã",
        "participants": "1.250", "cost": "1.500.000", "funding_code": "ns_xa",
        "link": "https://hailang.quangtri.gov.vn/tin/chuyen-doi-so", "notes": "Đã báo cáo huyện", "uuid": UUID_A,
    })  # fmt: skip
    b = create_activity(db, {
        "date_from": "01/02/2025", "unit_id": thon.id, "form_code": "hoi_nghi",
        "title": "Hội nghị phổ biến kỹ năng số cho người dân", "quantity": 1, "duration_minutes": 90,
    })  # fmt: skip
    c = create_activity(db, {
        "date_from": "20/04/2025", "unit_id": xa.id, "form_code": "phat_thanh",
        "title": "Phát thanh về thanh toán không dùng tiền mặt", "quantity": 3, "duration_minutes": 15,
        "topics": ["thanh_toan_so"], "channel": "Đài truyền thanh cơ sở",
    })  # fmt: skip
    d = create_activity(db, {  # same day as a, made later: after it
        "date_from": "05/03/2025", "unit_id": thon.id, "form_code": "tin_bai",
        "title": "Tin về an toàn thông tin mạng", "quantity": 1, "topics": ["an_toan_thong_tin"],
    })  # fmt: skip
    add_evidence(db, a.id, "ảnh hội nghị 1.jpg", "Biên bản.pdf")
    return {"xa": xa, "thon": thon, "a": a, "b": b, "c": c, "d": d}


def test_every_column_of_the_rows(db, officers, tmp_path):
    target = tmp_path / "so_hoat_dong.xlsx"
    path, count = export_log_xlsx(db, ActivityFilter(), target)
    assert (path, count) == (target, 4)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Sổ hoạt động"]
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert HEADERS[0] == "STT" and {"Đơn vị tính", "Tệp minh chứng", "Mã hoạt động"} <= set(HEADERS)
    assert all(c.font.b and c.font.name == "Times New Roman" and c.font.sz == 11 for c in ws[1])
    assert ws.max_row == 5

    rows = rows_of(path)
    assert rows[0] == {
        "STT": 1, "Ngày": dt.datetime(2025, 2, 1), "Đến ngày": None, "Đơn vị": "Thôn Mỹ Thủy",
        "Hình thức": "Hội nghị, hội thảo, sự kiện", "Tên hoạt động": "Hội nghị phổ biến kỹ năng số cho người dân",
        "Mô tả chi tiết": None, "Chủ đề": None, "Kênh": None, "Số lượng": 1, "Đơn vị tính": "sự kiện",
        "Thời lượng (phút)": 90, "Người tham dự/tiếp cận": None, "Kinh phí (đồng)": None, "Nguồn kinh phí": None,
        "Đường dẫn": None, "Ghi chú": None, "Tệp minh chứng": None, "Mã hoạt động": officers["b"].uuid,
    }  # fmt: skip
    assert rows[1] == {
        "STT": 2, "Ngày": dt.datetime(2025, 3, 5), "Đến ngày": dt.datetime(2025, 3, 7), "Đơn vị": "Xã Hải Lăng",
        "Hình thức": "Tin, bài, ảnh trên cổng/trang thông tin điện tử, báo chí",
        "Tên hoạt động": "Tuyên truyền chuyển đổi số trên cổng thông tin xã",
        "Mô tả chi tiết": "Ba tin, bài kèm ảnh\nvề VNeID",
        "Chủ đề": "Chính quyền số; Kinh tế số",  # the taxonomy's order, not the order typed
        "Kênh": "Cổng thông tin điện tử xã", "Số lượng": 2, "Đơn vị tính": "tin, bài", "Thời lượng (phút)": None,
        "Người tham dự/tiếp cận": 1250, "Kinh phí (đồng)": 1_500_000, "Nguồn kinh phí": "Ngân sách xã",
        "Đường dẫn": "https://hailang.quangtri.gov.vn/tin/chuyen-doi-so", "Ghi chú": "Đã báo cáo huyện",
        "Tệp minh chứng": "ảnh hội nghị 1.jpg; Biên bản.pdf", "Mã hoạt động": UUID_A,
    }  # fmt: skip
    assert [r["Tên hoạt động"] for r in rows[2:]] == ["Tin về an toàn thông tin mạng",
                                                      "Phát thanh về thanh toán không dùng tiền mặt"]
    assert [r["STT"] for r in rows] == [1, 2, 3, 4]
    assert rows[2]["Chủ đề"] == "An toàn thông tin mạng" and rows[2]["Mã hoạt động"] == officers["d"].uuid
    assert rows[3]["Đơn vị tính"] == "buổi/lượt phát" and rows[3]["Thời lượng (phút)"] == 15

    # types and formats: real dates and numbers, everything else text
    second = ws[3]
    by_header = dict(zip(HEADERS, second))
    for header in ("Ngày", "Đến ngày"):
        assert by_header[header].is_date and by_header[header].number_format == "dd/mm/yyyy"
    for header in ("Số lượng", "Người tham dự/tiếp cận", "Kinh phí (đồng)"):
        assert by_header[header].data_type == "n" and by_header[header].number_format == "#,##0"
        assert isinstance(by_header[header].value, int)
    assert ws.cell(2, HEADERS.index("Kinh phí (đồng)") + 1).value is None  # empty stays empty, never 0
    assert ws.cell(2, HEADERS.index("Kinh phí (đồng)") + 1).number_format == "#,##0"
    for header in ("Tên hoạt động", "Mô tả chi tiết", "Chủ đề", "Mã hoạt động", "Đơn vị tính"):
        assert by_header[header].data_type == "s"
    assert by_header["Tên hoạt động"].alignment.wrap_text and by_header["Mô tả chi tiết"].alignment.wrap_text
    assert all(c.font.name == "Times New Roman" and c.font.sz == 11 and not c.font.b for c in second)
    assert by_header["STT"].alignment.horizontal == "center"

    # as the importer reads it (calamine): the same values
    calamine = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    assert calamine[0] == HEADERS
    assert calamine[2][HEADERS.index("Ngày")] == dt.date(2025, 3, 5)
    assert calamine[2][HEADERS.index("Kinh phí (đồng)")] == 1_500_000
    assert calamine[2][HEADERS.index("Mã hoạt động")] == UUID_A


def test_sheet_setup(db, officers, tmp_path):
    path, _ = export_log_xlsx(db, ActivityFilter(), tmp_path / "so.xlsx")
    ws = load_workbook(path)[SHEET]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:S5"  # header and the 4 activities, 19 columns
    assert len(COLUMNS) == 19
    for i, column in enumerate(COLUMNS, 1):
        assert ws.column_dimensions[chr(64 + i)].width == column.width
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$1:$1"  # the header on every printed page
    assert "Trang &P/&N" in ws.oddFooter.center.text
    # row heights for wrapped text (Excel does not grow them when it opens the file)
    assert ws.row_dimensions[1].height >= 30  # "Người tham dự/tiếp cận" takes two lines
    assert ws.row_dimensions[2].height is None or ws.row_dimensions[2].height <= 15
    assert ws.row_dimensions[3].height >= 30  # content in two lines


def test_empty_log_writes_the_header(db, officers, tmp_path):
    flt = ActivityFilter(date_from=dt.date(2030, 1, 1))
    path, count = export_log_xlsx(db, flt, tmp_path / "rong.xlsx")
    assert count == 0
    ws = load_workbook(path)[SHEET]
    assert ws.max_row == 1 and [c.value for c in ws[1]] == HEADERS
    assert ws.auto_filter.ref == "A1:S1"


def titles(db, flt, tmp_path) -> list[str]:
    path, count = export_log_xlsx(db, flt, tmp_path / "loc.xlsx")
    rows = rows_of(path)
    assert count == len(rows) and [r["STT"] for r in rows] == list(range(1, count + 1))
    return [r["Tên hoạt động"] for r in rows]


def test_the_filter_limits_the_rows(db, officers, tmp_path):
    a, b, c, d = (officers[k].title for k in "abcd")
    assert titles(db, ActivityFilter(), tmp_path) == [b, a, d, c]
    march = ActivityFilter(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31))
    assert titles(db, march, tmp_path) == [a, d]
    assert titles(db, ActivityFilter(date_from=dt.date(2025, 3, 6)), tmp_path) == [c]
    assert titles(db, ActivityFilter(form_codes=("hoi_nghi", "phat_thanh")), tmp_path) == [b, c]
    assert titles(db, ActivityFilter(topic_codes=("kinh_te_so",)), tmp_path) == [a]
    assert titles(db, ActivityFilter(funding_codes=("ns_xa",)), tmp_path) == [a]
    assert titles(db, ActivityFilter(search="chuyen doi so"), tmp_path) == [a]
    assert titles(db, ActivityFilter(search="thanh toán"), tmp_path) == [c]
    assert titles(db, ActivityFilter(search="VNeID"), tmp_path) == [a]  # found in the content
    assert titles(db, ActivityFilter(unit_id=officers["thon"].id), tmp_path) == [b, d]
    assert titles(db, ActivityFilter(unit_id=officers["xa"].id), tmp_path) == [b, a, d, c]  # with its thôn
    assert titles(db, ActivityFilter(unit_id=officers["xa"].id, include_subunits=False), tmp_path) == [a, c]
    both = ActivityFilter(unit_id=officers["thon"].id, date_from=dt.date(2025, 3, 1), search="an toàn")
    assert titles(db, both, tmp_path) == [d]
    db.execute("UPDATE activities SET deleted_at = ? WHERE id = ?", [STAMP, officers["c"].id])  # in the trash
    assert titles(db, ActivityFilter(), tmp_path) == [b, a, d]
    assert titles(db, ActivityFilter(in_trash=True), tmp_path) == [c]


INJECTIONS = ["=SUM(A1)", "+84 912 345 678", "-5", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\",\"y\")"]


def test_text_that_looks_like_a_formula_stays_text(db, tmp_path):
    unit = create_unit(db, name="=Xã Hải Lăng", level="xa")
    insert_raw(db, unit.id, [
        {"date_from": "2025-03-05", "title": text, "content": text, "channel": text, "link": text, "notes": text}
        for text in INJECTIONS
    ])  # fmt: skip
    with transaction(db):
        db.conn.execute("UPDATE taxonomy SET label = '-Tin bài' WHERE kind = 'form' AND code = 'tin_bai'")
    add_evidence(db, 1, "=cmd.jpg")
    path, count = export_log_xlsx(db, ActivityFilter(), tmp_path / "so.xlsx")
    assert count == len(INJECTIONS)
    ws = load_workbook(path)[SHEET]
    for r, text in enumerate(INJECTIONS, start=2):
        for header in ("Tên hoạt động", "Mô tả chi tiết", "Kênh", "Đường dẫn", "Ghi chú"):
            cell = ws.cell(r, HEADERS.index(header) + 1)
            assert (cell.value, cell.data_type) == (text, "s"), (header, text)
        for header, value in (("Đơn vị", "=Xã Hải Lăng"), ("Hình thức", "-Tin bài")):
            cell = ws.cell(r, HEADERS.index(header) + 1)
            assert (cell.value, cell.data_type) == (value, "s")
    evidence = ws.cell(2, HEADERS.index("Tệp minh chứng") + 1)
    assert (evidence.value, evidence.data_type) == ("=cmd.jpg", "s")
    # no formula anywhere in the sheet's XML
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    # and the importer (calamine) reads the same text
    calamine = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    assert [row[HEADERS.index("Ghi chú")] for row in calamine[1:]] == INJECTIONS


def test_control_characters_removed_and_text_in_nfc(db, tmp_path):
    unit = create_unit(db, name="Xã Hải Lăng", level="xa")
    nfd = unicodedata.normalize("NFD", "Đã nhập bằng bộ gõ khác")
    odd = [
        {"title": "Chuông\x07 báo\x00", "notes": "Ký tự\x1f lạ\x0b"},
        {"title": nfd, "content": nfd, "notes": nfd},
        {"title": "Ký hiệu <b> & “ngoặc”", "notes": "a_x0041_b"},  # "_x0041_" is Excel's escape for "A"
        {"title": " dấu cách ở đầu", "notes": "Dòng một\r\nDòng hai"},
    ]
    insert_raw(db, unit.id, [{"date_from": f"2025-03-0{i + 1}", **row} for i, row in enumerate(odd)])
    path, _ = export_log_xlsx(db, ActivityFilter(), tmp_path / "so.xlsx")
    rows = rows_of(path)
    assert rows[0]["Tên hoạt động"] == "Chuông báo" and rows[0]["Ghi chú"] == "Ký tự lạ"
    nfc = unicodedata.normalize("NFC", nfd)
    assert rows[1]["Tên hoạt động"] == rows[1]["Mô tả chi tiết"] == rows[1]["Ghi chú"] == nfc
    assert rows[2]["Tên hoạt động"] == "Ký hiệu <b> & “ngoặc”"
    assert rows[3]["Tên hoạt động"] == " dấu cách ở đầu" and rows[3]["Ghi chú"] == "Dòng một\r\nDòng hai"
    calamine = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    assert calamine[3][HEADERS.index("Ghi chú")] == "a_x0041_b"  # as typed, not "aAb"


def test_progress_and_cancel_leave_nothing(db, tmp_path, scratch):
    unit = create_unit(db, name="Xã Hải Lăng", level="xa")
    insert_raw(db, unit.id, many_rows(6000))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "so.xlsx"

    calls = []

    class Recording(Progress):
        def update(self, done, total=None, label=None):
            calls.append((done, total))
            super().update(done, total, label)

    assert export_log_xlsx(db, ActivityFilter(), target, progress=Recording()) == (target, 6000)
    assert calls == [(0, 6000), (5000, 6000), (6000, 6000)]
    assert len(python_calamine.CalamineWorkbook.from_path(str(target)).get_sheet_by_name(SHEET).to_python()) == 6001

    target.write_bytes(b"old log")
    temp_files_before = list(openpyxl_writer.ALL_TEMP_FILES)
    calls.clear()

    class CancelAt5000(Recording):
        def update(self, done, total=None, label=None):
            if done >= 5000:
                self.cancel()  # the officer presses "Hủy"
            super().update(done, total, label)

    with pytest.raises(Cancelled):
        export_log_xlsx(db, ActivityFilter(), target, progress=CancelAt5000())
    assert calls == [(0, 6000), (5000, 6000)]
    assert sorted(p.name for p in out.iterdir()) == ["so.xlsx"]
    assert target.read_bytes() == b"old log"
    assert openpyxl_writer.ALL_TEMP_FILES == temp_files_before
    assert list(scratch.iterdir()) == []  # neither the rows nor openpyxl's temporary files
    assert not db.conn.in_transaction  # the read snapshot was let go

    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        export_log_xlsx(db, ActivityFilter(), out / "khac.xlsx", progress=cancelled)
    assert sorted(p.name for p in out.iterdir()) == ["so.xlsx"]


def test_unwritable_target_raises_file_problem(db, officers, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    not_a_folder = out / "ghi_chu.txt"
    not_a_folder.write_text("tệp thường")
    with pytest.raises(FileProblem) as err:
        export_log_xlsx(db, ActivityFilter(), not_a_folder / "so.xlsx")
    assert "đang mở trong Excel hoặc không ghi được; hãy đóng tệp rồi thử lại." in str(err.value)
    assert "so.xlsx" in str(err.value)

    folder = out / "so.xlsx"  # a folder where the file should go
    folder.mkdir()
    with pytest.raises(FileProblem):
        export_log_xlsx(db, ActivityFilter(), folder)
    assert sorted(p.name for p in out.iterdir()) == ["ghi_chu.txt", "so.xlsx"]
    assert list(folder.iterdir()) == []
    assert not_a_folder.read_text() == "tệp thường"


def test_locked_target_keeps_the_old_file(db, officers, tmp_path, scratch, monkeypatch):
    target = tmp_path / "so.xlsx"
    target.write_bytes(b"old log")

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileProblem) as err:
        export_log_xlsx(db, ActivityFilter(), target)
    assert str(target) in str(err.value) and "Excel" in str(err.value)
    assert target.read_bytes() == b"old log"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("so.db")) == ["scratch", "so.xlsx"]
    assert list(scratch.iterdir()) == []


def test_overwrites_an_existing_export(db, officers, tmp_path):
    target = tmp_path / "out" / "so.xlsx"
    target.parent.mkdir()
    export_log_xlsx(db, ActivityFilter(), target)
    assert export_log_xlsx(db, ActivityFilter(form_codes=("hoi_nghi",)), target) == (target, 1)
    assert len(rows_of(target)) == 1
    assert sorted(p.name for p in target.parent.iterdir()) == ["so.xlsx"]


_BIG_EXPORT = r"""
import json, sys, time, zipfile
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from core.activities.filters import ActivityFilter
from core.db import open_db
from core.importers.export import export_log_xlsx
from core.progress import Progress
from core.units import create_unit
from test_log_export import insert_raw, many_rows

db = open_db(sys.argv[4])
insert_raw(db, create_unit(db, name="Xã Hải Lăng", level="xa").id, many_rows(100_000))

calls = []
class Recording(Progress):
    def update(self, done, total=None, label=None):
        calls.append(done)
        super().update(done, total, label)

import os
linux = os.path.exists("/proc/self/clear_refs")
if not linux:  # elsewhere (Windows, macOS): the Python allocations the export makes
    import tracemalloc

def peak_rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024

if linux:
    with open("/proc/self/clear_refs", "w") as clear:  # start the peak afresh: what came before does not count
        clear.write("5")
    before = peak_rss()
else:
    before = 0
    tracemalloc.start()
started = time.perf_counter()
path, count = export_log_xlsx(db, ActivityFilter(), sys.argv[3], progress=Recording())
seconds = time.perf_counter() - started
peak = peak_rss() if linux else tracemalloc.get_traced_memory()[1]
rows, carry = 0, b""
with zipfile.ZipFile(path) as archive:
    with archive.open("xl/worksheets/sheet1.xml") as sheet:
        while chunk := sheet.read(1 << 20):
            rows += (carry + chunk).count(b"<row")  # a "<row" cut between two chunks counts too
            carry = chunk[-3:]
        sheet.seek(max(0, sheet.tell() - 20000))
        tail = sheet.read().decode("utf-8", "replace")
print(json.dumps({"seconds": seconds, "before": before, "peak": peak, "calls": calls, "count": count,
                  "rows": rows, "tail": tail}))
"""


@pytest.mark.slow
def test_100000_rows_stream_in_flat_memory(tmp_path):
    """100,000 activities are exported in a fresh process whose peak memory barely grows."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "lon.xlsx"
    result = subprocess.run(
        [sys.executable, "-c", _BIG_EXPORT, str(ROOT), str(HERE), str(target), str(tmp_path / "lon.db")],
        capture_output=True, encoding="utf-8", timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    print(f"100.000 dòng: {report['seconds']:.1f} s; bộ nhớ {report['before'] / 2**20:.1f} -> "
          f"{report['peak'] / 2**20:.1f} MB")  # fmt: skip
    assert report["peak"] - report["before"] < 100 * 1024 * 1024
    assert report["peak"] < 300 * 1024 * 1024
    assert report["seconds"] < 15
    assert report["count"] == 100_000
    assert report["calls"] == [0, *range(5000, 100_001, 5000)]
    assert report["rows"] == 100_001  # header + 100,000 activities
    assert '<autoFilter ref="A1:S100001"' in report["tail"]
    assert sorted(p.name for p in out.iterdir()) == ["lon.xlsx"]


def test_odd_stored_values_are_kept(db, tmp_path, monkeypatch):
    """What an old version or an import may have left: shown as it is, never lost or turned into 0."""
    from core.importers import export

    monkeypatch.setattr(export._Cache, "LIMIT", 3)  # channels that never repeat: the cache starts afresh
    unit = create_unit(db, name="Xã Hải Lăng", level="xa")
    insert_raw(db, unit.id, [
        {"date_from": "2025-03-01", "title": "Số lẻ", "cost": 2.5, "participants": 1200.0},
        {"date_from": "2025-03-02", "title": "Chữ trong cột số", "quantity": "hai", "date_to": "07/03/2025"},
        {"date_from": "2025-03-03", "title": "Hình thức cũ", "form_code": "cu", "funding_code": "nguon_cu"},
        *({"date_from": "2025-03-04", "title": f"Kênh {i}", "channel": f"Kênh riêng {i}"} for i in range(10)),
    ])  # fmt: skip
    path, count = export_log_xlsx(db, ActivityFilter(), tmp_path / "so.xlsx")
    assert count == 13
    ws = load_workbook(path)[SHEET]
    col = {header: i for i, header in enumerate(HEADERS, 1)}
    cost, participants = ws.cell(2, col["Kinh phí (đồng)"]), ws.cell(2, col["Người tham dự/tiếp cận"])
    assert (cost.value, cost.data_type, cost.number_format) == (2.5, "n", "#,##0.##")
    assert (participants.value, participants.number_format) == (1200, "#,##0")
    assert (ws.cell(3, col["Số lượng"]).value, ws.cell(3, col["Số lượng"]).data_type) == ("hai", "s")
    assert ws.cell(3, col["Đến ngày"]).value == "07/03/2025"  # not a date the app wrote: kept as text
    assert ws.cell(4, col["Hình thức"]).value == "cu" and ws.cell(4, col["Đơn vị tính"]).value is None
    assert ws.cell(4, col["Nguồn kinh phí"]).value == "nguon_cu"
    assert [ws.cell(r, col["Kênh"]).value for r in range(5, 15)] == [f"Kênh riêng {i}" for i in range(10)]


def test_the_export_imports_back_into_the_same_activities(db, officers, tmp_path):
    """Exported, then imported into another log with the same units: the same activities, uuids included;
    imported into the log it came from: every row is already there."""
    from core.db import open_db
    from core.importers import service

    path, _ = export_log_xlsx(db, ActivityFilter(), tmp_path / "so.xlsx")
    assert service.analyse(db, path).duplicates == 4

    other = open_db(tmp_path / "khac.db")
    try:
        xa = create_unit(other, name="Xã Hải Lăng", level="xa")
        create_unit(other, name="Thôn Mỹ Thủy", level="khac", parent_id=xa.id)
        preview = service.analyse(other, path)
        assert preview.problems == [] and preview.duplicates == 0
        assert service.commit(other, preview).imported == 4
        fields = ("uuid, date_from, date_to, (SELECT name FROM units WHERE id = unit_id), form_code, title, content,"
                  " channel, quantity, duration_minutes, participants, cost, funding_code, link, notes,"
                  " (SELECT group_concat(topic_code) FROM (SELECT topic_code FROM activity_topics"
                  "  WHERE activity_id = activities.id ORDER BY topic_code))")  # fmt: skip

        def stored(database):
            return database.execute(f"SELECT {fields} FROM activities ORDER BY uuid").fetchall()

        assert stored(other) == stored(db)
    finally:
        other.close()
