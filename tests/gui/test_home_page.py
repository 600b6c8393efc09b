"""The home screen as the officer sees it: targets with progress, clickable charts, reports due."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core import overview, periods, plans
from core.activities.filters import ActivityFilter
from core.activities.service import create_activity
from core.reports import store
from core.text import format_date
from gui.home_page import HomePage

TODAY = dt.date(2025, 7, 10)  # 52% of the year gone
D = dt.date


@pytest.fixture
def home_db(profile_db):
    """profile_db (a district over Xã Hải Phú; 05/03 news, 10/04 event, 20/07 social post in 2025)
    plus one activity in 2024 and a plan with three targets."""
    district, commune = profile_db.units
    create_activity(profile_db, {"date_from": "02/03/2024", "unit_id": commune.id, "form_code": "tin_bai",
                                 "title": "Tin bài năm trước", "quantity": "1"})  # fmt: skip
    plan = plans.create_plan(profile_db, {"number": "148/KH-UBND", "issued_on": "15/01/2025", "issuer": "UBND huyện",
                                          "title": "Kế hoạch tuyên truyền chuyển đổi số", "year_from": 2025,
                                          "year_to": 2025})  # fmt: skip
    plans.create_target(profile_db, plan.id, {"name": "Tin, bài trên trang thông tin điện tử", "year": 2025,
                                              "planned": 10, "unit_label": "tin, bài", "measure": "quantity",
                                              "form_codes": ["tin_bai"], "sort_order": 1})  # 2 of 10: behind
    plans.create_target(profile_db, plan.id, {"name": "Hội nghị về chuyển đổi số", "year": 2025, "planned": 1,
                                              "unit_label": "hội nghị", "form_codes": ["hoi_nghi"],
                                              "sort_order": 2})  # 1 of 1: done  # fmt: skip
    plans.create_target(profile_db, plan.id, {"name": "Tỷ lệ trường học có nội dung tuyên truyền", "year": 2025,
                                              "planned": 50, "unit_kind": "percent", "source": "manual",
                                              "sort_order": 3})  # no value yet  # fmt: skip
    overview.invalidate()
    return profile_db


def open_page(qtbot, db, db_path) -> HomePage:
    page = HomePage(db, db_path, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    return page


def test_targets_show_progress_and_who_is_behind(qtbot, home_db, db_path):
    page = open_page(qtbot, home_db, db_path)
    news, events, schools = page.target_rows
    assert news.name.text() == "Tin, bài trên trang thông tin điện tử"
    assert news.bar.value() == 20 and news.percent.text() == "20%"
    assert news.behind and news.bar.property("behind") is True
    assert "chậm tiến độ" in news.status.text()
    assert "Thực hiện 2 tin, bài / kế hoạch 10 tin, bài" in news.detail.text()
    assert "#d84315" in news.bar.styleSheet()  # the behind colour
    assert events.bar.value() == 100 and not events.behind and events.bar.property("behind") is False
    assert events.status.text() == "đã đạt kế hoạch" and "chậm" not in events.detail.text()
    assert schools.percent.text() == "chưa nhập" and schools.bar.value() == 0 and not schools.behind
    assert "chưa nhập giá trị đạt được" in schools.detail.text()
    assert page.targets_note.text() == "3 chỉ tiêu, 1 chỉ tiêu chậm tiến độ."


def test_clicking_a_month_column_opens_the_log_for_that_month(qtbot, home_db, db_path):
    page = open_page(qtbot, home_db, db_path)
    chart = page.month_chart
    assert chart.this_year[2] == 1 and chart.last_year[2] == 1  # March 2025, March 2024
    assert chart.series_labels == ("Năm 2025", "Năm 2024")
    with qtbot.waitSignal(page.open_log, timeout=2000) as signal:
        QTest.mouseClick(chart, Qt.LeftButton, Qt.NoModifier, chart.bar_rect(3).center())
    assert signal.args == [ActivityFilter(date_from=D(2025, 3, 1), date_to=D(2025, 3, 31))]
    with qtbot.waitSignal(page.open_log, timeout=2000) as signal:
        QTest.mouseClick(chart, Qt.LeftButton, Qt.NoModifier, chart.bar_rect(3, last_year=True).center())
    assert signal.args == [ActivityFilter(date_from=D(2024, 3, 1), date_to=D(2024, 3, 31))]
    with qtbot.assertNotEmitted(page.open_log):  # June has nothing to show
        QTest.mouseClick(chart, Qt.LeftButton, Qt.NoModifier, chart.bar_rect(6).center())


def test_clicking_a_form_bar_opens_the_log_for_that_form(qtbot, home_db, db_path):
    page = open_page(qtbot, home_db, db_path)
    chart = page.form_chart
    # so far (to 10/07): news 1 (and 1 last year), event 1; the social post of 20/07 is ahead
    assert [(key, values) for key, _label, values in chart.rows] == [("tin_bai", (1, 1)), ("hoi_nghi", (1, 0))]
    assert [name for name, _color in chart.series] == ["Năm 2025", "Cùng kỳ năm 2024"]
    with qtbot.waitSignal(page.open_log, timeout=2000) as signal:
        QTest.mouseClick(chart, Qt.LeftButton, Qt.NoModifier, chart.bar_rect("hoi_nghi").center())
    assert signal.args == [ActivityFilter(date_from=D(2025, 1, 1), date_to=TODAY, form_codes=("hoi_nghi",))]
    with qtbot.waitSignal(page.open_log, timeout=2000) as signal:
        QTest.mouseClick(chart, Qt.LeftButton, Qt.NoModifier, chart.bar_rect("tin_bai", 1).center())
    assert signal.args == [ActivityFilter(date_from=D(2024, 1, 1), date_to=D(2024, 7, 10), form_codes=("tin_bai",))]


def test_reports_due_and_drafts(qtbot, home_db, db_path):
    july = periods.period_for("thang", 2025, number=7)  # NĐ 09: 15/06–14/07, due 20/07
    draft = store.create_report(home_db, july, today=TODAY)
    page = open_page(qtbot, home_db, db_path)
    due = [page.due.item(i).text() for i in range(page.due.count())]
    expected = periods.upcoming(TODAY, "nd09", {})
    assert len(due) == len(expected) >= 2
    for text, (period, day, days) in zip(due, expected):
        assert text.startswith(f"{period.short_label} — hạn {format_date(day)} (còn {days} ngày)")
    assert due[0] == "Tháng 07/2025 — hạn 20/07/2025 (còn 10 ngày) · có bản nháp"
    assert page.drafts.count() == 1 and page.drafts.item(0).text().startswith("Tháng 07/2025 — số 01/BC-UBND")
    with qtbot.waitSignal(page.open_report, timeout=2000) as signal:
        QTest.mouseClick(page.due.viewport(), Qt.LeftButton, Qt.NoModifier,
                         page.due.visualItemRect(page.due.item(0)).center())  # fmt: skip
    assert signal.args == [draft.id]
    with qtbot.waitSignal(page.open_report, timeout=2000) as signal:
        QTest.mouseClick(page.drafts.viewport(), Qt.LeftButton, Qt.NoModifier,
                         page.drafts.visualItemRect(page.drafts.item(0)).center())  # fmt: skip
    assert signal.args == [draft.id]

    # a report started on another tab shows when the officer comes back
    page.hide()
    store.create_report(home_db, periods.period_for("quy", 2025, number=3), today=TODAY)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    assert page.drafts.count() == 2
    assert any(page.due.item(i).text().startswith("Quý III/2025") and page.due.item(i).text().endswith("có bản nháp")
               for i in range(page.due.count()))


def test_subordinates_and_refresh_after_a_change(qtbot, home_db, db_path):
    district, commune = home_db.units
    page = open_page(qtbot, home_db, db_path)
    assert page.units_box.isVisible()
    # the annual period under NĐ 09 (15/12/2024–14/12/2025): 05/03 and 20/07
    assert [(key, values) for key, _label, values in page.unit_chart.rows] == [(commune.id, (2,))]
    assert "Xã Hải Phú" in [label for _key, label, _values in page.unit_chart.rows]
    assert "14/12/2025" in page.units_note.text()
    with qtbot.waitSignal(page.open_log, timeout=2000) as signal:
        QTest.mouseClick(page.unit_chart, Qt.LeftButton, Qt.NoModifier, page.unit_chart.bar_rect(commune.id).center())
    assert signal.args == [ActivityFilter(date_from=D(2024, 12, 15), date_to=D(2025, 12, 14), unit_id=commune.id)]

    create_activity(home_db, {"date_from": "01/07/2025", "unit_id": commune.id, "form_code": "tin_bai",
                              "title": "Tin bài mới", "quantity": "3"})  # fmt: skip
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.data_changed()
    assert page.month_chart.this_year[6] == 2 and page.unit_chart.rows[0][2] == (3,)
    assert page.target_rows[0].bar.value() == 50  # 5 of 10 tin, bài


def test_a_commune_on_its_own_has_no_subordinates_section(qtbot, db, db_path):
    from core import settings
    from core.units import create_unit

    unit = create_unit(db, name="Xã Hải Phú", level="xa")
    settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name="Lê Thị Hoa", recipients=["UBND huyện"]))
    page = open_page(qtbot, db, db_path)
    assert not page.units_box.isVisible()
    assert page.targets_note.text() == "Chưa có chỉ tiêu nào cho năm 2025 (trong các kế hoạch đang thực hiện)."
    assert "chưa có hoạt động nào" in page.summary.text()
