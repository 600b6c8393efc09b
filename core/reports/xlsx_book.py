"""What the app's Excel workbooks share: styles, print setup, and writing the file safely.

Used by the report workbook (core/reports/excel.py) and the exported activity log
(core/importers/export.py), so both look alike and fail alike: a target that is open
in Excel or cannot be written is a FileProblem with a Vietnamese message, and a
failed or cancelled export leaves none of openpyxl's temporary files behind.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

from core.errors import FileProblem

FONT_NAME = "Times New Roman"
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.##"
SIGNED_PERCENT_FORMAT = "+0%;-0%;0%"
PERCENT_FORMAT = "0%"
DATE_FORMAT = "dd/mm/yyyy"


# --- styles ---------------------------------------------------------------------


class Styles:
    """Ready-made style arrays for one workbook (cells copy them: fast for 100,000 rows)."""

    def __init__(self, ws):
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        fill = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
        plain = Font(name=FONT_NAME, size=11)
        bold = Font(name=FONT_NAME, size=11, bold=True)
        italic = Font(name=FONT_NAME, size=11, italic=True)
        title = Font(name=FONT_NAME, size=12, bold=True)
        top = Alignment(vertical="top")
        top_wrap = Alignment(vertical="top", wrap_text=True)
        top_center = Alignment(horizontal="center", vertical="top")
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        left = Alignment(horizontal="left", vertical="center")

        def make(**attrs):
            cell = Cell(ws, row=1, column=1)
            for name, value in attrs.items():
                setattr(cell, name, value)
            return cell._style

        self.title = make(font=title, alignment=center)
        self.title_left = make(font=title, alignment=left)
        self.agency_parent = make(font=Font(name=FONT_NAME, size=12), alignment=left)
        self.subtitle = make(font=italic, alignment=center)
        self.header = make(font=bold, fill=fill, border=border, alignment=center)
        self.text = make(font=plain, border=border, alignment=top)
        self.wrap = make(font=plain, border=border, alignment=top_wrap)
        self.center = make(font=plain, border=border, alignment=top_center)
        self.date = make(font=plain, border=border, alignment=top_center, number_format=DATE_FORMAT)
        self.number = make(font=plain, border=border, alignment=top, number_format=NUMBER_FORMAT)
        self.decimal = make(font=plain, border=border, alignment=top, number_format=DECIMAL_FORMAT)
        self.signed_percent = make(font=plain, border=border, alignment=top, number_format=SIGNED_PERCENT_FORMAT)
        self.percent = make(font=plain, border=border, alignment=top, number_format=PERCENT_FORMAT)
        self.total_text = make(font=bold, border=border, alignment=top_wrap)
        self.total_number = make(font=bold, border=border, alignment=top, number_format=NUMBER_FORMAT)
        self.total_decimal = make(font=bold, border=border, alignment=top, number_format=DECIMAL_FORMAT)
        self.total_signed_percent = make(font=bold, border=border, alignment=top,
                                         number_format=SIGNED_PERCENT_FORMAT)
        self.total_percent = make(font=bold, border=border, alignment=top, number_format=PERCENT_FORMAT)

    def ids(self, ws, names) -> dict[str, int]:
        """Register the named styles with ``ws``'s workbook: name -> the cell style id rows are written with."""
        return {name: Cell(ws, row=1, column=1, style_array=getattr(self, name)).style_id for name in names}


def print_setup(ws, *, title_rows: str | None, header: str = "") -> None:
    """A4 landscape, fit to the page width, "Trang x/y" below; ``title_rows`` ("1:1") repeat on each page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = 0.5
    ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    if header:
        ws.oddHeader.center.text = header.replace("&", "&&")
        ws.oddHeader.center.font = f"{FONT_NAME},Regular"
        ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
    ws.oddFooter.center.size = 10


# --- files ----------------------------------------------------------------------


def locked_message(path: Path) -> str:
    return f"Tệp “{path}” đang mở trong Excel hoặc không ghi được; hãy đóng tệp rồi thử lại."


def file_problem(path: Path, exc: OSError) -> FileProblem:
    """The officer's version of an OSError met while writing ``path``."""
    if getattr(exc, "errno", None) == errno.ENOSPC:
        return FileProblem(f"Ổ đĩa đã đầy nên chưa ghi được tệp “{path}”. Hãy xóa bớt tệp không cần thiết "
                           "hoặc chọn nơi lưu khác rồi thử lại.")
    return FileProblem(locked_message(path))


def check_target(path: Path) -> None:
    """Fail early, before minutes of work, when the target cannot be replaced."""
    if path.is_dir():
        raise FileProblem(locked_message(path))
    if path.exists():
        # Excel keeps an open workbook locked on Windows: opening it for writing fails
        with open(path, "r+b"):
            pass


def discard_openpyxl_temp_files(wb: Workbook) -> None:
    """Write-only sheets stream into temporary files; remove them when the export fails."""
    from openpyxl.worksheet import _writer as ws_writer

    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        for closing in (getattr(ws, "_rows", None), writer):
            try:
                if closing is not None:
                    closing.close()
            except Exception:  # noqa: BLE001 - best effort while already failing
                pass
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            try:
                os.remove(out)
            except OSError:
                pass
            if out in ws_writer.ALL_TEMP_FILES:
                ws_writer.ALL_TEMP_FILES.remove(out)


def write_atomically(target: Path, fill: Callable[[Workbook], tuple[list[Path], str]]) -> None:
    """Build a write-only workbook with ``fill`` and put it at ``target`` only when complete.

    ``fill(wb)`` adds the sheets (one of them holding xlsx_rows.PLACEHOLDER) and returns
    the row slices and the tail to splice in its place. The file is written under a
    temporary name beside the target and renamed at the end: on cancel or any error no
    file is left behind and an existing target is kept unchanged. OSError becomes
    FileProblem (target open in Excel, disk full, folder not writable).
    """
    from core.reports import xlsx_rows

    try:
        check_target(target)
        temp = target.with_name(f".{target.stem[:40]}.{secrets.token_hex(4)}.tmp")
        handle = open(temp, "xb")
    except OSError as exc:
        raise file_problem(target, exc) from exc
    wb = Workbook(write_only=True)
    try:
        with handle:
            slices, tail = fill(wb)
            wb.save(handle)
        xlsx_rows.splice(temp, slices, tail)
        os.replace(temp, target)
    except BaseException as exc:
        discard_openpyxl_temp_files(wb)
        try:
            os.remove(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise file_problem(target, exc) from exc
        raise
