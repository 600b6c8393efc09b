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
