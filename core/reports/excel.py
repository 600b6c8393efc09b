"""The report as an Excel workbook (.xlsx) the Sở can add up (domain.md §5, appendix).

Two sheets:

- "Thống kê": a title block, then every appendix table of the report context with
  its figures as real numbers (the context holds formatted text "1.500.000").
- "Danh sách hoạt động": one row per activity of the period, with a "Tổng cộng"
  row of plain totals (no formulas: the values are readable without Excel
  recalculating).

The workbook is written in openpyxl's write-only mode; the activity rows are
written apart as SpreadsheetML text (core/reports/activity_list.py), in worker
processes for a large period, and spliced in (core/reports/xlsx_rows.py), so
100,000 activities take seconds and no more memory than 100. The file goes to a
temporary name next to the target and replaces the target only when complete: a
cancelled or failed export leaves nothing behind and never a half-written file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from core.errors import UserError
from core.progress import Progress
from core.reports import activity_rows, xlsx_rows
from core.reports.activity_list import ActivityList
from core.reports.activity_rows import clean_text
from core.reports.xlsx_book import Styles as _Styles
from core.reports.xlsx_book import print_setup as _print_setup
from core.reports.xlsx_book import write_atomically
from core.text import parse_number

STATS_SHEET = "Thống kê"
ACTIVITIES_SHEET = "Danh sách hoạt động"
TARGETS_SHEET = "Chỉ tiêu"
TOTAL_LABEL = "Tổng cộng"

ACTIVITY_COLUMNS = activity_rows.COLUMNS  # (header, width)

_PERCENT = re.compile(r"^([+\-\u2212]?)\s*([0-9][0-9.,]*)\s*%$")
_SIGNED = re.compile(r"^([+\-\u2212])\s*([0-9].*)$")


def _cell(ws, value, style) -> Cell:
    """A styled write-only cell; text is always stored as text (never as a formula)."""
    if isinstance(value, str):
        value = clean_text(value)
        cell = Cell(ws, row=1, column=1, value=value, style_array=style)
        cell.data_type = "s"  # "=..." or "#N/A" typed by an officer is text, not a formula
        return cell
    return Cell(ws, row=1, column=1, value=value, style_array=style)


def _as_number(value: float):
    """Whole numbers as int (Excel shows 1.500.000, not 1.500.000,0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


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


def _write_stats_sheet(ws, context: Mapping) -> None:
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

    def append(cells: list, texts: list | None = None) -> int:
        """Write one row; ``texts`` (a table row) sets its height for the text that wraps."""
        nonlocal row_no
        lines = max((xlsx_rows.wrapped_lines(str(text), widths[i]) for i, text in enumerate(texts or [])
                     if i < ncols and text), default=1)  # fmt: skip
        if lines > 1:  # write-only sheets take a row's height before the row
            ws.row_dimensions[row_no + 1].height = lines * xlsx_rows.LINE_HEIGHT
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

    if not tables:
        append([])
        append([_cell(ws, "Không có số liệu thống kê trong kỳ báo cáo.", styles.subtitle)])
    for table in tables:
        append([])
        if table.get("title"):
            append([_cell(ws, table["title"], styles.title_left)])
        columns = table.get("columns") or []
        numeric_from = int(table.get("numeric_from", len(columns)))
        append([_cell(ws, text, styles.header) for text in columns], columns)
        for row in table.get("rows") or []:
            append([
                _table_cell(ws, text, i >= numeric_from, styles, total=False) if text not in (None, "")
                else _cell(ws, "", styles.text)
                for i, text in enumerate(row)
            ], row)
        total = table.get("total")
        if total:
            append([
                _table_cell(ws, text, i >= numeric_from, styles, total=True) if text not in (None, "")
                else _cell(ws, "", styles.total_text)
                for i, text in enumerate(total)
            ], total)


# --- sheet "Danh sách hoạt động" --------------------------------------------------


def _row_style_ids(ws, styles: _Styles) -> dict[str, int]:
    """Register the activity rows' styles; on a new workbook their ids are always the same."""
    return {name: Cell(ws, row=1, column=1, style_array=getattr(styles, name)).style_id
            for name in activity_rows.STYLE_NAMES}  # fmt: skip


def row_style_ids() -> dict[str, int]:
    """The style ids the activity rows are written with (see ActivityList)."""
    ws = Workbook(write_only=True).create_sheet(ACTIVITIES_SHEET)
    return _row_style_ids(ws, _Styles(ws))


def _start_activity_sheet(ws, context: Mapping, styles: _Styles) -> None:
    """Widths, frozen header, print setup and the header row; the rows come from ActivityList."""
    for i, (_, width) in enumerate(ACTIVITY_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"  # views, widths and sheet properties go out with the first row
    agency = (context.get("agency") or {}).get("name") or ""
    period = context.get("period") or {}
    header = " – ".join(part for part in (
        agency,
        f"Từ ngày {period['start']} đến ngày {period['end']}" if period.get("start") and period.get("end") else "",
    ) if part)
    _print_setup(ws, title_rows="1:1", header=header)
    lines = max(xlsx_rows.wrapped_lines(text, width) for text, width in ACTIVITY_COLUMNS)
    ws.row_dimensions[1].height = lines * xlsx_rows.LINE_HEIGHT
    ws.append([_cell(ws, text, styles.header) for text, _ in ACTIVITY_COLUMNS])
    ws.append([xlsx_rows.PLACEHOLDER])  # replaced by the rows once the workbook is saved


def _totals_row(ws, styles: _Styles, written: activity_rows.RowsWritten) -> str:
    def sid(style) -> int:
        return Cell(ws, row=1, column=1, style_array=style).style_id

    sum_at = {column: key for key, column in activity_rows.SUM_COLUMNS.items()}
    cells = []
    for column in range(len(ACTIVITY_COLUMNS)):
        if column == activity_rows.TITLE_COLUMN:
            cells.append(xlsx_rows.text_cell(TOTAL_LABEL, sid(styles.total_text)))
        elif column in sum_at:
            value = _as_number(written.sums[sum_at[column]])
            style = styles.total_number if isinstance(value, int) else styles.total_decimal
            cells.append(xlsx_rows.number_cell(value, sid(style)))
        else:
            cells.append(xlsx_rows.text_cell("", sid(styles.total_text)))
    return f"<row>{''.join(cells)}</row>"


# --- the file -------------------------------------------------------------------


def write_report_xlsx(
    path: str | os.PathLike,
    context: Mapping,
    activities: ActivityList,
    *,
    progress: Progress | None = None,
) -> Path:
    """Write the report workbook to ``path`` and return it as a Path.

    ``activities`` is a started ActivityList (made with ``row_style_ids()``), whose
    rows go to the second sheet. ``progress.update(done, total)`` is called as rows
    are written and raises Cancelled when cancelled; then, and on any error, no file
    is left behind and an existing file at ``path`` is kept unchanged.
    Raises FileProblem when the target is open in Excel or cannot be written.
    """
    target = Path(path)

    def fill(wb: Workbook) -> tuple[list[Path], str]:
        wb.properties.creator = (context.get("agency") or {}).get("name") or "Sổ tuyên truyền"
        wb.properties.title = context.get("summary") or ""
        stats, listing = wb.create_sheet(STATS_SHEET), wb.create_sheet(ACTIVITIES_SHEET)
        list_styles = _Styles(listing)
        if _row_style_ids(listing, list_styles) != activities.styles:
            raise RuntimeError("the activity rows were written with other style ids")
        _write_stats_sheet(stats, context)
        _start_activity_sheet(listing, context, list_styles)
        targets = [t for t in (context.get("appendix") or {}).get("tables") or [] if t.get("kind") == "targets"]
        if targets:  # the plan's targets on a sheet of their own as well
            appendix = {**context.get("appendix", {}), "tables": [{**targets[0], "title": ""}]}
            _write_stats_sheet(wb.create_sheet(TARGETS_SHEET), {**context, "appendix": appendix,
                               "summary": f"Kết quả thực hiện chỉ tiêu kế hoạch — {context.get('summary') or ''}"})
        slices, written = activities.wait(progress)
        tail = _totals_row(listing, list_styles, written)
        # the filter covers the header and the activities, not the totals row
        listing.auto_filter.ref = f"A1:{get_column_letter(len(ACTIVITY_COLUMNS))}{written.count + 1}"
        if progress is not None:
            progress.check()
        return slices, tail

    write_atomically(target, fill)
    return target


__all__ = [
    "ACTIVITIES_SHEET",
    "ACTIVITY_COLUMNS",
    "STATS_SHEET",
    "TOTAL_LABEL",
    "write_report_xlsx",
]
