"""GUI fixtures: Vietnamese Qt installed, a database with a profile and a few activities."""

from __future__ import annotations

import datetime as dt

import pytest

from core import settings
from core.activities.service import create_activity
from core.units import create_unit


@pytest.fixture(autouse=True)
def vietnamese_qt(qapp):
    from PySide6.QtCore import QStandardPaths

    from gui.qt_vietnamese import install_vietnamese

    QStandardPaths.setTestModeEnabled(True)  # window layout goes to a test folder, not the user's
    install_vietnamese(qapp)
    yield


@pytest.fixture
def messages(monkeypatch):
    """Every message box shown, as (kind, title, text); none of them blocks."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind,
                            lambda parent, title, text, *a, _kind=kind, **k: shown.append((_kind, title, text))
                            or QMessageBox.Ok)  # fmt: skip
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(("box", box.windowTitle(), box.text())) or 0)
    return shown


@pytest.fixture
def profile_db(db):
    """A commune under a district, the profile set, three activities."""
    district = create_unit(db, name="Huyện Hải Lăng", level="huyen")
    commune = create_unit(db, name="Xã Hải Phú", level="xa", parent_id=district.id)
    settings.save_profile(
        db, settings.Profile(unit_id=district.id, officer_name="Nguyễn Văn An", recipients=["Sở Khoa học và Công nghệ"])
    )
    rows = [
        ("05/03/2025", commune.id, "tin_bai", "Tin bài về Chuyển đổi số trên Trang thông tin điện tử", "2", "500.000", "ns_xa"),
        ("10/04/2025", district.id, "hoi_nghi", "Hội nghị Đảng ủy triển khai Đề án 06", "1", "12.000.000", "ns_huyen"),
        ("20/07/2025", commune.id, "mxh", "Đăng bài hướng dẫn cài VNeID", "3", "", None),
    ]
    for date, unit_id, form, title, qty, cost, funding in rows:
        create_activity(db, {"date_from": date, "unit_id": unit_id, "form_code": form, "title": title,
                             "quantity": qty, "cost": cost, "funding_code": funding})
    db.units = (district, commune)
    return db


@pytest.fixture
def window(qtbot, profile_db, db_path):
    from gui.main_window import MainWindow

    win = MainWindow(profile_db, db_path)
    qtbot.addWidget(win)
    win.show()
    win.pages.setCurrentWidget(win.log_page)  # the window opens on the overview; these tests use the log
    qtbot.waitUntil(lambda: not win.loading and not win.home.loading, timeout=5000)
    return win


def today() -> dt.date:
    return dt.date.today()


def type_text(widget, text: str) -> None:
    """Type like a Vietnamese keyboard (Unikey) does: key events carrying the text.

    QTest.keyClicks only knows ASCII keys; this sends each character as a key event.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
