"""Sao lưu ra USB and Khôi phục in the window."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from core import backup
from core.activities.service import create_activity
from core.package.drives import Drive
from gui.backup_dialogs import RestoreDialog, UsbBackupDialog


def _count(db) -> int:
    return db.execute("SELECT count(*) FROM activities WHERE deleted_at IS NULL").fetchone()[0]


def test_usb_backup_dialog_writes_one_checked_file(qtbot, profile_db, db_path, tmp_path, messages):
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog = UsbBackupDialog(profile_db, db_path, list_drives=lambda: [
        Drive(usb, "USB (E:) — KINGSTON", 2**30, 2**31, "vfat", True)])  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    dialog.save()
    assert dialog.result is not None and dialog.result.activities == 3
    assert [p.suffix for p in usb.iterdir()] == [".cdsbak"]
    assert messages[-1][1] == "Đã sao lưu"


def test_restore_dialog_lists_backups_and_asks_before_restoring(qtbot, profile_db, db_path, monkeypatch):
    backup.daily_backup(profile_db, dt.date(2026, 11, 20))
    backup.backup_before(profile_db, "nhan-du-lieu")
    dialog = RestoreDialog(db_path)
    qtbot.addWidget(dialog)
    kinds = sorted(dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount()))
    assert kinds == ["Hằng ngày", "Trước khi nhận dữ liệu"]
    assert all(dialog.table.item(r, 3).text() == "3" for r in range(2))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text) or QMessageBox.No)
    dialog.restore_selected()
    assert dialog.chosen is None and "Dữ liệu hiện tại được sao lưu trước" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    dialog.restore_selected()
    assert dialog.chosen == dialog.backups[0].path


@pytest.fixture
def chosen_backup(monkeypatch):
    """What the officer picks in "Khôi phục từ bản sao lưu…"."""
    from gui import backup_dialogs

    picked = {}

    class Picked:
        def __init__(self, db_path, parent):
            self.chosen = picked.get("path")

        def exec(self):
            return self.chosen is not None

        def deleteLater(self):
            pass

    monkeypatch.setattr(backup_dialogs, "RestoreDialog", Picked)
    return picked


def test_the_window_restores_a_backup_then_starts_again(qtbot, window, profile_db, db_path, chosen_backup, monkeypatch,
                                                        messages):  # fmt: skip
    copy = backup.backup_before(profile_db, "thu")
    create_activity(profile_db, {"date_from": "01/08/2025", "unit_id": profile_db.units[0].id, "form_code": "mxh",
                                 "title": "Sau bản sao lưu", "quantity": "1"})  # fmt: skip
    restarted = []
    monkeypatch.setattr(type(window), "restart", lambda self: restarted.append(True))
    chosen_backup["path"] = copy
    window.restore_backup()
    assert restarted and messages[-1][1] == "Đã khôi phục"
    from core.db import open_db

    again = open_db(db_path)
    assert _count(again) == 3  # the activity added after the copy is gone (and kept in sao_luu)
    assert any("-truoc-khoi-phuc-" in b.path.name and b.activities == 4 for b in backup.list_backups(db_path))
    again.close()


def test_a_refused_restore_leaves_the_window_working_on_the_same_data(qtbot, window, profile_db, db_path, tmp_path,
                                                                     chosen_backup, messages):  # fmt: skip
    bad = tmp_path / "hong.db"
    bad.write_text("không phải bản sao lưu")
    chosen_backup["path"] = bad
    window.restore_backup()
    assert messages[-1][:2] == ("warning", "Chưa khôi phục được")
    assert _count(profile_db) == 3  # the window's connection works again
