"""Opening the database: create, migrate, and refuse (untouched) what is not ours or is newer."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from core.db import APPLICATION_ID, open_db
from core.errors import DatabaseError, NewerDatabaseError, NotOurDatabaseError
from core.migrations import SCHEMA_VERSION


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def age(path: Path) -> None:
    """Move the file's mtime into the past, so any write would visibly change it."""
    old = time.time() - 3600
    os.utime(path, (old, old))


def test_fresh_file_is_created_with_wal_version_and_taxonomy(db_path):
    assert not db_path.exists()
    db = open_db(db_path)
    try:
        assert db_path.is_file()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert SCHEMA_VERSION >= 1
        counts = dict(db.execute("SELECT kind, count(*) FROM taxonomy GROUP BY kind").fetchall())
        assert counts == {"form": 15, "topic": 9, "channel": 11, "funding": 5}
        forms = dict(db.execute("SELECT code, label FROM taxonomy WHERE kind = 'form'").fetchall())
        assert forms["tin_bai"] == "Tin, bài, ảnh trên cổng/trang thông tin điện tử, báo chí"
        assert forms["phat_thanh"].startswith("Phát thanh trên đài truyền thanh cơ sở")
        topics = dict(db.execute("SELECT code, label FROM taxonomy WHERE kind = 'topic'").fetchall())
        assert topics["chinh_quyen_so"] == "Chính quyền số"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"settings", "taxonomy", "units", "activities", "activity_topics", "evidence"} <= tables
    finally:
        db.close()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    raw.close()


def test_reopening_keeps_data_and_version(db_path):
    db = open_db(db_path)
    db.execute("UPDATE taxonomy SET label = 'Nhãn riêng' WHERE kind = 'form' AND code = 'khac'")
    db.close()
    for _ in range(2):
        db = open_db(db_path)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert db.execute("SELECT count(*) FROM taxonomy").fetchone()[0] == 40
            label = db.execute("SELECT label FROM taxonomy WHERE kind = 'form' AND code = 'khac'").fetchone()[0]
            assert label == "Nhãn riêng"
        finally:
            db.close()


def test_text_file_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "ghi_chu.db"
    path.write_text("Danh sách hoạt động tháng 3\nKhông phải cơ sở dữ liệu\n", encoding="utf-8")
    age(path)
    before = snapshot(path)
    names = siblings(path)
    with pytest.raises(NotOurDatabaseError) as info:
        open_db(path)
    assert "ghi_chu.db" in info.value.message
    assert "không phải" in info.value.message
    assert snapshot(path) == before
    assert siblings(path) == names  # no -wal / -shm / -journal left behind


def test_short_binary_file_is_refused(tmp_path):
    path = tmp_path / "anh.db"
    path.write_bytes(b"\x89PNG\r\n")
    before = snapshot(path)
    with pytest.raises(NotOurDatabaseError):
        open_db(path)
    assert snapshot(path) == before


def test_corrupt_sqlite_file_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "hong.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    age(path)
    before = snapshot(path)
    with pytest.raises(NotOurDatabaseError) as info:
        open_db(path)
    assert "Tệp được giữ nguyên" in info.value.message or "giữ nguyên" in info.value.message
    assert snapshot(path) == before


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_other_apps_sqlite_is_refused_and_unchanged(tmp_path, journal_mode):
    path = tmp_path / "ke_toan.db"
    other = sqlite3.connect(path)
    other.execute(f"PRAGMA journal_mode = {journal_mode}")
    other.execute("CREATE TABLE hoa_don (id INTEGER PRIMARY KEY, so_tien INTEGER)")
    other.execute("INSERT INTO hoa_don(so_tien) VALUES (1500000)")
    other.commit()
    other.close()
    age(path)
    before = snapshot(path)
    names = siblings(path)
    with pytest.raises(NotOurDatabaseError) as info:
        open_db(path)
    assert "phần mềm khác" in info.value.message
    assert snapshot(path) == before
    assert siblings(path) == names
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA application_id").fetchone()[0] == 0
        assert check.execute("PRAGMA user_version").fetchone()[0] == 0
        assert [r[0] for r in check.execute("SELECT name FROM sqlite_master")] == ["hoa_don"]
    finally:
        check.close()


def make_newer(db_path: Path, journal_mode: str) -> None:
    """Our file as a newer version leaves it: closed cleanly, in ``journal_mode``."""
    db = open_db(db_path)
    db.close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.execute(f"PRAGMA journal_mode = {journal_mode}")
    raw.close()
    assert sorted(siblings(db_path)) == [db_path.name]


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_newer_schema_is_refused_and_unchanged(db_path, journal_mode):
    make_newer(db_path, journal_mode)
    age(db_path)
    before = snapshot(db_path)
    names = siblings(db_path)
    with pytest.raises(NewerDatabaseError) as info:
        open_db(db_path)
    assert "phiên bản mới hơn" in info.value.message
    assert str(SCHEMA_VERSION + 1) in info.value.message
    assert snapshot(db_path) == before
    assert siblings(db_path) == names
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        raw.close()


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "du_lieu.db"
    folder.mkdir()
    with pytest.raises(DatabaseError) as info:
        open_db(folder)
    assert "thư mục" in info.value.message
    assert list(folder.iterdir()) == []


def test_empty_file_is_accepted(tmp_path):
    path = tmp_path / "moi.db"
    path.touch()
    assert path.stat().st_size == 0
    db = open_db(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT count(*) FROM taxonomy WHERE kind = 'form'").fetchone()[0] == 15
    finally:
        db.close()
    assert path.stat().st_size > 0


def test_missing_folder_is_created(tmp_path):
    path = tmp_path / "a" / "b" / "so.db"
    db = open_db(path)
    db.close()
    assert path.is_file()


def test_errors_are_user_errors_with_vietnamese_messages(tmp_path):
    path = tmp_path / "x.db"
    path.write_text("xin chào", encoding="utf-8")
    with pytest.raises(DatabaseError) as info:
        open_db(path)
    message = str(info.value)
    assert message == info.value.message
    assert "Tệp" in message


def test_older_database_is_upgraded_in_place(tmp_path):
    """A file made before the reports existed (schema 1) opens, keeps its data and gains the tables."""
    from core.db import APPLICATION_ID, connect
    from core.migrations import SCHEMA_VERSION, migrations
    from core.units import create_unit

    path = tmp_path / "cu.db"
    old = connect(path)
    migrations.apply(old, stop_before="m002_reports")
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute("PRAGMA user_version = 1")
    unit = create_unit(old, name="Xã Cũ", level="xa")
    old.execute("INSERT INTO activities(uuid, date_from, unit_id, form_code, title, quantity, created_at, updated_at)"
                " VALUES ('u-cu', '2024-02-01', ?, 'mxh', 'Bài cũ', 1, '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z')",
                [unit.id])  # as a version-1 app wrote it  # fmt: skip
    assert "reports" not in old.table_names()
    old.close()

    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert "reports" in db.table_names() and "report_reopenings" in db.table_names()
    assert {"plans", "targets", "target_values", "activity_targets"} <= set(db.table_names())
    assert {"received_packages", "unit_aliases", "history"} <= set(db.table_names())
    assert db.execute("SELECT title FROM activities").fetchall() == [("Bài cũ",)]
    db.close()
