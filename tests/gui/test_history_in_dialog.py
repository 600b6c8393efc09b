"""The activity dialog shows who changed what, newest first; a new activity has no history row."""

from __future__ import annotations

from core.activities import repository
from core.activities.service import update_activity, values_of
from gui.activity_dialog import ActivityDialog


def test_the_dialog_lists_the_changes_newest_first(qtbot, profile_db):
    activity_id = profile_db.execute("SELECT id FROM activities ORDER BY id LIMIT 1").fetchone()[0]
    activity = repository.get_activity(profile_db, activity_id)
    update_activity(profile_db, activity_id, values_of(activity) | {"quantity": 5, "form_code": "hoi_nghi"})
    dialog = ActivityDialog(profile_db, activity=repository.get_activity(profile_db, activity_id))
    qtbot.addWidget(dialog)
    lines = [dialog.history.item(i).text() for i in range(dialog.history.count())]
    assert len(lines) == 2 and lines[1].endswith("— Nguyễn Văn An — Thêm")
    assert "— Nguyễn Văn An — Sửa: " in lines[0] and "Số lượng: 2 → 5" in lines[0]
    assert "Hình thức: Tin, bài" in lines[0] and "→ Hội nghị" in lines[0]  # labels, not codes
    fresh = ActivityDialog(profile_db)
    qtbot.addWidget(fresh)
    assert fresh.history.count() == 0 and not fresh._form.isRowVisible(fresh.history)
