"""Schema migrations (sqlite-utils Migrations). Append new ones; never edit old ones.

``PRAGMA user_version`` is set to the number of applied migrations, so an older
app can tell that a file comes from a newer one.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from core.db import APPLICATION_ID
from core.resources import load_json

migrations = Migrations("so_tuyen_truyen")
_NAMES: list[str] = []


def migration(fn):
    """Register ``fn`` as the next migration (and count it for SCHEMA_VERSION)."""
    _NAMES.append(fn.__name__)
    return migrations()(fn)


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE taxonomy (
            kind TEXT NOT NULL, code TEXT NOT NULL, label TEXT NOT NULL,
            default_label TEXT NOT NULL,
            counted_unit TEXT NOT NULL DEFAULT '', extra_label TEXT NOT NULL DEFAULT '',
            sort_order INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (kind, code)
        );

        CREATE TABLE units (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            level TEXT NOT NULL,
            parent_id TEXT REFERENCES units(id),
            official_code TEXT,
            sort_key TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX units_by_parent ON units(parent_id);

        CREATE TABLE unit_name_history (
            id INTEGER PRIMARY KEY,
            unit_id TEXT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            old_name TEXT NOT NULL,
            new_name TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );

        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL,
            date_from TEXT NOT NULL,
            date_to TEXT,
            unit_id TEXT NOT NULL REFERENCES units(id),
            form_code TEXT NOT NULL,
            title TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            quantity INTEGER,
            duration_minutes INTEGER,
            participants INTEGER,
            cost INTEGER,
            funding_code TEXT,
            link TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL DEFAULT 'typed',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            search_text TEXT NOT NULL DEFAULT '',
            title_key TEXT NOT NULL DEFAULT ''
        );
        -- Covers the totals bar and statistics, so they never read the wide rows.
        CREATE INDEX activities_by_date ON activities(
            date_from, id, quantity, duration_minutes, participants, cost, form_code, unit_id, funding_code
        ) WHERE deleted_at IS NULL;
        CREATE UNIQUE INDEX activities_by_uuid ON activities(uuid);
        CREATE INDEX activities_by_unit ON activities(unit_id, date_from) WHERE deleted_at IS NULL;
        CREATE INDEX activities_by_form ON activities(form_code, date_from) WHERE deleted_at IS NULL;
        CREATE INDEX activities_in_trash ON activities(deleted_at) WHERE deleted_at IS NOT NULL;

        CREATE TABLE activity_topics (
            activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
            topic_code TEXT NOT NULL,
            PRIMARY KEY (activity_id, topic_code)
        ) WITHOUT ROWID;
        CREATE INDEX activity_topics_by_topic ON activity_topics(topic_code, activity_id);

        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX evidence_by_activity ON evidence(activity_id);

        -- Search index over the folded text (no tone marks, đ -> d), kept in step by triggers.
        CREATE VIRTUAL TABLE activity_search USING fts5(
            search_text, content='activities', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER activities_ai AFTER INSERT ON activities BEGIN
            INSERT INTO activity_search(rowid, search_text) VALUES (new.id, new.search_text);
        END;
        CREATE TRIGGER activities_ad AFTER DELETE ON activities BEGIN
            INSERT INTO activity_search(activity_search, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        END;
        CREATE TRIGGER activities_au AFTER UPDATE OF search_text ON activities BEGIN
            INSERT INTO activity_search(activity_search, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
            INSERT INTO activity_search(rowid, search_text) VALUES (new.id, new.search_text);
        END;
        """
    )
    seed_taxonomy(db)


@migration
def m002_reports(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            unit_id TEXT NOT NULL REFERENCES units(id),
            kind TEXT NOT NULL,
            year INTEGER NOT NULL,
            period_number INTEGER,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            rules TEXT NOT NULL,
            doc_number INTEGER,
            doc_symbol TEXT NOT NULL DEFAULT 'BC-UBND',
            doc_date TEXT NOT NULL,
            header TEXT NOT NULL,      -- JSON: agency_parent, agency_name, place, summary, recipients
            sections TEXT NOT NULL,    -- JSON: [{key, heading, text, drafted}]
            signature TEXT NOT NULL,   -- JSON: authority, title_lines, signer, noi_nhan
            status TEXT NOT NULL DEFAULT 'draft',
            finalised_at TEXT,
            frozen TEXT,               -- JSON: the figures as sent, and the files' hashes
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX reports_by_period ON reports(year, kind);
        CREATE TABLE report_reopenings (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            reason TEXT NOT NULL,
            officer TEXT NOT NULL DEFAULT '',
            reopened_at TEXT NOT NULL
        );
        """
    )


@migration
def m003_plans(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            number TEXT NOT NULL DEFAULT '',      -- "148/KH-UBND"
            issued_on TEXT,                        -- ISO date
            issuer TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            year_from INTEGER NOT NULL,
            year_to INTEGER NOT NULL,
            document_name TEXT NOT NULL DEFAULT '', -- the plan's PDF/DOCX, kept like evidence files
            document_sha256 TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active',  -- active, done, cancelled
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE targets (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            series TEXT NOT NULL,                  -- the same target in other years (copied) shares it
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            year INTEGER NOT NULL,
            planned REAL NOT NULL,
            unit_kind TEXT NOT NULL,               -- count, percent, money
            unit_label TEXT NOT NULL DEFAULT '',   -- "tin, bài", "%", "đồng"
            source TEXT NOT NULL,                  -- log, linked, manual
            measure TEXT NOT NULL DEFAULT 'count', -- count, quantity, duration_minutes, participants, cost
            form_codes TEXT NOT NULL DEFAULT '[]', -- JSON lists: which activities count ([] = all)
            topic_codes TEXT NOT NULL DEFAULT '[]',
            unit_ids TEXT NOT NULL DEFAULT '[]',
            sort_order INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX targets_by_year ON targets(year, plan_id);
        CREATE TABLE target_values (                -- a manual target's value as of a date
            id INTEGER PRIMARY KEY,
            target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
            as_of TEXT NOT NULL,
            value REAL NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            evidence_name TEXT NOT NULL DEFAULT '',
            evidence_sha256 TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX target_values_by_target ON target_values(target_id, as_of);
        CREATE TABLE activity_targets (
            activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
            target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
            PRIMARY KEY (activity_id, target_id)
        ) WITHOUT ROWID;
        CREATE INDEX activity_targets_by_target ON activity_targets(target_id, activity_id);
        """
    )


@migration
def m004_exchange(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE received_packages (           -- each USB package merged here (core/package/merge.py)
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,                  -- of the package file
            unit_id TEXT NOT NULL REFERENCES units(id),
            period_kind TEXT NOT NULL,
            period_year INTEGER NOT NULL,
            period_number INTEGER,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            created_at TEXT NOT NULL,              -- when the sending unit wrote it
            received_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            counts TEXT NOT NULL DEFAULT '{}',     -- JSON: new, changed, unchanged, deleted, conflicts
            report TEXT NOT NULL DEFAULT '{}'      -- JSON: the sender's report (status, number, files kept)
        );
        CREATE INDEX received_by_period ON received_packages(period_kind, period_year, unit_id);
        CREATE TABLE unit_aliases (                -- a commune merged into another (2025 reform)
            unit_id TEXT PRIMARY KEY,              -- the old unit, as other databases know it
            maps_to TEXT NOT NULL REFERENCES units(id)
        );
        -- a plan received from a subordinate unit belongs to it; NULL: this database's own unit
        ALTER TABLE plans ADD COLUMN unit_id TEXT REFERENCES units(id);
        """
    )


@migration
def m005_history(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE history (                     -- who changed what (core/history.py)
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            officer TEXT NOT NULL DEFAULT '',      -- the officer's name from the profile
            action TEXT NOT NULL,                  -- create, update, delete, restore, purge, import, merge
            activity_uuid TEXT,                    -- the activity, or NULL for a whole import or merge
            batch TEXT NOT NULL DEFAULT '',        -- one import, merge or bulk delete: undone together
            changes TEXT NOT NULL DEFAULT '{}'     -- JSON {field: [old, new]}, or what a batch did
        );
        CREATE INDEX history_by_activity ON history(activity_uuid, id);
        """
    )


def seed_taxonomy(db: sqlite_utils.Database) -> None:
    """Insert the shipped taxonomy; existing codes (and edited labels) are kept."""
    rows = []
    for kind, items in load_json("taxonomy.json").items():
        for order, item in enumerate(items):
            rows.append(
                {
                    "kind": kind,
                    "code": item["code"],
                    "label": item["label"],
                    "default_label": item["label"],
                    "counted_unit": item.get("counted_unit", ""),
                    "extra_label": item.get("extra_label", ""),
                    "sort_order": order,
                }
            )
    db["taxonomy"].insert_all(rows, ignore=True)


SCHEMA_VERSION = len(_NAMES)


def apply_migrations(db: sqlite_utils.Database) -> None:
    """Bring the schema up to date and mark the file as ours."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION and db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return
    migrations.apply(db)
    with db.atomic():
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
