"""The first start: the welcome screen's four ways in, and demo data marked and removed in one step."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core import settings
from core.activities import repository
from core.activities.filters import ActivityFilter
from core.backup import backup_to
from core.demo import generate
from core.demo_removal import demo_data
from gui.app import start_window
from gui.main_window import MainWindow
from gui.setup_dialog import SetupDialog
from gui.welcome_dialog import WelcomeDialog
from tests.gui.conftest import type_text


def answer_modals(steps: list) -> list:
    """Each step (dialog class, action) is run on the next modal dialog of that class, in order."""
    done: list = []

    def poll():
        if not steps:
            return
        widget = QApplication.activeModalWidget()
        kind, action = steps[0]
        if isinstance(widget, kind):
            steps.pop(0)
            done.append(kind)
            action(widget)
        QTimer.singleShot(30, poll)

    QTimer.singleShot(30, poll)
    return done


def fill_setup(dialog) -> None:
    type_text(dialog.unit_name, "Xã Gio Linh")
    type_text(dialog.officer_name, "Hồ Văn Tâm")
    dialog.save()


def opened(qtbot, path):
    window, code = start_window(path)
    assert code == 0 and window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.loading and not window.home.loading, timeout=10000)
    return window


def test_trying_the_demo_opens_the_window_with_the_demo_marked(qtbot, tmp_path, messages):
    answer_modals([(WelcomeDialog, lambda w: w.buttons["demo"].click())])
    window = opened(qtbot, tmp_path / "moi.db")
    assert ("information", "Xong") == messages[0][:2]
    assert window.demo_banner.isVisibleTo(window) and "[Mẫu]" in window.demo_banner.text.text()
    assert demo_data(window.db).activities == 2000
    window.pages.setCurrentWidget(window.log_page)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10000)
    assert window.model.index(0, 3).data().startswith("[Mẫu] ")


def test_removing_the_first_start_demo_starts_again_for_the_real_setup(qtbot, tmp_path, messages, monkeypatch):
    answer_modals([(WelcomeDialog, lambda w: w.buttons["demo"].click())])
    window = opened(qtbot, tmp_path / "moi.db")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    restarted = []
    monkeypatch.setattr(window, "restart", lambda: restarted.append(True))
    window.demo_banner.remove_button.click()
    assert restarted == [True] and messages[-1][1] == "Đã xóa dữ liệu mẫu"
    assert repository.count(window.db, ActivityFilter()) == 0 and settings.load_profile(window.db) is None
    assert any("-truoc-xoa-du-lieu-mau-" in p.name for p in (tmp_path / "sao_luu").iterdir())


def test_demo_on_a_real_log_goes_and_the_typed_activities_stay(qtbot, window, profile_db, monkeypatch, messages):
    assert not window.demo_banner.isVisibleTo(window)
    generate(profile_db, activities=40, years=[2025], today=dt.date(2025, 11, 1))
    window.demo_banner.refresh()
    assert window.demo_banner.isVisibleTo(window)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or QMessageBox.No)
    window.demo_banner.remove_button.click()
    assert "40 hoạt động mẫu" in asked[0] and demo_data(profile_db).activities == 40  # "Không": nothing removed
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    window.demo_banner.remove_button.click()
    qtbot.waitUntil(lambda: not window.loading, timeout=5000)
    assert not window.demo_banner.isVisibleTo(window) and window.model.rowCount() == 3


def test_restoring_a_backup_at_the_first_start(qtbot, tmp_path, profile_db, monkeypatch, messages):
    backup = backup_to(profile_db, tmp_path / "usb" / "sao_luu_cu.db")
    monkeypatch.setattr("gui.file_dialogs.choose_files_to_open", lambda *a: [str(backup)])
    answer_modals([(WelcomeDialog, lambda w: w.buttons["restore"].click())])
    window = opened(qtbot, tmp_path / "may_moi" / "so.db")
    assert messages[-1][:2] == ("information", "Đã khôi phục")
    assert settings.load_profile(window.db).officer_name == "Nguyễn Văn An"
    assert repository.count(window.db, ActivityFilter()) == 3


def test_a_file_that_is_not_a_backup_is_refused_and_the_welcome_comes_back(qtbot, tmp_path, monkeypatch, messages):
    wrong = tmp_path / "ghi_chu.db"
    wrong.write_text("không phải sao lưu")
    monkeypatch.setattr("gui.file_dialogs.choose_files_to_open", lambda *a: [str(wrong)])
    done = answer_modals([(WelcomeDialog, lambda w: w.buttons["restore"].click()), (WelcomeDialog, lambda w: w.reject())])
    window, code = start_window(tmp_path / "moi.db")
    assert (window, code) == (None, 0) and done == [WelcomeDialog, WelcomeDialog]
    assert messages[0][:2] == ("warning", "Chưa khôi phục được")


def test_receiving_a_package_sets_up_the_unit_then_opens_nhan_du_lieu(qtbot, tmp_path, monkeypatch):
    received = []
    monkeypatch.setattr(MainWindow, "receive_packages", lambda self: received.append(self))
    answer_modals([(WelcomeDialog, lambda w: w.buttons["package"].click()), (SetupDialog, fill_setup)])
    window = opened(qtbot, tmp_path / "moi.db")
    assert received == [window] and window.windowTitle().endswith("Xã Gio Linh")
