"""The column-by-column import path stores a row exactly as the row-by-row path would, or leaves it to it."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from core.activities.service import KnownCodes, parse_activity, stored_row
from core.errors import ValidationError
from core.importers.column_reader import ColumnReader
from core.importers.labels import LabelMatcher
from core.importers.rows import RowReader

TODAY = dt.date(2025, 11, 20)
FIELDS = {0: "date_from", 1: "title", 2: "form", 3: "quantity", 4: "cost", 5: "topics", 6: "unit", 7: "funding",
          8: "date_to", 9: "notes", 10: "link", 11: "duration_minutes", 12: "uuid", 13: "content", 14: "row_number"}  # fmt: skip
HEADERS = [f"Cột {i}" for i in range(15)]
KNOWN = KnownCodes(frozenset({"xa-1", "xa-2"}), frozenset({"tin_bai", "hoi_nghi"}),
                   frozenset({"kinh_te_so", "xa_hoi_so"}), frozenset({"ns_xa"}))  # fmt: skip
UUID = "0b7c3f9e-2d41-4f5a-9c1e-8a6b5d4c3e21"
# per kind of column: values an activity is made of, then odd ones; a cell is mostly an ordinary value
GOOD = {
    "date": ["05/03/2025", "5/3/25", dt.date(2025, 3, 5), dt.datetime(2025, 3, 6, 8), 45720.0, "2025-03-07"],
    "text": ["Hội nghị chuyển đổi số", "  Tập huấn  ", "=SUM(A1)", "Chuye\u0302\u0309n đổi số", "", None],
    "label": ["Hội nghị", "Tin, bài", "Xã Hải Phú", "Ngân sách xã", "hoi_nghi", "Kinh tế số; Xã hội số", "", None],
    "number": [1.0, 3.0, "2", "1.500.000", "1.500.000 đồng", "30 phút", "", None],
    "link": ["https://xa.gov.vn/a", "", None],
    "uuid": [UUID, "", None],
}
ODD = {
    "date": ["31/02/2025", dt.date(1999, 1, 1), dt.date(2027, 1, 1), 12.5, True, "", None, "  ", "Tổng cộng"],
    "text": ["Dòng ví dụ: xóa dòng này", "x" * 501, 7.0, "Tổng cộng", "Cộng", True],
    "label": ["Đăng Facebook", "Múa lân", "Kinh tế số, lạ", "Xã hội số; Xã hội số", 3.0, "Xã Hải Lăng"],
    "number": [-1.0, 1.5, "1,5", 1e14, 1e10, "đồng", "abc", True, float("nan"), 0.0],
    "link": ["http://a b", 4.0],
    "uuid": ["không phải mã", 5.0],
}
KIND = {0: "date", 1: "text", 2: "label", 3: "number", 4: "number", 5: "label", 6: "label", 7: "label", 8: "date",
        9: "text", 10: "link", 11: "number", 12: "uuid", 13: "text", 14: "number"}  # fmt: skip


def _matchers() -> dict[str, LabelMatcher]:
    return {
        "form": LabelMatcher({"tin_bai": "Tin, bài", "hoi_nghi": "Hội nghị"}),
        "topics": LabelMatcher({"kinh_te_so": "Kinh tế số", "xa_hoi_so": "Xã hội số"}),
        "funding": LabelMatcher({"ns_xa": "Ngân sách xã"}),
        "unit": LabelMatcher({"xa-1": "Xã Hải Phú", "xa-2": "Xã Hải Lăng"}),
    }


def _reader(defaults: dict) -> RowReader:
    return RowReader(FIELDS, HEADERS, _matchers(), defaults=defaults)


def _row_by_row(reader: RowReader, number: int, row: list):
    """What the row-by-row path makes of ``row`` (as core/importers/service.analyse does), or None."""
    outcome = reader.read(number, row)
    if outcome.skipped or outcome.problems:
        return None
    try:
        activity = parse_activity(None, outcome.values, today=TODAY, known=KNOWN)
    except ValidationError:
        return None
    return stored_row(activity), activity.topics, outcome.values.get("uuid"), outcome.defaulted_quantity


def _cell(column: int, pick: int):
    values = GOOD[KIND[column]] if pick < 85 else ODD[KIND[column]]
    return values[pick % len(values)]


rows = st.lists(
    st.lists(st.integers(0, 99), min_size=0, max_size=15).map(lambda picks: [_cell(i, p) for i, p in enumerate(picks)]),
    min_size=1, max_size=8,
)  # fmt: skip
defaults = st.fixed_dictionaries({}, optional={"unit": st.sampled_from(["xa-1", "xa-9"]),
                                               "form": st.just("tin_bai"), "funding": st.sampled_from(["ns_xa", "x"])})  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(rows, defaults)
def test_a_row_prepared_column_by_column_is_the_row_by_row_result(sheet, chosen_defaults):
    fast_reader = _reader(chosen_defaults)
    prepared = ColumnReader(fast_reader, KNOWN, TODAY).prepare(sheet)
    assert len(prepared) == len(sheet)
    assert fast_reader.unresolved == {}  # looking ahead notes nothing for the officer to choose
    slow_reader = _reader(chosen_defaults)
    for number, (row, fast) in enumerate(zip(sheet, prepared), start=5):
        slow = _row_by_row(slow_reader, number, row)
        if fast is not None:
            assert slow is not None, row
            assert fast == slow, row


def test_an_ordinary_row_takes_the_column_path_and_an_unusual_one_does_not():
    sheet = [
        ["05/03/2025", "Hội nghị chuyển đổi số", "Hội nghị", 2.0, "1.500.000", "Kinh tế số", "", "", "", "", "", "",
         "", "", 1.0],  # fmt: skip
        ["06/03/2025", "Tập huấn", "Múa lân", 1.0, "", "", "", "", "", "", "", "", "", "", 2.0],  # a label to choose
        ["", "Tổng cộng", "", 3.0, "", "", "", "", "", "", "", "", "", "", ""],
        ["07/03/2025", "Đăng tin", "Tin, bài", "", 500000.0, "", "", "", "", "", "", "", "", "", 3.0],  # no source
    ]
    prepared = ColumnReader(_reader({"unit": "xa-1", "funding": "ns_xa"}), KNOWN, TODAY).prepare(sheet)
    stored, topics, given_id, defaulted = prepared[0]
    assert stored["date_from"] == "2025-03-05" and stored["unit_id"] == "xa-1" and stored["cost"] == 1_500_000
    assert stored["funding_code"] == "ns_xa" and topics == ["kinh_te_so"] and given_id is None and not defaulted
    assert stored["search_text"] == "hoi nghi chuyen doi so"
    assert prepared[1] is None and prepared[2] is None
    assert prepared[3][0]["funding_code"] == "ns_xa" and prepared[3][3]  # the default source; quantity taken as 1
    # a field fed by two columns is left to the row-by-row path altogether
    twice = RowReader({0: "date_from", 1: "title", 2: "title"}, HEADERS, _matchers(), defaults={"unit": "xa-1"})
    assert ColumnReader(twice, KNOWN, TODAY).prepare([["05/03/2025", "a", "b"]]) == [None]
