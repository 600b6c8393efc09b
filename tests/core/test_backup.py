"""Backups beside the database, restore and check: real files, the command line, the refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3

import pytest

from core import backup
from core.activities.service import create_activity
from core.cli import run
from core.db import connect, open_db
from core.errors import UserError
from core.restore import check_backup, check_database, restore
from core.units import create_unit
from tests.conftest import make_older_database


def _add(db, unit, title: str) -> None:
    create_activity(db, {"date_from": "05/03/2025", "unit_id": unit.id, "form_code": "mxh", "title": title,
                         "quantity": "1"})  # fmt: skip


def _titles(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("SELECT title FROM activities"))
    finally:
        conn.close()


def _cli(db_path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_a_backup_is_one_verified_file_named_after_the_database(db, db_path, unit):
    _add(db, unit, "Hội nghị")
    copy = backup.backup_before(db, "thu")
    assert copy.parent == db_path.parent / "sao_luu" and copy.name.startswith(f"{db_path.stem}-truoc-thu-")
    assert not copy.with_name(copy.name + "-wal").exists()  # out of WAL mode: self-contained
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert _titles(copy) == ["Hội nghị"]
    info = backup.list_backups(db_path)[0]
    assert (info.path, info.activities) == (copy, 1)


def test_daily_copies_once_a_day_and_the_old_ones_go(db, db_path, unit, monkeypatch):
    monkeypatch.setattr(backup, "KEEP_DAILY", 3)
    days = [dt.date(2025, 3, d) for d in range(1, 6)]
    assert all(backup.daily_backup(db, day) is not None for day in days)
    assert backup.daily_backup(db, days[-1]) is None  # the same day again
    names = sorted(p.path.name for p in backup.list_backups(db_path))
    assert names == [f"{db_path.stem}-hang-ngay-2025030{d}.db" for d in (3, 4, 5)]
    monkeypatch.setattr(backup, "KEEP_BEFORE", 2)
    for _ in range(4):
        backup.backup_before(db, "nhap")
    assert len([p for p in backup.list_backups(db_path) if "-truoc-" in p.path.name]) == 2


def test_another_database_in_the_folder_keeps_its_own_copies(db, db_path, unit, tmp_path):
    other = open_db(tmp_path / "khac.db")
    backup.backup_before(other, "thu")
    other.close()
    assert backup.list_backups(db_path) == [] and backup.last_backup(db_path) is None


def test_restore_puts_the_backup_back_and_keeps_what_was_there(db, db_path, unit):
    _add(db, unit, "Trước")
    copy = backup.backup_before(db, "thu")
    _add(db, unit, "Sau khi sao lưu")  # still in the write-ahead log when the swap happens
    db.close()
    before = restore(db_path, copy)
    assert _titles(db_path) == ["Trước"]
    assert _titles(before) == ["Sau khi sao lưu", "Trước"]  # nothing lost: the replaced data is kept
    reopened = open_db(db_path)
    assert reopened.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened.close()


@pytest.mark.parametrize("kind", ["van-ban", "phan-mem-khac", "moi-hon", "hong", "chinh-no", "khong-co"])
def test_restore_refuses_what_is_not_a_usable_backup(db, db_path, unit, tmp_path, kind):
    _add(db, unit, "Giữ nguyên")
    source = tmp_path / f"{kind}.db"
    if kind == "van-ban":
        source.write_text("không phải cơ sở dữ liệu")
    elif kind == "phan-mem-khac":
        conn = sqlite3.connect(source)
        conn.execute("CREATE TABLE orders (id INTEGER)")
        conn.commit()
        conn.close()
    elif kind in ("moi-hon", "hong"):
        source = backup.backup_before(db, "thu")
        conn = sqlite3.connect(source)
        if kind == "moi-hon":
            conn.execute("PRAGMA user_version = 99")
            conn.commit()
        conn.close()
        if kind == "hong":
            data = bytearray(source.read_bytes())
            page = 4096 * 3  # a page of the tables, not the header: the file still opens
            data[page : page + 200] = b"\x00\xff" * 100
            source.write_bytes(bytes(data))
    elif kind == "chinh-no":
        source = db_path
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(UserError) as refused:
        restore(db_path, source)
    assert str(refused.value)
    assert db_path.read_bytes() == before and _titles(db_path) == ["Giữ nguyên"]


def test_an_older_database_is_backed_up_before_its_migration(tmp_path):
    path = make_older_database(tmp_path / "cu.db")
    open_db(path).close()
    copies = backup.list_backups(path)
    assert len(copies) == 1 and "-truoc-nang-cap-" in copies[0].path.name and copies[0].schema == 1
    open_db(path).close()  # up to date now: no second copy
    assert len(backup.list_backups(path)) == 1


def test_command_line_backup_check_and_restore(db, db_path, unit, tmp_path):
    _add(db, unit, "Một")
    db.close()
    code, out, _ = _cli(db_path, "check", "--format", "json")
    found = json.loads(out)
    assert code == 0 and found["ok"] and found["integrity"] == "ok" and found["counts"]["activities"] == 1
    assert found["last_backup"] is None and found["warnings"]  # no backup yet: said, not an error
    code, out, _ = _cli(db_path, "backup")
    assert code == 0 and "Đã sao lưu vào" in out
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, _ = _cli(db_path, "backup", str(usb))
    assert code == 0 and len(list(usb.glob("*.db"))) == 1
    extra = open_db(db_path)
    _add(extra, unit, "Hai")
    extra.close()
    code, out, err = _cli(db_path, "restore", str(next(usb.glob("*.db"))))
    assert code == 0 and "Đã khôi phục" in out, err
    assert _titles(db_path) == ["Một"]
    code, out, err = _cli(db_path, "restore", str(tmp_path / "khong-co.db"))
    assert code == 1 and "Không tìm thấy tệp sao lưu" in err


def test_check_reports_a_damaged_database(db, db_path, unit):
    for n in range(300):
        _add(db, unit, f"Hoạt động {n} " + "x" * 200)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(db_path.read_bytes())
    data[4096 * 5 : 4096 * 5 + 300] = b"\xff" * 300
    db_path.write_bytes(bytes(data))
    result = check_database(db_path)
    assert not result.ok and result.problems
    code, out, _ = _cli(db_path, "check")
    assert code == 1 and "bị hỏng" in out


def test_check_backup_describes_a_good_one(db, db_path, unit):
    _add(db, unit, "Một")
    info = check_backup(backup.backup_before(db, "thu"))
    assert info.activities == 1


@pytest.fixture
def unit(db):
    return create_unit(db, name="Xã Hải Lăng", level="xa")


def test_a_usb_backup_carries_the_data_and_the_evidence_and_comes_back(db, db_path, unit, tmp_path):
    from core.activities.evidence import add_evidence, stored_path
    from core.backup_usb import restore_usb_backup, write_usb_backup
    from core.settings import Profile, save_profile

    save_profile(db, Profile(unit_id=unit.id, officer_name="Lê Thị Mai"))
    _add(db, unit, "Hội nghị có ảnh")
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"\xff\xd8 anh hoi nghi" * 100)
    activity_id = db.execute("SELECT id FROM activities").fetchone()[0]
    add_evidence(db, activity_id, photo)
    sha = db.execute("SELECT sha256 FROM evidence").fetchone()[0]
    usb = tmp_path / "usb"
    usb.mkdir()
    written = write_usb_backup(db, usb, today=dt.date(2026, 11, 23))
    assert written.path.name == "SaoLuu_XaHaiLang_20261123.cdsbak" and (written.activities, written.files) == (1, 1)
    assert [p.name for p in usb.iterdir()] == [written.path.name]  # nothing half-written left
    _add(db, unit, "Thêm sau")
    db.close()
    reader = open_db(db_path)
    stored_path_file = stored_path(reader, sha, "anh.jpg")
    reader.close()
    stored_path_file.unlink()  # the laptop lost its evidence folder too
    restore_usb_backup(db_path, written.path)
    assert _titles(db_path) == ["Hội nghị có ảnh"]
    assert stored_path_file.read_bytes() == photo.read_bytes()


def test_a_tampered_usb_backup_or_a_data_package_is_not_restored(db, db_path, unit, tmp_path):
    import zipfile

    from core.backup_usb import restore_usb_backup, write_usb_backup
    from core.package.package_error import PackageError

    _add(db, unit, "Giữ nguyên")
    written = write_usb_backup(db, tmp_path)
    db.close()
    before = db_path.read_bytes()
    tampered = tmp_path / "sua.cdsbak"
    with zipfile.ZipFile(written.path) as source, zipfile.ZipFile(tampered, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item, data.replace(b"Gi", b"Xx") if item.filename.endswith(".db") else data)
    with pytest.raises(PackageError):
        restore_usb_backup(db_path, tampered)
    not_backup = tmp_path / "goi.cdsbak"
    with zipfile.ZipFile(written.path) as source, zipfile.ZipFile(not_backup, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item, data.replace(b'"kind": "backup"', b'"kind": "khac"') if item.filename == "manifest.json"
                         else data)  # fmt: skip
    with pytest.raises(UserError):
        restore_usb_backup(db_path, not_backup)
    assert db_path.read_bytes() == before


def test_restore_waits_while_another_connection_is_reading(db, db_path, unit):
    _add(db, unit, "Một")
    copy = backup.backup_before(db, "thu")
    _add(db, unit, "Hai")  # in the write-ahead log
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM activities").fetchone()  # holds a snapshot: the log cannot be folded in
    db.close()
    try:
        with pytest.raises(UserError) as refused:
            restore(db_path, copy)
        assert "đang được dùng" in str(refused.value)
    finally:
        reader.close()
    assert _titles(db_path) == ["Hai", "Một"]


def test_a_copy_cut_short_is_cleaned_up_by_the_next_backup(db, db_path, unit):
    folder = backup.backups_dir(db_path)
    folder.mkdir(parents=True)
    left = folder / f"{db_path.stem}-truoc-nhan-du-lieu-20261123-101010-000001.db.tmp"
    left.write_bytes(b"half a copy")  # the process was killed while copying
    backup.backup_before(db, "thu")
    assert not left.exists() and len(backup.list_backups(db_path)) == 1


def test_a_database_found_damaged_is_only_read_until_a_backup_is_restored(db, db_path, unit):
    from core.db import is_damaged, mark_damaged
    from core.errors import describe_unexpected

    _add(db, unit, "Một")
    copy = backup.backup_before(db, "thu")
    db.close()
    mark_damaged(db_path)
    try:
        reader = connect(db_path)
        assert reader.execute("SELECT count(*) FROM activities").fetchone()[0] == 1  # reading works
        with pytest.raises(sqlite3.OperationalError) as refused:
            reader.execute("DELETE FROM activities")
        assert "chỉ cho xem" in describe_unexpected(refused.value)
        reader.close()
        restore(db_path, copy)
        assert not is_damaged(db_path)  # another file now: written as usual
        writer = open_db(db_path)
        _add(writer, unit, "Hai")
        writer.close()
    finally:
        from core.db import clear_damaged

        clear_damaged(db_path)
