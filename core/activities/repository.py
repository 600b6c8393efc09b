"""Reading activities: ordered id lists, rows by id, totals, grouped statistics.

Big lists never come into memory as rows: a search returns the ordered ids
(8 bytes each) and rows are read in small batches when they are shown.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass

import sqlite_utils

from core.activities.filters import SORT_EXPRESSIONS, ActivityFilter
from core.activities.model import Activity, EvidenceFile
from core.errors import NotFoundError

ROW_COLUMNS = (
    "id", "uuid", "date_from", "date_to", "unit_id", "form_code", "title", "content",
    "channel", "quantity", "duration_minutes", "participants", "cost", "funding_code",
    "link", "notes", "origin", "created_at", "updated_at", "deleted_at",
)  # fmt: skip


@dataclass(frozen=True)
class Totals:
    count: int = 0
    quantity: int = 0
    duration_minutes: int = 0
    participants: int = 0
    cost: int = 0


_SUMS = (
    "count(*), coalesce(sum(a.quantity), 0), coalesce(sum(a.duration_minutes), 0),"
    " coalesce(sum(a.participants), 0), coalesce(sum(a.cost), 0)"
)


_COVERED_SORTS = {"date", "unit", "form", "quantity", "duration", "participants", "cost", "funding"}


def ordered_ids(
    db: sqlite_utils.Database,
    flt: ActivityFilter,
    *,
    sort: str = "date",
    descending: bool = True,
) -> array:
    """Ids of the matching activities in display order (ties broken by id)."""
    where, params = flt.where()
    direction = "DESC" if descending else "ASC"
    expression = SORT_EXPRESSIONS[sort]
    hint = flt.covering_index() if sort in _COVERED_SORTS else ""
    sql = (
        f"SELECT a.id FROM activities a {hint} WHERE {where}"
        f" ORDER BY {expression} {direction}, a.id {direction}"
    )
    ids = array("q")
    cursor = db.execute(sql, params)
    while True:
        chunk = cursor.fetchmany(20000)
        if not chunk:
            break
        ids.extend(row[0] for row in chunk)
    return ids


# Above this many search matches, walking the date index newest-first finds a
# page of results sooner than reading every match and sorting.
_MANY_MATCHES = 5000


def first_ids(db: sqlite_utils.Database, flt: ActivityFilter, *, limit: int = 200) -> list[int]:
    """The first ``limit`` ids newest first, fast even when a search matches 100,000 rows."""
    where, params = flt.where()
    hint = ""
    query = flt.fts_query()
    if query:
        matches = db.execute(  # counting stops early: we only need "many or few"
            "SELECT count(*) FROM (SELECT rowid FROM activity_search WHERE activity_search MATCH ? LIMIT ?)",
            [query, _MANY_MATCHES + 1],
        ).fetchone()[0]
        if matches > _MANY_MATCHES and not flt.in_trash:
            hint = "INDEXED BY activities_by_date"
    sql = (
        f"SELECT a.id FROM activities a {hint} WHERE {where}"
        " ORDER BY a.date_from DESC, a.id DESC LIMIT ?"
    )
    return [row[0] for row in db.execute(sql, params + [limit])]


def rows_by_id(db: sqlite_utils.Database, ids: list[int]) -> dict[int, dict]:
    """Display rows for ``ids`` (at most a few hundred at a time), keyed by id."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = f"""
        SELECT {", ".join("a." + c for c in ROW_COLUMNS)},
               u.name AS unit_name,
               f.label AS form_label, f.counted_unit,
               fs.label AS funding_label,
               (SELECT group_concat(t.label, '; ') FROM activity_topics at
                  JOIN taxonomy t ON t.kind = 'topic' AND t.code = at.topic_code
                  WHERE at.activity_id = a.id) AS topic_labels,
               (SELECT count(*) FROM evidence e WHERE e.activity_id = a.id) AS evidence_count
        FROM activities a
        LEFT JOIN units u ON u.id = a.unit_id
        LEFT JOIN taxonomy f ON f.kind = 'form' AND f.code = a.form_code
        LEFT JOIN taxonomy fs ON fs.kind = 'funding' AND fs.code = a.funding_code
        WHERE a.id IN ({marks})
    """
    cursor = db.execute(sql, list(ids))
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


def page(
    db: sqlite_utils.Database,
    flt: ActivityFilter,
    *,
    limit: int = 500,
    after: tuple[str, int] | None = None,
) -> list[dict]:
    """Newest first, keyset-paged: pass the last row's (date_from, id) as ``after``."""
    where, params = flt.where()
    if after:
        where += " AND (a.date_from, a.id) < (?, ?)"
        params += list(after)
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT a.id FROM activities a WHERE {where}"
            " ORDER BY a.date_from DESC, a.id DESC LIMIT ?",
            params + [limit],
        )
    ]
    rows = rows_by_id(db, ids)
    return [rows[i] for i in ids]


def totals(db: sqlite_utils.Database, flt: ActivityFilter) -> Totals:
    where, params = flt.where()
    hint = flt.covering_index()
    row = db.execute(f"SELECT {_SUMS} FROM activities a {hint} WHERE {where}", params).fetchone()
    return Totals(*row)


def count(db: sqlite_utils.Database, flt: ActivityFilter) -> int:
    where, params = flt.where()
    return db.execute(f"SELECT count(*) FROM activities a WHERE {where}", params).fetchone()[0]


# grouping -> (key expression over "a", SQL giving (key, label, order) for the keys)
GROUPINGS = {
    "form": ("a.form_code", "SELECT code, label, sort_order FROM taxonomy WHERE kind = 'form'"),
    "topic": ("at.topic_code", "SELECT code, label, sort_order FROM taxonomy WHERE kind = 'topic'"),
    "funding": ("coalesce(a.funding_code, '')",
                "SELECT code, label, sort_order FROM taxonomy WHERE kind = 'funding'"
                " UNION ALL SELECT '', 'Không ghi nguồn', 999"),
    "unit": ("a.unit_id", "SELECT id, name, sort_key FROM units"),
    "month": ("substr(a.date_from, 1, 7)", None),
}  # fmt: skip


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    totals: Totals


def stats(db: sqlite_utils.Database, flt: ActivityFilter, *, by: str) -> list[Group]:
    """Counts and sums per group. Topics: an activity counts once in each of its topics."""
    where, params = flt.where()
    key, labels_sql = GROUPINGS[by]
    join = "JOIN activity_topics at ON at.activity_id = a.id" if by == "topic" else ""
    hint = "" if by == "topic" else flt.covering_index()
    rows = db.execute(
        f"SELECT {key} AS k, {_SUMS} FROM activities a {hint} {join} WHERE {where} GROUP BY k", params
    ).fetchall()
    if labels_sql is None:  # month: "2025-03" -> "03/2025", in time order
        return [Group(k, f"{k[5:7]}/{k[:4]}", Totals(*rest)) for k, *rest in sorted(rows)]
    labels = {code: (label, order) for code, label, order in db.execute(labels_sql)}
    groups = [Group(k, labels.get(k, (k, None))[0], Totals(*rest)) for k, *rest in rows]
    return sorted(groups, key=lambda g: (labels.get(g.key, ("", None))[1] is None,
                                         labels.get(g.key, ("", 0))[1] or 0, g.key))  # fmt: skip


def get_activity(db: sqlite_utils.Database, activity_id: int) -> Activity:
    row = db.execute(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM activities WHERE id = ?", [activity_id]
    ).fetchone()
    if row is None:
        raise NotFoundError("Hoạt động này không còn trong sổ (có thể đã bị xóa hẳn).")
    data = dict(zip(ROW_COLUMNS, row))
    data["date_from"] = dt.date.fromisoformat(data["date_from"])
    data["date_to"] = dt.date.fromisoformat(data["date_to"]) if data["date_to"] else None
    data["topics"] = [
        r[0]
        for r in db.execute(
            "SELECT at.topic_code FROM activity_topics at LEFT JOIN taxonomy t"
            " ON t.kind = 'topic' AND t.code = at.topic_code"
            " WHERE at.activity_id = ? ORDER BY t.sort_order",
            [activity_id],
        )
    ]
    data["evidence"] = [
        EvidenceFile(*r)
        for r in db.execute(
            "SELECT id, file_name, sha256, size FROM evidence WHERE activity_id = ? ORDER BY id",
            [activity_id],
        )
    ]
    return Activity(**data)
