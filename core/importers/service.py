"""Excel import: look at the file (analyse, writes nothing), then import the good rows at once.

``analyse`` reads the sheet, finds the header and the columns, repairs legacy
text, turns each row into an activity or into problems (row, column, reason),
and tells which activities are already in the log. ``commit`` writes the ready
activities in one transaction: all of them or, on any failure or cancel, none.

Each imported activity gets a stable id: the "Mã hoạt động" column when the sheet
came from this app, otherwise one derived from the row's date, unit, form, title,
quantity and cost. Importing the same file again therefore adds nothing, and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from core.activities.bulk import bulk_load
from core.activities.model import ORIGIN_IMPORTED
from core.activities.service import KnownCodes, parse_activity, stored_row
from core import history, settings
from core.backup import backup_before
from core.clock import now_iso
from core.db import checkpoint_later
from core.errors import UserError, ValidationError
from core.gc_pause import paused_gc
from core.importers import legacy_text, reader
from core.importers.column_reader import ColumnReader
from core.importers.columns import BY_KEY
from core.importers.labels import matchers
from core.importers.mapping import ColumnMap, find_header
from core.importers.text_keys import WORKER_FILE_BYTES, TextKeyWorker
from core.importers.rows import Problem, RowReader, cell_text, is_total_row
from core.progress import Progress

PROGRESS_EVERY = 5000
_REMEMBERED_KEY = "excel_import_columns"  # sheet shape -> {column index: field} that imported well
_REMEMBER_SHAPES = 20
# openpyxl reads all of a workbook's strings before any font: only small files are asked (a big one
# has text enough for the content to decide)
_FONT_CHECK_BYTES = 3 * 1024 * 1024
_NAMESPACE = uuidlib.UUID("5b0f5d8e-3f0c-4c53-9a57-6c1d7e0a4b21")  # this app's imported activities
_NAMESPACE_BYTES = _NAMESPACE.bytes
_VARIANT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}
# activity field (as parse_activity reports it) -> import column key
_FIELD_COLUMN = {"unit_id": "unit", "form_code": "form", "funding_code": "funding"}
_INSERT_COLUMNS = (
    "uuid", "date_from", "date_to", "unit_id", "form_code", "title", "content", "channel", "quantity",
    "duration_minutes", "participants", "cost", "funding_code", "link", "notes", "search_text", "title_key",
    "origin", "created_at", "updated_at",
)  # fmt: skip
_stored_values = operator.itemgetter(*_INSERT_COLUMNS[1:17])


@dataclass
class ImportOptions:
    sheet: str | None = None
    fields: dict[int, str] | None = None  # column index -> field; None: as found from the headers
    defaults: dict[str, str] = field(default_factory=dict)  # "unit"/"form"/"funding" -> code for empty cells
    choices: dict[tuple[str, str], str] = field(default_factory=dict)  # (field, folded label) -> code
    today: dt.date | None = None


@dataclass
class ImportPreview:
    path: Path
    sheet: str
    sheets: list[str]
    columns: ColumnMap
    encoding: str | None  # "tcvn3" / "vni" when the text was repaired
    read: int = 0  # rows below the header that hold anything
    skipped: int = 0  # "Tổng cộng", subtotal and example rows (blank rows are not counted at all)
    problems: list[Problem] = field(default_factory=list)
    unresolved: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    ready: list[tuple] = field(default_factory=list)  # (row number, uuid, stored values, topics), new ones
    duplicates: int = 0  # rows already in the log (or twice in this file)
    defaulted_quantity: int = 0
    samples: dict[int, list[str]] = field(default_factory=dict)  # column -> first values, for the mapping

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})


@dataclass
class ImportResult:
    imported: int
    duplicates: int
    ids: list[int] = field(default_factory=list)  # the new activities (Hoàn tác moves them to the trash)


def _stable_uuid(given: str | None, stored: dict, seen: dict[str, int]) -> str:
    if given:
        try:
            return str(uuidlib.UUID(str(given)))
        except ValueError:
            pass
    key = f"{stored['date_from']}|{stored['unit_id']}|{stored['form_code']}|{stored['quantity']}|{stored['cost']}|" \
          f"{stored['title'].lower()}"  # fmt: skip
    count = seen[key] = seen.get(key, 0) + 1  # the same activity listed twice in one file is two activities
    h = hashlib.sha1(_NAMESPACE_BYTES + f"{key}|{count}".encode()).hexdigest()
    # the version (5) and variant bits as uuid.uuid5 sets them
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def _font_encoding(fonts: list[str]) -> str | None:
    """The legacy encoding most of the text cells' fonts belong to, or None."""
    votes: dict[str | None, int] = {}
    for font in fonts:
        encoding = legacy_text.encoding_of_font(font)
        votes[encoding] = votes.get(encoding, 0) + 1
    best = max(votes, key=votes.get, default=None)
    return best if best and votes[best] * 2 > len(fonts) else None


def _existing(db: sqlite_utils.Database, uuids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(uuids), 500):
        chunk = uuids[start : start + 500]
        found.update(r[0] for r in db.execute(
            f"SELECT uuid FROM activities WHERE uuid IN ({','.join('?' * len(chunk))})", chunk))  # fmt: skip
    return found


def analyse(db: sqlite_utils.Database, path: str | Path, options: ImportOptions | None = None,
            progress: Progress | None = None) -> ImportPreview:  # fmt: skip
    """What importing ``path`` would do; writes nothing. Raises UserError for an unusable file."""
    path = Path(path)
    big = path.is_file() and path.stat().st_size >= WORKER_FILE_BYTES
    worker = TextKeyWorker() if big else None  # started first: it is ready when the sheet has been read
    try:
        with paused_gc():
            return _analyse(db, path, options, progress, worker)
    finally:
        if worker is not None:
            worker.close()


def _analyse(db: sqlite_utils.Database, path: Path, options: ImportOptions | None,
             progress: Progress | None, worker: TextKeyWorker | None) -> ImportPreview:  # fmt: skip
    options = options or ImportOptions()
    path = Path(path)
    sheets = reader.sheet_names(path)
    sheet = reader.read_sheet(path, options.sheet)
    if not sheet.rows:
        raise UserError(f"Trang tính “{sheet.name}” của tệp “{path.name}” không có dữ liệu.")
    sample = [v for row in sheet.rows[:200] for v in row if isinstance(v, str) and v.strip()]
    encoding = legacy_text.detect(sample)
    if encoding is None and legacy_text.undecided(sample) and path.stat().st_size <= _FONT_CHECK_BYTES:
        encoding = _font_encoding(reader.sheet_fonts(path, sheet.name))  # the fonts (.VnTime, VNI-Times) say
    convert = (lambda text: legacy_text.to_unicode(text, encoding)) if encoding else None
    rows = [[convert(v) if convert and isinstance(v, str) else v for v in row] for row in sheet.rows[:60]]
    columns = find_header(rows)
    if columns is None:
        raise UserError(
            f"Không tìm thấy dòng tiêu đề cột trong trang tính “{sheet.name}”. Bảng cần có các cột như "
            "“Ngày”, “Tên hoạt động”, “Hình thức”, “Số lượng” (xem tệp mẫu nhập Excel)."
        )
    remembered = _remembered(db).get(columns.shape)
    if options.fields is not None:
        columns.fields = dict(options.fields)
    elif remembered:  # the officer corrected the columns of a sheet like this one before
        columns.fields = {int(column): key for column, key in remembered.items()}
    if not set(columns.fields.values()) & {"title"}:
        raise UserError("Chưa có cột nào là “Tên hoạt động”: hãy chọn cột chứa tên, nội dung hoạt động.")
    if "date_from" not in columns.fields.values():
        raise UserError("Chưa có cột nào là “Ngày”: hãy chọn cột chứa ngày thực hiện.")

    preview = ImportPreview(path, sheet.name, sheets, columns, encoding)
    shown = [r for r in sheet.rows[columns.header_row + 1:columns.header_row + 40] if any(r) and not is_total_row(r)]
    for column in range(len(columns.headers)):
        values = [cell_text(r[column]) for r in shown if column < len(r)]
        texts = [convert(v) if convert else v for v in values if v.strip()]
        preview.samples[column] = texts[:3]
    defaults = dict(options.defaults)
    profile = settings.load_profile(db)
    if not defaults.get("unit") and profile:  # rows without a unit are this unit's own
        defaults["unit"] = profile.unit_id
    row_reader = RowReader(columns.fields, columns.headers, matchers(db), convert=convert,
                           defaults=defaults, choices=options.choices)  # fmt: skip
    known = KnownCodes.load(db)
    today = options.today or dt.date.today()
    seen: dict[str, int] = {}
    candidates: list[tuple] = []
    defaulted: set[int] = set()  # rows whose quantity was taken as 1
    data = sheet.rows[columns.header_row + 1:]
    progress = progress or Progress()
    progress.update(0, len(data))
    # rows with nothing unusual are put together column by column; the others are read one by one
    column_reader = ColumnReader(row_reader, known, today, worker)
    prepared = column_reader.prepare(data)
    for offset, (cells, ready) in enumerate(zip(data, prepared), start=1):
        if offset % PROGRESS_EVERY == 0:
            progress.update(offset, len(data))
        number = columns.header_row + 1 + offset
        if ready is not None:
            stored, topics, given, defaulted_quantity = ready
            preview.read += 1
            candidates.append((number, _stable_uuid(given, stored, seen), stored, topics))
            if defaulted_quantity:
                defaulted.add(number)
            continue
        outcome = row_reader.read(number, cells)
        if outcome.skipped == "blank":
            continue
        preview.read += 1
        if outcome.skipped:  # a total or subtotal row, or the template's example
            preview.skipped += 1
            continue
        problems = outcome.problems
        try:
            activity = parse_activity(db, outcome.values, today=today, known=known)
        except ValidationError as exc:
            reported = {p.column for p in problems}
            for name, message in exc.fields.items():
                key = _FIELD_COLUMN.get(name, name)
                column = columns.column_of(key)
                header = (columns.headers[column] if column is not None else "") or BY_KEY[key].header
                if header not in reported:  # a label not found is already said once for its cell
                    problems.append(Problem(number, header, message))
            activity = None
        if problems:
            preview.problems.extend(problems)
            continue
        stored = stored_row(activity)
        candidates.append((number, _stable_uuid(outcome.values.get("uuid"), stored, seen), stored, activity.topics))
        if outcome.defaulted_quantity:
            defaulted.add(number)
    column_reader.finish(prepared)
    existing = _existing(db, [c[1] for c in candidates])
    unique: set[str] = set()
    for candidate in candidates:
        if candidate[1] in existing or candidate[1] in unique:
            preview.duplicates += 1
        else:
            unique.add(candidate[1])
            preview.ready.append(candidate)
    preview.unresolved = row_reader.unresolved
    preview.defaulted_quantity = sum(1 for c in preview.ready if c[0] in defaulted)
    progress.update(len(data), len(data))
    return preview


def commit(db: sqlite_utils.Database, preview: ImportPreview, progress: Progress | None = None) -> ImportResult:
    """Write the preview's ready activities in one transaction; a cancel or failure writes none."""
    if preview.ready:
        backup_before(db, "nhap-excel")  # sao_luu/: the log as it was, whatever happens next
    with paused_gc(), checkpoint_later(db):  # the window copies the log into the file afterwards
        return _commit(db, preview, progress)


def _commit(db: sqlite_utils.Database, preview: ImportPreview, progress: Progress | None) -> ImportResult:
    progress = progress or Progress()
    total = len(preview.ready)
    progress.update(0, total)
    stamp = now_iso()
    imported = 0
    with db.atomic():
        # checked again inside the transaction: another window may have imported meanwhile
        existing = _existing(db, [c[1] for c in preview.ready])
        rows = [c for c in preview.ready if c[1] not in existing]
        with bulk_load(db, len(rows)) as first_id:
            for start in range(0, len(rows), PROGRESS_EVERY):
                batch = rows[start : start + PROGRESS_EVERY]
                db.conn.executemany(
                    f"INSERT INTO activities (id, {', '.join(_INSERT_COLUMNS)})"
                    f" VALUES ({', '.join('?' * (len(_INSERT_COLUMNS) + 1))})",
                    [(first_id + start + i, uuid, *_stored_values(stored), ORIGIN_IMPORTED, stamp, stamp)
                     for i, (_n, uuid, stored, _t) in enumerate(batch)],
                )  # fmt: skip
                db.conn.executemany(
                    "INSERT INTO activity_topics (activity_id, topic_code) VALUES (?, ?)",
                    [(first_id + start + i, code) for i, (*_, topics) in enumerate(batch) for code in topics],
                )
                imported += len(batch)
                progress.update(imported, total)  # raises Cancelled: the transaction is rolled back
        if imported:
            history.record(db, "import", [(None, {"file": preview.path.name, "sheet": preview.sheet,
                                                  "count": imported})], history.new_batch())  # fmt: skip
        if imported:  # these columns worked: the next file of this shape starts with them
            saved = {k: v for k, v in _remembered(db).items() if k != preview.columns.shape}
            saved = dict(list(saved.items())[-(_REMEMBER_SHAPES - 1):])
            saved[preview.columns.shape] = {str(c): k for c, k in preview.columns.fields.items()}
            settings.put(db, _REMEMBERED_KEY, saved)
    return ImportResult(imported, preview.duplicates + len(preview.ready) - len(rows),
                        list(range(first_id, first_id + imported)) if imported else [])


def _remembered(db: sqlite_utils.Database) -> dict[str, dict[str, str]]:
    return settings.get(db, _REMEMBERED_KEY, {}) or {}


__all__ = ["ImportOptions", "ImportPreview", "ImportResult", "analyse", "commit"]
