"""Shared fixtures: a real SQLite file per test, opened with the app's own open_db."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # GUI tests rely on it

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from core.db import open_db  # noqa: E402
from core.units import create_unit  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "so.db"


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def unit(db):
    return create_unit(db, name="Xã Hải Lăng", level="xa")


@pytest.fixture
def commune(db):
    """The database of a commune whose profile is set (``db.unit`` is the commune)."""
    from core import settings

    unit = create_unit(db, name="Xã Hải Phú", level="xa")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Lê Thị Mai"))
    db.unit = unit
    return db


def make_older_database(path: Path) -> Path:
    """A database file as version 1 of the app left it (schema 1, before the reports)."""
    from core.db import APPLICATION_ID, connect
    from core.migrations import migrations

    old = connect(path)
    migrations.apply(old, stop_before="m002_reports")
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute("PRAGMA user_version = 1")
    old.close()
    return path


@contextlib.contextmanager
def transaction(db):
    """Several statements as one (the app's connections commit each statement on its own)."""
    db.conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
