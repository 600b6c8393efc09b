"""The import template: an .xlsx officers fill in and import back.

Three sheets:

- "Nhập hoạt động": row 1 holds the headers of the imported columns
  (core/importers/columns.py), then two example rows to delete; dropdowns for
  form, topics, funding source and unit on rows 2..2000.
- "Hướng dẫn": what to fill in and how, one instruction a row.
- "Danh mục" (hidden): the dropdown lists, one column each, read from the database.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import sqlite_utils
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.importers.columns import COLUMNS
from core.importers.rows import EXAMPLE_MARK
from core.reports.xlsx_book import FONT_NAME, check_target, file_problem, print_setup
from core.taxonomy import labels
from core.units import all_units

DATA_SHEET = "Nhập hoạt động"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
LAST_ROW = 2000  # dropdowns and formats reach this row
EXAMPLE_NOTE = f"{EXAMPLE_MARK}: hãy xóa trước khi nhập"  # the import skips rows marked so

_DATE_KEYS = ("date_from", "date_to")
_NUMBER_KEYS = ("quantity", "duration_minutes", "participants", "cost")


def _example_rows(db: sqlite_utils.Database, unit_name: str) -> list[dict]:
    form, topic, channel, funding = (labels(db, kind) for kind in ("form", "topic", "channel", "funding"))

    def topics(*codes: str) -> str:
        return "; ".join(topic[code] for code in codes if code in topic)

    return [
        {
            "date_from": dt.date(2025, 3, 12),
            "unit": unit_name,
            "form": form.get("tin_bai", ""),
            "title": "Tin “Ra quân hỗ trợ người dân cài đặt, kích hoạt tài khoản định danh điện tử VNeID”",
            "content": "Đăng trên Cổng thông tin điện tử xã, kèm 05 ảnh",
            "topics": topics("de_an_06", "dich_vu_cong"),
            "channel": channel.get("cong_ttdt", ""),
            "quantity": 1,
            "participants": 320,
            "cost": 150000,
            "funding": funding.get("ns_xa", ""),
            "link": "https://ten-xa.gov.vn/tin-tuc/ho-tro-kich-hoat-vneid",
            "notes": EXAMPLE_NOTE,
        },
        {
            "date_from": dt.date(2025, 3, 20),
            "date_to": dt.date(2025, 3, 21),
            "unit": unit_name,
            "form": form.get("tap_huan", ""),
            "title": "Tập huấn kỹ năng số cho thành viên Tổ công nghệ số cộng đồng các thôn",
            "content": "02 buổi tại hội trường UBND xã: dịch vụ công trực tuyến, thanh toán không dùng tiền mặt, "
                       "nhận biết lừa đảo trên mạng",  # fmt: skip
            "topics": topics("ky_nang_so", "thanh_toan_so", "an_toan_thong_tin"),
            "channel": channel.get("truc_tiep", ""),
            "quantity": 1,
            "participants": 45,
            "cost": 3500000,
            "funding": funding.get("ns_xa", ""),
            "notes": EXAMPLE_NOTE,
        },
    ]


def _instructions(unit_names: list[str]) -> list[str]:
    if len(unit_names) > 1:
        required = "Ngày, Tên hoạt động, Hình thức, Số lượng và Đơn vị (vì có nhiều đơn vị)"
    else:
        required = "Ngày, Tên hoạt động, Hình thức và Số lượng"
        if unit_names:
            required += f"; để trống Đơn vị thì hiểu là “{unit_names[0]}”"
    return [
        "HƯỚNG DẪN NHẬP HOẠT ĐỘNG TỪ EXCEL",
        f"1. Mỗi dòng của trang “{DATA_SHEET}” là một hoạt động. Dòng 1 là tên cột: không sửa, không xóa.",
        "2. Dòng 2 và dòng 3 là ví dụ: hãy xóa hai dòng này trước khi nhập.",
        f"3. Cột bắt buộc: {required}. Các cột khác có thể để trống.",
        "4. Ngày ghi theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 15/03/2025. "
        "Hoạt động kéo dài nhiều ngày thì ghi thêm cột “Đến ngày”.",
        f"5. Hình thức, Nguồn kinh phí{', Đơn vị' if unit_names else ''}: chọn trong danh sách thả xuống của ô.",
        "6. Chủ đề: chọn trong danh sách; hoạt động có nhiều chủ đề thì ghi các chủ đề cách nhau "
        "bằng dấu chấm phẩy “;”, ví dụ: Kỹ năng số; Dịch vụ công trực tuyến.",
        "7. Số lượng, thời lượng, số người, kinh phí: chỉ ghi số, không ghi đơn vị tính. "
        "Ví dụ kinh phí ghi 1.500.000 hoặc 1500000, không ghi “1.500.000 đồng”.",
        "8. Cột “Mã hoạt động” để trống; phần mềm ghi mã này khi xuất danh sách hoạt động.",
        "9. Phần mềm bỏ qua các dòng trống và dòng “Tổng cộng”.",
        "10. Nhập lại cùng một tệp nhiều lần không tạo hoạt động trùng lặp.",
    ]


def _write_lists(ws, lists: dict[str, list[str]]) -> dict[str, str]:
    """One column per list under its title; returns title -> absolute range for a formula."""
    ranges = {}
    for index, (title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ws.cell(row=1, column=index, value=title).font = Font(name=FONT_NAME, bold=True)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=index, value=value)
        ws.column_dimensions[letter].width = 60
        if values:
            ranges[title] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _add_dropdown(ws, letter: str, formula: str, title: str, *, strict: bool, prompt: str) -> None:
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=strict,
        errorTitle=f"{title} chưa đúng",
        error=f"Hãy chọn {title.lower()} trong danh sách thả xuống.",
        showInputMessage=True,
        promptTitle=title,
        prompt=prompt,
    )
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.add_data_validation(validation)


def build_template(db: sqlite_utils.Database) -> Workbook:
    """The template workbook, in memory."""
    columns = [column for column in COLUMNS if column.imported]
    unit_names = [unit.name for unit in all_units(db)]
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    help_ws, lists_ws = wb.create_sheet(HELP_SHEET), wb.create_sheet(LISTS_SHEET)

    header_font, body_font = Font(name=FONT_NAME, size=11, bold=True), Font(name=FONT_NAME, size=11)
    fill = PatternFill("solid", fgColor="DDEBF7")
    letters = {}
    for index, column in enumerate(columns, start=1):
        letter = letters[column.key] = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = header_font, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        if column.key in _DATE_KEYS:
            dimension.number_format = "dd/mm/yyyy"
        elif column.key in _NUMBER_KEYS:
            dimension.number_format = "#,##0"
    for row, example in enumerate(_example_rows(db, unit_names[0] if unit_names else ""), start=2):
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=index, value=example.get(column.key))
            cell.font = body_font
            if column.key in _DATE_KEYS:
                cell.number_format = "dd/mm/yyyy"
            elif column.key in _NUMBER_KEYS:
                cell.number_format = "#,##0"
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1")  # A4 landscape, one page wide, header on every page
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{LAST_ROW}"

    lists = {
        "Hình thức": list(labels(db, "form").values()),
        "Chủ đề": list(labels(db, "topic").values()),
        "Nguồn kinh phí": list(labels(db, "funding").values()),
        "Đơn vị": unit_names,
    }
    ranges = _write_lists(lists_ws, lists)
    choose = "Chọn trong danh sách thả xuống."
    dropdowns = {  # title -> (column key, strict, prompt)
        "Hình thức": ("form", True, choose),
        "Chủ đề": ("topics", False, "Chọn trong danh sách; nhiều chủ đề thì ghi cách nhau bằng dấu “;”."),
        "Nguồn kinh phí": ("funding", True, choose),
        "Đơn vị": ("unit", True, choose),
    }
    for title, (key, strict, prompt) in dropdowns.items():
        if title in ranges:
            _add_dropdown(ws, letters[key], ranges[title], title, strict=strict, prompt=prompt)

    help_ws.column_dimensions["A"].width = 100
    for row, text in enumerate(_instructions(unit_names), start=1):
        cell = help_ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=FONT_NAME, size=12, bold=row == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def write_import_template(db: sqlite_utils.Database, path: str | os.PathLike) -> Path:
    """Write the import template to ``path`` and return it as a Path.

    The file goes to a temporary name beside the target and replaces it only when
    complete. Raises FileProblem (core.reports.xlsx_book's messages) when the target
    is open in Excel or cannot be written.
    """
    target = Path(path)
    wb = build_template(db)
    temp = target.with_name(f".{target.stem[:40]}.{secrets.token_hex(4)}.tmp")
    try:
        check_target(target)
        wb.save(temp)
        os.replace(temp, target)
    except OSError as exc:
        try:
            os.remove(temp)
        except OSError:
            pass
        raise file_problem(target, exc) from exc
    return target


__all__ = ["DATA_SHEET", "EXAMPLE_NOTE", "HELP_SHEET", "LAST_ROW", "LISTS_SHEET", "build_template",
           "write_import_template"]  # fmt: skip
