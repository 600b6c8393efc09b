"""Whatever an officer's cells hold, a row becomes an activity's values or problems, never a crash."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from core.importers.labels import LabelMatcher
from core.importers.mapping import map_columns
from core.importers.rows import RowReader

FIELDS = {0: "date_from", 1: "title", 2: "form", 3: "quantity", 4: "cost", 5: "topics", 6: "unit", 7: "funding",
          8: "date_to", 9: "notes"}  # fmt: skip
MATCHERS = {
    "form": LabelMatcher({"tin_bai": "Tin, bài", "hoi_nghi": "Hội nghị"}),
    "topics": LabelMatcher({"kinh_te_so": "Kinh tế số", "xa_hoi_so": "Xã hội số"}),
    "funding": LabelMatcher({"ns_xa": "Ngân sách xã"}),
    "unit": LabelMatcher({"xa-1": "Xã Hải Phú"}),
}
cells = st.one_of(
    st.just(""), st.none(), st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10**15, 10**15).map(float), st.booleans(), st.dates(), st.datetimes(),
    st.sampled_from(["05/03/2025", "5/3/25", "31/02/2025", "1.500.000", "1,5", "Tổng cộng", "Hội nghị",
                     "Kinh tế số; lạ", "=SUM(A1)", "\x07", "Dòng ví dụ: xóa", "  "]),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, min_size=0, max_size=12))
def test_any_row_reads_to_values_or_problems(row):
    reader = RowReader(FIELDS, [f"Cột {i}" for i in range(10)], MATCHERS)
    outcome = reader.read(7, row)
    if outcome.skipped:
        assert outcome.values is None and not outcome.problems
        return
    assert isinstance(outcome.values, dict)
    for problem in outcome.problems:
        assert problem.row == 7 and problem.column.startswith("Cột ") and problem.message
    for key in ("date_from", "date_to"):
        assert outcome.values.get(key) is None or isinstance(outcome.values[key], dt.date)
    for key in ("quantity", "cost"):
        assert outcome.values.get(key) is None or type(outcome.values[key]) is int


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=25), st.floats(), st.none()), max_size=15))
def test_any_header_row_maps_each_field_once(headers):
    fields = map_columns(headers)
    assert len(set(fields.values())) == len(fields)
    assert all(0 <= column < len(headers) for column in fields)
