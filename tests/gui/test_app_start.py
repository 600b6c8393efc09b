"""Starting the app: refuses what is not ours, runs the setup once, opens the log."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core import settings
from gui.app import start_window
from gui.setup_dialog import SetupDialog
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


def test_first_start_runs_setup_then_shows_the_log(qtbot, tmp_path):
    path = tmp_path / "moi.db"

    def fill_setup():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SetupDialog)
        type_text(dialog.unit_name, "Xã Gio Linh")
        type_text(dialog.officer_name, "Hồ Văn Tâm")
        dialog.save()

    QTimer.singleShot(50, fill_setup)
    window, code = start_window(path)
    qtbot.addWidget(window)
    assert code == 0 and window.isVisible()
    assert window.windowTitle().endswith("Xã Gio Linh")
    assert window.model.rowCount() == 0
    assert settings.load_profile(window.db).officer_name == "Hồ Văn Tâm"
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)


def test_cancelling_the_first_setup_quits_without_a_window(qtbot, tmp_path):
    seen: list = []
    close_next_modal(seen)
    window, code = start_window(tmp_path / "moi.db")
    assert (window, code) == (None, 0)
    assert isinstance(seen[0], SetupDialog)


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
