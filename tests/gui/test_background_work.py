"""Long work off the UI thread: progress is shown, cancel leaves the database as it was."""

from __future__ import annotations

from core.activities import repository
from core.activities.filters import ActivityFilter
from core.demo import generate
from gui.tasks import DbTask


def test_demo_in_background_reports_success(qtbot, profile_db, db_path):
    task = DbTask(None, db_path, lambda db, progress: generate(db, activities=300, progress=progress), "Tạo")
    with qtbot.waitSignal(task.succeeded, timeout=20000) as blocker:
        task.start()
    assert blocker.args == [300]
    assert repository.count(profile_db, ActivityFilter()) == 303


def test_cancel_rolls_back_everything(qtbot, profile_db, db_path):
    names_before = sorted(r[0] for r in profile_db.execute("SELECT name FROM sqlite_master"))

    def work(db, progress):
        progress.cancel()  # the officer pressed "Hủy" before the first batch ended
        return generate(db, activities=50_000, progress=progress)

    task = DbTask(None, db_path, work, "Tạo")
    with qtbot.waitSignal(task.cancelled, timeout=20000):
        task.start()
    assert repository.count(profile_db, ActivityFilter()) == 3
    assert sorted(r[0] for r in profile_db.execute("SELECT name FROM sqlite_master")) == names_before
    assert list(repository.ordered_ids(profile_db, ActivityFilter(search="vneid")))


def test_unexpected_error_is_reported_with_details(qtbot, profile_db, db_path):
    def work(db, progress):
        raise RuntimeError("boom")

    task = DbTask(None, db_path, work, "Tạo")
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    message, details = blocker.args
    assert message.startswith("Đã có lỗi ngoài dự kiến")
    assert "RuntimeError: boom" in details
