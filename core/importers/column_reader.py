"""Reading a whole sheet column by column: each distinct cell value is worked out once.

A 100,000-row log repeats a few hundred dates, a handful of units, forms and
amounts; only the titles differ. So each column is first turned, value by value,
into what RowReader and parse_activity would make of it (through their own
functions, remembered per distinct value), and each row is then only put
together. A row with anything unusual — no date, a value that is not valid, a
label to choose, an example row, dates in the wrong order, money without a
source — is left to the row-by-row path (``None``), which says exactly what is
wrong. A row accepted here is stored exactly as that path would store it (tested).
"""

from __future__ import annotations

import datetime as dt
from itertools import repeat

from core.activities.model import FIELD_LABELS, SEARCHED
from core.activities.service import MAX_COUNT, MAX_MONEY, MAX_TITLE, KnownCodes
from core.errors import UserError
from core.importers.rows import CODE_FIELDS, EXAMPLE_MARK, RowReader, _text, topic_labels
from core.importers.text_keys import TextKeyWorker
from core.text import fold, nfc, parse_date, parse_int, vi_sort_key

_EMPTY = object()  # the cell holds nothing: the field takes its default
_SLOW = object()  # the cell needs the row-by-row path
_UPPER = {"quantity": MAX_COUNT, "duration_minutes": MAX_COUNT, "participants": MAX_COUNT, "cost": MAX_MONEY}
_TEXT_FIELDS = ("title", "content", "channel", "link", "notes")
# the import columns an activity takes, in the order ``prepare`` unpacks them
_FIELDS = ("date_from", "date_to", "unit", "form", "topics", "title", "content", "channel", "quantity",
           "duration_minutes", "participants", "cost", "funding", "link", "notes", "uuid")  # fmt: skip


class ColumnReader:
    """Prepares the plain rows of one sheet for import, given the RowReader of that sheet."""

    def __init__(self, reader: RowReader, known: KnownCodes, today: dt.date, worker: TextKeyWorker | None = None):
        self.reader = reader
        self.worker = worker  # computes the search texts and sort keys meanwhile; ``finish`` puts them in
        self._pending = None
        self.known = known
        self.years = (dt.date(2000, 1, 1), dt.date(today.year + 1, 12, 31))
        keys = [key for key in reader.fields.values() if key in _FIELDS]
        # a field fed by two columns (or none for the date) is left to the row-by-row path
        self.usable = len(keys) == len(set(keys)) and "date_from" in keys

    def prepare(self, rows: list[list]) -> list[tuple | None]:
        """Per row: (stored values, topics, values given to the stable id, quantity defaulted) or None."""
        if not self.usable or not rows:
            return [None] * len(rows)
        wanted = {index: key for index, key in self.reader.fields.items() if key in _FIELDS}
        if min(map(len, rows)) == max(map(len, rows)):  # a sheet's rows, as calamine gives them
            cells = list(zip(*rows))
            columns = {key: self._column(cells[index] if index < len(cells) else [""] * len(rows), key)
                       for index, key in wanted.items()}  # fmt: skip
        else:
            columns = {key: self._column([row[index] if index < len(row) else "" for row in rows], key)
                       for index, key in wanted.items()}  # fmt: skip
        empty = repeat(_EMPTY)
        if self.worker is not None:
            texts = [[v if type(v) is str else "" for v in columns.get(k, ())] or [""] * len(rows) for k in SEARCHED]
            self._pending = (self.worker.submit(*texts), texts)
        notes_index = next((c for c, k in self.reader.fields.items() if k == "notes"), None)
        raw_notes = (row[notes_index] if notes_index < len(row) else "" for row in rows) \
            if notes_index is not None else empty  # fmt: skip
        get = columns.get
        slow = [False] * len(rows)  # rows with a value the row-by-row path must look at
        for column in columns.values():
            if _SLOW in column:
                for number, value in enumerate(column):
                    if value is _SLOW:
                        slow[number] = True
        unit_default, form_default = self._default("unit"), self._default("form")
        funding_default = self._default("funding")
        iso: dict[dt.date, str] = {}
        prepared: list[tuple | None] = []
        append = prepared.append
        for values in zip(slow, raw_notes, *(get(name, empty) for name in _FIELDS)):
            (unusual, raw, date_from, date_to, unit, form, topics, title, content, channel, quantity, duration,
             participants, cost, funding, link, notes, given) = values  # fmt: skip
            if unusual or date_from is _EMPTY or title is _EMPTY or \
                    (type(raw) is str and raw.startswith(EXAMPLE_MARK)):  # fmt: skip
                append(None)
                continue
            if date_to is not _EMPTY:
                if date_to < date_from:
                    append(None)
                    continue
                date_to = None if date_to == date_from else date_to
            else:
                date_to = None
            cost = None if cost is _EMPTY else cost
            if funding is _EMPTY:
                funding = funding_default if cost else None
            if cost and funding is None:
                append(None)
                continue
            if unit is _EMPTY:
                unit = unit_default
            if form is _EMPTY:
                form = form_default
            if unit is None or form is None:
                append(None)
                continue
            defaulted = quantity is _EMPTY
            quantity = 1 if defaulted else quantity
            content = "" if content is _EMPTY else content
            channel = "" if channel is _EMPTY else channel
            link = "" if link is _EMPTY else link
            notes = "" if notes is _EMPTY else notes
            day = iso.get(date_from) or iso.setdefault(date_from, date_from.isoformat())
            stored = {
                "date_from": day, "date_to": date_to.isoformat() if date_to else None, "unit_id": unit,
                "form_code": form, "title": title, "content": content, "channel": channel, "quantity": quantity,
                "duration_minutes": None if duration is _EMPTY else duration,
                "participants": None if participants is _EMPTY else participants, "cost": cost,
                "funding_code": funding, "link": link, "notes": notes,
                "search_text": None if self._pending else fold(" ".join((title, content, channel, notes, link))),
                "title_key": None if self._pending else vi_sort_key(title),
            }  # fmt: skip
            append((stored, [] if topics is _EMPTY else topics, None if given is _EMPTY else given, defaulted))
        return prepared

    def finish(self, prepared: list[tuple | None]) -> None:
        """Put the worker's search texts and sort keys into the prepared rows (waiting for them)."""
        if not self._pending:
            return
        pending, texts = self._pending
        self._pending = None
        folded, keys = TextKeyWorker.result(pending, *texts)
        for item, search_text, title_key in zip(prepared, folded, keys):
            if item is not None:
                item[0]["search_text"] = search_text
                item[0]["title_key"] = title_key

    def _default(self, key: str) -> str | None:
        """The code an empty cell of ``key`` takes, checked as parse_activity checks it (None: not usable)."""
        code = self.reader.defaults.get(key)
        if not code:
            return None
        code = nfc(code)
        known = {"unit": self.known.units, "form": self.known.form, "funding": self.known.funding}[key]
        return code if code in known else None

    def _column(self, column, key: str) -> list:
        """The column's cells -> what each becomes (each distinct value worked out once)."""
        work = self._worker(key)
        if bool not in set(map(type, column)):  # True == 1.0: a bool would share its number's result
            found = {value: self._cell(work, value) for value in set(column)}
            try:
                return list(map(found.__getitem__, column))
            except KeyError:  # NaN is not equal to itself
                pass
        found, out = {}, []
        for value in column:
            cache_key = (type(value), value)
            result = found.get(cache_key)
            if result is None:
                result = found[cache_key] = self._cell(work, value)
            out.append(result)
        return out

    def _cell(self, work, value):
        if value == "" or value is None:
            return _EMPTY
        if type(value) is str:
            value = value.strip()
            if not value:
                return _EMPTY
            if self.reader.convert is not None:
                value = self.reader.convert(value)
        try:
            return work(value)
        except UserError:
            return _SLOW

    def _worker(self, key: str):
        """value (stripped, repaired) -> what the stored row holds, or _SLOW."""
        reader, known = self.reader, self.known
        if key in CODE_FIELDS:
            allowed = {"unit": known.units, "form": known.form, "funding": known.funding}[key]

            def code(value):
                found, why = reader.lookup(key, _text(value))
                found = nfc(found) if found else ""
                return found if not why and found in allowed else _SLOW

            return code
        if key == "topics":

            def topics(value):
                codes = []
                for found, why in (reader.lookup("topics", label) for label in topic_labels(_text(value))):
                    if why:
                        return _SLOW
                    if found not in codes:
                        codes.append(found)
                codes = list(dict.fromkeys(nfc(c) for c in codes if nfc(c)))
                return codes if all(c in known.topic for c in codes) else _SLOW

            return topics
        parse = reader._parsers.get(key)
        if key in ("date_from", "date_to"):
            low, high = self.years

            def day(value):
                found = parse_date(parse(value), label=FIELD_LABELS[key])
                return found if found is not None and low <= found <= high else _SLOW

            return day
        if key in _UPPER:
            upper = _UPPER[key]

            def number(value):
                found = parse_int(parse(value), label=FIELD_LABELS[key])
                return _EMPTY if found is None else (found if found <= upper else _SLOW)

            return number
        if key in _TEXT_FIELDS:

            def text(value):
                found = _text(value) if type(value) is str else nfc(_text(value))  # _text gives str as nfc
                if not found:
                    return _EMPTY
                if (key == "title" and len(found) > MAX_TITLE) or (key == "link" and " " in found):
                    return _SLOW
                return found

            return text
        return lambda value: _text(value)  # the sheet's "Mã hoạt động" (uuid)
