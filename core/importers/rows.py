"""One sheet row -> the values of one activity, or the reasons it cannot be one.

Cells arrive as calamine gives them (str, float, date, datetime, ""); text is
repaired from TCVN3/VNI when the sheet is legacy, then parsed the Vietnamese way
(dates day first, "1.500.000"). Codes are found by core/importers/labels.py; a
label that matches several codes, or none, is left for the officer to choose
(``unresolved``) and the row waits for that choice.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from core.errors import UserError
from core.importers.columns import BY_KEY
from core.importers.labels import LabelMatcher
from core.text import fold, format_number, nfc, parse_date, parse_int

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_TOTAL_WORDS = ("tong cong", "tong so", "cong", "tong", "cong thang", "cong quy", "cong nam", "tong cong nam")
_TOPIC_SEPARATORS = str.maketrans({",": ";", "\n": ";", "+": ";"})
CODE_FIELDS = {"form": "form_code", "funding": "funding_code", "unit": "unit_id"}
EXAMPLE_MARK = "Dòng ví dụ"  # the import template marks its example rows so (core/importers/template.py)


@dataclass
class Problem:
    row: int  # as Excel numbers it
    column: str  # the header as written in the sheet (or the field's name)
    message: str


@dataclass
class RowOutcome:
    values: dict | None = None  # input for core.activities.service.parse_activity
    problems: list[Problem] = field(default_factory=list)
    skipped: str = ""  # why a row that is not an activity was passed over ("blank", "total", "example")
    defaulted_quantity: bool = False  # no quantity given: counted as 1


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value))


def cell_text(value) -> str:
    """A cell as the officer sees it in Excel: 05/03/2025, 1.500.000, text."""
    if isinstance(value, float) and value.is_integer():
        return format_number(int(value))
    if value is None:
        return ""
    return _text(value)


def _date(value, label: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel day number in a cell formatted as a plain number
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise UserError(f"{label} “{_text(value)}” không phải là ngày (ngày/tháng/năm).")
    return parse_date(str(value), label=label)


def _number(value, label: str) -> int | None:
    if isinstance(value, bool):
        raise UserError(f"{label} phải là số.")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            raise UserError(f"{label} phải là số nguyên (đang là {_text(value)}).")
        return int(value)
    text = str(value).strip()
    for unit in ("đồng", "đ", "vnđ", "vnd", "phút", "người", "lượt"):  # "1.500.000 đồng", "30 phút"
        if text.lower().endswith(unit):
            text = text[: -len(unit)].strip()
            break
    return parse_int(text, label=label)


def _cached(parse, label: str):
    """``parse`` with its results (and errors) remembered: dates and amounts repeat down a sheet."""
    known: dict = {}

    def parsed(value):
        key = (type(value), value)
        found = known.get(key)
        if found is None:
            try:
                found = (parse(value, label), None)
            except UserError as exc:
                found = (None, exc)
            if len(known) < 50_000:
                known[key] = found
        if found[1] is not None:
            raise found[1]
        return found[0]

    return parsed


def topic_labels(text: str) -> list[str]:
    """The topics one cell names: "Chính quyền số; Kinh tế số" -> two labels."""
    return [part.strip() for part in text.translate(_TOPIC_SEPARATORS).split(";") if part.strip()]


def is_total_row(cells: list) -> bool:
    """A "Tổng cộng"/"Cộng" row, or a subtotal: a label such as those, and no date."""
    for value in cells:
        if isinstance(value, str) and value.strip():
            folded = fold(value)
            return folded in _TOTAL_WORDS or folded.startswith(("tong cong", "cong thang", "cong quy", "tong so"))
    return False


class RowReader:
    """Turns rows of one sheet into activity values with a fixed column map and choices."""

    def __init__(self, fields: dict[int, str], headers: list[str], matchers: dict[str, LabelMatcher], *,
                 convert=None, defaults: dict | None = None, choices: dict | None = None):  # fmt: skip
        self.fields = fields
        self.headers = headers
        self.matchers = matchers
        self.convert = convert  # legacy-text repair for the whole sheet, or None
        self.defaults = defaults or {}  # field -> code used when the cell is empty (unit, form, funding)
        self.choices = choices or {}  # (field, folded label) -> code the officer chose
        self.unresolved: dict[str, dict[str, list[str]]] = {}  # field -> label -> candidate codes
        self._codes: dict[tuple[str, str], tuple[str | None, str | None]] = {}  # (field, label as typed) -> found
        self._date_column = next((c for c, k in fields.items() if k == "date_from"), None)
        self._notes_column = next((c for c, k in fields.items() if k == "notes"), None)
        self._topic_cells: dict[str, list] = {}
        self._parsers = {key: _cached(parse, BY_KEY[key].header) for key, parse in (
            ("date_from", _date), ("date_to", _date), ("quantity", _number), ("duration_minutes", _number),
            ("participants", _number), ("cost", _number),
        )}  # fmt: skip

    def _header(self, column: int, key: str) -> str:
        header = self.headers[column] if column < len(self.headers) else ""
        return header or BY_KEY[key].header

    def _topics(self, text: str) -> list[tuple[str | None, str | None]]:
        found = self._topic_cells.get(text)
        if found is None:
            found = self._topic_cells[text] = [self._code("topics", part) for part in topic_labels(text)]
        return found

    def lookup(self, key: str, label: str) -> tuple[str | None, str | None]:
        """As ``_code``, without noting an unresolved label (for looking ahead at a whole column)."""
        found = self._codes.get((key, label))
        return found if found is not None else self._find_code(key, label)

    def _code(self, key: str, label: str) -> tuple[str | None, str | None]:
        """(code, None) or (None, reason); an unresolved label is remembered for the officer."""
        found = self._codes.get((key, label))
        if found is None:
            found = self._codes[(key, label)] = self._find_code(key, label)
            if found[0] is None:
                self.unresolved.setdefault(key, {}).setdefault(label, self.matchers[key].match(label).candidates)
        return found

    def _find_code(self, key: str, label: str) -> tuple[str | None, str | None]:
        chosen = self.choices.get((key, fold(label)))
        if chosen:
            return chosen, None
        found = self.matchers[key].match(label)
        if found.code:
            return found.code, None
        if found.candidates:
            names = ", ".join(f"“{self.matchers[key].labels[c]}”" for c in found.candidates)
            return None, f"“{label}” có thể là {names}: hãy chọn một."
        return None, f"“{label}” không có trong danh mục: hãy chọn mục tương ứng."

    def read(self, number: int, cells: list) -> RowOutcome:
        """``number`` is the row as Excel numbers it."""
        date_column = self._date_column
        has_date = date_column is not None and date_column < len(cells) and not _blank(cells[date_column])
        if not has_date:  # a row with a date is neither blank nor a total: most rows skip these checks
            if not any(cells) or all(_blank(v) for v in cells):
                return RowOutcome(skipped="blank")
            if is_total_row(cells):
                return RowOutcome(skipped="total")
        notes = cells[self._notes_column] if self._notes_column is not None and self._notes_column < len(cells) else ""
        if type(notes) is str and notes.startswith(EXAMPLE_MARK):
            return RowOutcome(skipped="example")  # the import template's example rows, left in
        outcome = RowOutcome()
        values: dict = {"origin": "imported", "topics": []}

        failed: set[str] = set()

        def problem(column: int, key: str, message: str) -> None:
            failed.add(key)
            outcome.problems.append(Problem(number, self._header(column, key), message))

        convert, width = self.convert, len(cells)
        for column, key in self.fields.items():
            value = cells[column] if column < width else ""
            if value == "" or value is None:
                continue
            if type(value) is str:
                value = value.strip()
                if not value:
                    continue
                if convert is not None:
                    value = convert(value)
            try:
                if key in CODE_FIELDS:
                    code, why = self._code(key, _text(value))
                    if why:
                        problem(column, key, why)
                    values[CODE_FIELDS[key]] = code
                elif key == "topics":
                    for code, why in self._topics(_text(value)):
                        if why:
                            problem(column, key, why)
                        elif code not in values["topics"]:
                            values["topics"].append(code)
                else:
                    parse = self._parsers.get(key)
                    values[key] = _text(value) if parse is None else parse(value)
            except UserError as exc:
                problem(column, key, exc.message)
        for key, target in CODE_FIELDS.items():
            if target not in values and self.defaults.get(key) and (key != "funding" or values.get("cost")):
                values[target] = self.defaults[key]  # a funding source only where there is money
        if values.get("quantity") is None and "quantity" not in failed:
            values["quantity"] = 1  # an old log lists one item per row
            outcome.defaulted_quantity = True
        outcome.values = values
        return outcome
