"""The officer's activity log, as filtered on screen, exported to an Excel workbook (.xlsx).

One sheet, "Sổ hoạt động": the header row of core/importers/columns.py (the same
columns the import reads and the import template shows), then one row per activity,
oldest first. Every field has its own column (title and content apart, the uuid in
"Mã hoạt động"), so the exported file imports back into the same activities.

Written like the report's activity list (core/reports/activity_rows.py): openpyxl's
write-only mode makes the skeleton (styles, header, widths, frozen pane, filter,
print setup) and the data rows are SpreadsheetML text, streamed from SQLite into a
scratch file and spliced in place of a placeholder row (core/reports/xlsx_rows.py).
Values that repeat (dates, units, forms, topics, funding sources, channels) are
rendered once; free text is cleaned (NFC, no control characters Excel refuses) and
always written as an inline string, which Excel never reads as a formula, so
"=SUM(A1)" or "+84 912" typed by an officer stays text.

The file goes to a temporary name beside the target and replaces it only when
complete: a cancelled or failed export leaves no file and an existing one unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
import unicodedata
from operator import itemgetter
from pathlib import Path
from typing import TextIO

import sqlite_utils
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from core.activities.filters import ActivityFilter
from core.errors import UserError
from core.importers.columns import COLUMNS
from core.progress import Progress
from core.reports import xlsx_rows
from core.reports.activity_rows import clean_text, count_rows
from core.reports.xlsx_book import Styles, print_setup, write_atomically
from core.text import format_date, format_number

SHEET = "Sổ hoạt động"
PROGRESS_EVERY = 5000
MAX_ROWS = 1_048_575  # an Excel sheet's rows, less the header
_FETCH = 1000  # rows per fetchmany; PROGRESS_EVERY is a multiple
_MAX_CELL_TEXT = 32767
_STYLE_NAMES = ("center", "date", "text", "wrap", "number", "decimal")

# The values a row is made of, in the order _write_rows builds them; COLUMNS decides
# the order they are written in.
_FIELDS = (
    "row_number", "date_from", "date_to", "unit", "form", "title", "content", "topics", "channel",
    "quantity", "counted_unit", "duration_minutes", "participants", "cost", "funding", "link", "notes",
    "evidence", "uuid",
)  # fmt: skip
_missing = [column.key for column in COLUMNS if column.key not in _FIELDS]
if _missing:  # a column added to the shared list needs a value here
    raise RuntimeError(f"the log export writes no value for the columns {_missing}")
_IN_COLUMN_ORDER = itemgetter(*(_FIELDS.index(column.key) for column in COLUMNS))
_WIDTH = {column.key: column.width for column in COLUMNS}

_SELECT = (
    "SELECT a.id, a.uuid, a.date_from, a.date_to, a.unit_id, a.form_code, a.title, a.content, a.channel,"
    " a.quantity, a.duration_minutes, a.participants, a.cost, a.funding_code, a.link, a.notes,"
    " (SELECT group_concat(t.topic_code) FROM activity_topics t WHERE t.activity_id = a.id),"
    " (SELECT group_concat(file_name, '; ') FROM"
    "  (SELECT e.file_name FROM evidence e WHERE e.activity_id = a.id ORDER BY e.id))"
)

# Text that needs more than wrapping in a cell: XML escapes, control characters
# (removed; CR kept as &#13; since XML would read a bare CR as a line feed), and
# (with "_x" in it) "_x0041_", which Excel would read as an escaped character.
_NEEDS_CARE = re.compile(r"[\000-\010\013-\037&<>]").search
_EXCEL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_PLAIN_UUID = re.compile(r"[0-9A-Fa-f-]{1,64}").fullmatch  # as the app writes them: nothing to clean


def _escape(text: str) -> str:
    """Clean text as the content of an XML element Excel reads back as it is."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub("_x005F_", text)
    return text


class _Cache(dict):
    """value -> rendered cell (or (cell, lines)), each distinct value rendered once.

    Kept small: when a column's values hardly repeat (a channel typed differently on
    every row) the cache starts afresh rather than holding them all.
    """

    LIMIT = 5000

    def __init__(self, render):
        super().__init__()
        self._render = render

    def __missing__(self, value):
        if len(self) >= self.LIMIT:
            self.clear()
        cell = self[value] = self._render(value)
        return cell


class _Cells:
    """Renders the cells of the log's rows with the workbook's style ids."""

    def __init__(self, conn: sqlite3.Connection, styles: dict[str, int]):
        self.styles = styles
        self.empty = {name: f'<c s="{sid}"/>' for name, sid in styles.items()}
        unit_names = dict(conn.execute("SELECT id, name FROM units"))
        forms = {code: (label, unit) for code, label, unit in
                 conn.execute("SELECT code, label, counted_unit FROM taxonomy WHERE kind = 'form'")}  # fmt: skip
        funding = dict(conn.execute("SELECT code, label FROM taxonomy WHERE kind = 'funding'"))
        topic_labels = dict(conn.execute(
            "SELECT code, label FROM taxonomy WHERE kind = 'topic' ORDER BY sort_order, code"))  # fmt: skip
        order = {code: i for i, code in enumerate(topic_labels)}

        def topics(codes: str | None) -> str:  # "cds,atttm" -> labels in the taxonomy's order
            if not codes:
                return ""
            ordered = sorted(codes.split(","), key=lambda code: (order.get(code, len(order)), code))
            return "; ".join(topic_labels.get(code, code) for code in ordered)

        def wrapped(text, key: str) -> tuple[str, int]:
            text = clean_text(text) if text else ""
            return self.text(text, "wrap"), xlsx_rows.wrapped_lines(text, _WIDTH[key])

        self.dates = _Cache(self.date)
        self.units = _Cache(lambda unit_id: wrapped(unit_names.get(unit_id), "unit"))
        self.forms = _Cache(lambda code: wrapped(forms.get(code, (code, ""))[0], "form"))
        self.counted_units = _Cache(lambda code: self.text(forms.get(code, ("", ""))[1]))
        self.topics = _Cache(lambda codes: wrapped(topics(codes), "topics"))
        self.funding = _Cache(lambda code: wrapped(funding.get(code, code), "funding"))
        self.channels = _Cache(lambda channel: wrapped(channel, "channel"))

    def text(self, value, style: str = "text") -> str:
        """An inline-string cell: never a formula, whatever the text starts with."""
        if value is None or value == "":
            return self.empty[style]
        text = clean_text(value)
        if not text:
            return self.empty[style]
        return f'<c s="{self.styles[style]}" t="inlineStr"><is><t xml:space="preserve">{_escape(text)}</t></is></c>'

    def date(self, value) -> str:
        if not value:
            return self.empty["date"]
        try:
            return xlsx_rows.date_cell(dt.date.fromisoformat(value), self.styles["date"])
        except (TypeError, ValueError):
            return self.text(value)  # shown as it is rather than lost

    def number(self, value) -> str:
        """A number cell (#,##0); empty stays empty, text stored in a number column stays text."""
        if value is None or value == "":
            return self.empty["number"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return f'<c s="{self.styles["number"]}"><v>{value}</v></c>'
        if isinstance(value, float):
            return xlsx_rows.number_cell(value, self.styles["decimal"])
        return self.text(value)


def _write_rows(conn: sqlite3.Connection, flt: ActivityFilter, out: TextIO, styles: dict[str, int],
                on_progress) -> int:  # fmt: skip
    """Write the matching activities oldest first to ``out``; return how many.

    ``on_progress(done)`` is called every 5,000 rows and may raise to stop.
    """
    where, params = flt.where()
    cells = _Cells(conn, styles)
    cursor = conn.execute(
        f"{_SELECT} FROM activities a {flt.covering_index()} WHERE {where} ORDER BY a.date_from, a.id", params
    )
    dates, units, forms, counted_units = cells.dates, cells.units, cells.forms, cells.counted_units
    topic_cells, funding_cells, channels = cells.topics, cells.funding, cells.channels
    text, number = cells.text, cells.number
    row_starts = _Cache(xlsx_rows.row_start)
    empty_wrap, empty_text = cells.empty["wrap"], cells.empty["text"]
    no_text = (empty_wrap, 1)  # (cell, lines) of an empty free-text cell
    stt, wrap, number_style, plain = styles["center"], styles["wrap"], styles["number"], styles["text"]
    is_nfc, needs_care, in_column_order, write = unicodedata.is_normalized, _NEEDS_CARE, _IN_COLUMN_ORDER, out.write
    plain_uuid = _PLAIN_UUID
    # free text columns: (chars per line, width) for the row height estimate
    per_line = {key: xlsx_rows.chars_per_line(_WIDTH[key]) for key in ("title", "content", "link", "notes", "evidence")}

    def free(value: str, key: str) -> tuple[str, int]:
        """A wrapping cell of free text and the lines it takes."""
        if not value:
            return empty_wrap, 1
        if len(value) <= _MAX_CELL_TEXT and not needs_care(value) and "_x" not in value and is_nfc("NFC", value):
            cell = f'<c s="{wrap}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
        else:
            value = clean_text(value)
            cell = text(value, "wrap")
        if "\n" in value:
            return cell, xlsx_rows.wrapped_lines(value, _WIDTH[key])
        return cell, -(-len(value) // per_line[key]) or 1

    count = 0
    while rows := cursor.fetchmany(_FETCH):
        chunk = []
        for (_id, uuid, date_from, date_to, unit_id, form_code, title, content, channel, quantity, duration,
             participants, cost, funding_code, link, notes, topic_codes, evidence) in rows:  # fmt: skip
            count += 1
            unit, lines = units[unit_id]
            form, form_lines = forms[form_code]
            topics, topic_lines = topic_cells[topic_codes]
            channel, channel_lines = channels[channel]
            funding, funding_lines = funding_cells[funding_code]
            title, title_lines = free(title, "title")
            content, content_lines = free(content, "content") if content else no_text
            link, link_lines = free(link, "link") if link else no_text
            notes, notes_lines = free(notes, "notes") if notes else no_text
            evidence, evidence_lines = free(evidence, "evidence") if evidence else no_text
            lines = max(lines, form_lines, topic_lines, channel_lines, funding_lines, title_lines, content_lines,
                        link_lines, notes_lines, evidence_lines)  # fmt: skip
            chunk.append(row_starts[lines])
            chunk.extend(in_column_order((
                f'<c s="{stt}"><v>{count}</v></c>', dates[date_from], dates[date_to], unit, form, title, content,
                topics, channel,
                f'<c s="{number_style}"><v>{quantity}</v></c>' if type(quantity) is int else number(quantity),
                counted_units[form_code],
                f'<c s="{number_style}"><v>{duration}</v></c>' if type(duration) is int else number(duration),
                f'<c s="{number_style}"><v>{participants}</v></c>' if type(participants) is int
                else number(participants),
                f'<c s="{number_style}"><v>{cost}</v></c>' if type(cost) is int else number(cost),
                funding, link, notes, evidence,
                (f'<c s="{plain}" t="inlineStr"><is><t>{uuid}</t></is></c>' if plain_uuid(uuid) else text(uuid))
                if uuid else empty_text,
            )))  # fmt: skip
            chunk.append("</row>")
        write("".join(chunk))
        if count % PROGRESS_EVERY == 0:
            on_progress(count)
    return count


def _page_header(flt: ActivityFilter) -> str:
    if flt.date_from and flt.date_to:
        return f"{SHEET} – từ ngày {format_date(flt.date_from)} đến ngày {format_date(flt.date_to)}"
    if flt.date_from:
        return f"{SHEET} – từ ngày {format_date(flt.date_from)}"
    if flt.date_to:
        return f"{SHEET} – đến ngày {format_date(flt.date_to)}"
    return SHEET


def _start_sheet(ws, flt: ActivityFilter, styles: Styles) -> None:
    """Widths, frozen header, print setup, the header row and the placeholder the rows replace."""
    for i, column in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"  # views, widths and sheet properties go out with the first row
    print_setup(ws, title_rows="1:1", header=_page_header(flt))
    lines = max(xlsx_rows.wrapped_lines(column.header, column.width) for column in COLUMNS)
    ws.row_dimensions[1].height = lines * xlsx_rows.LINE_HEIGHT
    header = []
    for column in COLUMNS:
        cell = Cell(ws, row=1, column=1, value=column.header, style_array=styles.header)
        cell.data_type = "s"
        header.append(cell)
    ws.append(header)
    ws.append([xlsx_rows.PLACEHOLDER])  # replaced by the rows once the workbook is saved


def export_log_xlsx(
    db: sqlite_utils.Database,
    flt: ActivityFilter,
    path: str | os.PathLike,
    *,
    progress: Progress | None = None,
) -> tuple[Path, int]:
    """Write the activities matching ``flt`` to the workbook ``path``; return it and how many were written.

    ``progress.update(done, total)`` is called before the first row, every 5,000 rows
    and after the last; it raises Cancelled when the officer cancels. Then, and on any
    error, no file is left behind and an existing file at ``path`` is kept unchanged.
    Raises FileProblem when the target is open in Excel or cannot be written, and
    UserError when the activities do not fit in one Excel sheet.
    """
    target = Path(path)
    if progress is not None:
        progress.check()
    rows_file: str | None = None
    count = 0
    conn = db.conn

    def fill(wb) -> tuple[list[Path], str]:
        nonlocal rows_file, count
        wb.properties.creator = "Sổ tuyên truyền"
        wb.properties.title = SHEET
        ws = wb.create_sheet(SHEET)
        styles = Styles(ws)
        style_ids = styles.ids(ws, _STYLE_NAMES)
        _start_sheet(ws, flt, styles)
        fd, rows_file = tempfile.mkstemp(prefix="so-tuyen-truyen-so-", suffix=".xml")
        with open(fd, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
            conn.execute("SAVEPOINT export_log")  # one read snapshot: the count and the rows agree
            try:
                total = count_rows(conn, flt)
                if total > MAX_ROWS:
                    raise UserError(
                        f"Có {format_number(total)} hoạt động khớp bộ lọc, nhiều hơn "
                        f"{format_number(MAX_ROWS)} dòng một trang tính Excel chứa được. "
                        "Hãy lọc bớt (ví dụ theo từng năm) rồi xuất lại."
                    )
                if progress is not None:
                    progress.update(0, total)

                def on_progress(done: int) -> None:
                    if progress is not None:
                        progress.update(done, total)

                count = _write_rows(conn, flt, out, style_ids, on_progress)
            finally:
                conn.execute("RELEASE export_log")
        if progress is not None and count % PROGRESS_EVERY:
            progress.update(count, total)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
        if progress is not None:
            progress.check()
        return [Path(rows_file)], ""

    try:
        write_atomically(target, fill)
    finally:
        if rows_file is not None:
            try:
                os.remove(rows_file)
            except OSError:
                pass
    return target, count


__all__ = ["SHEET", "export_log_xlsx"]
