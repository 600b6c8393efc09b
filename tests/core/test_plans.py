"""Plans, targets and where they stand, against figures worked out by hand on a small log."""

from __future__ import annotations

import datetime as dt

import pytest

from core import plans
from core.achievement import achievement, achievements, elapsed_percent
from core.activities.service import create_activity, delete_activities
from core.errors import ValidationError
from core.units import create_unit


@pytest.fixture
def log(db):
    commune = create_unit(db, name="Xã Hải Phú", level="xa")
    village = create_unit(db, name="Thôn Mỹ Thủy", level="khac", parent_id=commune.id)
    other = create_unit(db, name="Xã Hải Lăng", level="xa")

    def add(day, form, quantity, unit=commune.id, cost=None, topics=(), participants=None):
        return create_activity(db, {"date_from": day, "unit_id": unit, "form_code": form, "title": f"{form} {day}",
                                    "quantity": quantity, "cost": cost, "funding_code": "ns_xa" if cost else None,
                                    "topics": list(topics), "participants": participants}).id  # fmt: skip

    db.ids = {
        "news_jan": add("10/01/2025", "tin_bai", 4),
        "news_mar": add("15/03/2025", "tin_bai", 6, unit=village.id, topics=["de_an_06"]),
        "social_may": add("20/05/2025", "mxh", 5, topics=["de_an_06"]),
        "news_aug": add("05/08/2025", "tin_bai", 10),
        "event_oct": add("10/10/2025", "hoi_nghi", 1, cost=12_000_000, participants=150),
        "news_other": add("01/02/2025", "tin_bai", 7, unit=other.id),
        "news_2024": add("12/03/2024", "tin_bai", 3),
        "event_2024": add("10/10/2024", "hoi_nghi", 1, cost=8_000_000, participants=90),
    }
    db.commune, db.village, db.other = commune, village, other
    db.plan = plans.create_plan(db, {"number": "148/KH-UBND", "issued_on": "15/01/2025", "issuer": "UBND xã Hải Phú",
                                     "title": "Kế hoạch tuyên truyền chuyển đổi số năm 2025", "year_from": 2025,
                                     "year_to": 2025})  # fmt: skip
    return db


def target(db, **values):
    return plans.create_target(db, db.plan.id, {"year": 2025, **values})


def test_news_items_counted_by_quantity_for_the_commune_and_its_villages(log):
    news = target(log, name="Tin, bài trên cổng thông tin", planned=40, unit_label="tin, bài", measure="quantity",
                  form_codes=["tin_bai"], unit_ids=[log.commune.id])  # fmt: skip
    first_half = achievement(log, news, dt.date(2025, 1, 1), dt.date(2025, 6, 30), today=dt.date(2025, 7, 15))
    assert first_half.achieved == 4 + 6  # not Hải Lăng's 7, not 2024's 3
    assert first_half.percent == pytest.approx(25.0)
    assert first_half.last_year == 3
    assert first_half.expected_percent == pytest.approx(181 * 100 / 365)
    assert first_half.behind  # 25% of the plan when half the year is gone

    third_quarter = achievement(log, news, dt.date(2025, 7, 1), dt.date(2025, 9, 30), today=dt.date(2025, 10, 1))
    assert third_quarter.achieved == 10 and third_quarter.year_to_date == 20  # 4 + 6 + 10
    assert third_quarter.percent == pytest.approx(50.0) and third_quarter.behind  # 50% < 75%


def test_events_money_and_people_across_forms_and_topics(log):
    event = target(log, name="Tổ chức sự kiện Ngày Chuyển đổi số", planned=1, form_codes=["hoi_nghi", "tap_huan"])
    money = target(log, name="Kinh phí tuyên truyền", planned=20_000_000, unit_kind="money", form_codes=["hoi_nghi"])
    people = target(log, name="Người tham dự hội nghị", planned=100, measure="participants")
    vneid = target(log, name="Tuyên truyền Đề án 06", planned=2, topic_codes=["de_an_06"])
    year = {a.target.name: a for a in achievements(log, 2025, today=dt.date(2025, 12, 31))}
    assert year[event.name].achieved == 1 and year[event.name].percent == 100 and not year[event.name].behind
    assert year[money.name].achieved == 12_000_000 and year[money.name].percent == pytest.approx(60.0)
    assert money.unit_label == "đồng" and money.measure == "cost"
    assert year[money.name].last_year == 8_000_000 and year[money.name].behind
    assert year[people.name].achieved == 150 and year[people.name].last_year == 90
    assert year[vneid.name].achieved == 2 and year[vneid.name].percent == 100


def test_deleted_activities_do_not_count(log):
    news = target(log, name="Tin, bài", planned=10, form_codes=["tin_bai"])
    assert achievement(log, news, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).achieved == 4  # counted, not summed
    delete_activities(log, [log.ids["news_aug"]])
    assert achievement(log, news, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).achieved == 3


def test_manual_percent_target_and_last_years_copy(log):
    log.plan = plans.update_plan(log, log.plan.id, {**log.plan.__dict__, "issued_on": "15/01/2024",
                                                     "year_from": 2024, "year_to": 2025})  # fmt: skip
    schools = plans.create_target(log, log.plan.id, {"year": 2024, "name": "Trường học có nội dung tuyên truyền",
                                                     "planned": 50, "unit_kind": "percent", "source": "manual"})
    plans.record_value(log, schools.id, "30/06/2024", "30", "Báo cáo của phòng Giáo dục")
    assert plans.copy_targets(log, 2024, 2025) == 1
    assert plans.copy_targets(log, 2024, 2025) == 0  # copied once only
    this_year = plans.targets_for_year(log, 2025)[0]
    assert this_year.series == schools.series and this_year.planned == 50 and this_year.unit_label == "%"

    nothing_yet = achievement(log, this_year, dt.date(2025, 1, 1), dt.date(2025, 6, 30), today=dt.date(2025, 7, 1))
    assert nothing_yet.achieved is None and nothing_yet.percent is None and not nothing_yet.behind
    assert nothing_yet.last_year == 30
    plans.record_value(log, this_year.id, "15/03/2025", "20")
    plans.record_value(log, this_year.id, "20/06/2025", "40,5")
    plans.record_value(log, this_year.id, "01/09/2025", "55")  # after the period: not counted in it
    half = achievement(log, this_year, dt.date(2025, 1, 1), dt.date(2025, 6, 30), today=dt.date(2025, 7, 1))
    assert half.achieved == 40.5 and half.percent == pytest.approx(81.0) and not half.behind


def test_linked_activities(log):
    linked = target(log, name="Bài về VNeID", planned=4, source="linked", measure="quantity")
    plans.link_activities(log, linked.id, [log.ids["news_mar"], log.ids["social_may"], log.ids["news_2024"]])
    plans.link_activities(log, linked.id, [log.ids["news_mar"]])  # twice is once
    year = achievement(log, linked, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert year.achieved == 6 + 5 and year.last_year == 3
    plans.unlink_activities(log, linked.id, [log.ids["social_may"]])
    assert achievement(log, linked, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).achieved == 6


def test_validation_in_vietnamese(log):
    with pytest.raises(ValidationError) as err:
        target(log, name="", planned="0", unit_kind="percent", form_codes=["khong_co"])
    assert err.value.fields["name"] == "Hãy nhập tên chỉ tiêu."
    assert err.value.fields["planned"] == "Giá trị kế hoạch phải lớn hơn 0."
    assert "khong_co" in err.value.fields["form_codes"]
    with pytest.raises(ValidationError) as err:
        target(log, name="Tỷ lệ", planned=120, unit_kind="percent", year=2030)
    assert "không được quá 100" in err.value.fields["planned"] and "2025–2025" in err.value.fields["year"]
    with pytest.raises(ValidationError) as err:
        plans.create_plan(log, {"title": "", "year_from": 2026, "year_to": 2025})
    assert set(err.value.fields) == {"title", "year_to"}
    news = target(log, name="Tin", planned=5)
    with pytest.raises(ValidationError) as err:
        plans.record_value(log, news.id, "01/03/2025", 3)
    assert "không nhập tay" in err.value.fields["value"]


def test_elapsed_share_of_the_year():
    assert elapsed_percent(2025, dt.date(2024, 12, 31)) == 0
    assert elapsed_percent(2025, dt.date(2025, 12, 31)) == 100
    assert elapsed_percent(2024, dt.date(2024, 6, 30)) == pytest.approx(182 * 100 / 366)  # leap year


def test_plan_scoped_copy_order_kept_and_value_dates(log):
    other = plans.create_plan(log, {"title": "Kế hoạch khác", "year_from": 2025, "year_to": 2025})
    first = target(log, name="Tin", planned=5, sort_order=3)
    plans.create_target(log, other.id, {"name": "Pano", "planned": 2, "year": 2025})
    assert plans.copy_targets(log, 2025, 2026, plan_id=log.plan.id) == 1
    assert [t.name for t in plans.targets_for_plan(log, log.plan.id, 2026)] == ["Tin"]
    assert plans.targets_for_plan(log, other.id, 2026) == []
    edited = plans.update_target(log, first.id, {"name": "Tin, bài", "planned": 6, "year": 2025})
    assert edited.sort_order == 3
    manual = target(log, name="Tỷ lệ", planned=50, unit_kind="percent", source="manual")
    with pytest.raises(ValidationError) as err:
        plans.record_value(log, manual.id, "01/01/2026", 10)
    assert err.value.fields["value"] == "Ngày phải trong năm 2025 của chỉ tiêu."


def test_plan_document_kept_and_not_swept_with_evidence(log, tmp_path):
    from core.activities.evidence import add_evidence, remove_evidence

    pdf = tmp_path / "148-KH-UBND.pdf"
    pdf.write_bytes(b"%PDF-1.4 ke hoach")
    plan = plans.attach_document(log, log.plan.id, pdf)
    stored = plans.document_path(log, plan)
    assert plan.document_name == "148-KH-UBND.pdf" and stored.read_bytes() == pdf.read_bytes() and stored != pdf
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(b"jpeg")
    remove_evidence(log, add_evidence(log, log.ids["news_jan"], photo))  # sweeps unused files
    assert stored.exists()  # the plan's document is in use
    plans.delete_plan(log, plan.id)
    assert not stored.exists()
