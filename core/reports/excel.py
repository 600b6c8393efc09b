"""The report as an Excel workbook (.xlsx) the Sở can add up (domain.md §5, appendix).

Two sheets:

- "Thống kê": a title block, then every appendix table of the report context with
  its figures as real numbers (the context holds formatted text "1.500.000").
- "Danh sách hoạt động": one row per activity (row dicts shaped like
  ``core.activities.repository.rows_by_id``), with a "Tổng cộng" row of plain
  totals computed while writing (no formulas: the values are readable without
  Excel recalculating).

The workbook is written in openpyxl's write-only mode, so 100,000 activities use
no more memory than 100; the activity rows themselves are written as SpreadsheetML
text (core/reports/xlsx_rows.py), about thirty times faster than openpyxl's cells. It goes to a temporary file next to the target and
replaces the target only when complete: a cancelled or failed export leaves
nothing behind and never a half-written file.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from core.errors import FileProblem, UserError
from core.progress import Progress
from core.reports import xlsx_rows
from core.text import parse_number

STATS_SHEET = "Thống kê"
ACTIVITIES_SHEET = "Danh sách hoạt động"
TOTAL_LABEL = "Tổng cộng"

PROGRESS_EVERY = 5000

FONT_NAME = "Times New Roman"
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.##"
SIGNED_PERCENT_FORMAT = "+0%;-0%;0%"
PERCENT_FORMAT = "0%"
DATE_FORMAT = "dd/mm/yyyy"

_MAX_CELL_TEXT = 32767  # Excel's limit for one cell

# (header, key or None, kind, width); kinds: "stt", "date", "text", "wrap", "number"
ACTIVITY_COLUMNS: list[tuple[str, str | None, str, float]] = [
    ("STT", None, "stt", 7),
    ("Ngày", "date_from", "date", 12),
    ("Đến ngày", "date_to", "date", 12),
    ("Đơn vị", "unit_name", "text", 22),
    ("Hình thức", "form_label", "text", 24),
    ("Tên, nội dung hoạt động", None, "wrap", 60),
    ("Chủ đề", "topic_labels", "text", 24),
    ("Kênh", "channel", "text", 16),
    ("Số lượng", "quantity", "number", 11),
    ("Đơn vị tính", "counted_unit", "text", 12),
    ("Thời lượng (phút)", "duration_minutes", "number", 11),
    ("Người tham dự/tiếp cận", "participants", "number", 13),
    ("Kinh phí (đồng)", "cost", "number", 16),
    ("Nguồn kinh phí", "funding_label", "text", 18),
    ("Đường dẫn", "link", "text", 28),
    ("Ghi chú", "notes", "text", 24),
    ("Số tệp minh chứng", "evidence_count", "number", 11),
]

_PERCENT = re.compile(r"^([+\-\u2212]?)\s*([0-9][0-9.,]*)\s*%$")
_SIGNED = re.compile(r"^([+\-\u2212])\s*([0-9].*)$")


# --- styles ---------------------------------------------------------------------


class _Styles:
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


def _clean_text(value) -> str:
    """NFC text without the control characters Excel refuses, cut to what a cell holds."""
    text = str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:_MAX_CELL_TEXT]


def _cell(ws, value, style) -> Cell:
    """A styled write-only cell; text is always stored as text (never as a formula)."""
    if isinstance(value, str):
        value = _clean_text(value)
        cell = Cell(ws, row=1, column=1, value=value, style_array=style)
        cell.data_type = "s"  # "=..." or "#N/A" typed by an officer is text, not a formula
        return cell
    return Cell(ws, row=1, column=1, value=value, style_array=style)


def _as_number(value: float):
    """Whole numbers as int (Excel shows 1.500.000, not 1.500.000,0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _print_setup(ws, *, title_rows: str | None, header: str = "") -> None:
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


# --- sheet "Thống kê" -----------------------------------------------------------


def _table_cell(ws, text, numeric: bool, styles: _Styles, total: bool):
    """One appendix cell: figures become numbers, everything else stays text."""
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        text = str(text)
    if numeric:
        parsed = _parse_figure(text)
        if parsed is not None:
            value, kind = parsed
            style = {
                ("number", False): styles.number, ("number", True): styles.total_number,
                ("decimal", False): styles.decimal, ("decimal", True): styles.total_decimal,
                ("signed_percent", False): styles.signed_percent,
                ("signed_percent", True): styles.total_signed_percent,
                ("percent", False): styles.percent, ("percent", True): styles.total_percent,
            }[(kind, total)]
            return _cell(ws, value, style)
    return _cell(ws, text, styles.total_text if total else styles.wrap)


def _parse_figure(text: str) -> tuple[float, str] | None:
    """Text to a number: 1.500.000 -> (1500000, "number"); +20% -> (0.2, "signed_percent"); — -> None."""
    raw = text.strip()
    try:
        match = _PERCENT.match(raw)
        if match:
            sign, digits = match.groups()
            number = parse_number(digits)
            if number is None:
                return None
            value = number / 100
            if sign in ("-", "\u2212"):
                value = -value
            return value, ("signed_percent" if sign else "percent")
        sign = ""
        match = _SIGNED.match(raw)
        if match:
            sign, raw = match.groups()
        number = parse_number(raw)
    except UserError:
        return None
    if number is None:
        return None
    if sign in ("-", "\u2212"):
        number = -number
    number = _as_number(number)
    return number, ("number" if isinstance(number, int) else "decimal")


def _text_width(text: str) -> int:
    return max((len(line) for line in str(text).splitlines()), default=0)


def _write_stats_sheet(wb: Workbook, context: Mapping) -> None:
    ws = wb.create_sheet(STATS_SHEET)
    styles = _Styles(ws)
    tables = list((context.get("appendix") or {}).get("tables") or [])
    ncols = max([len(t.get("columns") or []) for t in tables] + [1])
    ncols = max(ncols, 3)

    # column widths (must be set before the first row is written)
    widths = [6.0] * ncols
    for table in tables:
        for i, text in enumerate(table.get("columns") or []):  # headers wrap: their longest word counts
            if i < ncols and text:
                widths[i] = max(widths[i], 10, max(len(word) for word in str(text).split()) + 2)
        for row in list(table.get("rows") or []) + [table.get("total") or []]:
            for i, text in enumerate(row):
                if i < ncols and text:
                    widths[i] = max(widths[i], min(_text_width(text) + 2, 45))
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width

    # sheet properties (fit to page) go out with the first row: set them now
    _print_setup(ws, title_rows=None)
    last_col = get_column_letter(ncols)
    row_no = 0

    def append(cells: list) -> int:
        nonlocal row_no
        ws.append(cells)
        row_no += 1
        return row_no

    def title_line(text: str, style) -> None:
        number = append([_cell(ws, text, style)])
        ws.merged_cells.add(f"A{number}:{last_col}{number}")

    agency = context.get("agency") or {}
    if agency.get("parent"):
        append([_cell(ws, agency["parent"], styles.agency_parent)])
    if agency.get("name"):
        append([_cell(ws, agency["name"], styles.title_left)])
    append([])
    if context.get("summary"):
        title_line(context["summary"], styles.title)
    period = context.get("period") or {}
    if period.get("start") and period.get("end"):
        title_line(f"Từ ngày {period['start']} đến ngày {period['end']}", styles.subtitle)
    annotation = (context.get("appendix") or {}).get("annotation")
    if annotation:
        title_line(annotation, styles.subtitle)

    first_header: int | None = None
    if not tables:
        append([])
        append([_cell(ws, "Không có số liệu thống kê trong kỳ báo cáo.", styles.subtitle)])
    for table in tables:
        append([])
        if table.get("title"):
            append([_cell(ws, table["title"], styles.title_left)])
        columns = table.get("columns") or []
        numeric_from = int(table.get("numeric_from", len(columns)))
        header_row = append([_cell(ws, text, styles.header) for text in columns])
        if first_header is None:
            first_header = header_row
        for row in table.get("rows") or []:
            append([
                _table_cell(ws, text, i >= numeric_from, styles, total=False) if text not in (None, "")
                else _cell(ws, "", styles.text)
                for i, text in enumerate(row)
            ])
        total = table.get("total")
        if total:
            append([
                _table_cell(ws, text, i >= numeric_from, styles, total=True) if text not in (None, "")
                else _cell(ws, "", styles.total_text)
                for i, text in enumerate(total)
            ])

    if first_header:
        ws.print_title_rows = f"{first_header}:{first_header}"  # a workbook name: may come last


# --- sheet "Danh sách hoạt động" --------------------------------------------------


def _to_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)  # shown as it is rather than lost


def _to_number(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return _as_number(value) if value == value else None
    try:
        number = parse_number(str(value))
    except UserError:
        return str(value)
    return None if number is None else _as_number(number)


def _title_text(row: Mapping) -> str:
    title = (row.get("title") or "").strip()
    content = (row.get("content") or "").strip()
    if title and content and content != title:
        return f"{title}\n{content}"
    return title or content


def _write_activity_sheet(wb: Workbook, context: Mapping, activities: Iterable[Mapping],
                          progress: Progress | None, total: int | None, rows: xlsx_rows.RowFile) -> int:
    ws = wb.create_sheet(ACTIVITIES_SHEET)
    styles = _Styles(ws)
    ncols = len(ACTIVITY_COLUMNS)
    last_col = get_column_letter(ncols)
    for i, (_, _, _, width) in enumerate(ACTIVITY_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"  # views, widths and sheet properties go out with the first row

    agency = (context.get("agency") or {}).get("name") or ""
    period = context.get("period") or {}
    header = " – ".join(part for part in (
        agency,
        f"Từ ngày {period['start']} đến ngày {period['end']}" if period.get("start") and period.get("end") else "",
    ) if part)
    _print_setup(ws, title_rows="1:1", header=header)

    ws.append([_cell(ws, text, styles.header) for text, _, _, _ in ACTIVITY_COLUMNS])

    def sid(style) -> int:
        return Cell(ws, row=1, column=1, style_array=style).style_id

    ids = {name: sid(getattr(styles, name)) for name in (
        "text", "wrap", "center", "date", "number", "decimal", "total_text", "total_number", "total_decimal")}
    numeric_keys = [key for _, key, kind, _ in ACTIVITY_COLUMNS if kind == "number"]
    sums: dict[str, int | float] = dict.fromkeys(numeric_keys, 0)
    done = 0
    if progress is not None:
        progress.update(0, total)
    empty_text = xlsx_rows.text_cell("", ids["text"])
    text_id = ids["text"]
    plan = [(key, kind) for _, key, kind, _ in ACTIVITY_COLUMNS]
    for row in activities:
        done += 1
        cells: list[str] = []
        for key, kind in plan:
            if kind == "text":
                value = row.get(key)
                if value is None or value == "":
                    cells.append(empty_text)
                else:
                    cells.append(xlsx_rows.text_cell(_clean_text(value), text_id))
            elif kind == "number":
                value = row.get(key)
                if value is None or value == "":
                    cells.append(empty_text)
                    continue
                value = value if type(value) is int else _to_number(value)
                if isinstance(value, (int, float)):
                    sums[key] += value
                    cells.append(xlsx_rows.number_cell(value, ids["number" if isinstance(value, int) else "decimal"]))
                else:
                    cells.append(xlsx_rows.text_cell(_clean_text(value or ""), text_id))
            elif kind == "date":
                value = row.get(key)
                if not value:
                    cells.append(empty_text)
                    continue
                value = _to_date(value)
                cells.append(xlsx_rows.date_cell(value, ids["date"]) if isinstance(value, dt.date)
                             else xlsx_rows.text_cell(_clean_text(value), text_id))  # fmt: skip
            elif kind == "wrap":
                cells.append(xlsx_rows.text_cell(_clean_text(_title_text(row)), ids["wrap"]))
            else:  # "stt"
                cells.append(xlsx_rows.number_cell(done, ids["center"]))
        rows.add(done + 1, cells)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress.update(done, total)

    total_cells: list[str] = []
    for _, key, kind, _ in ACTIVITY_COLUMNS:
        if kind == "wrap":
            total_cells.append(xlsx_rows.text_cell(TOTAL_LABEL, ids["total_text"]))
        elif kind == "number":
            value = _as_number(sums[key])
            total_cells.append(xlsx_rows.number_cell(value, ids["total_number" if isinstance(value, int)
                                                                else "total_decimal"]))  # fmt: skip
        else:
            total_cells.append(xlsx_rows.text_cell("", ids["total_text"]))
    rows.add(done + 2, total_cells)
    ws.append([xlsx_rows.PLACEHOLDER])  # replaced by the rows above once the workbook is saved

    # the filter covers the header and the activities, not the totals row
    ws.auto_filter.ref = f"A1:{last_col}{done + 1}"
    if progress is not None:
        progress.update(done, total if total is not None else done)
    return done


# --- files ----------------------------------------------------------------------


def _locked_message(path: Path) -> str:
    return f"Tệp “{path}” đang mở trong Excel hoặc không ghi được; hãy đóng tệp rồi thử lại."


def _file_problem(path: Path, exc: OSError) -> FileProblem:
    if getattr(exc, "errno", None) == errno.ENOSPC:
        return FileProblem(f"Ổ đĩa đã đầy nên chưa ghi được tệp “{path}”. Hãy xóa bớt tệp không cần thiết "
                           "hoặc chọn nơi lưu khác rồi thử lại.")
    return FileProblem(_locked_message(path))


def _check_target(path: Path) -> None:
    """Fail early, before minutes of work, when the target cannot be replaced."""
    if path.is_dir():
        raise FileProblem(_locked_message(path))
    if path.exists():
        # Excel keeps an open workbook locked on Windows: opening it for writing fails
        with open(path, "r+b"):
            pass


def _discard_openpyxl_temp_files(wb: Workbook) -> None:
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


def write_report_xlsx(
    path: str | os.PathLike,
    context: Mapping,
    activities: Iterable[Mapping],
    *,
    progress: Progress | None = None,
    total: int | None = None,
) -> Path:
    """Write the report workbook to ``path`` and return it as a Path.

    ``activities`` is any iterable of row dicts (``rows_by_id`` shape), read once;
    ``total`` (or ``len(activities)`` when it has one) is what progress counts to.
    ``progress.update(done, total)`` is called every 5,000 rows and raises
    Cancelled when cancelled; then, and on any error, no file is left behind and an
    existing file at ``path`` is kept unchanged.
    Raises FileProblem when the target is open in Excel or cannot be written.
    """
    target = Path(path)
    if total is None and hasattr(activities, "__len__"):
        total = len(activities)  # type: ignore[arg-type]
    try:
        _check_target(target)
        temp = target.with_name(f".{target.stem[:40]}.{secrets.token_hex(4)}.tmp")
        handle = open(temp, "xb")
    except OSError as exc:
        raise _file_problem(target, exc) from exc

    wb = Workbook(write_only=True)
    rows = None
    try:
        with handle:
            wb.properties.creator = (context.get("agency") or {}).get("name") or "Sổ tuyên truyền"
            wb.properties.title = context.get("summary") or ""
            _write_stats_sheet(wb, context)
            rows = xlsx_rows.RowFile(temp.parent)
            done = _write_activity_sheet(wb, context, activities, progress, total, rows)
            if progress is not None:
                progress.check()
            wb.save(handle)
        xlsx_rows.splice(temp, rows, last_row=done + 2)
        os.replace(temp, target)
    except BaseException as exc:
        if rows is not None:
            rows.discard()
        _discard_openpyxl_temp_files(wb)
        try:
            os.remove(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _file_problem(target, exc) from exc
        raise
    return target


__all__ = [
    "ACTIVITIES_SHEET",
    "ACTIVITY_COLUMNS",
    "STATS_SHEET",
    "TOTAL_LABEL",
    "write_report_xlsx",
]
