"""The window when the disk is full, the data folder is deleted under it, or an old file is upgraded."""

from __future__ import annotations

import shutil
import sqlite3

from PySide6.QtWidgets import QMessageBox

from core import backup
from core.activities import repository
from core.activities.filters import ActivityFilter
from core.db import open_db
from gui.activity_dialog import ActivityDialog
from tests.conftest import make_older_database


def click_in_boxes(monkeypatch, answers: list[str], shown: list[str]) -> None:
    """QMessageBox.exec clicks the button named by the next answer (and notes the box's text)."""

    def exec_(box):
        shown.append(box.text())
        wanted = answers.pop(0)
        next(b for b in box.buttons() if b.text() == wanted).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def titles(path) -> list[str]:
    db = open_db(path)
    try:
        return sorted(a["title"] for a in repository.page(db, ActivityFilter(), limit=50))
    finally:
        db.close()


def test_a_deleted_data_folder_is_said_and_the_data_written_back(qtbot, window, db_path, monkeypatch, messages):
    shown: list[str] = []
    click_in_boxes(monkeypatch, ["Ghi lại vào chỗ cũ"], shown)
    restarted = []
    monkeypatch.setattr(window, "restart", lambda: restarted.append(window.db_path))
    assert window.data_watch.timer.isActive() and not window.data_watch.check()
    shutil.rmtree(db_path.parent)
    assert window.data_watch.check()
    assert "không còn ở thư mục" in shown[0] and "Dữ liệu vẫn còn trong phần mềm" in shown[0]
    assert not window.data_watch.timer.isActive()  # asked once, not every two seconds
    assert restarted == [db_path.resolve()]
    assert ("information", "Đã ghi lại dữ liệu") == messages[-1][:2]
    assert len(titles(db_path)) == 3


def test_when_the_old_place_cannot_be_written_another_folder_is_chosen(qtbot, window, db_path, tmp_path_factory,
                                                                      monkeypatch, messages):  # fmt: skip
    elsewhere = tmp_path_factory.mktemp("o_dia_khac")
    shown: list[str] = []
    click_in_boxes(monkeypatch, ["Ghi lại vào chỗ cũ", "Chọn nơi khác…"], shown)
    monkeypatch.setattr("gui.file_dialogs.choose_folder", lambda *_a: str(elsewhere))
    restarted = []
    monkeypatch.setattr(window, "restart", lambda: restarted.append(window.db_path))
    shutil.rmtree(db_path.parent)
    db_path.parent.write_text("a file where the folder was")  # the old place cannot hold a folder now
    assert window.data_watch.check()
    assert len(shown) == 2 and messages[0][:2] == ("warning", "Chưa ghi lại được")
    assert restarted == [elsewhere / db_path.name] and len(titles(elsewhere / db_path.name)) == 3


def test_a_full_disk_keeps_the_dialog_open_with_what_was_typed(qtbot, profile_db, messages):
    dialog = ActivityDialog(profile_db, default_unit=profile_db.units[1].id)
    qtbot.addWidget(dialog)
    dialog.form.setCurrentIndex(dialog.form.findData("truc_tiep"))
    dialog.title.setText("Tọa đàm chuyển đổi số")
    dialog.notes.setPlainText("Ghi chép buổi tọa đàm. " * 20_000)
    before = repository.count(profile_db, ActivityFilter())
    pages = profile_db.execute("PRAGMA page_count").fetchone()[0]
    profile_db.execute(f"PRAGMA max_page_count = {pages}")
    dialog.save()
    assert dialog.saved is None and dialog.result() == 0
    assert messages and messages[0][0] == "warning" and "Ổ đĩa đã đầy" in messages[0][2]
    assert "vẫn còn trong cửa sổ này" in messages[0][2]
    assert dialog.title.text() == "Tọa đàm chuyển đổi số" and len(dialog.notes.toPlainText()) > 400_000
    assert repository.count(profile_db, ActivityFilter()) == before
    profile_db.execute("PRAGMA max_page_count = 1073741823")
    dialog.save()
    assert dialog.saved is not None


def test_an_older_database_is_upgraded_behind_a_progress_window(qtbot, tmp_path):
    from gui.app import open_with_progress

    path = make_older_database(tmp_path / "cu.db")
    db = open_with_progress(path)
    try:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'reports'").fetchone()[0] == 1
    finally:
        db.close()
    assert ["-truoc-nang-cap-" in b.path.name for b in backup.list_backups(path)] == [True]


def test_a_read_only_data_file_is_refused_at_start_in_vietnamese(qtbot, tmp_path, monkeypatch, messages):
    import core.db
    from gui.app import open_database

    def read_only(_path):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(core.db, "connect", read_only)
    assert open_database(tmp_path / "so.db") is None
    assert messages[0][:2] == ("critical", "Không mở được dữ liệu") and "chỉ cho đọc" in messages[0][2]
