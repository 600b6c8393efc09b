"""Finding the header row of an officer's sheet and which column holds which field.

The header is rarely row 1: a title ("BẢNG THEO DÕI HOẠT ĐỘNG TUYÊN TRUYỀN…"),
the unit's name and blank rows come first. The header row is the one among the
first rows whose cells name the most known fields, with a date or a title among
them. A cell names a field when its folded text is one of the field's headers,
or starts with one ("Kinh phí thực hiện (đồng)" -> cost); the longest match wins.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from core.importers.columns import HEADER_KEYS, REQUIRED_KEYS, header_key

SCAN_ROWS = 30
# when a field is claimed twice, the later column may hold the next field instead
_SECOND_CHOICE = {"title": "content", "date_from": "date_to"}


@dataclass
class ColumnMap:
    header_row: int  # 0-based index of the header row in Sheet.rows
    headers: list[str]  # the header cells as written
    fields: dict[int, str] = field(default_factory=dict)  # column index -> field key

    def column_of(self, key: str) -> int | None:
        return next((column for column, k in self.fields.items() if k == key), None)

    @property
    def shape(self) -> str:
        """Identifies sheets of the same layout, to remember a mapping the officer corrected."""
        folded = "|".join(header_key(h) for h in self.headers)
        return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]


def field_of(header) -> str | None:
    """The field a header cell names, or None."""
    text = header_key(header)
    if not text:
        return None
    if text in HEADER_KEYS:
        return HEADER_KEYS[text]
    best = ""
    for known in HEADER_KEYS:
        if len(known) > len(best) and text.startswith(known + " "):
            best = known
    return HEADER_KEYS[best] if best else None


def map_columns(headers: list) -> dict[int, str]:
    """Column index -> field for one header row; each field is taken by one column only."""
    fields: dict[int, str] = {}
    taken: set[str] = set()
    for column, header in enumerate(headers):
        key = field_of(header)
        if key in taken:
            key = _SECOND_CHOICE.get(key)
        if key and key not in taken:
            fields[column] = key
            taken.add(key)
    return fields


def find_header(rows: list[list]) -> ColumnMap | None:
    """The header row among the first rows, or None when no row looks like one."""
    best: ColumnMap | None = None
    for index, row in enumerate(rows[:SCAN_ROWS]):
        fields = map_columns(row)
        known = set(fields.values())
        if len(known) < 2 or not known & set(REQUIRED_KEYS):
            continue
        if best is None or len(known) > len(set(best.fields.values())):
            best = ColumnMap(index, [str(v).strip() if v is not None else "" for v in row], fields)
    return best
