"""The home screen's figures, against a small log counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from core import overview as ov
from core import settings, taxonomy
from core.activities import repository, service
from core.activities.filters import ActivityFilter
from core.units import create_unit

TODAY = dt.date(2025, 7, 10)
D = dt.date


@pytest.fixture
def log(db):
    """A district (the officer's unit) over two communes, one with a village; a two-year log."""
    district = create_unit(db, name="Huyện Hải Lăng", level="huyen")
    phu = create_unit(db, name="Xã Hải Phú", level="xa", parent_id=district.id)
    village = create_unit(db, name="Thôn Mỹ Thủy", level="khac", parent_id=phu.id)
    thuong = create_unit(db, name="Xã Hải Thượng", level="xa", parent_id=district.id)
    other = create_unit(db, name="Xã Gio Mỹ", level="xa")  # not under the district
    settings.save_profile(db, settings.Profile(unit_id=district.id, officer_name="Nguyễn Văn An",
                                               recipients=["Sở Khoa học và Công nghệ"]))  # fmt: skip

    def add(day, form, unit):
        return service.create_activity(db, {"date_from": day, "unit_id": unit.id, "form_code": form,
                                            "title": f"{form} {day}", "quantity": 1}).id  # fmt: skip

    db.ids = {
        "news_jan": add("05/01/2025", "tin_bai", phu),
        "social_jan": add("20/01/2025", "mxh", village),
        "news_feb_deleted": add("10/02/2025", "tin_bai", thuong),
        "news_mar": add("15/03/2025", "tin_bai", thuong),
        "event_jul": add("05/07/2025", "hoi_nghi", district),
        "social_jul_ahead": add("20/07/2025", "mxh", phu),  # after "today": in July's column, not in "so far"
        "other_unit": add("12/05/2025", "video", other),
        "news_2024_jan": add("10/01/2024", "tin_bai", phu),
        "social_2024_jul_08": add("08/07/2024", "mxh", thuong),  # within the same period last year
        "social_2024_jul_15": add("15/07/2024", "mxh", phu),  # after it
        "news_2024_dec": add("31/12/2024", "tin_bai", thuong),
        "news_2023": add("01/05/2023", "tin_bai", phu),
    }
    service.delete_activities(db, [db.ids["news_feb_deleted"]])
    db.units = {"district": district, "phu": phu, "village": village, "thuong": thuong, "other": other}
    ov.invalidate()
    return db


def months(counts: dict[int, int]) -> list[int]:
    return [counts.get(m, 0) for m in range(1, 13)]


def test_months_forms_and_last_year_counted_by_hand(log):
    data = ov.overview(log, 2025, TODAY)
    assert [m.month for m in data.by_month] == list(range(1, 13))
    # 2025: January 2 (news, social), February 0 (the only one is in the trash), March 1,
    # May 1 (another district's commune: still in the log), July 2 (one dated after today)
    assert [m.this_year for m in data.by_month] == months({1: 2, 3: 1, 5: 1, 7: 2})
    assert [m.last_year for m in data.by_month] == months({1: 1, 7: 2, 12: 1})
    assert data.this_year_through == TODAY and data.last_year_through == D(2024, 7, 10)
    labels = taxonomy.labels(log, "form")
    # so far this year (1/1–10/7/2025) against 1/1–10/7/2024; most used first, then the
    # most used last year, then the taxonomy's order
    assert [(f.code, f.label, f.this_year, f.last_year) for f in data.by_form] == [
        ("tin_bai", labels["tin_bai"], 2, 1),
        ("mxh", labels["mxh"], 1, 1),
        ("video", labels["video"], 1, 0),
        ("hoi_nghi", labels["hoi_nghi"], 1, 0),
    ]
    assert data.total_this_year == 5 and data.total_last_year_same_period == 2


def test_a_past_year_counts_whole_years(log):
    data = ov.overview(log, 2024, TODAY)
    assert data.this_year_through == D(2024, 12, 31) and data.last_year_through == D(2023, 12, 31)
    assert [m.this_year for m in data.by_month] == months({1: 1, 7: 2, 12: 1})
    assert [m.last_year for m in data.by_month] == months({5: 1})
    assert [(f.code, f.this_year, f.last_year) for f in data.by_form] == [("tin_bai", 2, 1), ("mxh", 2, 0)]


def test_same_period_ends_on_the_same_day_a_year_back():
    assert ov.same_period_end(2025, D(2025, 7, 10)) == D(2024, 7, 10)
    assert ov.same_period_end(2024, D(2024, 2, 29)) == D(2023, 2, 28)
    assert ov.same_period_end(2024, D(2025, 3, 1)) == D(2023, 12, 31)  # the year is over
    assert ov.same_period_end(2026, D(2025, 3, 1)) == D(2025, 1, 1)  # not begun


def test_the_figures_agree_with_the_logs_own_statistics_and_filters(log):
    data = ov.overview(log, 2025, TODAY)
    both_years = ActivityFilter(date_from=D(2024, 1, 1), date_to=D(2025, 12, 31))
    by_month = {g.key: g.totals.count for g in repository.stats(log, both_years, by="month")}
    for m in data.by_month:
        assert by_month.get(f"2025-{m.month:02d}", 0) == m.this_year
        assert by_month.get(f"2024-{m.month:02d}", 0) == m.last_year
        # a click on a column shows exactly what it counts
        assert repository.count(log, data.month_filter(m.month)) == m.this_year
        assert repository.count(log, data.month_filter(m.month, last_year=True)) == m.last_year
    so_far = {g.key: g.totals.count for g in repository.stats(log, ActivityFilter(D(2025, 1, 1), TODAY), by="form")}
    assert {f.code: f.this_year for f in data.by_form} == so_far
    for f in data.by_form:
        assert repository.count(log, data.form_filter(f.code)) == f.this_year
        assert repository.count(log, data.form_filter(f.code, last_year=True)) == f.last_year
    assert data.month_filter(2) == ActivityFilter(date_from=D(2025, 2, 1), date_to=D(2025, 2, 28))
    assert data.form_filter("mxh") == ActivityFilter(date_from=D(2025, 1, 1), date_to=TODAY, form_codes=("mxh",))


def test_subordinates_in_the_current_report_period(log):
    data = ov.overview(log, 2025, TODAY)
    # NĐ 09/2019: on 10/07/2025 the 6-month period (15/12/2024–14/06/2025) is over: the annual one
    assert (data.period.kind, data.period.start, data.period.end) == ("nam", D(2024, 12, 15), D(2025, 12, 14))
    assert data.unit.id == log.units["district"].id
    # Hải Phú: 05/01, 20/01 (its village), 20/07; Hải Thượng: 31/12/2024 (after 15/12), 15/03
    # (10/02 is in the trash); Gio Mỹ is not under the district; the district itself: 05/07
    assert [(u.name, u.count) for u in data.subordinates] == [("Xã Hải Phú", 3), ("Xã Hải Thượng", 2)]
    assert data.own_count == 1
    phu = log.units["phu"].id
    assert repository.count(log, data.unit_filter(phu)) == 3

    settings.put(log, "report_rules", "calendar")  # 1/1–30/6 is over: 1/1–31/12
    data = ov.overview(log, 2025, TODAY)
    assert (data.period.start, data.period.end) == (D(2025, 1, 1), D(2025, 12, 31))
    assert [(u.name, u.count) for u in data.subordinates] == [("Xã Hải Phú", 3), ("Xã Hải Thượng", 1)]
    early = ov.overview(log, 2025, D(2025, 3, 1))  # within the first 6 months
    assert (early.period.kind, early.period.start, early.period.end) == ("6thang", D(2025, 1, 1), D(2025, 6, 30))


def test_a_commune_without_subordinates(log):
    settings.save_profile(log, settings.Profile(unit_id=log.units["thuong"].id, officer_name="Lê Thị Hoa",
                                                recipients=["UBND huyện Hải Lăng"]))  # fmt: skip
    data = ov.overview(log, 2025, TODAY)
    assert data.unit.name == "Xã Hải Thượng" and data.subordinates == () and data.own_count == 0


def test_empty_database(db):
    data = ov.overview(db, 2025, TODAY)
    assert [m.this_year for m in data.by_month] == [0] * 12 and data.by_form == ()
    assert data.unit is None and data.period is None and data.subordinates == ()


def test_cache_follows_new_deleted_and_restored_activities_and_invalidate(log, monkeypatch):
    calls = []
    real = ov._form_month_counts
    monkeypatch.setattr(ov, "_form_month_counts", lambda *args: calls.append(1) or real(*args))

    def july() -> int:
        return ov.overview(log, 2025, TODAY).by_month[6].this_year

    assert july() == 2 and len(calls) == 1
    assert july() == 2 and len(calls) == 1  # cached
    assert ov.overview(log, 2025, D(2025, 7, 11)) and len(calls) == 2  # another day: computed
    new = service.create_activity(log, {"date_from": "11/07/2025", "unit_id": log.units["phu"].id,
                                        "form_code": "mxh", "title": "Bài mới", "quantity": 1})  # fmt: skip
    assert july() == 3 and len(calls) == 3  # a new id: the cache sees it
    service.delete_activities(log, [new.id])
    assert july() == 2 and len(calls) == 4  # one more in the trash
    service.restore_activities(log, [new.id])
    assert july() == 3  # the same rows as two steps ago (that entry may answer)
    # one out of the trash, another in: the same number in the trash, not the same ids
    event = log.ids["event_jul"]
    service.delete_activities(log, [event])
    service.restore_activities(log, [log.ids["news_feb_deleted"]])
    calls.clear()
    assert july() == 2 and len(calls) == 1
    # an edit (new date) changes neither the highest id nor the trash: the saver invalidates
    service.update_activity(log, new.id, {**service.values_of(repository.get_activity(log, new.id)),
                                          "date_from": "11/08/2025"})  # fmt: skip
    assert july() == 2 and len(calls) == 1
    ov.invalidate()
    assert july() == 1 and len(calls) == 2
    assert ov.overview(log, 2025, TODAY, use_cache=False).by_month[7].this_year == 1 and len(calls) == 3


def test_a_renamed_form_shows_at_once_from_the_cache(log):
    ov.overview(log, 2025, TODAY)
    taxonomy.rename(log, "form", "tin_bai", "Tin bài trên trang thông tin điện tử xã")
    assert ov.overview(log, 2025, TODAY).by_form[0].label == "Tin bài trên trang thông tin điện tử xã"
