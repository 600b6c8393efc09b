"""Fast loading of many activities at once (demo data, large imports).

Per-row upkeep of the search index and secondary indexes dominates a bulk
insert; inside one transaction we drop them, insert, then rebuild them in one
pass. Callers must hold a transaction (db.atomic()), so a failure or cancel
leaves the database exactly as it was.
"""

from __future__ import annotations

from contextlib import contextmanager

import sqlite_utils

_DEFERRED = (
    "activities_ai", "activities_by_date", "activities_by_unit", "activities_by_form",
    "activities_by_uuid", "activity_topics_by_topic",
)  # fmt: skip


@contextmanager
def bulk_load(db: sqlite_utils.Database, adding: int | None = None):
    """Suspend search-index triggers and date/unit/form indexes around a bulk insert.

    With ``adding`` (how many activities are coming), the indexes are kept when that is
    few beside those already logged: rebuilding a million rows' indexes for a
    hundred new ones would cost more than keeping them up to date row by row.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("bulk_load needs an open transaction")
    first_new_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM activities").fetchone()[0]
    if adding is not None and (adding == 0 or adding * 4 < db.execute("SELECT count(*) FROM activities").fetchone()[0]):
        yield first_new_id  # the triggers and indexes stay: each row is indexed as it goes in
        return
    saved = db.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE name IN ({','.join('?' * len(_DEFERRED))})",
        list(_DEFERRED),
    ).fetchall()
    old_cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -262144")  # 256 MB while loading
    for kind, name, _sql in saved:
        db.execute(f"DROP {kind.upper()} {name}")
    try:
        yield first_new_id
        db.execute(
            "INSERT INTO activity_search(rowid, search_text)"
            " SELECT id, search_text FROM activities WHERE id >= ?",
            [first_new_id],
        )
    finally:
        # Recreated in both cases: on error the caller's rollback restores them anyway. After a full
        # disk or an I/O error SQLite has already rolled the whole transaction back, dropping included:
        # they exist again, and re-creating them would hide the real error behind "already exists".
        if db.conn.in_transaction:
            for _kind, _name, sql in saved:
                db.execute(sql)
        db.execute(f"PRAGMA cache_size = {old_cache}")
