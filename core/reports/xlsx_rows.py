"""SpreadsheetML cells, and the splice that puts pre-written rows into a saved workbook.

openpyxl still builds the workbook (styles, the header, widths, filter, print setup);
only the plain data rows, whose per-cell cost in openpyxl is about 20 µs, are written
as SpreadsheetML text into scratch files (core/reports/activity_rows.py) and spliced
into the saved workbook in place of a one-cell placeholder row.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

PLACEHOLDER = 918273645.5  # the value of the placeholder row's only cell
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year quirk behind us)


def text_cell(value: str, style: int) -> str:
    """An inline-string cell; ``value`` must already be clean NFC text (activity_rows.clean_text)."""
    if not value:
        return f'<c s="{style}"/>'
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() or "\n" in value else ""
    return f'<c s="{style}" t="inlineStr"><is><t{space}>{value}</t></is></c>'


LINE_HEIGHT = 15.0  # points: one line of Times New Roman 11
_CHARS_PER_WIDTH = 1.25  # Vietnamese text in Times New Roman 11 (measured 1.38), per unit of column width


def chars_per_line(width: float) -> int:
    return max(int(width * _CHARS_PER_WIDTH) - 1, 1)


def wrapped_lines(text: str | None, width: float) -> int:
    """About how many lines ``text`` takes in a wrapping cell ``width`` wide.

    Neither Excel nor LibreOffice grows a row for wrapped text in a file they open,
    so each row gets its height from this estimate; rounding up keeps text visible.
    """
    if not text:
        return 1
    per_line = chars_per_line(width)
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, -(-len(paragraph) // per_line)) for paragraph in text.split("\n"))


def row_start(lines: int) -> str:
    return "<row>" if lines <= 1 else f'<row ht="{lines * LINE_HEIGHT:g}" customHeight="1">'


def number_cell(value: int | float, style: int) -> str:
    return f'<c s="{style}"><v>{value!r}</v></c>'


def date_cell(value: dt.date, style: int) -> str:
    return f'<c s="{style}"><v>{(value - _EPOCH).days}</v></c>'


_PLACEHOLDER_ROW = re.compile(r'<row r="(\d+)"[^>]*>(?:(?!</row>).)*?' + re.escape(repr(PLACEHOLDER)) + r".*?</row>",
                              re.DOTALL)  # fmt: skip


def splice(workbook: Path, slices: list[Path], tail: str) -> None:
    """Put the slices' rows, then ``tail``, where the placeholder row is (the workbook is rewritten in place)."""
    spliced = workbook.with_name(workbook.name + ".splice")
    try:
        with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(
            spliced, "w", zipfile.ZIP_DEFLATED, compresslevel=1
        ) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                match = None
                if info.filename.startswith("xl/worksheets/") and repr(PLACEHOLDER).encode() in data:
                    text = data.decode("utf-8")
                    match = _PLACEHOLDER_ROW.search(text)
                if match is None:
                    target.writestr(info, data)
                    continue
                with target.open(info.filename, "w") as out:
                    out.write(text[: match.start()].encode("utf-8"))
                    for path in slices:
                        with open(path, "rb") as rows:
                            shutil.copyfileobj(rows, out, 1 << 20)
                    out.write(tail.encode("utf-8"))
                    out.write(text[match.end() :].encode("utf-8"))
        os.replace(spliced, workbook)
    finally:
        if spliced.exists():
            os.remove(spliced)
