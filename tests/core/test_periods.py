"""Report periods (NĐ 09/2019 and calendar rules), due dates, and the log's calendar presets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import UserError
from core.periods import (
    DEFAULT_DUE,
    KIND_LABELS,
    KINDS,
    RULE_LABELS,
    RULES,
    Period,
    Range,
    calendar_presets,
    current_period,
    due_date,
    period_for,
    upcoming,
)

D = dt.date


def is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


# ---------------------------------------------------------------------------
# calendar_presets is used by gui/filter_bar.py: pin it
# ---------------------------------------------------------------------------


def test_calendar_presets_unchanged_for_2025_08_15():
    assert calendar_presets(D(2025, 8, 15)) == [
        Range("Mọi thời gian", None, None),
        Range("Tháng 08/2025", D(2025, 8, 1), D(2025, 8, 31)),
        Range("Quý 3/2025", D(2025, 7, 1), D(2025, 9, 30)),
        Range("6 tháng đầu năm 2025", D(2025, 1, 1), D(2025, 6, 30)),
        Range("6 tháng cuối năm 2025", D(2025, 7, 1), D(2025, 12, 31)),
        Range("Năm 2025", D(2025, 1, 1), D(2025, 12, 31)),
        Range("Năm 2024", D(2024, 1, 1), D(2024, 12, 31)),
    ]


def test_calendar_presets_december_and_leap_february():
    dec = calendar_presets(D(2025, 12, 31))
    assert dec[1] == Range("Tháng 12/2025", D(2025, 12, 1), D(2025, 12, 31))
    assert dec[2] == Range("Quý 4/2025", D(2025, 10, 1), D(2025, 12, 31))
    assert calendar_presets(D(2024, 2, 10))[1] == Range("Tháng 02/2024", D(2024, 2, 1), D(2024, 2, 29))


# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------


def test_kinds_rules_and_labels():
    assert KINDS == ("thang", "quy", "6thang", "9thang", "nam", "dotxuat")
    assert [KIND_LABELS[k] for k in KINDS] == ["Tháng", "Quý", "6 tháng", "9 tháng", "Năm", "Đột xuất"]
    assert RULES == ("nd09", "calendar")
    assert RULE_LABELS == {
        "nd09": "Theo Nghị định 09/2019/NĐ-CP (số liệu từ ngày 15)",
        "calendar": "Theo năm dương lịch",
    }
    for text in [*KIND_LABELS.values(), *RULE_LABELS.values()]:
        assert is_nfc(text)
    assert set(DEFAULT_DUE) == set(RULES)
    for rules in RULES:
        assert set(DEFAULT_DUE[rules]) == set(KINDS)


# ---------------------------------------------------------------------------
# Boundaries: every kind x both rule sets, 2025
# ---------------------------------------------------------------------------

ND09_MONTHS_2025 = [
    (1, D(2024, 12, 15), D(2025, 1, 14)),
    (2, D(2025, 1, 15), D(2025, 2, 14)),
    (3, D(2025, 2, 15), D(2025, 3, 14)),
    (4, D(2025, 3, 15), D(2025, 4, 14)),
    (5, D(2025, 4, 15), D(2025, 5, 14)),
    (6, D(2025, 5, 15), D(2025, 6, 14)),
    (7, D(2025, 6, 15), D(2025, 7, 14)),
    (8, D(2025, 7, 15), D(2025, 8, 14)),
    (9, D(2025, 8, 15), D(2025, 9, 14)),
    (10, D(2025, 9, 15), D(2025, 10, 14)),
    (11, D(2025, 10, 15), D(2025, 11, 14)),
    (12, D(2025, 11, 15), D(2025, 12, 14)),
]

CALENDAR_MONTHS_2025 = [
    (1, D(2025, 1, 1), D(2025, 1, 31)),
    (2, D(2025, 2, 1), D(2025, 2, 28)),
    (3, D(2025, 3, 1), D(2025, 3, 31)),
    (4, D(2025, 4, 1), D(2025, 4, 30)),
    (5, D(2025, 5, 1), D(2025, 5, 31)),
    (6, D(2025, 6, 1), D(2025, 6, 30)),
    (7, D(2025, 7, 1), D(2025, 7, 31)),
    (8, D(2025, 8, 1), D(2025, 8, 31)),
    (9, D(2025, 9, 1), D(2025, 9, 30)),
    (10, D(2025, 10, 1), D(2025, 10, 31)),
    (11, D(2025, 11, 1), D(2025, 11, 30)),
    (12, D(2025, 12, 1), D(2025, 12, 31)),
]


@pytest.mark.parametrize(("month", "start", "end"), ND09_MONTHS_2025)
def test_nd09_months_2025(month, start, end):
    p = period_for("thang", 2025, number=month)
    assert (p.kind, p.year, p.number, p.rules) == ("thang", 2025, month, "nd09")
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(("month", "start", "end"), CALENDAR_MONTHS_2025)
def test_calendar_months_2025(month, start, end):
    p = period_for("thang", 2025, number=month, rules="calendar")
    assert (p.start, p.end, p.rules) == (start, end, "calendar")


def test_january_nd09_starts_in_previous_year():
    p = period_for("thang", 2025, number=1, rules="nd09")
    assert (p.start, p.end) == (D(2024, 12, 15), D(2025, 1, 14))


@pytest.mark.parametrize(
    ("rules", "quarter", "start", "end"),
    [
        ("nd09", 1, D(2024, 12, 15), D(2025, 3, 14)),
        ("nd09", 2, D(2025, 3, 15), D(2025, 6, 14)),
        ("nd09", 3, D(2025, 6, 15), D(2025, 9, 14)),
        ("nd09", 4, D(2025, 9, 15), D(2025, 12, 14)),
        ("calendar", 1, D(2025, 1, 1), D(2025, 3, 31)),
        ("calendar", 2, D(2025, 4, 1), D(2025, 6, 30)),
        ("calendar", 3, D(2025, 7, 1), D(2025, 9, 30)),
        ("calendar", 4, D(2025, 10, 1), D(2025, 12, 31)),
    ],
)
def test_quarters_2025(rules, quarter, start, end):
    p = period_for("quy", 2025, number=quarter, rules=rules)
    assert (p.number, p.start, p.end) == (quarter, start, end)


@pytest.mark.parametrize(
    ("kind", "rules", "start", "end"),
    [
        ("6thang", "nd09", D(2024, 12, 15), D(2025, 6, 14)),
        ("9thang", "nd09", D(2024, 12, 15), D(2025, 9, 14)),
        ("nam", "nd09", D(2024, 12, 15), D(2025, 12, 14)),
        ("6thang", "calendar", D(2025, 1, 1), D(2025, 6, 30)),
        ("9thang", "calendar", D(2025, 1, 1), D(2025, 9, 30)),
        ("nam", "calendar", D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_multi_month_periods_2025(kind, rules, start, end):
    p = period_for(kind, 2025, rules=rules)
    assert (p.kind, p.number, p.start, p.end) == (kind, None, start, end)


def test_number_is_ignored_for_kinds_without_one():
    assert period_for("nam", 2025, number=7).number is None
    assert period_for("nam", 2025, number=7) == period_for("nam", 2025)


@pytest.mark.parametrize("rules", RULES)
def test_dotxuat_uses_given_dates_whatever_the_rules(rules):
    p = period_for("dotxuat", 2025, start=D(2025, 3, 1), end=D(2025, 4, 15), rules=rules)
    assert (p.kind, p.number, p.start, p.end) == ("dotxuat", None, D(2025, 3, 1), D(2025, 4, 15))


def test_dotxuat_single_day_is_allowed_and_datetimes_become_dates():
    p = period_for("dotxuat", 2025, start=dt.datetime(2025, 3, 1, 9, 30), end=D(2025, 3, 1))
    assert (p.start, p.end) == (D(2025, 3, 1), D(2025, 3, 1))
    assert type(p.start) is dt.date


def test_period_is_frozen():
    p = period_for("nam", 2025)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.year = 2026  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Leap years and year change
# ---------------------------------------------------------------------------


def test_leap_years():
    assert period_for("thang", 2024, number=2, rules="calendar").end == D(2024, 2, 29)
    assert period_for("thang", 2023, number=2, rules="calendar").end == D(2023, 2, 28)
    assert period_for("thang", 2100, number=2, rules="calendar").end == D(2100, 2, 28)  # not a leap year
    assert period_for("thang", 2000, number=2, rules="calendar").end == D(2000, 2, 29)
    march = period_for("thang", 2024, number=3)
    assert (march.start, march.end) == (D(2024, 2, 15), D(2024, 3, 14))
    assert period_for("quy", 2024, number=1, rules="calendar").end == D(2024, 3, 31)


def test_year_change_nd09_december_to_january():
    dec = period_for("thang", 2025, number=12)
    jan = period_for("thang", 2026, number=1)
    assert dec.end == D(2025, 12, 14)
    assert jan.start == D(2025, 12, 15)
    assert dec.end + dt.timedelta(days=1) == jan.start
    # The next year's 6/9-month and annual periods start on the same 15/12.
    for kind in ("6thang", "9thang", "nam"):
        assert period_for(kind, 2026).start == D(2025, 12, 15)
    assert period_for("quy", 2026, number=1).start == D(2025, 12, 15)


def test_year_bounds_2000_and_2100_accepted():
    assert period_for("thang", 2000, number=1).start == D(1999, 12, 15)
    assert period_for("nam", 2100, rules="calendar").end == D(2100, 12, 31)


# ---------------------------------------------------------------------------
# Labels and codes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "label", "short", "code"),
    [
        ("thang", 3, "tháng 3 năm 2025", "Tháng 03/2025", "thang03-2025"),
        ("thang", 12, "tháng 12 năm 2025", "Tháng 12/2025", "thang12-2025"),
        ("quy", 1, "quý I năm 2025", "Quý I/2025", "quy1-2025"),
        ("quy", 2, "quý II năm 2025", "Quý II/2025", "quy2-2025"),
        ("quy", 3, "quý III năm 2025", "Quý III/2025", "quy3-2025"),
        ("quy", 4, "quý IV năm 2025", "Quý IV/2025", "quy4-2025"),
        ("6thang", None, "6 tháng đầu năm 2025", "6 tháng 2025", "6thang-2025"),
        ("9thang", None, "9 tháng đầu năm 2025", "9 tháng 2025", "9thang-2025"),
        ("nam", None, "năm 2025", "Năm 2025", "nam-2025"),
    ],
)
@pytest.mark.parametrize("rules", RULES)
def test_labels_and_codes(kind, number, label, short, code, rules):
    p = period_for(kind, 2025, number=number, rules=rules)
    assert p.label == label
    assert p.short_label == short
    assert p.code == code
    assert is_nfc(p.label) and is_nfc(p.short_label)
    assert p.code.isascii()


def test_dotxuat_labels_and_code():
    p = period_for("dotxuat", 2025, start=D(2025, 3, 1), end=D(2025, 4, 15))
    assert p.label == "từ ngày 01/03/2025 đến ngày 15/04/2025"
    assert p.short_label == "01/03/2025–15/04/2025"
    assert p.code == "dotxuat-20250301-20250415"
    assert is_nfc(p.label)
    assert "Kết quả công tác tuyên truyền chuyển đổi số " + p.label == (
        "Kết quả công tác tuyên truyền chuyển đổi số từ ngày 01/03/2025 đến ngày 15/04/2025"
    )


def test_codes_are_unique_within_a_year():
    periods = [period_for("thang", 2025, number=m) for m in range(1, 13)]
    periods += [period_for("quy", 2025, number=q) for q in range(1, 5)]
    periods += [period_for(k, 2025) for k in ("6thang", "9thang", "nam")]
    codes = [p.code for p in periods]
    assert len(set(codes)) == len(codes) == 19


# ---------------------------------------------------------------------------
# Same period last year
# ---------------------------------------------------------------------------


def test_same_period_last_year_periodic():
    p = period_for("quy", 2025, number=1).same_period_last_year()
    assert (p.kind, p.year, p.number, p.rules) == ("quy", 2024, 1, "nd09")
    assert (p.start, p.end) == (D(2023, 12, 15), D(2024, 3, 14))
    feb = period_for("thang", 2025, number=2, rules="calendar").same_period_last_year()
    assert (feb.year, feb.number, feb.rules, feb.start, feb.end) == (2024, 2, "calendar", D(2024, 2, 1), D(2024, 2, 29))
    assert period_for("6thang", 2025).same_period_last_year() == period_for("6thang", 2024)
    assert period_for("thang", 2024, number=2, rules="calendar").same_period_last_year().end == D(2023, 2, 28)


def test_same_period_last_year_dotxuat_leap_day():
    p = period_for("dotxuat", 2024, start=D(2024, 2, 29), end=D(2024, 3, 15), rules="calendar")
    last = p.same_period_last_year()
    assert (last.kind, last.year, last.start, last.end, last.rules) == (
        "dotxuat", 2023, D(2023, 2, 28), D(2023, 3, 15), "calendar"
    )
    q = period_for("dotxuat", 2025, start=D(2025, 3, 1), end=D(2025, 4, 15)).same_period_last_year()
    assert (q.start, q.end) == (D(2024, 3, 1), D(2024, 4, 15))
    assert q.code == "dotxuat-20240301-20240415"


# ---------------------------------------------------------------------------
# Bad input: Vietnamese messages
# ---------------------------------------------------------------------------


def _message(**kwargs) -> str:
    args = kwargs.pop("args")
    with pytest.raises(UserError) as info:
        period_for(*args, **kwargs)
    text = str(info.value)
    assert is_nfc(text)
    return text


def test_unknown_kind():
    text = _message(args=("tuan", 2025))
    assert "Loại kỳ báo cáo “tuan” không hợp lệ" in text
    assert "Tháng, Quý, 6 tháng, 9 tháng, Năm, Đột xuất" in text


@pytest.mark.parametrize("month", [0, 13, -1, "3", True, 2.0])
def test_month_out_of_range(month):
    assert "Tháng báo cáo phải từ 1 đến 12" in _message(args=("thang", 2025), number=month)


@pytest.mark.parametrize("quarter", [0, 5])
def test_quarter_out_of_range(quarter):
    assert "Quý báo cáo phải từ 1 đến 4 (I đến IV)" in _message(args=("quy", 2025), number=quarter)


def test_missing_number():
    assert _message(args=("thang", 2025)) == "Hãy chọn tháng báo cáo (từ 1 đến 12)."
    assert _message(args=("quy", 2025)) == "Hãy chọn quý báo cáo (I, II, III hoặc IV)."


def test_dotxuat_needs_both_dates():
    assert _message(args=("dotxuat", 2025)) == "Báo cáo đột xuất cần có cả “Từ ngày” và “Đến ngày”."
    assert "Từ ngày" in _message(args=("dotxuat", 2025), start=D(2025, 3, 1))
    assert "Đến ngày" in _message(args=("dotxuat", 2025), end=D(2025, 3, 1))


def test_dotxuat_end_before_start():
    text = _message(args=("dotxuat", 2025), start=D(2025, 4, 15), end=D(2025, 3, 1))
    assert text == "“Đến ngày” (01/03/2025) không được trước “Từ ngày” (15/04/2025). Hãy nhập lại khoảng thời gian."


@pytest.mark.parametrize("year", [1999, 2101, 0, "2025"])
def test_year_out_of_range(year):
    assert "Năm báo cáo phải từ 2000 đến 2100" in _message(args=("nam", year))


def test_unknown_rules():
    text = _message(args=("nam", 2025), rules="lunar")
    assert "Cách tính kỳ báo cáo “lunar” không hợp lệ" in text
    assert "Theo năm dương lịch" in text


# ---------------------------------------------------------------------------
# Due dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "rules", "due"),
    [
        ("thang", 3, "nd09", D(2025, 3, 20)),
        ("thang", 1, "nd09", D(2025, 1, 20)),
        ("thang", 12, "nd09", D(2025, 12, 20)),
        ("thang", 3, "calendar", D(2025, 4, 5)),
        ("thang", 12, "calendar", D(2026, 1, 5)),
        ("quy", 1, "nd09", D(2025, 3, 20)),
        ("quy", 4, "nd09", D(2025, 12, 20)),
        ("quy", 1, "calendar", D(2025, 4, 5)),
        ("quy", 4, "calendar", D(2026, 1, 5)),
        ("6thang", None, "nd09", D(2025, 6, 1)),
        ("6thang", None, "calendar", D(2025, 6, 1)),
        ("9thang", None, "nd09", D(2025, 9, 20)),
        ("9thang", None, "calendar", D(2025, 9, 20)),
        ("nam", None, "nd09", D(2025, 12, 1)),
        ("nam", None, "calendar", D(2025, 12, 1)),
    ],
)
def test_default_due_dates(kind, number, rules, due):
    assert due_date(period_for(kind, 2025, number=number, rules=rules)) == due


def test_dotxuat_due_five_days_after_end():
    assert due_date(period_for("dotxuat", 2025, start=D(2025, 3, 1), end=D(2025, 4, 15))) == D(2025, 4, 20)
    assert due_date(period_for("dotxuat", 2025, start=D(2025, 12, 1), end=D(2025, 12, 29))) == D(2026, 1, 3)


def test_due_date_overrides():
    six = period_for("6thang", 2025)
    assert due_date(six, {"6thang": "15/06"}) == D(2025, 6, 15)
    assert due_date(six, {"6thang": " 5/7 "}) == D(2025, 7, 5)
    assert due_date(six, {"nam": "31/12"}) == D(2025, 6, 1)  # other kinds' overrides do not apply
    assert due_date(six, {"6thang": ""}) == D(2025, 6, 1)  # empty = default
    assert due_date(period_for("nam", 2025), {"nam": "31/12"}) == D(2025, 12, 31)
    # 29/02 is clamped to 28/02 in ordinary years.
    assert due_date(period_for("nam", 2025), {"nam": "29/02"}) == D(2025, 2, 28)
    assert due_date(period_for("nam", 2024), {"nam": "29/02"}) == D(2024, 2, 29)
    march = period_for("thang", 2025, number=3)  # 15/02–14/03
    assert due_date(march, {"thang": "25"}) == D(2025, 3, 25)
    assert due_date(march, {"thang": "10"}) == D(2025, 4, 10)  # first 10th after the cut-off
    assert due_date(march, {"thang": "14"}) == D(2025, 4, 14)  # not on the cut-off day itself
    jan_cal = period_for("thang", 2025, number=1, rules="calendar")
    assert due_date(jan_cal, {"thang": "31"}) == D(2025, 2, 28)  # clamped to the short month
    assert due_date(period_for("quy", 2025, number=2), {"quy": "30"}) == D(2025, 6, 30)
    adhoc = period_for("dotxuat", 2025, start=D(2025, 3, 1), end=D(2025, 4, 15))
    assert due_date(adhoc, {"dotxuat": "10"}) == D(2025, 4, 25)
    assert due_date(adhoc, {"dotxuat": "0"}) == D(2025, 4, 15)


@pytest.mark.parametrize(
    ("kind", "number", "spec", "hint"),
    [
        ("6thang", None, "31/02", "Hãy nhập ngày/tháng, ví dụ 01/06."),
        ("nam", None, "1/13", "Hãy nhập ngày/tháng, ví dụ 01/06."),
        ("9thang", None, "hai mươi", "Hãy nhập ngày/tháng, ví dụ 01/06."),
        ("thang", 3, "32", "Hãy nhập ngày trong tháng, từ 1 đến 31, ví dụ 20."),
        ("quy", 1, "0", "Hãy nhập ngày trong tháng, từ 1 đến 31, ví dụ 20."),
        ("thang", 3, "20/03", "Hãy nhập ngày trong tháng, từ 1 đến 31, ví dụ 20."),
        ("dotxuat", None, "-1", "Hãy nhập số ngày sau ngày kết thúc, ví dụ 5."),
    ],
)
def test_bad_due_overrides(kind, number, spec, hint):
    extra = {"start": D(2025, 3, 1), "end": D(2025, 4, 15)} if kind == "dotxuat" else {}
    p = period_for(kind, 2025, number=number, **extra)
    with pytest.raises(UserError) as info:
        due_date(p, {kind: spec})
    text = str(info.value)
    assert text.startswith("Hạn nộp báo cáo ")
    assert f"“{spec}” không hợp lệ" in text
    assert text.endswith(hint)
    assert is_nfc(text)


# ---------------------------------------------------------------------------
# current_period
# ---------------------------------------------------------------------------


def test_current_period_nd09_after_the_15th_of_december():
    today = D(2025, 12, 20)
    assert current_period("thang", today, "nd09") == period_for("thang", 2026, number=1)
    assert current_period("quy", today, "nd09") == period_for("quy", 2026, number=1)
    assert current_period("6thang", today, "nd09") == period_for("6thang", 2026)
    assert current_period("9thang", today, "nd09") == period_for("9thang", 2026)
    assert current_period("nam", today, "nd09") == period_for("nam", 2026)


def test_current_period_nd09_on_the_cut_off():
    today = D(2025, 12, 14)
    assert current_period("thang", today, "nd09").code == "thang12-2025"
    assert current_period("quy", today, "nd09").code == "quy4-2025"
    assert current_period("nam", today, "nd09").code == "nam-2025"
    # 6/9-month periods are over: this year's one.
    assert current_period("6thang", today, "nd09") == period_for("6thang", 2025)
    assert current_period("9thang", today, "nd09") == period_for("9thang", 2025)
    assert current_period("thang", D(2025, 5, 14), "nd09").number == 5
    assert current_period("thang", D(2025, 5, 15), "nd09").number == 6


def test_current_period_calendar():
    today = D(2025, 7, 20)
    assert current_period("thang", today, "calendar") == period_for("thang", 2025, number=7, rules="calendar")
    assert current_period("quy", today, "calendar").code == "quy3-2025"
    assert current_period("6thang", today, "calendar") == period_for("6thang", 2025, rules="calendar")
    assert current_period("9thang", today, "calendar").end == D(2025, 9, 30)
    assert current_period("nam", D(2025, 12, 31), "calendar").year == 2025
    assert current_period("thang", D(2024, 2, 29), "calendar").code == "thang02-2024"


def test_current_period_dotxuat_and_bad_rules():
    with pytest.raises(UserError, match="Báo cáo đột xuất không có kỳ cố định"):
        current_period("dotxuat", D(2025, 5, 20), "nd09")
    with pytest.raises(UserError, match="Cách tính kỳ báo cáo"):
        current_period("thang", D(2025, 5, 20), "khac")


# ---------------------------------------------------------------------------
# upcoming
# ---------------------------------------------------------------------------


def summary(items):
    return [(p.code, due, left) for p, due, left in items]


def test_upcoming_six_month_report_first_on_20_05_2025_calendar():
    items = upcoming(D(2025, 5, 20), rules="calendar")
    assert summary(items) == [
        ("6thang-2025", D(2025, 6, 1), 12),
        ("thang05-2025", D(2025, 6, 5), 16),
        ("quy2-2025", D(2025, 7, 5), 46),
    ]
    assert all(p.rules == "calendar" for p, _, _ in items)


def test_upcoming_nd09_on_20_05_2025_monthly_report_due_today_comes_first():
    assert summary(upcoming(D(2025, 5, 20))) == [
        ("thang05-2025", D(2025, 5, 20), 0),
        ("6thang-2025", D(2025, 6, 1), 12),
        ("quy2-2025", D(2025, 6, 20), 31),
    ]
    # A day later, the six-month report is first; month and quarter tie (kind order).
    assert summary(upcoming(D(2025, 5, 21))) == [
        ("6thang-2025", D(2025, 6, 1), 11),
        ("thang06-2025", D(2025, 6, 20), 30),
        ("quy2-2025", D(2025, 6, 20), 30),
    ]


def test_upcoming_horizon_is_inclusive():
    assert [p.code for p, _, _ in upcoming(D(2025, 5, 20), horizon_days=11)] == ["thang05-2025"]
    assert [p.code for p, _, _ in upcoming(D(2025, 5, 20), horizon_days=12)] == ["thang05-2025", "6thang-2025"]
    assert [p.code for p, _, _ in upcoming(D(2025, 8, 1))] == ["thang08-2025", "quy3-2025", "9thang-2025"]
    # 01/08 → 01/12 is 122 days.
    assert summary(upcoming(D(2025, 8, 1), horizon_days=122))[-1] == ("nam-2025", D(2025, 12, 1), 122)


def test_upcoming_year_change():
    assert summary(upcoming(D(2025, 12, 20))) == [
        ("thang12-2025", D(2025, 12, 20), 0),
        ("quy4-2025", D(2025, 12, 20), 0),
    ]
    assert summary(upcoming(D(2025, 12, 21))) == [
        ("thang01-2026", D(2026, 1, 20), 30),
        ("quy1-2026", D(2026, 3, 20), 89),
    ]
    assert summary(upcoming(D(2025, 12, 30), rules="calendar")) == [
        ("thang12-2025", D(2026, 1, 5), 6),
        ("quy4-2025", D(2026, 1, 5), 6),
    ]


def test_upcoming_uses_overrides_and_never_lists_dotxuat():
    items = upcoming(D(2025, 5, 20), overrides={"6thang": "15/06", "thang": "25"})
    assert summary(items) == [
        ("thang05-2025", D(2025, 5, 25), 5),
        ("6thang-2025", D(2025, 6, 15), 26),
        ("quy2-2025", D(2025, 6, 20), 31),
    ]
    for day in (D(2025, 1, 1), D(2025, 5, 20), D(2025, 11, 30)):
        for rules in RULES:
            found = upcoming(day, rules=rules, horizon_days=400)
            kinds = [p.kind for p, _, _ in found]
            assert "dotxuat" not in kinds
            assert sorted(kinds) == sorted(["thang", "quy", "6thang", "9thang", "nam"])
            dues = [due for _, due, _ in found]
            assert dues == sorted(dues)
            assert all(left == (due - day).days >= 0 for _, due, left in found)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


def _year_periods(kind: str, year: int, rules: str) -> list[Period]:
    count = 12 if kind == "thang" else 4
    return [period_for(kind, year, number=n, rules=rules) for n in range(1, count + 1)]


@settings(max_examples=200, deadline=None)
@given(year=st.integers(2001, 2099), kind=st.sampled_from(["thang", "quy"]))
def test_nd09_periods_tile_the_year(year, kind):
    periods = _year_periods(kind, year, "nd09") + _year_periods(kind, year + 1, "nd09")[:1]
    for a, b in zip(periods, periods[1:]):
        assert a.start <= a.end
        assert a.end + dt.timedelta(days=1) == b.start
    assert periods[0].start == D(year - 1, 12, 15)
    assert periods[-2].end == D(year, 12, 14)
    # They cover exactly the annual period.
    assert (periods[0].start, periods[-2].end) == (
        period_for("nam", year).start,
        period_for("nam", year).end,
    )


@settings(max_examples=100, deadline=None)
@given(year=st.integers(2001, 2099), kind=st.sampled_from(["thang", "quy"]))
def test_calendar_periods_tile_the_year(year, kind):
    periods = _year_periods(kind, year, "calendar")
    for a, b in zip(periods, periods[1:]):
        assert a.end + dt.timedelta(days=1) == b.start
    assert (periods[0].start, periods[-1].end) == (D(year, 1, 1), D(year, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(D(2001, 1, 1), D(2099, 12, 31)),
    kind=st.sampled_from(["thang", "quy", "nam"]),
    rules=st.sampled_from(RULES),
)
def test_current_period_contains_today(day, kind, rules):
    p = current_period(kind, day, rules)
    assert p.start <= day <= p.end
    assert p.kind == kind and p.rules == rules


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(D(2001, 1, 1), D(2099, 11, 26)),  # + 400 days stays within 2100, the last year a report may have
    length=st.integers(0, 400),
)
def test_dotxuat_last_year_keeps_order(start, length):
    end = start + dt.timedelta(days=length)
    last = period_for("dotxuat", end.year, start=start, end=end).same_period_last_year()
    assert last.start <= last.end
    assert (last.start.year, last.end.year) == (start.year - 1, end.year - 1)
