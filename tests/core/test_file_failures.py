"""Disk full, a read-only data folder, the data folder deleted under the app: a clear Vietnamese
message, and nothing that was saved (or typed) is lost.

A full disk is SQLite's own SQLITE_FULL, reached with ``PRAGMA max_page_count`` (the same code
path as a full drive). The read-only folder is real: the check runs in a child process, which
for a root test run is put in a new user namespace, where root cannot override permissions.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import openpyxl
import pytest

from core import file_guard
from core.activities import repository, service
from core.activities.filters import ActivityFilter
from core.db import connect, open_db
from core.errors import DatabaseError, FileProblem, describe_unexpected
from core.importers import service as imports
from core.paths import evidence_dir
from core.units import create_unit

ROOT = Path(__file__).resolve().parents[2]


def dump(db) -> str:
    return "\n".join(db.conn.iterdump())


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def fill_the_disk(db) -> None:
    """From now on this connection may not grow the file (what is free inside it stays usable)."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def values(unit_id: int, title: str = "Hội nghị triển khai chuyển đổi số") -> dict:
    return {"date_from": "05/03/2025", "unit_id": unit_id, "form_code": "hoi_nghi", "title": title,
            "quantity": "1", "notes": "x" * 400_000}  # fmt: skip


# --- disk full -------------------------------------------------------------------------------


def test_a_full_disk_saves_nothing_and_leaves_no_copied_file(commune, tmp_path):
    service.save_activity(commune, None, values(commune.unit.id, "Có từ trước"))
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(os.urandom(50_000))
    folder = evidence_dir(Path(commune.conn.execute("PRAGMA database_list").fetchone()[2]))
    before, files_before = dump(commune), stored_files(folder)
    fill_the_disk(commune)
    with pytest.raises(sqlite3.OperationalError) as full:
        service.save_activity(commune, None, values(commune.unit.id), add_files=[photo])
    assert "Ổ đĩa đã đầy" in describe_unexpected(full.value)
    assert dump(commune) == before
    assert stored_files(folder) == files_before == []  # the photo's copy went again
    commune.execute("PRAGMA max_page_count = 1073741823")  # space again: the same save works
    saved = service.save_activity(commune, None, values(commune.unit.id), add_files=[photo])
    assert saved.title == "Hội nghị triển khai chuyển đổi số" and len(list(folder.rglob("*.jpg"))) == 1


def test_a_full_disk_during_an_excel_import_imports_nothing(commune, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ngày thực hiện", "Tên hoạt động", "Hình thức tuyên truyền", "Số lượng"])
    for row in range(2000):
        sheet.append([f"{row % 28 + 1:02d}/03/2025", f"Tuyên truyền chuyển đổi số lần {row}", "Hội nghị", 1])
    book.save(tmp_path / "so.xlsx")
    preview = imports.analyse(commune, tmp_path / "so.xlsx", imports.ImportOptions(defaults={"unit": commune.unit.id}))
    assert len(preview.ready) == 2000, preview.problems[:3]
    before = dump(commune)
    fill_the_disk(commune)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        imports.commit(commune, preview)
    assert dump(commune) == before
    assert commune.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- a read-only data folder -----------------------------------------------------------------

OPEN_AND_WRITE = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from core.db import open_db
    from core.errors import UserError
    try:
        db = open_db(sys.argv[2])
        db.execute("INSERT INTO settings(key, value) VALUES ('x', 'y')")
    except UserError as exc:
        print("REFUSED", exc.message)
    else:
        print("WROTE")
""")


def _without_root_powers() -> list[str]:
    """A command prefix under which even root obeys the folder's permissions: a new user namespace
    (``unshare -U``) keeps the same user but drops the power to override them."""
    return ["unshare", "-U"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_data_folder_is_refused_plainly_and_the_file_kept():
    base = Path(tempfile.mkdtemp(prefix="chi-doc-"))
    try:
        base.chmod(0o755)
        folder = base / "du_lieu"
        folder.mkdir()
        path = folder / "so.db"
        db = open_db(path)
        create_unit(db, name="Xã Hải Phú", level="xa")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        for leftover in folder.glob("so.db-*"):
            leftover.unlink()
        path.chmod(0o644)
        folder.chmod(0o555)  # nobody (or a non-root tester) may read, not write
        before = path.read_bytes()
        child = subprocess.run([*_without_root_powers(), sys.executable, "-c", OPEN_AND_WRITE, str(ROOT), str(path)],
                               capture_output=True, encoding="utf-8", timeout=60)  # fmt: skip
        assert child.returncode == 0, child.stderr
        assert child.stdout.startswith("REFUSED Thư mục"), child.stdout
        assert "chỉ cho đọc" in child.stdout and "vẫn nguyên vẹn" in child.stdout
        assert path.read_bytes() == before and sorted(p.name for p in folder.iterdir()) == ["so.db"]
    finally:
        (base / "du_lieu").chmod(0o755)
        shutil.rmtree(base)


def test_the_refusal_of_a_read_only_file_is_in_vietnamese(tmp_path, monkeypatch):
    import core.db

    def read_only(_path):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(core.db, "connect", read_only)
    with pytest.raises(DatabaseError, match="chỉ cho đọc"):
        open_db(tmp_path / "so.db")


# --- the data folder deleted while the app has it open ---------------------------------------


def test_a_deleted_folder_is_noticed_and_the_open_data_written_back(tmp_path):
    folder = tmp_path / "du_lieu"
    path = folder / "so.db"
    db = open_db(path)
    unit = create_unit(db, name="Xã Hải Phú", level="xa")
    service.save_activity(db, None, values(unit.id, "Trước khi xóa"))
    assert not file_guard.is_gone(path)
    shutil.rmtree(folder)
    assert file_guard.is_gone(path)
    service.save_activity(db, None, values(unit.id, "Sau khi xóa"))  # SQLite writes on, into a nameless file
    target = file_guard.rescue(db, path)
    db.close()
    assert target == path.resolve() and not file_guard.is_gone(path)
    again = open_db(path)
    titles = sorted(a["title"] for a in repository.page(again, ActivityFilter(), limit=10))
    assert titles == ["Sau khi xóa", "Trước khi xóa"]
    assert again.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again.close()


def test_a_file_put_in_its_place_is_never_overwritten(tmp_path):
    path = tmp_path / "so.db"
    db = open_db(path)
    create_unit(db, name="Xã Hải Phú", level="xa")
    path.unlink()
    path.write_bytes(b"someone else's file")
    assert file_guard.is_gone(path)
    target = file_guard.rescue(db, path)
    db.close()
    assert path.read_bytes() == b"someone else's file"
    assert target.parent == path.resolve().parent and target.name.startswith("so-cuu-")
    conn = connect(target)
    assert conn.execute("SELECT name FROM units").fetchone()[0] == "Xã Hải Phú"
    conn.close()


def test_a_rescue_into_a_place_that_cannot_be_written_says_so(tmp_path):
    path = tmp_path / "so.db"
    db = open_db(path)
    blocker = tmp_path / "khong_phai_thu_muc"
    blocker.write_text("x")
    with pytest.raises(FileProblem, match="Hãy chọn nơi khác"):
        file_guard.rescue_to_folder(db, path, blocker / "con")
    db.close()


def test_a_path_never_opened_is_not_reported_gone(tmp_path):
    assert not file_guard.is_gone(tmp_path / "chua_mo.db")
