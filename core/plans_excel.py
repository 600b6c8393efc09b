"""Targets from a simple Excel sheet: one row per target, as provinces send them.

Columns (found by their Vietnamese names on any of the first rows): "Chỉ tiêu" (the
target's name), "Kế hoạch" (the planned value), and optionally "Năm", "Đơn vị tính",
"Hình thức" (the form whose activities count; then the target is counted from the
log by quantity), "Chủ đề". A target in "%" or without a form is entered by hand.
All rows are checked first; nothing is written unless every row is good.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core import plans
from core.errors import UserError, ValidationError
from core.importers import reader
from core.importers.labels import matchers
from core.importers.rows import Problem, cell_text
from core.text import fold

_HEADERS = {
    "name": ("chi tieu", "ten chi tieu", "noi dung chi tieu"),
    "planned": ("ke hoach", "chi tieu ke hoach", "gia tri", "so luong ke hoach", "muc tieu"),
    "year": ("nam",),
    "unit_label": ("don vi tinh", "dvt"),
    "form": ("hinh thuc", "hinh thuc tuyen truyen"),
    "topic": ("chu de",),
}


@dataclass
class TargetRows:
    values: list[tuple[int, dict]]  # (row number, values for plans.create_target)
    problems: list[Problem]


def _header(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:20]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            key = fold(str(cell)) if cell not in (None, "") else ""
            for field, names in _HEADERS.items():
                if key in names and field not in found:
                    found[field] = column
        if {"name", "planned"} <= set(found):
            return index, found
    return None


def read_targets(db: sqlite_utils.Database, path: str | Path, year: int) -> TargetRows:
    """The targets in the sheet at ``path``; rows without a year are ``year``'s."""
    sheet = reader.read_sheet(path)
    found = _header(sheet.rows)
    if found is None:
        raise UserError("Không tìm thấy dòng tiêu đề có cột “Chỉ tiêu” và cột “Kế hoạch” trong tệp.")
    header_row, columns = found
    match = matchers(db)
    result = TargetRows([], [])
    for offset, cells in enumerate(sheet.rows[header_row + 1:], start=header_row + 2):
        def cell(field: str) -> str:
            column = columns.get(field)
            return cell_text(cells[column]).strip() if column is not None and column < len(cells) else ""

        name = cell("name")
        if not name or fold(name).startswith(("tong cong", "cong")):
            continue
        unit_label = cell("unit_label")
        percent = unit_label.strip() == "%" or cell("planned").endswith("%")
        money = fold(unit_label) in ("dong", "vnd", "trieu dong")
        values = {"name": name, "year": cell("year") or year, "planned": cell("planned").rstrip("%").strip(),
                  "unit_kind": "percent" if percent else "money" if money else "count",
                  "unit_label": unit_label, "source": "manual"}  # fmt: skip
        if cell("form") and not percent:
            code = match["form"].match(cell("form")).code
            if code is None:
                result.problems.append(Problem(offset, "Hình thức", f"“{cell('form')}” không có trong danh mục."))
                continue
            values.update(source="log", form_codes=[code], measure="cost" if money else "quantity")
        if cell("topic") and values["source"] == "log":
            code = match["topics"].match(cell("topic")).code
            if code:
                values["topic_codes"] = [code]
        result.values.append((offset, values))
    return result


def import_targets(db: sqlite_utils.Database, path: str | Path, plan_id: int, year: int) -> int:
    """Add the sheet's targets to the plan, all or none; returns how many. Raises UserError with every problem."""
    plans.get_plan(db, plan_id)  # a plan deleted meanwhile: a clear message before reading the file
    rows = read_targets(db, path, year)
    problems = list(rows.problems)
    with db.atomic():
        for number, values in rows.values:
            try:
                plans.create_target(db, plan_id, values)
            except ValidationError as exc:
                problems.extend(Problem(number, field, message) for field, message in exc.fields.items())
        if problems:
            lines = [f"Dòng {p.row}: {p.message}" for p in problems[:20]]
            raise UserError("Chưa nhập chỉ tiêu nào vì tệp có lỗi:\n" + "\n".join(lines))
    return len(rows.values)
