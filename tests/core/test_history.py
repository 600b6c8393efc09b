"""Who changed what: every change to an activity is written with the officer, fields, old and new values."""

from __future__ import annotations

from core import history, settings
from core.activities.service import create_activity, delete_activities, empty_trash, restore_activities, \
    save_activity, update_activity, values_of  # fmt: skip
from core.units import create_unit


def _setup(db):
    unit = create_unit(db, name="Xã Hải Phú", level="xa")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Lê Thị Mai"))
    return unit


def test_each_change_is_written_with_the_officer_fields_and_values(db, tmp_path):
    unit = _setup(db)
    activity = create_activity(db, {"date_from": "05/03/2025", "unit_id": unit.id, "form_code": "mxh",
                                    "title": "Đăng tin", "quantity": "1"})  # fmt: skip
    update_activity(db, activity.id, values_of(activity) | {"quantity": 3, "title": "Đăng tin VNeID"})
    update_activity(db, activity.id, values_of(activity) | {"quantity": 3, "title": "Đăng tin VNeID"})  # no change
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"anh")
    save_activity(db, activity.id, values_of(activity) | {"quantity": 3, "title": "Đăng tin VNeID"}, add_files=[photo])
    delete_activities(db, [activity.id])
    restore_activities(db, [activity.id])
    entries = history.of_subject(db, activity.uuid)
    assert [e.action for e in entries] == ["create", "update", "update", "delete", "restore"]
    assert all(e.officer == "Lê Thị Mai" and e.at.endswith("Z") for e in entries)
    assert entries[0].changes["title"] == [None, "Đăng tin"] and entries[0].changes["date_from"] == [None, "2025-03-05"]
    assert entries[1].changes == {"title": ["Đăng tin", "Đăng tin VNeID"], "quantity": [1, 3]}
    assert entries[2].changes == {"evidence": [[], ["anh.jpg"]]}
    delete_activities(db, [activity.id])
    empty_trash(db)
    assert history.of_subject(db, activity.uuid)[-1].action == "purge"  # the history outlives the activity


def test_a_bulk_delete_is_one_batch_and_an_import_is_one_line(db):
    unit = _setup(db)
    ids = [create_activity(db, {"date_from": "05/03/2025", "unit_id": unit.id, "form_code": "mxh",
                                "title": f"Tin {n}", "quantity": "1"}).id for n in range(3)]  # fmt: skip
    delete_activities(db, ids)
    batches = {r[0] for r in db.execute("SELECT batch FROM history WHERE action = 'delete'")}
    assert len(batches) == 1 and "" not in batches


def test_report_edits_of_one_sitting_are_one_line_and_finalise_and_reopen_are_kept(db, tmp_path):
    import dataclasses

    from core import periods
    from core.reports import store

    _setup(db)
    report = store.create_report(db, periods.period_for("6thang", 2025))
    store.save_report(db, dataclasses.replace(report, summary="Báo cáo kết quả tuyên truyền 6 tháng"))
    edited = store.get_report(db, report.id)
    store.save_report(db, dataclasses.replace(edited, summary="Báo cáo kết quả 6 tháng đầu năm", signer="Lê Văn Hải"))
    entries = history.of_subject(db, report.uuid)
    assert [e.action for e in entries] == ["report_update"]  # the same sitting: folded into one line
    assert entries[0].changes["Trích yếu"] == [report.summary, "Báo cáo kết quả 6 tháng đầu năm"]
    assert entries[0].changes["Người ký"][1] == "Lê Văn Hải" and entries[0].officer == "Lê Thị Mai"
    files = [tmp_path / "bc.docx"]
    files[0].write_bytes(b"docx")
    store.finalise(db, report.id, figures={}, files=files)
    store.reopen(db, report.id, "Sửa số liệu tháng 6")
    actions = [e.action for e in history.of_subject(db, report.uuid)]
    assert actions == ["report_update", "report_final", "report_reopen"]
    assert history.of_subject(db, report.uuid)[-1].changes == {"Lý do": [None, "Sửa số liệu tháng 6"]}
