"""The downloadable import template (.xlsx): headers, dropdown lists, instructions, examples."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook

from core.errors import FileProblem
from core.importers.columns import COLUMNS
from core.importers.template import DATA_SHEET, HELP_SHEET, LAST_ROW, LISTS_SHEET, write_import_template
from core.taxonomy import rename
from core.units import create_unit

IMPORTED = [column for column in COLUMNS if column.imported]


@pytest.fixture
def template(db, tmp_path):
    create_unit(db, name="Xã Hải Phú", level="xa")
    path = write_import_template(db, tmp_path / "Mẫu nhập hoạt động.xlsx")
    assert path == tmp_path / "Mẫu nhập hoạt động.xlsx"
    return load_workbook(path)


def header_letter(ws, header: str) -> str:
    return next(cell.column_letter for cell in ws[1] if cell.value == header)


def range_values(wb, formula: str) -> list:
    sheet, cells = re.fullmatch(r"'(.+)'!(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+)", formula).groups()
    return [row[0].value for row in wb[sheet][cells.replace("$", "")]]


def labels(db, kind: str) -> list[str]:
    rows = db.execute("SELECT code, label FROM taxonomy WHERE kind = ? ORDER BY sort_order", [kind]).fetchall()
    return [label for _, label in rows]


def test_sheets_and_their_state(template):
    assert template.sheetnames == [DATA_SHEET, HELP_SHEET, LISTS_SHEET]
    assert template[DATA_SHEET].sheet_state == "visible"
    assert template[HELP_SHEET].sheet_state == "visible"
    assert template[LISTS_SHEET].sheet_state == "hidden"
    assert template.active.title == DATA_SHEET


def test_header_row_is_the_imported_columns(template):
    ws = template[DATA_SHEET]
    assert [cell.value for cell in ws[1]] == [column.header for column in IMPORTED]
    for cell, column in zip(ws[1], IMPORTED):
        assert cell.font.b and cell.font.name == "Times New Roman" and cell.font.sz == 11
        assert ws.column_dimensions[cell.column_letter].width == pytest.approx(column.width)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert "STT" not in [cell.value for cell in ws[1]]  # not imported


def test_dropdowns_point_at_the_taxonomy_and_units(template, db):
    ws = template[DATA_SHEET]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    expected = {
        "Hình thức": labels(db, "form"),
        "Chủ đề": labels(db, "topic"),
        "Nguồn kinh phí": labels(db, "funding"),
        "Đơn vị": ["Xã Hải Phú"],
    }
    assert len(validations) == len(expected)
    for header, values in expected.items():
        letter = header_letter(ws, header)
        dv = validations[f"{letter}2:{letter}{LAST_ROW}"]
        assert dv.type == "list"
        assert dv.formula1.startswith(f"'{LISTS_SHEET}'!$")
        assert range_values(template, dv.formula1) == values, header
        # several topics are typed as "A; B": the topic dropdown must accept other values
        assert dv.showErrorMessage is (header != "Chủ đề")
    assert len(expected["Hình thức"]) == 15 and len(expected["Chủ đề"]) == 9
    assert validations[f"{header_letter(ws, 'Hình thức')}2:{header_letter(ws, 'Hình thức')}{LAST_ROW}"].formula1 == (
        f"'{LISTS_SHEET}'!$A$2:$A$16"
    )
    lists = template[LISTS_SHEET]
    assert [cell.value for cell in lists[1]] == list(expected)


def test_lists_follow_renamed_labels(db, tmp_path):
    rename(db, "funding", "ns_xa", "Ngân sách cấp xã")
    wb = load_workbook(write_import_template(db, tmp_path / "mau.xlsx"))
    ws = wb[DATA_SHEET]
    letter = header_letter(ws, "Nguồn kinh phí")
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(letter + "2"))
    assert "Ngân sách cấp xã" in range_values(wb, dv.formula1)
    # no unit yet: no unit dropdown (an empty range is not a valid list)
    assert len(ws.data_validations.dataValidation) == 3


def test_example_rows(template, db):
    ws = template[DATA_SHEET]
    rows = [dict(zip((c.key for c in IMPORTED), row)) for row in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 2
    forms, topics, funding = labels(db, "form"), labels(db, "topic"), labels(db, "funding")
    for row_number, row in enumerate(rows, start=2):
        assert isinstance(row["date_from"], dt.datetime)
        assert ws[f"A{row_number}"].number_format == "dd/mm/yyyy"
        assert row["title"] and row["unit"] == "Xã Hải Phú"
        assert row["form"] in forms and row["funding"] in funding
        assert all(topic in topics for topic in row["topics"].split("; "))
        assert isinstance(row["quantity"], int) and isinstance(row["cost"], int)
        assert ws[f"{header_letter(ws, 'Kinh phí (đồng)')}{row_number}"].number_format == "#,##0"
        assert "xóa" in row["notes"]
        assert row["uuid"] is None
    assert {rows[0]["form"], rows[1]["form"]} == {forms[1], forms[10]}  # tin_bai, tap_huan
    assert isinstance(rows[1]["date_to"], dt.datetime) and rows[1]["date_to"] > rows[1]["date_from"]


def test_instructions(template):
    ws = template[HELP_SHEET]
    lines = [row[0] for row in ws.iter_rows(values_only=True) if row[0]]
    text = "\n".join(lines)
    assert len(lines) >= 8
    assert ws.column_dimensions["A"].width == pytest.approx(100)
    assert all(ws.cell(row=i, column=1).alignment.wrap_text for i in range(1, len(lines) + 1))
    for needle in ("Ngày, Tên hoạt động, Hình thức", "Số lượng", "dd/mm/yyyy", "1.500.000", "1500000",
                   "“;”", "xóa hai dòng", "dòng trống", "Tổng cộng", "trùng lặp"):  # fmt: skip
        assert needle in text, needle
    assert "hiểu là “Xã Hải Phú”" in text  # one unit: Đơn vị may stay empty


def test_several_units_make_the_unit_required(db, tmp_path):
    create_unit(db, name="Xã Hải Phú", level="xa")
    create_unit(db, name="Xã Hải Lăng", level="xa")
    wb = load_workbook(write_import_template(db, tmp_path / "mau.xlsx"))
    text = "\n".join(row[0] for row in wb[HELP_SHEET].iter_rows(values_only=True) if row[0])
    assert "Đơn vị (vì có nhiều đơn vị)" in text
    ws = wb[DATA_SHEET]
    dv = next(dv for dv in ws.data_validations.dataValidation if "$D$" in dv.formula1)
    assert sorted(range_values(wb, dv.formula1)) == ["Xã Hải Lăng", "Xã Hải Phú"]


def test_an_existing_file_is_replaced_and_no_temporary_file_is_left(db, tmp_path):
    target = tmp_path / "mau.xlsx"
    target.write_bytes(b"old")
    write_import_template(db, target)
    assert load_workbook(target).sheetnames[0] == DATA_SHEET
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_unwritable_target_raises_file_problem(db, tmp_path):
    blocker = tmp_path / "tệp thường"
    blocker.write_text("x")
    with pytest.raises(FileProblem) as info:
        write_import_template(db, blocker / "mau.xlsx")
    assert "không ghi được" in str(info.value) and "mau.xlsx" in str(info.value)
    with pytest.raises(FileProblem):
        write_import_template(db, tmp_path)  # a folder, not a file
    assert blocker.read_text() == "x"
