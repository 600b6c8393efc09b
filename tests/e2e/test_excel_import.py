"""Importing officers' own Excel logs: messy sheets built here, exactly which rows import and why not."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
import xlwt

from core.cli import run
from core.errors import UserError
from core.importers import service
from core.importers.mapping import field_of, find_header
from core.units import create_unit

HEADER = ["STT", "Ngày thực hiện", "Tên hoạt động", "Hình thức tuyên truyền", "Số lượng", "Kinh phí (đồng)",
          "Nguồn kinh phí", "Ghi chú"]  # fmt: skip


def messy_workbook(path: Path) -> Path:
    """An officer's log: title rows, a merged date, text dates, "1.500.000", a totals row, mistakes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Theo dõi 2025"
    ws["A1"] = "BẢNG THEO DÕI HOẠT ĐỘNG TUYÊN TRUYỀN CHUYỂN ĐỔI SỐ NĂM 2025"
    ws.merge_cells("A1:H1")
    ws["A2"] = "Đơn vị: UBND xã Hải Phú"
    ws.append([])  # row 3 blank
    ws.append(HEADER)  # row 4
    ws.append([1, dt.date(2025, 3, 5), "Hội nghị triển khai chuyển đổi số", "Hội nghị", 1, 1500000,
               "Ngân sách xã", ""])  # 5  # fmt: skip
    ws.append([2, "06/03/2025", "Đăng tin hướng dẫn cài đặt VNeID", "Đăng Facebook", 3, None, None, "đã đăng"])  # 6
    ws.append([3, "7/3/25", "Phát thanh chuyên mục chuyển đổi số", "Phát thanh", "2", "1.500.000", "NS xã", None])  # 7
    ws.append([])  # 8 blank
    ws.append([4, dt.date(2025, 3, 10), "Tập huấn kỹ năng số cho Tổ công nghệ số", "Tập huấn", 1, None, None, None])  # 9
    ws.append([5, None, "Treo băng rôn tuyên truyền", "Pano, áp phích", 5, None, None, None])  # 10: date merged from 9
    ws.merge_cells("B9:B10")
    ws.append([6, "31/02/2025", "Ngày không có thật", "Hội nghị", 1, None, None, None])  # 11
    ws.append([7, "08/03/2025", None, "Hội nghị", 1, None, None, None])  # 12
    ws.append([8, "09/03/2025", "Tuyên truyền trên loa và Facebook", "Loa, Facebook", 1, None, None, None])  # 13
    ws.append([9, "09/03/2025", "Múa lân cổ động", "Múa lân", 1, None, None, None])  # 14
    ws.append([None, None, "Tổng cộng", None, 12, 3000000, None, None])  # 15
    wb.save(path)
    return path


def test_header_found_below_the_title_and_columns_named_loosely():
    rows = [["BẢNG THEO DÕI", "", ""], ["", "", ""], ["TT", "Ngày tổ chức", "Nội dung"], ["1", "05/03/2025", "x"]]
    found = find_header(rows)
    assert found.header_row == 2 and found.fields == {0: "row_number", 1: "date_from", 2: "title"}
    assert field_of("KINH PHÍ THỰC HIỆN (đồng)") == "cost"
    assert field_of("Kinh phi (VND)") == "cost"
    assert field_of("Số lượng tin, bài") == "quantity"
    assert field_of("Đơn vị tính") == "counted_unit" and field_of("Đơn vị thực hiện") == "unit"
    assert field_of("Ghi chú khác") == "notes" and field_of("Người ký") is None
    # "Tên hoạt động" and "Nội dung" both: the second holds the details
    assert find_header([["Ngày", "Tên hoạt động", "Nội dung"]]).fields == {0: "date_from", 1: "title", 2: "content"}
    assert find_header([["Họ tên", "Địa chỉ"], ["a", "b"]]) is None


def test_messy_sheet_preview(commune, tmp_path):
    preview = service.analyse(commune, messy_workbook(tmp_path / "nhat_ky.xlsx"),
                              service.ImportOptions(defaults={"unit": commune.unit.id}))  # fmt: skip
    assert preview.sheet == "Theo dõi 2025" and preview.columns.header_row == 3
    assert preview.read == 10 and preview.skipped == 1  # rows 5-7 and 9-15; the totals row skipped
    ready = {number: (stored, topics) for number, _uuid, stored, topics in preview.ready}
    assert sorted(ready) == [5, 6, 7, 9, 10]
    assert ready[5][0]["date_from"] == "2025-03-05" and ready[5][0]["form_code"] == "hoi_nghi"
    assert ready[5][0]["cost"] == 1_500_000 and ready[5][0]["funding_code"] == "ns_xa"
    assert ready[6][0]["form_code"] == "mxh" and ready[6][0]["quantity"] == 3 and ready[6][0]["notes"] == "đã đăng"
    assert ready[7][0]["date_from"] == "2025-03-07" and ready[7][0]["cost"] == 1_500_000
    assert ready[7][0]["form_code"] == "phat_thanh" and ready[7][0]["quantity"] == 2
    assert ready[10][0]["date_from"] == "2025-03-10" and ready[10][0]["form_code"] == "pano"  # merged date
    assert all(stored["unit_id"] == commune.unit.id for stored, _ in ready.values())

    problems = [(p.row, p.column, p.message) for p in preview.problems]
    assert problems[0][:2] == (11, "Ngày thực hiện") and "không có trên lịch" in problems[0][2]
    assert (12, "Tên hoạt động", "Hãy nhập tên, nội dung hoạt động.") in problems
    ambiguous = next(p for p in problems if p[0] == 13)
    assert ambiguous[1] == "Hình thức tuyên truyền" and "có thể là" in ambiguous[2] and "hãy chọn một" in ambiguous[2]
    unknown = next(p for p in problems if p[0] == 14)
    assert unknown[2] == "“Múa lân” không có trong danh mục: hãy chọn mục tương ứng."
    assert sorted({p[0] for p in problems}) == [11, 12, 13, 14] and preview.rows_with_problems == 4
    assert sorted(preview.unresolved["form"]) == ["Loa, Facebook", "Múa lân"]
    assert preview.unresolved["form"]["Loa, Facebook"] == ["mxh", "phat_thanh"]


def test_import_once_then_again_adds_nothing(commune, tmp_path):
    path = messy_workbook(tmp_path / "nhat_ky.xlsx")
    options = service.ImportOptions(defaults={"unit": commune.unit.id})
    result = service.commit(commune, service.analyse(commune, path, options))
    assert (result.imported, result.duplicates) == (5, 0)
    rows = commune.execute("SELECT title, origin, search_text FROM activities ORDER BY date_from, id").fetchall()
    assert [r[0] for r in rows][:2] == ["Hội nghị triển khai chuyển đổi số", "Đăng tin hướng dẫn cài đặt VNeID"]
    assert all(r[1] == "imported" for r in rows) and "vneid" in rows[1][2]
    found = commune.execute("SELECT rowid FROM activity_search WHERE activity_search MATCH 'vneid'").fetchall()
    assert len(found) == 1  # the search index knows them

    again = service.analyse(commune, path, options)
    assert again.ready == [] and again.duplicates == 5
    assert service.commit(commune, again).imported == 0
    assert commune.execute("SELECT count(*) FROM activities").fetchone()[0] == 5
    from core.backup import list_backups

    copies = [b for b in list_backups(Path(commune.execute("PRAGMA database_list").fetchone()[2]))]
    assert [(b.activities, "-truoc-nhap-excel-" in b.path.name) for b in copies] == [(0, True)]  # before the import only


def test_choices_resolve_ambiguous_and_unknown_labels(commune, tmp_path):
    path = messy_workbook(tmp_path / "nhat_ky.xlsx")
    options = service.ImportOptions(defaults={"unit": commune.unit.id},
                                    choices={("form", "loa facebook"): "phat_thanh", ("form", "mua lan"): "khac"})
    preview = service.analyse(commune, path, options)
    ready = {number: stored for number, _u, stored, _t in preview.ready}
    assert ready[13]["form_code"] == "phat_thanh" and ready[14]["form_code"] == "khac"
    assert sorted({p.row for p in preview.problems}) == [11, 12]


def test_cancel_writes_nothing(commune, tmp_path):
    from core.progress import Cancelled, Progress

    preview = service.analyse(commune, messy_workbook(tmp_path / "a.xlsx"),
                              service.ImportOptions(defaults={"unit": commune.unit.id}))  # fmt: skip
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        service.commit(commune, preview, progress)
    assert commune.execute("SELECT count(*) FROM activities").fetchone()[0] == 0
    assert commune.execute("SELECT count(*) FROM activity_search").fetchone()[0] == 0
    assert commune.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_unit_column_and_topics(commune, tmp_path):
    thon = create_unit(commune, name="Thôn Mỹ Thủy", level="khac", parent_id=commune.unit.id)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngày", "Đơn vị thực hiện", "Nội dung", "Hình thức", "Chủ đề", "SL"])
    ws.append(["05/03/2025", "UBND xã Hải Phú", "Tin về dịch vụ công", "Tin, bài", "Dịch vụ công trực tuyến; VNeID", 1])
    ws.append(["05/03/2025", "thôn mỹ thuỷ", "Loa phát thanh", "Phát thanh", "Kinh tế số", 2])
    ws.append(["06/03/2025", "Thôn Không Có", "Tin", "Tin, bài", "Chủ đề lạ", 1])
    wb.save(tmp_path / "b.xlsx")
    preview = service.analyse(commune, tmp_path / "b.xlsx")
    ready = {number: (stored, topics) for number, _u, stored, topics in preview.ready}
    assert ready[2][0]["unit_id"] == commune.unit.id and ready[2][1] == ["dich_vu_cong", "de_an_06"]
    assert ready[3][0]["unit_id"] == thon.id and ready[3][1] == ["kinh_te_so"]  # "thuỷ" and "thủy" fold the same
    assert [(p.row, p.column) for p in preview.problems] == [(4, "Đơn vị thực hiện"), (4, "Chủ đề")]


def legacy_xls(path: Path, rows: list[list]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_old_xls_typed_in_tcvn3(commune, tmp_path):
    path = legacy_xls(tmp_path / "cu.xls", [
        ["B¸o c¸o ho¹t ®éng tuyªn truyÒn"],
        ["Ngµy", "Tªn ho¹t ®éng", "H×nh thøc", "Sè l­îng"],
        ["05/03/2025", "Héi nghÞ triÓn khai chuyÓn ®æi sè", "Héi nghÞ", 1],
        ["06/03/2025", "Tuyªn truyÒn trªn loa ph¸t thanh", "Ph¸t thanh", 2],
    ])  # fmt: skip
    preview = service.analyse(commune, path)
    assert preview.encoding == "tcvn3" and preview.columns.header_row == 1
    titles = [stored["title"] for _n, _u, stored, _t in preview.ready]
    assert titles == ["Hội nghị triển khai chuyển đổi số", "Tuyên truyền trên loa phát thanh"]
    assert [stored["form_code"] for _n, _u, stored, _t in preview.ready] == ["hoi_nghi", "phat_thanh"]


def test_vni_text_in_xlsx(commune, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngaøy", "Teân hoaït ñoäng", "Hình thöùc", "Soá löôïng"])
    ws.append(["05/03/2025", "Hoäi nghò trieån khai chuyeån ñoåi soá", "Hoäi nghò", 1])
    wb.save(tmp_path / "vni.xlsx")
    preview = service.analyse(commune, tmp_path / "vni.xlsx")
    assert preview.encoding == "vni"
    assert [stored["title"] for _n, _u, stored, _t in preview.ready] == ["Hội nghị triển khai chuyển đổi số"]


@pytest.mark.parametrize("content, message", [
    (b"", "tệp rỗng"),
    (b"Ngay,Ten hoat dong\n05/03/2025,Hoi nghi\n", "không phải bảng tính Excel"),
    (b"PK\x03\x04broken zip", "bị hỏng"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le"), "mật khẩu"),
])  # fmt: skip
def test_unusable_files_are_refused_and_nothing_written(commune, tmp_path, content, message):
    path = tmp_path / "khong_doc_duoc.xlsx"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        service.analyse(commune, path)
    assert message in err.value.message and "khong_doc_duoc.xlsx" in err.value.message
    assert commune.execute("SELECT count(*) FROM activities").fetchone()[0] == 0


def test_a_real_password_protected_workbook(commune, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = messy_workbook(tmp_path / "ro.xlsx")
    locked = tmp_path / "co_mat_khau.xlsx"
    with open(plain, "rb") as source, open(locked, "wb") as target:
        OOXMLFile(source).encrypt("matkhau", target)  # as Excel's "Encrypt with password" writes it
    with pytest.raises(UserError) as err:
        service.analyse(commune, locked)
    assert "mật khẩu" in err.value.message and "co_mat_khau.xlsx" in err.value.message
    assert commune.execute("SELECT count(*) FROM activities").fetchone()[0] == 0


def test_sheet_without_a_header_or_without_rows(commune, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Họ tên", "Địa chỉ"])
    wb.active.append(["Nguyễn Văn A", "Thôn 1"])
    wb.create_sheet("Trống")
    wb.save(tmp_path / "c.xlsx")
    with pytest.raises(UserError) as err:
        service.analyse(commune, tmp_path / "c.xlsx")
    assert "Không tìm thấy dòng tiêu đề cột" in err.value.message
    with pytest.raises(UserError) as err:
        service.analyse(commune, tmp_path / "c.xlsx", service.ImportOptions(sheet="Trống"))
    assert "không có dữ liệu" in err.value.message
    with pytest.raises(UserError) as err:
        service.analyse(commune, tmp_path / "c.xlsx", service.ImportOptions(sheet="Không có"))
    assert "không có trang tính “Không có”" in err.value.message


def test_corrected_columns_are_remembered_for_the_same_shape(commune, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Ngày", "Tên hoạt động", "Loại", "Số lượng"])  # "Loại" is not a known header
    wb.active.append(["05/03/2025", "Hội nghị", "Hội nghị", 1])
    wb.save(tmp_path / "d.xlsx")
    first = service.analyse(commune, tmp_path / "d.xlsx")
    assert 2 not in first.columns.fields
    fields = {**first.columns.fields, 2: "form"}
    preview = service.analyse(commune, tmp_path / "d.xlsx", service.ImportOptions(fields=fields))
    assert preview.ready[0][2]["form_code"] == "hoi_nghi"
    service.commit(commune, preview)
    wb.active.append(["06/03/2025", "Tập huấn", "Tập huấn", 1])
    wb.save(tmp_path / "e.xlsx")  # next month's file, same columns
    assert service.analyse(commune, tmp_path / "e.xlsx").columns.fields[2] == "form"


def test_cli_import_json_and_exit_codes(commune, tmp_path, db_path):
    path = messy_workbook(tmp_path / "nhat_ky.xlsx")
    out, err = io.StringIO(), io.StringIO()
    assert run(["--db", str(db_path), "import-excel", str(path), "--dry-run", "--format", "json"], out, err) == 0
    dry = json.loads(out.getvalue())
    assert (dry["read"], dry["imported"], dry["ready"], dry["skipped"], dry["duplicates"]) == (10, 0, 5, 5, 0)
    assert {"row": 12, "column": "Tên hoạt động", "message": "Hãy nhập tên, nội dung hoạt động."} in dry["errors"]
    assert commune.execute("SELECT count(*) FROM activities").fetchone()[0] == 0

    out = io.StringIO()
    assert run(["--db", str(db_path), "import-excel", str(path)], out, err) == 0
    text = out.getvalue()
    assert "Đã nhập: 5 hoạt động." in text and "Dòng 14, cột “Hình thức tuyên truyền”: “Múa lân”" in text
    out = io.StringIO()
    assert run(["--db", str(db_path), "import-excel", str(path)], out, err) == 1  # nothing new
    assert "Đã có trong sổ, không nhập lại: 5 hoạt động." in out.getvalue()
    err = io.StringIO()
    assert run(["--db", str(db_path), "import-excel", str(tmp_path / "khong_co.xlsx")], io.StringIO(), err) == 1
    assert err.getvalue().startswith("Lỗi: ")


def test_defaults_samples_and_template_examples(commune, tmp_path):
    from core.importers.template import write_import_template

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngày", "Tên hoạt động", "Hình thức", "Kinh phí", "SL"])
    ws.append([dt.date(2025, 3, 5), "Hội nghị", "Hội nghị", 2500000, None])
    ws.append(["06/03/2025", "Tin bài", "Tin, bài", None, 2])
    ws.append(["07/03/2025", "Lỗi", "Múa lân", None, None])
    wb.save(tmp_path / "f.xlsx")
    preview = service.analyse(commune, tmp_path / "f.xlsx", service.ImportOptions(defaults={"funding": "xa_hoi_hoa"}))
    ready = {number: stored for number, _u, stored, _t in preview.ready}
    assert ready[2]["funding_code"] == "xa_hoi_hoa" and ready[3]["funding_code"] is None  # only where there is money
    assert preview.defaulted_quantity == 1  # row 2; row 4 (an error) is not counted
    assert preview.samples[0][:2] == ["05/03/2025", "06/03/2025"] and preview.samples[3] == ["2.500.000"]

    template = write_import_template(commune, tmp_path / "mau.xlsx")
    untouched = service.analyse(commune, template)
    assert untouched.ready == [] and untouched.skipped == 2  # the two example rows are not activities


def test_short_legacy_text_recognised_by_its_font(commune, tmp_path):
    """Too few legacy words to tell from the text (one cell typed later in Unicode): the fonts decide."""
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Ngay", "Noi dung", "So luong", "Hinh thuc"])
    ws.append([1, "05/03/2025", "Sè", 1, "Hoi nghi"])  # "Số", typed with the .VnTime font
    ws.append([2, "06/03/2025", "Hép", 1, "Hoi nghi"])  # "Hộp"
    ws.append([3, "07/03/2025", "Ngày hội", 1, "Hoi nghi"])  # typed later, in Unicode
    for row in ws.iter_rows():
        for cell in row:
            cell.font = Font(name="Times New Roman" if cell.value == "Ngày hội" else ".VnTime")
    wb.save(tmp_path / "ngan.xlsx")
    preview = service.analyse(commune, tmp_path / "ngan.xlsx")
    assert preview.encoding == "tcvn3"
    assert [stored["title"] for _n, _u, stored, _t in preview.ready] == ["Số", "Hộp", "Ngày hội"]
