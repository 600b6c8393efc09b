"""Xóa dữ liệu mẫu: the demo's activities, units and plan go in one step; the officer's own data stays."""

from __future__ import annotations

import datetime as dt

import pytest

from core import settings
from core.activities.service import create_activity
from core.demo import generate
from core.demo_removal import demo_data, has_demo, remove_demo
from core.units import create_unit

TODAY = dt.date(2025, 11, 20)


def counts(db) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("activities", "units", "plans", "targets", "activity_topics", "activity_search")}  # fmt: skip


def test_a_first_start_demo_goes_completely_and_the_setup_is_asked_again(db):
    generate(db, activities=300, units=3, years=[2025], today=TODAY)
    found = demo_data(db)
    assert (found.activities, found.units, found.plans) == (300, 3, 1) and found.any and has_demo(db)
    assert settings.load_profile(db) is not None
    removed = remove_demo(db)
    assert (removed.activities, removed.units, removed.plans) == (300, 3, 1)
    assert counts(db) == dict.fromkeys(counts(db), 0)
    assert settings.load_profile(db) is None and not demo_data(db).any and not has_demo(db)
    assert db.execute("SELECT action FROM history ORDER BY id DESC LIMIT 1").fetchone()[0] == "remove_demo"


def test_demo_added_to_a_real_unit_leaves_the_unit_plan_and_typed_activities(db):
    commune = create_unit(db, name="Xã Hải Phú", level="xa")
    settings.save_profile(db, settings.Profile(unit_id=commune.id, officer_name="Lê Thị Mai"))
    create_activity(db, {"date_from": "05/03/2025", "unit_id": commune.id, "form_code": "hoi_nghi",
                         "title": "Hội nghị thật", "quantity": "1"})  # fmt: skip
    from core import plans

    own = plans.create_plan(db, {"number": "01/KH", "issued_on": dt.date(2025, 1, 2), "issuer": "UBND xã",
                                 "title": "Kế hoạch của xã", "year_from": 2025, "year_to": 2025})  # fmt: skip
    generate(db, activities=100, years=[2025], today=TODAY)  # Tệp → Tạo dữ liệu mẫu… on a real log
    assert demo_data(db).activities == 100 and demo_data(db).units == 0 and demo_data(db).plans == 0
    remove_demo(db)
    titles = [r[0] for r in db.execute("SELECT title FROM activities")]
    assert titles == ["Hội nghị thật"]
    assert db.execute("SELECT uuid FROM plans").fetchall() == [(own.uuid,)]
    assert settings.load_profile(db).unit_id == commune.id
    assert db.execute("SELECT count(*) FROM activity_search WHERE activity_search MATCH 'thật'").fetchone()[0] == 1


def test_a_demo_unit_the_officer_typed_activities_for_is_kept(db):
    generate(db, activities=50, units=2, years=[2025], today=TODAY)
    commune = db.execute("SELECT id FROM units WHERE level = 'xa'").fetchone()[0]
    create_activity(db, {"date_from": "05/03/2025", "unit_id": commune, "form_code": "mxh",
                         "title": "Bài đăng thật", "quantity": "1"})  # fmt: skip
    removed = remove_demo(db)
    assert removed.activities == 50 and removed.units == 0  # the commune is used, so its district stays too
    assert [r[0] for r in db.execute("SELECT title FROM activities")] == ["Bài đăng thật"]
    assert settings.load_profile(db) is not None


def test_a_failure_removes_nothing(db, monkeypatch):
    generate(db, activities=40, units=2, years=[2025], today=TODAY)
    before = counts(db)
    import core.demo_removal as removal

    def broken(_db, _units):
        raise RuntimeError("mất điện")

    monkeypatch.setattr(removal, "_remove_units", broken)
    with pytest.raises(RuntimeError):
        remove_demo(db)
    assert counts(db) == before and demo_data(db).activities == 40
