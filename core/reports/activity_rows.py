"""The rows of the report's activity list, written straight from the database as SpreadsheetML.

One activity is one row of 17 cells (COLUMNS). Writing 100,000 of them through
openpyxl's cells costs half a minute; here each row is one formatted string: the
values that repeat (dates, units, forms, funding sources, topics) are rendered once
and looked up, and only the free text of each activity is escaped per row.

``write_rows`` writes the activities of one key range (date, id) — the whole period,
or a slice of it when several processes share the work (core/reports/activity_list.py).
It imports nothing heavy, so a worker process starts in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from core.activities.filters import ActivityFilter
from core.reports import xlsx_rows

# (header, width) in the order the cells are written
COLUMNS: list[tuple[str, float]] = [
    ("STT", 7), ("Ngày", 12), ("Đến ngày", 12), ("Đơn vị", 22), ("Hình thức", 30),
    ("Tên, nội dung hoạt động", 60), ("Chủ đề", 26), ("Kênh", 16), ("Số lượng", 11),
    ("Đơn vị tính", 12), ("Thời lượng (phút)", 11), ("Người tham dự/tiếp cận", 13),
    ("Kinh phí (đồng)", 16), ("Nguồn kinh phí", 18), ("Đường dẫn", 28), ("Ghi chú", 24),
    ("Số tệp minh chứng", 11),
]  # fmt: skip
TITLE_COLUMN = 5  # 0-based: the column the totals row labels "Tổng cộng"
SUM_COLUMNS = {"quantity": 8, "duration_minutes": 10, "participants": 11, "cost": 12, "evidence": 16}

# the cell styles the rows use; their ids come from the workbook (see excel.register_row_styles)
STYLE_NAMES = ("center", "date", "text", "wrap", "number", "decimal")

PROGRESS_EVERY = 5000
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters Excel refuses
_MAX_CELL_TEXT = 32767

_SELECT = (
    "SELECT a.id, a.date_from, a.date_to, a.unit_id, a.form_code, a.title, a.content, a.channel,"
    " a.quantity, a.duration_minutes, a.participants, a.cost, a.funding_code, a.link, a.notes"
)


@dataclass
class RowsWritten:
    count: int = 0
    sums: dict[str, int | float] = field(default_factory=lambda: dict.fromkeys(SUM_COLUMNS, 0))

    def add(self, other: RowsWritten) -> None:
        self.count += other.count
        for key, value in other.sums.items():
            self.sums[key] += value


def clean_text(value) -> str:
    """NFC text without the control characters Excel refuses, cut to what one cell holds."""
    text = value if isinstance(value, str) else str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        text = _ILLEGAL.sub("", text)
    return text[:_MAX_CELL_TEXT]


class _Cells(dict):
    """value -> rendered cell, rendering each distinct value once."""

    def __init__(self, render: Callable[[object], str]):
        super().__init__()
        self._render = render

    def __missing__(self, value):
        cell = self[value] = self._render(value)
        return cell


def _range_clause(lower, upper) -> tuple[str, list]:
    clauses, params = [], []
    if lower is not None:
        clauses.append("(a.date_from, a.id) >= (?, ?)")
        params.extend(lower)
    if upper is not None:
        clauses.append("(a.date_from, a.id) < (?, ?)")
        params.extend(upper)
    return "".join(" AND " + c for c in clauses), params


class _Lookups:
    """What repeats across rows, each distinct value rendered once as a finished cell."""

    def __init__(self, conn: sqlite3.Connection, styles: dict[str, int]):
        self.styles = styles
        unit_names = dict(conn.execute("SELECT id, name FROM units"))
        forms = {code: (label, unit) for code, label, unit in
                 conn.execute("SELECT code, label, counted_unit FROM taxonomy WHERE kind = 'form'")}  # fmt: skip
        funding = dict(conn.execute("SELECT code, label FROM taxonomy WHERE kind = 'funding'"))
        topic_labels = dict(conn.execute("SELECT code, label FROM taxonomy WHERE kind = 'topic' ORDER BY sort_order"))
        order = {code: i for i, code in enumerate(topic_labels)}

        def topics(codes: str | None) -> str | None:  # "cds,atttm" in any order -> labels in the taxonomy's order
            if not codes:
                return None
            ordered = sorted(codes.split(","), key=lambda code: (order.get(code, len(order)), code))
            return "; ".join(topic_labels.get(code, code) for code in ordered)

        def wrapped(label, column: int) -> tuple[str, int]:  # (cell, lines) of a wrapping label column
            return self.text(label, "wrap"), xlsx_rows.wrapped_lines(label, COLUMNS[column][1])

        self.dates = _Cells(self.date)
        self.units = _Cells(lambda unit_id: wrapped(unit_names.get(unit_id), 3))
        self.form_labels = _Cells(lambda code: wrapped(forms.get(code, (None, None))[0], 4))
        self.topics = _Cells(lambda codes: wrapped(topics(codes), 6))
        self.counted_units = _Cells(lambda code: self.text(forms.get(code, (None, None))[1]))
        self.funding_labels = _Cells(lambda code: self.text(funding.get(code)))
        self.channels = _Cells(self.text)
        self.numbers = _Cells(self.number)

    def text(self, value, style: str = "text") -> str:
        if value is None or value == "":
            return f'<c s="{self.styles[style]}"/>'
        return xlsx_rows.text_cell(clean_text(value), self.styles[style])

    def date(self, value) -> str:
        if not value:
            return f'<c s="{self.styles["date"]}"/>'
        try:
            return xlsx_rows.date_cell(dt.date.fromisoformat(value), self.styles["date"])
        except (TypeError, ValueError):
            return self.text(value)  # shown as it is rather than lost

    def number(self, value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return xlsx_rows.number_cell(value, self.styles["number" if isinstance(value, int) else "decimal"])
        return self.text(value)


_NEEDS_CARE = re.compile(r"[\000-\010\013\014\016-\037&<>]").search  # escape or clean before writing


def write_rows(
    conn: sqlite3.Connection,
    flt: ActivityFilter,
    out: TextIO,
    styles: dict[str, int],
    *,
    first_number: int = 1,
    lower: tuple[str, int] | None = None,
    upper: tuple[str, int] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RowsWritten:
    """Write the matching activities with lower <= (date, id) < upper, oldest first, to ``out``.

    Rows carry no row numbers (Excel counts them), so slices written apart can be
    joined in order. ``on_progress(done)`` is called every 5,000 rows and may raise
    to stop. Reads in one transaction: the rows and the sums agree.
    """
    where, params = flt.where()
    extra, extra_params = _range_clause(lower, upper)
    where, params = where + extra, params + extra_params
    matching = f"SELECT a.id FROM activities a {flt.covering_index()} WHERE {where}"
    written = RowsWritten()
    conn.execute("SAVEPOINT activity_rows")  # one read snapshot, inside a caller's transaction or not
    try:
        cells = _Lookups(conn, styles)
        topics = dict(conn.execute(
            f"SELECT activity_id, group_concat(topic_code) FROM activity_topics WHERE activity_id IN ({matching})"
            " GROUP BY activity_id", params,
        ).fetchall())  # fmt: skip
        evidence = dict(conn.execute(
            f"SELECT activity_id, count(*) FROM evidence WHERE activity_id IN ({matching}) GROUP BY activity_id",
            params,
        ).fetchall())  # fmt: skip
        sums = conn.execute(
            "SELECT total(a.quantity), total(a.duration_minutes), total(a.participants), total(a.cost)"
            f" FROM activities a {flt.covering_index()} WHERE {where}", params,
        ).fetchone()  # fmt: skip
        cursor = conn.execute(
            f"{_SELECT} FROM activities a {flt.covering_index()} WHERE {where} ORDER BY a.date_from, a.id", params
        )
        row_starts = _Cells(xlsx_rows.row_start)
        dates, units, form_labels, counted_units = cells.dates, cells.units, cells.form_labels, cells.counted_units
        topic_cells, channels, numbers, funding_labels = cells.topics, cells.channels, cells.numbers, cells.funding_labels
        empty, stt, wrap = f'<c s="{styles["text"]}"/>', styles["center"], styles["wrap"]
        is_nfc, write, number_no = unicodedata.is_normalized, out.write, first_number - 1
        title_width = COLUMNS[TITLE_COLUMN][1]
        per_line = xlsx_rows.chars_per_line(title_width)
        while rows := cursor.fetchmany(1000):  # PROGRESS_EVERY is a multiple
            for (activity_id, date_from, date_to, unit_id, form_code, title, content, channel,
                 quantity, duration, participants, cost, funding_code, link, notes) in rows:  # fmt: skip
                number_no += 1
                if content and content != title:
                    title = f"{title}\n{content}" if title else content
                unit, unit_lines = units[unit_id]
                form, form_lines = form_labels[form_code]
                topic, topic_lines = topic_cells[topics.get(activity_id)]
                if "\n" in title:
                    lines = xlsx_rows.wrapped_lines(title, title_width)
                else:  # the same estimate, inline: this runs 100,000 times
                    lines = -(-len(title) // per_line) or 1
                if unit_lines > lines:
                    lines = unit_lines
                if form_lines > lines:
                    lines = form_lines
                if topic_lines > lines:
                    lines = topic_lines
                if title and len(title) <= _MAX_CELL_TEXT and not _NEEDS_CARE(title) and is_nfc("NFC", title):
                    title = f'<c s="{wrap}" t="inlineStr"><is><t xml:space="preserve">{title}</t></is></c>'
                else:
                    title = cells.text(title, "wrap")
                write(
                    f'{row_starts[lines]}<c s="{stt}"><v>{number_no}</v></c>'
                    f"{dates[date_from]}{dates[date_to]}{unit}{form}{title}{topic}"
                    f"{channels[channel]}{numbers[quantity]}{counted_units[form_code]}{numbers[duration]}"
                    f"{numbers[participants]}{numbers[cost]}{funding_labels[funding_code]}"
                    f"{cells.text(link) if link else empty}{cells.text(notes) if notes else empty}"
                    f"{numbers[evidence.get(activity_id, 0)]}</row>"
                )
            written.count = number_no - first_number + 1
            if on_progress is not None and written.count % PROGRESS_EVERY == 0:
                on_progress(written.count)
    finally:
        conn.execute("RELEASE activity_rows")
    for key, value in zip(("quantity", "duration_minutes", "participants", "cost"), sums):
        written.sums[key] = int(value) if float(value).is_integer() else value
    written.sums["evidence"] = sum(evidence.values())
    return written


def count_rows(conn: sqlite3.Connection, flt: ActivityFilter) -> int:
    where, params = flt.where()
    return conn.execute(f"SELECT count(*) FROM activities a {flt.covering_index()} WHERE {where}", params).fetchone()[0]


def split_keys(conn: sqlite3.Connection, flt: ActivityFilter, total: int, parts: int) -> list[tuple[str, int]]:
    """The (date, id) keys that cut the ``total`` matching activities into ``parts`` equal slices."""
    where, params = flt.where()
    sql = (f"SELECT a.date_from, a.id FROM activities a {flt.covering_index()} WHERE {where}"
           " ORDER BY a.date_from, a.id LIMIT 1 OFFSET ?")  # fmt: skip
    cuts = [conn.execute(sql, [*params, i * total // parts]).fetchone() for i in range(1, parts)]
    return [tuple(cut) for cut in cuts if cut]  # fewer when rows were deleted meanwhile


class _Stop(Exception):
    """The officer cancelled: a worker stops at its next progress check."""


def work_in_process(db_path: str, flt: ActivityFilter, out_path: str, styles: dict[str, int],
                    first_number: int, lower, upper, messages, cancelled, index: int) -> None:  # fmt: skip
    """A worker process (core/reports/activity_list.py): write one slice to ``out_path``,
    report progress and the result on ``messages``; stop when ``cancelled`` is set."""

    def on_progress(done: int) -> None:
        if cancelled.is_set():
            raise _Stop
        messages.put(("progress", index, done))

    try:
        conn = sqlite3.connect(f"{Path(db_path).as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            with open(out_path, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
                written = write_rows(conn, flt, out, styles, first_number=first_number, lower=lower,
                                     upper=upper, on_progress=on_progress)  # fmt: skip
        finally:
            conn.close()
        messages.put(("done", index, written.count, written.sums))
    except _Stop:
        messages.put(("stopped", index))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which writes the rows itself
        messages.put(("failed", index, f"{type(exc).__name__}: {exc}"))
