"""Whatever an officer's sheet holds above, in and below its header row, the Excel mapper finds the
right columns or says plainly that it found none; and a whole import of any small workbook ends in rows
imported (each bad row named with its reason) or a Vietnamese error, never a crash or half a write."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings as hsettings, strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core import settings
from core.db import open_db
from core.errors import UserError
from core.importers import reader, service
from core.importers.columns import COLUMNS, HEADER_KEYS, REQUIRED_KEYS, header_key
from core.importers.mapping import SCAN_ROWS, field_of, find_header, map_columns
from core.progress import Cancelled, Progress
from core.units import create_unit

TODAY = dt.date(2025, 11, 20)
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
# per field, every header text (as officers write it) that the app reads as that field
KNOWN: dict[str, list[str]] = {}
for _column in COLUMNS:
    for _text in (_column.header, *_column.variants):
        KNOWN.setdefault(HEADER_KEYS[header_key(_text)], []).append(_text)
FIELDS = sorted(KNOWN)
PUNCTUATION = " ,;:/-().*"
SPACES = [" ", "  ", "\t", "\xa0", " \n ", "\u3000"]
MARKS = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"  # Vietnamese tone and vowel marks (combining)


def vietnamese(message: str) -> bool:
    """A message for the officer: Vietnamese words, no traceback."""
    return bool(message) and bool(VIETNAMESE & set(message.lower())) and "Traceback" not in message


# --- header cells ------------------------------------------------------------------------------


@st.composite
def written_as(draw, text: str) -> str:
    """``text`` as an officer might type it: any case, tone marks kept, dropped, decomposed or
    wrong, other punctuation and spacing, decorations around it ("(*)", ":", a non-breaking space)."""
    marks = draw(st.sampled_from(["nfc", "nfd", "none", "wrong"]))
    if marks != "nfc":
        text = unicodedata.normalize("NFD", text)
    if marks == "none":
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")
    elif marks == "wrong":  # another tone on some letters: folding drops every mark anyway
        base = [c for c in text if not unicodedata.combining(c)]
        extra = draw(st.lists(st.sampled_from(MARKS), min_size=len(base), max_size=len(base)))
        keep = draw(st.lists(st.booleans(), min_size=len(base), max_size=len(base)))
        text = "".join(c + (m if k and c.isalpha() else "") for c, m, k in zip(base, extra, keep))
    upper = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    text = "".join(c.upper() if u else c.lower() for c, u in zip(text, upper))
    out = []
    for char in text:
        if char == " ":
            out.append(draw(st.sampled_from(SPACES)))
        elif not char.isalnum() and not unicodedata.combining(char):
            out.append(draw(st.sampled_from(PUNCTUATION)))
        else:
            out.append(char)
    before = draw(st.sampled_from(["", " ", "\t", "\xa0", "*", "(", "- ", "\n"]))
    after = draw(st.sampled_from(["", " ", ":", " (*)", "\n", "\xa0", " .", "*", "\u200b"]))
    return before + "".join(out) + after


def known_header(key: str):
    return st.sampled_from(KNOWN[key]).flatmap(written_as)


any_known_header = st.sampled_from(FIELDS).flatmap(known_header)
odd_text = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), min_size=300, max_size=2000),  # very long
    st.text(st.characters(max_codepoint=0x1F), max_size=10),  # control characters
    st.sampled_from(["", "  ", "\x00", "=SUM(A1:A9)", "#REF!", "BẢNG THEO DÕI HOẠT ĐỘNG TUYÊN TRUYỀN", "Người ký",
                     "Họ tên", "Địa chỉ", "\u202eNgày", "N\u200bgày", "1. Ngày", "Ngày1", "Ngàyy", "Tổng cộng"]),
)  # fmt: skip
odd_value = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(), st.datetimes(), st.times(), st.timedeltas(), odd_text,
)
any_cell = st.one_of(odd_value, any_known_header)
# a cell that names no field: above, beside and below the header
junk = odd_value.filter(lambda value: field_of(value) is None)


def _fields_named(row: list) -> set[str]:
    return {key for key in map(field_of, row) if key}


@hsettings(max_examples=250, deadline=None)
@given(st.lists(st.lists(any_cell, max_size=12), max_size=8))
def test_any_rows_give_a_header_with_each_field_once_or_none(rows):
    found = find_header(rows)
    if found is None:  # no row names two fields with a date or a title among them
        assert not any(len(_fields_named(row)) >= 2 and _fields_named(row) & set(REQUIRED_KEYS) for row in rows)
        return
    row = rows[found.header_row]
    assert 0 <= found.header_row < min(len(rows), SCAN_ROWS)
    assert len(found.headers) == len(row) and all(type(h) is str for h in found.headers)
    assert set(found.fields) <= set(range(len(row)))
    assert len(set(found.fields.values())) == len(found.fields)  # each field taken by one column
    assert set(found.fields.values()) & set(REQUIRED_KEYS) and len(found.fields) >= 2
    assert len(found.shape) == 16
    for column, key in found.fields.items():  # the field named, or the next one when it was taken
        assert key == field_of(row[column]) or {field_of(row[column]): key} in ({"title": "content"},
                                                                                {"date_from": "date_to"})  # fmt: skip
    for index, other in enumerate(rows[:SCAN_ROWS]):  # the row naming the most fields, the first of equals
        named = set(map_columns(other).values())
        if len(named) >= 2 and named & set(REQUIRED_KEYS):
            assert len(named) < len(found.fields) if index < found.header_row else len(named) <= len(found.fields)


@st.composite
def sheet_with_header(draw):
    """(rows, header row index, column -> field): title rows, a header naming some fields in any order
    and spelling among cells naming none, then data rows."""
    keys = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=len(FIELDS), unique=True))
    keys = list(dict.fromkeys([draw(st.sampled_from(REQUIRED_KEYS)), *keys]))
    if len(keys) < 2:
        keys.append(draw(st.sampled_from([k for k in FIELDS if k != keys[0]])))
    cells = [(key, draw(known_header(key))) for key in keys] + [(None, c) for c in draw(st.lists(junk, max_size=4))]
    cells = draw(st.permutations(cells))
    header = [text for _key, text in cells]
    expected = {column: key for column, (key, _text) in enumerate(cells) if key}
    # title rows: junk, or one header-like cell ("Đơn vị: UBND xã Hải Phú") that alone is not a header
    title = st.one_of(st.lists(junk, max_size=6), st.tuples(any_known_header, st.lists(junk, max_size=3))
                      .map(lambda t: [t[0], *t[1]]), st.just([]))  # fmt: skip
    above = draw(st.lists(title, max_size=6))
    below = draw(st.lists(st.lists(junk, max_size=len(header) + 2), max_size=4))
    return [*above, header, *below], len(above), expected


@hsettings(max_examples=150, deadline=None)
@given(sheet_with_header())
@example(([["BẢNG THEO DÕI"], ["Đơn vị: UBND xã Hải Phú", None], [], ["TT", "ngay TO CHUC:", "  NỘI\xa0dung (*)"]],
          3, {0: "row_number", 1: "date_from", 2: "title"}))  # fmt: skip
def test_known_headers_are_found_in_any_order_case_and_spelling(case):
    rows, header_row, expected = case
    found = find_header(rows)
    assert found is not None, rows[header_row]
    assert found.header_row == header_row
    assert found.fields == expected, rows[header_row]


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.lists(junk, max_size=8), min_size=1, max_size=8))
def test_rows_naming_no_field_have_no_header(rows):
    assert find_header(rows) is None


# --- whole workbooks, through the real import ------------------------------------------------------

# per field: ordinary values (most cells), then odd ones
GOOD = {
    "date_from": ["05/03/2025", "5/3/25", dt.date(2025, 3, 5), dt.datetime(2025, 3, 6, 8, 30), 45720, "2025-03-07"],
    "date_to": ["", None, "", "09/03/2025", dt.date(2025, 3, 9)],  # after every date_from above
    "title": ["Hội nghị chuyển đổi số", "  Tập huấn kỹ năng số  ", "Đăng tin VNeID", "Chuye\u0302\u0309n đổi số"],
    "content": ["Quán triệt Nghị quyết 57", "", None],
    "form": ["Hội nghị", "Tin, bài", "Đăng Facebook", "hoi_nghi", "", None],
    "topics": ["Chính quyền số", "Kinh tế số; Xã hội số", "", None],
    "unit": ["", None, "Xã Hải Phú", "UBND xã Hải Phú"],
    "funding": ["Ngân sách xã", "NS xã", "", None],
    "quantity": [1, 3, "2", "", None],
    "cost": ["", None, "", "1.500.000", 500000, "1.500.000 đồng"],  # without a source: a problem, unless one
    "duration_minutes": [30, "45 phút", "", None],
    "participants": [85, "120 người", "", None],
    "channel": ["Loa truyền thanh", "", None],
    "link": ["https://haiphu.gov.vn/tin/1", "", None],
    "notes": ["Có ảnh", "", None],
    "uuid": ["0b7c3f9e-2d41-4f5a-9c1e-8a6b5d4c3e21", "", None],
    "row_number": [1, 2, 3, ""],
    "counted_unit": ["Buổi", "Tin", ""],
    "evidence": ["anh.jpg", ""],
}
ODD = ["31/02/2025", "13/13/2025", dt.date(1999, 1, 1), dt.date(2030, 1, 1), 12.5, -1, 1.5, 10**16, "1,5", "abc",
       True, "Tổng cộng", "Cộng", "Dòng ví dụ: xóa dòng này", "Múa lân", "x" * 600, "http://a b", "=SUM(A1:A3)",
       dt.time(8, 30), dt.timedelta(hours=2), "không phải mã", "Kinh tế số, lạ", "  ", float("inf")]  # fmt: skip


def _cell(key: str | None):
    """Mostly an ordinary value of the column's field; one cell in ten odd."""
    ordinary = st.sampled_from(GOOD[key]) if key else st.sampled_from(["", None, "ghi chú"])
    odd = st.one_of(st.sampled_from(ODD), odd_value)
    return st.integers(0, 9).flatmap(lambda pick: odd if pick == 0 else ordinary)


@st.composite
def workbook_rows(draw):
    """Rows of a small sheet: maybe title rows, a header (known fields in any order, or none), data."""
    if draw(st.integers(0, 9)) == 0:  # no recognisable header at all
        keys = [None] * draw(st.integers(1, 5))
        header = draw(st.lists(junk, min_size=len(keys), max_size=len(keys)))
    else:
        keys = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=5, unique=True))
        keys = list(dict.fromkeys(["date_from", "title", "form", *keys]))  # what every activity needs
        keys = draw(st.permutations(keys + [None] * draw(st.integers(0, 2))))
        header = [draw(known_header(k)) if k else draw(junk) for k in keys]
    above = draw(st.lists(st.lists(junk, max_size=3), max_size=2))
    data = draw(st.lists(st.tuples(*[_cell(k) for k in keys]).map(list), min_size=1, max_size=6))
    return [*above, header, *data], any(keys)


def _excel_value(value):
    """What openpyxl can write (it refuses XML control characters and cells past Excel's limits)."""
    if isinstance(value, str):
        return NOT_XML.sub("?", ILLEGAL_CHARACTERS_RE.sub("?", value))[:32767]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)) and not dt.date(1900, 3, 1) <= _as_date(value) <= dt.date(9999, 1, 1):
        return value.isoformat()
    if isinstance(value, dt.timedelta) and not dt.timedelta(0) <= value < dt.timedelta(days=10000):
        return str(value)
    return value


NOT_XML = re.compile("[\ufffe\uffff]")  # no XML 1.0 character either


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def write_workbook(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Theo dõi"
    for row in rows:
        sheet.append([_excel_value(v) for v in row] or [None])
    workbook.save(path)
    return path


def dump(db) -> str:
    return "\n".join(db.conn.iterdump())


@pytest.fixture(scope="module")
def blank_db(tmp_path_factory) -> Path:
    """A fresh database of a commune whose profile is set (rows without a unit are its own)."""
    path = tmp_path_factory.mktemp("mau") / "so.db"
    db = open_db(path)
    unit = create_unit(db, name="Xã Hải Phú", level="xa")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Lê Thị Mai"))
    db.close()
    return path


def fresh_db(blank: Path, folder: Path):
    shutil.copy(blank, folder / "so.db")
    return open_db(folder / "so.db")


def refused_writing_nothing(blank: Path, folder: Path, path: Path, match: str) -> None:
    """Analysing ``path`` in a fresh database is refused with ``match`` and writes nothing."""
    db = fresh_db(blank, folder)
    try:
        before = dump(db)
        with pytest.raises(UserError, match=match):
            service.analyse(db, path)
        assert dump(db) == before
    finally:
        db.close()


class CancelAfterFirstBatch(Progress):
    """The officer presses "Hủy" once rows have been written inside the transaction."""

    def update(self, done, total=None, label=None):
        super().update(done, total, label)
        if done:
            raise Cancelled()


def _activity_uuids(db) -> set[str]:
    return {row[0] for row in db.execute("SELECT uuid FROM activities")}


def _seen(what: str) -> None:
    if currently_in_test_context():  # what the examples came to: --hypothesis-show-statistics
        event(what)


def import_ends_cleanly(blank: Path, path: Path, cancel: bool = False) -> service.ImportPreview | None:
    """Analyse then import ``path`` into a fresh database; checks what each step may write."""
    with tempfile.TemporaryDirectory() as folder:
        db = fresh_db(blank, Path(folder))
        try:
            before = dump(db)
            try:
                preview = service.analyse(db, path, service.ImportOptions(today=TODAY))
            except UserError as refused:
                assert vietnamese(refused.message), refused.message
                assert dump(db) == before
                _seen("refused")
                return None
            assert dump(db) == before  # looking writes nothing
            data_rows = range(preview.columns.header_row + 2, 10**9)
            assert all(p.row in data_rows and p.column and vietnamese(p.message) for p in preview.problems)
            assert preview.read == preview.skipped + preview.rows_with_problems + len(preview.ready) + \
                preview.duplicates  # every row read is imported, refused with its reasons, skipped or a repeat
            _seen(f"rows ready: {min(len(preview.ready), 2)}, with problems: {min(preview.rows_with_problems, 2)}")
            if not preview.ready:
                return preview
            if cancel:
                with pytest.raises(Cancelled):
                    service.commit(db, preview, CancelAfterFirstBatch())
                assert dump(db) == before  # a cancelled import writes nothing
                return preview
            result = service.commit(db, preview)
            assert result.imported == len(preview.ready)
            assert _activity_uuids(db) == {uuid for _n, uuid, _s, _t in preview.ready}
            again = service.analyse(db, path, service.ImportOptions(today=TODAY))  # the same file once more
            assert again.ready == [] and again.duplicates == len(preview.ready) + preview.duplicates
            return preview
        finally:
            db.close()


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheet=workbook_rows(), cancel=st.booleans())
@example(sheet=([["Ngày", "Tên hoạt động", "Hình thức"], ["05/03/2025", "Hội nghị chuyển đổi số", "Hội nghị"],
                 ["31/02/2025", "Ngày không có thật", "Hội nghị"], [None, "Tổng cộng", None]], True), cancel=False)
def test_any_small_workbook_imports_its_good_rows_or_is_refused_and_a_refusal_writes_nothing(blank_db, sheet, cancel):
    rows, has_header = sheet
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "nhat_ky.xlsx", rows)
        preview = import_ends_cleanly(blank_db, path, cancel)
    if not has_header:
        assert preview is None  # refused, with the message that says which columns are needed


def test_a_sheet_without_a_header_is_refused_with_the_columns_it_needs(blank_db, tmp_path):
    path = write_workbook(tmp_path / "danh_sach.xlsx", [["Họ tên", "Địa chỉ"], ["Lê Thị Mai", "Thôn Phú Hải"]])
    refused_writing_nothing(blank_db, tmp_path, path, "Không tìm thấy dòng tiêu đề cột.*“Ngày”, “Tên hoạt động”")


# --- damaged workbook files ------------------------------------------------------------------------

GOOD_ROWS = [["BẢNG THEO DÕI HOẠT ĐỘNG"],
             ["STT", "Ngày", "Tên hoạt động", "Hình thức", "Số lượng", "Kinh phí (đồng)", "Nguồn kinh phí"],
             [1, dt.date(2025, 3, 5), "Hội nghị chuyển đổi số", "Hội nghị", 1, 1500000, "Ngân sách xã"],
             [2, "06/03/2025", "Đăng tin hướng dẫn VNeID", "Đăng Facebook", 3, None, None]]  # fmt: skip


@pytest.fixture(scope="module")
def good_workbook(tmp_path_factory) -> bytes:
    path = write_workbook(tmp_path_factory.mktemp("excel") / "nhat_ky.xlsx", GOOD_ROWS)
    return path.read_bytes()


def _damaged(good: bytes, how: str, data) -> bytes:
    if how == "truncated":
        return good[: data % len(good)]
    if how == "flips":
        raw = bytearray(good)
        for position, bit in data:
            raw[position % len(raw)] ^= 1 << bit
        return bytes(raw)
    return data  # random bytes (maybe starting like a zip or an old .xls)


damage = st.one_of(
    st.tuples(st.just("truncated"), st.integers(0, 10**6)),
    st.tuples(st.just("flips"), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 7)), min_size=1, max_size=4)),
    st.tuples(st.just("bytes"), st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(b"PK\x03\x04".__add__),
              st.binary(max_size=600).map(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".__add__))),
)  # fmt: skip


@hsettings(max_examples=80, deadline=None)
@given(damage, st.sampled_from(["nhat_ky.xlsx", "nhat_ky.xls", "nhat_ky.xlsm"]))
@example(("bytes", b""), "nhat_ky.xlsx")
def test_a_damaged_workbook_file_is_refused_plainly_and_writes_nothing(good_workbook, blank_db, how_data, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(_damaged(good_workbook, *how_data))
        import_ends_cleanly(blank_db, path)


def test_the_good_workbook_itself_imports(good_workbook, blank_db, tmp_path):
    path = tmp_path / "nhat_ky.xlsx"
    path.write_bytes(good_workbook)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    preview = import_ends_cleanly(blank_db, path)
    assert preview is not None and [n for n, *_ in preview.ready] == [3, 4] and preview.problems == []
    with zipfile.ZipFile(path) as archive:  # and so does its copy with a table of shared strings
        parts = _shared_strings({info.filename: archive.read(info) for info in archive.infolist()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    again = import_ends_cleanly(blank_db, path)
    assert [stored for *_, stored, _topics in again.ready] == [stored for *_, stored, _topics in preview.ready]


# --- a value left far away -------------------------------------------------------------------------


def _far(path: Path, cell: str, *, value: bool = True, dimension: bool = True) -> Path:
    """A small log with one more cell far away: a value, or only a format (which calamine ignores)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in GOOD_ROWS:
        sheet.append(row)
    if value:
        sheet[cell] = "x"
    else:
        sheet[cell].font = openpyxl.styles.Font(bold=True)
    workbook.save(path)
    if not dimension:  # as openpyxl's write-only mode (and so the app's own exports) write a sheet
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        part = "xl/worksheets/sheet1.xml"
        parts[part] = re.sub(rb"<dimension [^>]*/>", b"", parts[part])
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


@pytest.mark.parametrize("dimension", [True, False], ids=["dimension", "no-dimension"])
@pytest.mark.parametrize("cell", ["XFD1048576", "Z1048576", "XFD4"])
def test_a_value_left_far_away_is_refused_before_it_is_read(blank_db, tmp_path, cell, dimension):
    """calamine would hold rows x columns cells at once: 17 billion for XFD1048576, and the failed
    allocation aborts the whole program (if this test ever kills pytest, the guard in reader.py is gone)."""
    path = _far(tmp_path / "nhat_ky.xlsx", cell, dimension=dimension)
    if cell == "XFD4":  # 16,384 columns x 4 rows: large but harmless, read as it is
        assert import_ends_cleanly(blank_db, path) is not None
        return
    refused_writing_nothing(blank_db, tmp_path, path, "có ô được ghi ở quá xa .*Ctrl\\+End")


@pytest.mark.parametrize("dimension", [True, False], ids=["dimension", "no-dimension"])
def test_a_format_far_away_is_no_reason_to_refuse(blank_db, tmp_path, dimension):
    path = _far(tmp_path / "nhat_ky.xlsx", "XFD1048576", value=False, dimension=dimension)
    preview = import_ends_cleanly(blank_db, path)
    assert preview is not None and [n for n, *_ in preview.ready] == [3, 4]


@hsettings(max_examples=30, deadline=None)
@given(st.one_of(st.tuples(st.integers(1, 150), st.integers(5, 400)),  # near (below the log): read as it is
                 st.tuples(st.integers(1000, 16384), st.integers(30_000, 1_048_576))),  # far: refused
       st.booleans(), st.booleans())  # fmt: skip
def test_a_far_cell_is_refused_exactly_when_its_area_is_too_large(blank_db, position, value, dimension):
    column, row = position
    cell = f"{openpyxl.utils.get_column_letter(column)}{row}"
    with tempfile.TemporaryDirectory() as folder:
        path = _far(Path(folder) / "nhat_ky.xlsx", cell, value=value, dimension=dimension)
        preview = import_ends_cleanly(blank_db, path)
    too_large = value and max(column, 7) * max(row, 4) > reader.MAX_CELLS
    assert (preview is None) == too_large


# --- hostile XML inside a sound zip -------------------------------------------------------------

PARTS = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml",
         "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/sharedStrings.xml"]  # fmt: skip
TOKENS = [b"", b"0", b"-1", b"99", b"1e999", b"NaN", b"s", b"e", b"d", b"b", b"str", b"inlineStr", b"9999999999",
          b"2025-13-45T00:00:00", b"\xf0\x9f\x99\x82", b"&#0;", b"&bogus;", b"<", b"]]>", b"18446744073709551617",
          b"\xff\xfe", b"<x>", b"</row>", b"<row>", b'<c t="s"><v>7</v></c>', b"<v>", b"<!DOCTYPE x [<!ENTITY a 'aa'>]>"]
REFERENCE = re.compile(rb'\b(?:r|ref)="([^"]*)"')


def _shared_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The sheet with its text in a sharedStrings part (as Excel writes it) instead of inline strings."""
    sheet = parts["xl/worksheets/sheet1.xml"]
    texts = re.findall(rb't="inlineStr"><is><t>(.*?)</t></is>', sheet)
    index = iter(range(len(texts)))
    sheet = re.sub(rb't="inlineStr"><is><t>.*?</t></is>', lambda m: b't="s"><v>%d</v>' % next(index), sheet)
    table = b"".join(b"<si><t>%s</t></si>" % text for text in texts)
    return {**parts, "xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml":
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>' % table,
            "[Content_Types].xml": parts["[Content_Types].xml"].replace(b"</Types>", b'<Override PartName='
            b'"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            b'sharedStrings+xml"/></Types>'),
            "xl/_rels/workbook.xml.rels": parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>",
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')}  # fmt: skip


@st.composite
def hostile_xml(draw, good: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts = _shared_strings(parts) if draw(st.booleans()) else parts
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from([p for p in PARTS if p in parts]))
        text = parts[name]
        how = draw(st.sampled_from(["attribute", "value", "cut", "insert"]))
        if how == "attribute":  # any attribute but a cell's or a row's position
            spans = [m.span(2) for m in re.finditer(rb'(\w+)="([^"]*)"', text) if m.group(1) not in (b"r", b"ref")]
        elif how == "value":
            spans = [m.span(1) for m in re.finditer(rb"<(?:v|t)>([^<]*)<", text)]
        else:
            spans = [(at, at if how == "insert" else len(text)) for at in range(len(text))]
        if spans:
            start, end = draw(st.sampled_from(spans))
            text = text[:start] + draw(st.sampled_from(TOKENS)) + text[end:]
        parts[name] = text
    return parts


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_hostile_xml_in_a_workbook_is_refused_plainly_or_read(good_workbook, blank_db, data):
    """calamine aborts the program on a cell moved millions of rows or columns away by a crafted reference
    while the sheet's <dimension> stays small (reader.py trusts a small dimension): references are kept."""
    parts = data.draw(hostile_xml(good_workbook))
    sheet = parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(io.BytesIO(good_workbook)) as archive:
        original = archive.read("xl/worksheets/sheet1.xml")
    assume(REFERENCE.findall(sheet) == REFERENCE.findall(original) or b"</sheetData>" not in sheet)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nhat_ky.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                archive.writestr(name, content)
        import_ends_cleanly(blank_db, path)
