"""Whatever a package's records hold, checking them ends in checked records or a PackageError, nothing else;
and the column-at-a-time check agrees with the record-by-record one."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given, settings, strategies as st

from core.activities.service import KnownCodes
from core.package import records
from core.package.package_error import PackageError

KNOWN = KnownCodes(frozenset({"xa-1"}), frozenset({"mxh", "hoi_nghi"}), frozenset({"vneid"}), frozenset({"ns_xa"}))
UNIT = {"id": "xa-1", "name": "Xã Hải Phú", "level": "xa", "parent_id": None, "official_code": None,
        "updated_at": "2025-06-20T08:00:00Z"}  # fmt: skip
ACTIVITY = {
    "uuid": "0b7c3f9e-2d41-4f5a-9c1e-8a6b5d4c3e21", "date_from": "2025-03-05", "date_to": None, "unit_id": "xa-1",
    "form_code": "mxh", "title": "Đăng tin", "content": "", "channel": "", "quantity": 1, "duration_minutes": None,
    "participants": None, "cost": None, "funding_code": None, "link": "", "notes": "", "origin": "typed",
    "created_at": "2025-06-20T08:00:00Z", "updated_at": "2025-06-20T08:00:00Z", "deleted_at": None,
    "topics": ["vneid"], "targets": [], "evidence": [],
}  # fmt: skip
ODD = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True),
                st.text(max_size=30), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5),
                st.integers(), max_size=2), st.sampled_from(["2025-13-45", "2025-03-05", "../x", "MXH", "", "\x00",
                "2025-06-20T08:00:00+07:00", "2025-06-20T08:00:00.5Z", "0B7C3F9E-2D41-4F5A-9C1E-8A6B5D4C3E21"]))  # fmt: skip


class FakePackage:
    def __init__(self, members: dict):
        self.path = Path("goi.cdsx")
        self.members = members
        self.manifest = {"members": {name: {"sha256": "0" * 64, "size": 1} for name in members}}

    def has(self, name: str) -> bool:
        return name in self.members

    def read_json(self, name: str):
        return copy.deepcopy(self.members[name])


def _mutated(base: dict, changes: list[tuple[str, object]], dropped: list[str]) -> dict:
    record = dict(base)
    for key, value in changes:
        record[key if key in record else next(iter(record))] = value
    for key in dropped:
        record.pop(key, None)
    return record


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(ACTIVITY)), ODD), max_size=3),
       st.lists(st.sampled_from(sorted(ACTIVITY)), max_size=1), st.integers(1, 4),
       st.one_of(st.none(), ODD))  # fmt: skip
def test_any_records_end_checked_or_refused(changes, dropped, count, units_instead):
    activity = _mutated(ACTIVITY, changes, dropped)
    activities = [dict(activity, uuid=f"0b7c3f9e-2d41-4f5a-9c1e-8a6b5d4c3e2{n}") if "uuid" in activity
                  and type(activity.get("uuid")) is str and len(activity["uuid"]) == 36 else activity
                  for n in range(count)]  # fmt: skip
    package = FakePackage({"units.json": [UNIT] if units_instead is None else units_instead,
                           "activities.json": activities})  # fmt: skip
    try:
        found = records.read_records(package, KNOWN)
    except PackageError as refused:
        assert refused.cause == "record" and str(refused).startswith("Tệp “goi.cdsx”")
        return
    assert len(found.activities) == count
    for record in found.activities:  # what was accepted is what the record-by-record check accepts
        assert all(records._valid(kind, record[key]) or (nullable and record[key] is None)
                   for key, (kind, nullable) in records.ACTIVITY.items())  # fmt: skip
        assert record["updated_at"].endswith("Z") and len(record["updated_at"]) == 20  # stored as this app does


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["text", "id", "int", "num", "code", "sha", "codes", "uuids", "ids", "uuid", "date",
                        "stamp", "names"]), st.lists(ODD, max_size=6))  # fmt: skip
def test_a_column_at_a_time_agrees_with_value_by_value(kind, values):
    assert records._all_valid(kind, values) == all(records._valid(kind, value) for value in values)
