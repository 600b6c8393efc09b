"""An activity linked, in its dialog, to the plan targets it serves."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core import plans
from core.achievement import achievement
from core.activities import repository, service
from core.activities.filters import ActivityFilter
from gui.activity_dialog import ActivityDialog


def test_link_an_activity_to_a_target_in_its_dialog(qtbot, profile_db):
    activity_id = repository.ordered_ids(profile_db, ActivityFilter(search="hoi nghi"))[0]
    activity = repository.get_activity(profile_db, activity_id)
    year = activity.date_from.year
    plan = plans.create_plan(profile_db, {"title": "Kế hoạch năm", "year_from": year, "year_to": year})
    linked = plans.create_target(profile_db, plan.id, {"name": "Hội nghị phục vụ Đề án 06", "planned": 2,
                                                       "source": "linked", "year": year})  # fmt: skip
    plans.create_target(profile_db, plan.id, {"name": "Tin, bài", "planned": 5, "year": year,
                                              "form_codes": ["tin_bai"]})  # only linked targets are offered

    dialog = ActivityDialog(profile_db, activity=activity)
    qtbot.addWidget(dialog)
    assert dialog.targets.count() == 1 and dialog.targets.item(0).text() == f"Hội nghị phục vụ Đề án 06 (năm {year})"
    dialog.targets.item(0).setCheckState(Qt.Checked)
    dialog.save()
    assert dialog.saved is not None
    assert service.target_ids_of(profile_db, activity_id) == [linked.id]
    start, end = activity.date_from.replace(month=1, day=1), activity.date_from.replace(month=12, day=31)
    assert achievement(profile_db, linked, start, end).achieved == 1

    again = ActivityDialog(profile_db, activity=repository.get_activity(profile_db, activity_id))
    qtbot.addWidget(again)
    assert again.targets.item(0).checkState() == Qt.Checked
    again.targets.item(0).setCheckState(Qt.Unchecked)
    again.save()
    assert service.target_ids_of(profile_db, activity_id) == []


def test_no_linked_targets_no_row(qtbot, profile_db):
    dialog = ActivityDialog(profile_db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.targets.count() == 0 and not dialog.wrapped["target_ids"].isVisible()


def test_a_new_activity_is_offered_this_year_s_linked_targets(qtbot, profile_db):
    import datetime as dt

    year = dt.date.today().year
    plan = plans.create_plan(profile_db, {"title": "Kế hoạch năm nay", "year_from": year, "year_to": year})
    plans.create_target(profile_db, plan.id, {"name": "Tập huấn kỹ năng số", "planned": 3, "source": "linked",
                                              "year": year})  # fmt: skip
    dialog = ActivityDialog(profile_db)
    qtbot.addWidget(dialog)
    assert [dialog.targets.item(i).text() for i in range(dialog.targets.count())] == [f"Tập huấn kỹ năng số (năm {year})"]
    assert not dialog.wrapped["target_ids"].isHidden()
