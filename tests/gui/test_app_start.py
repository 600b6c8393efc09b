"""Starting the app: refuses what is not ours, runs the setup once, opens the log."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core import settings
from gui.app import start_window
from gui.setup_dialog import SetupDialog
from gui.welcome_dialog import WelcomeDialog
from tests.gui.conftest import type_text


def close_next_modal(seen: list) -> None:
    def close():
        widget = QApplication.activeModalWidget()
        seen.append(widget)
        if isinstance(widget, QMessageBox):
            seen.append(widget.text())
            widget.accept()
        elif widget is not None:
            widget.reject()

    QTimer.singleShot(50, close)


def test_a_text_file_is_refused_and_left_untouched(qtbot, tmp_path):
    path = tmp_path / "bao_cao.db"
    path.write_bytes(b"khong phai co so du lieu")
    seen: list = []
    close_next_modal(seen)
    window, code = start_window(path)
    assert (window, code) == (None, 1)
    assert "không phải là cơ sở dữ liệu" in seen[1]
    assert path.read_bytes() == b"khong phai co so du lieu"


def test_another_apps_database_is_refused(qtbot, tmp_path):
    path = tmp_path / "khac.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE orders (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    seen: list = []
    close_next_modal(seen)
    window, code = start_window(path)
    assert code == 1 and window is None
    assert path.read_bytes() == before


def test_first_start_welcomes_then_runs_setup_then_shows_the_log(qtbot, tmp_path):
    path = tmp_path / "moi.db"

    def fill_setup():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SetupDialog)
        type_text(dialog.unit_name, "Xã Gio Linh")
        type_text(dialog.officer_name, "Hồ Văn Tâm")
        dialog.save()

    def choose_setup():
        welcome = QApplication.activeModalWidget()
        assert isinstance(welcome, WelcomeDialog)
        welcome.buttons["setup"].click()
        QTimer.singleShot(50, fill_setup)

    QTimer.singleShot(50, choose_setup)
    window, code = start_window(path)
    qtbot.addWidget(window)
    assert code == 0 and window.isVisible()
    assert window.windowTitle().endswith("Xã Gio Linh")
    assert window.model.rowCount() == 0
    assert settings.load_profile(window.db).officer_name == "Hồ Văn Tâm"
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)


def test_closing_the_welcome_quits_without_a_window(qtbot, tmp_path):
    seen: list = []
    close_next_modal(seen)
    window, code = start_window(tmp_path / "moi.db")
    assert (window, code) == (None, 0)
    assert isinstance(seen[0], WelcomeDialog)


def test_cancelling_the_setup_goes_back_to_the_welcome(qtbot, tmp_path):
    seen: list = []

    def choose_setup():
        QApplication.activeModalWidget().buttons["setup"].click()
        close_next_modal(seen)  # the setup: cancelled
        QTimer.singleShot(120, lambda: close_next_modal(seen))  # the welcome again: closed

    QTimer.singleShot(50, choose_setup)
    window, code = start_window(tmp_path / "moi.db")
    assert (window, code) == (None, 0)
    assert [type(w) for w in seen] == [SetupDialog, WelcomeDialog]


def test_unexpected_error_shows_vietnamese_with_details(qtbot):
    from gui.app import show_unexpected_error

    seen: list = []

    def read_and_close():
        box = QApplication.activeModalWidget()
        seen.extend([box.text(), box.detailedText()])
        box.accept()

    QTimer.singleShot(50, read_and_close)
    try:
        raise sqlite3.OperationalError("database or disk is full")
    except sqlite3.OperationalError as exc:
        show_unexpected_error(type(exc), exc, exc.__traceback__)
    assert seen[0].startswith("Ổ đĩa đã đầy")
    assert "OperationalError: database or disk is full" in seen[1]


def _ready_database(path):
    from core.db import open_db
    from core.units import create_unit

    db = open_db(path)
    unit = create_unit(db, name="Xã Gio Linh", level="xa")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Hồ Văn Tâm"))
    db.close()


def test_the_first_start_of_the_day_takes_a_backup_in_the_background(qtbot, tmp_path):
    from core.backup import list_backups

    path = tmp_path / "so.db"
    _ready_database(path)
    window, code = start_window(path)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len(list_backups(path)) == 1, timeout=10000)
    backup = list_backups(path)[0]
    assert backup.path.name.startswith("so-hang-ngay-") and backup.activities == 0
    qtbot.waitUntil(lambda: "Đã sao lưu dữ liệu hôm nay" in window.statusBar().currentMessage(), timeout=5000)
    window.close()
    second, _code = start_window(path)  # the same day again: no second copy
    qtbot.addWidget(second)
    qtbot.wait(300)
    assert len(list_backups(path)) == 1


def test_a_damaged_database_is_said_plainly_at_start(qtbot, tmp_path, monkeypatch):
    from core import db as core_db

    path = tmp_path / "so.db"
    _ready_database(path)
    real_connect = core_db.connect

    def damaged(target):  # quick_check finds a broken page
        db = real_connect(target)
        original = db.execute
        db.execute = lambda sql, *a: original("SELECT 'row 12 missing from index activities_by_date'") \
            if sql.startswith("PRAGMA quick_check") else original(sql, *a)  # fmt: skip
        return db

    monkeypatch.setattr(core_db, "connect", damaged)
    shown, offered = [], []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a: shown.append((title, text)) or QMessageBox.Yes)  # fmt: skip
    from gui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "restore_backup", lambda self: offered.append(True))
    window, _code = start_window(path)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0][0] == "Dữ liệu bị hỏng" and "khôi phục" in shown[0][1]
    assert offered == [True]  # "Khôi phục ngay?" opens the list of backups
    import sqlite3 as _sqlite3

    import pytest as _pytest

    from core.db import clear_damaged

    try:
        with _pytest.raises(_sqlite3.OperationalError):  # never written into while damaged
            window.db.execute("DELETE FROM activities")
        assert "chỉ xem" in window.statusBar().currentMessage()
    finally:
        clear_damaged(path)


def test_a_second_window_on_the_same_database_says_it_is_open(qtbot, tmp_path):
    import subprocess
    import sys

    from gui import instance_lock

    path = tmp_path / "so.db"
    _ready_database(path)
    holder = subprocess.Popen(  # another copy of the app holding the database
        [sys.executable, "-c", "import sys; from PySide6.QtCore import QLockFile; lock = QLockFile(sys.argv[1]);"
         " print(lock.tryLock(1000), flush=True); sys.stdin.readline()", str(instance_lock.lock_path(path))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "True"
        seen: list = []
        close_next_modal(seen)
        window, code = start_window(path)
        assert (window, code) == (None, 1)
        assert "đang được mở trên máy" in seen[1] and f"tiến trình số {holder.pid}" in seen[1]
    finally:
        holder.communicate("\n", timeout=10)
    window, code = start_window(path)  # the other one has quit: this one opens
    qtbot.addWidget(window)
    assert code == 0 and window is not None
    window.close()


def test_a_lock_left_by_a_dead_process_is_taken_over(qtbot, tmp_path):
    import subprocess
    import sys

    from gui import instance_lock

    path = tmp_path / "so.db"
    _ready_database(path)
    subprocess.run([sys.executable, "-c", "import os, sys; from PySide6.QtCore import QLockFile;"
                    " lock = QLockFile(sys.argv[1]); lock.lock(); os._exit(0)",  # dies holding it
                    str(instance_lock.lock_path(path))], check=True)  # fmt: skip
    assert instance_lock.lock_path(path).exists()
    window, code = start_window(path)
    qtbot.addWidget(window)
    assert code == 0 and window is not None
    window.close()


def test_an_unexpected_error_offers_to_save_the_log_for_support(qtbot, tmp_path, monkeypatch):
    from core.db import open_db
    from gui import app

    path = tmp_path / "so.db"
    db = open_db(path)
    monkeypatch.setitem(app._support, "db_path", path)
    monkeypatch.setitem(app._support, "db", db)
    (tmp_path / "nhat_ky").mkdir()
    (tmp_path / "nhat_ky" / "so_tuyen_truyen.log").write_text("lỗi lúc 10:00\n", encoding="utf-8")
    usb = tmp_path / "usb"
    usb.mkdir()
    from gui.support_dialog import SupportDialog

    def fill_and_save(dialog):  # the officer picks the stick, ticks "Kèm một bản sao dữ liệu", presses Lưu
        dialog.picker.add_folder(usb)
        dialog.with_data.setChecked(True)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(SupportDialog, "exec", fill_and_save)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))

    def press_save(box):
        buttons = {b.text(): b for b in box.buttons()}
        assert "Lưu để gửi hỗ trợ…" in buttons and box.detailedText().startswith("Traceback")
        buttons["Lưu để gửi hỗ trợ…"].click()

    monkeypatch.setattr(QMessageBox, "exec", lambda box: press_save(box))
    try:
        raise RuntimeError("bất ngờ")
    except RuntimeError as exc:
        app.show_unexpected_error(type(exc), exc, exc.__traceback__)
    saved = next(usb.iterdir())
    assert sorted(p.name for p in saved.iterdir()) == ["so.db", "so_tuyen_truyen.log"]
    assert told and "gửi thư mục này cho người hỗ trợ" in told[0]
    db.close()
