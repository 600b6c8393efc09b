"""The records inside a package, and their checks: nothing from a package is written unless it passes.

Members (JSON, UTF-8):
- ``units.json``: the sending unit and the units below it;
- ``activities.json``: the period's activities of those units, deleted ones included (with
  ``deleted_at``), each with its stable ``uuid``, ``updated_at``, topics, evidence and targets;
- ``plans.json`` (format 2): {"plans", "targets", "target_values"} of the sending unit;
- ``report.json`` (format 2, optional): the period's report, and ``report/<file>`` its files;
- ``evidence/<sha256>`` (optional): the evidence files themselves.
Each record is checked field by field against the tables below (type, length, date form,
known taxonomy codes); the first bad one refuses the whole package, naming it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuidlib
from dataclasses import dataclass

from core.package.package_error import PackageError

MAX_TEXT = 20_000
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_CODE = re.compile(r"^[a-z0-9_]{1,40}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_UNIT_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,60}$")

# field -> (kind, may be null); kinds: text, id, date, stamp, int, num, code, uuid, sha, codes, uuids
UNIT = {"id": ("id", False), "name": ("text", False), "level": ("code", False), "parent_id": ("id", True),
        "official_code": ("text", True), "updated_at": ("stamp", False)}  # fmt: skip
ACTIVITY = {
    "uuid": ("uuid", False), "date_from": ("date", False), "date_to": ("date", True), "unit_id": ("id", False),
    "form_code": ("code", False), "title": ("text", False), "content": ("text", False), "channel": ("text", False),
    "quantity": ("int", True), "duration_minutes": ("int", True), "participants": ("int", True),
    "cost": ("int", True), "funding_code": ("code", True), "link": ("text", False), "notes": ("text", False),
    "origin": ("code", False), "created_at": ("stamp", False), "updated_at": ("stamp", False),
    "deleted_at": ("stamp", True), "topics": ("codes", False), "targets": ("uuids", False),
}  # fmt: skip
EVIDENCE = {"file_name": ("text", False), "sha256": ("sha", False), "size": ("int", False)}
PLAN = {"uuid": ("uuid", False), "number": ("text", False), "issued_on": ("date", True), "issuer": ("text", False),
        "title": ("text", False), "year_from": ("int", False), "year_to": ("int", False), "status": ("code", False),
        "created_at": ("stamp", False), "updated_at": ("stamp", False)}  # fmt: skip
TARGET = {
    "uuid": ("uuid", False), "series": ("text", False), "plan_uuid": ("uuid", False), "name": ("text", False),
    "year": ("int", False), "planned": ("num", False), "unit_kind": ("code", False), "unit_label": ("text", False),
    "source": ("code", False), "measure": ("code", False), "form_codes": ("codes", False),
    "topic_codes": ("codes", False), "unit_ids": ("ids", False), "sort_order": ("int", False),
    "created_at": ("stamp", False), "updated_at": ("stamp", False),
}  # fmt: skip
TARGET_VALUE = {"target_uuid": ("uuid", False), "as_of": ("date", False), "value": ("num", False),
                "note": ("text", False), "created_at": ("stamp", False)}  # fmt: skip
REPORT = {"uuid": ("uuid", False), "kind": ("code", False), "year": ("int", False), "period_number": ("int", True),
          "status": ("code", False), "doc_number": ("int", True), "doc_symbol": ("text", False),
          "doc_date": ("date", False), "finalised_at": ("stamp", True), "files": ("names", False)}  # fmt: skip
WHAT = {"units.json": "đơn vị", "activities.json": "hoạt động", "plans.json": "kế hoạch", "report.json": "báo cáo"}


@dataclass
class Records:
    units: list[dict]
    activities: list[dict]
    plans: list[dict]
    targets: list[dict]
    target_values: list[dict]
    report: dict | None


def _valid(kind: str, value) -> bool:
    if kind in ("text", "names"):
        if kind == "names":
            return type(value) is list and len(value) <= 10 and all(
                type(v) is str and re.fullmatch(r"[A-Za-z0-9_.\-]{1,120}", v) for v in value)  # fmt: skip
        return type(value) is str and len(value) <= MAX_TEXT
    if kind == "id":
        return type(value) is str and bool(_UNIT_ID.match(value))
    if kind == "int":
        return type(value) is int and -(10**15) <= value <= 10**15
    if kind == "num":
        return type(value) in (int, float) and value == value and abs(value) <= 10**15
    if kind == "code":
        return type(value) is str and bool(_CODE.match(value))
    if kind == "sha":
        return type(value) is str and bool(_SHA.match(value))
    if kind in ("codes", "uuids", "ids"):
        item = {"codes": "code", "uuids": "uuid", "ids": "id"}[kind]
        return type(value) is list and len(value) <= 1000 and all(_valid(item, v) for v in value)
    if kind == "uuid":
        if type(value) is not str or len(value) != 36:
            return False
        try:
            return str(uuidlib.UUID(value)) == value
        except ValueError:
            return False
    if kind == "date":
        if type(value) is not str or len(value) != 10:
            return False
        try:
            return dt.date(2000, 1, 1) <= dt.date.fromisoformat(value) <= dt.date(2100, 12, 31)
        except ValueError:
            return False
    if kind == "stamp":
        return type(value) is str and bool(_STAMP.match(value))
    raise ValueError(kind)


def check(path, member: str, records, fields: dict, number_offset: int = 1) -> list[dict]:
    """``records`` as a list of dicts holding exactly ``fields`` with valid values, or PackageError."""
    what = WHAT.get(member, member)
    if type(records) is not list:
        raise PackageError(path, "record", name=member, why="không phải danh sách")
    checked = []
    for number, record in enumerate(records, start=number_offset):
        if type(record) is not dict:
            raise PackageError(path, "record", name=member, why=f"{what} thứ {number} sai dạng")
        row = {}
        for key, (kind, nullable) in fields.items():
            if key not in record:
                raise PackageError(path, "record", name=member, why=f"{what} thứ {number} thiếu mục “{key}”")
            value = record[key]
            if not ((value is None and nullable) or (value is not None and _valid(kind, value))):
                raise PackageError(path, "record", name=member, why=f"{what} thứ {number} có mục “{key}” không hợp lệ")
            row[key] = value
        checked.append(row)
    return checked


def check_known(path, member: str, records: list[dict], key: str, known: set[str] | frozenset[str],
                label: str) -> None:  # fmt: skip
    """Every code of ``key`` (a code or a list of codes) is one this database knows."""
    for record in records:
        value = record[key]
        for code in value if type(value) is list else [value]:
            if code is not None and code not in known:
                raise PackageError(path, "record", name=member, why=f"có {label} “{code}” không có trong danh mục")


def read_records(package, known) -> Records:
    """All records of an opened package, checked (``known``: KnownCodes of this database)."""
    path = package.path
    units = check(path, "units.json", package.read_json("units.json"), UNIT)
    raw = package.read_json("activities.json")
    activities = check(path, "activities.json", raw, ACTIVITY)
    for number, (record, given) in enumerate(zip(activities, raw), start=1):
        record["evidence"] = check(path, "activities.json", given.get("evidence", []), EVIDENCE)
        if record["date_to"] and record["date_to"] < record["date_from"]:
            raise PackageError(path, "record", name="activities.json",
                               why=f"hoạt động thứ {number} có “đến ngày” trước ngày bắt đầu")  # fmt: skip
    check_known(path, "activities.json", activities, "form_code", known.form, "hình thức")
    check_known(path, "activities.json", activities, "topics", known.topic, "chủ đề")
    check_known(path, "activities.json", activities, "funding_code", known.funding, "nguồn kinh phí")
    if len({a["uuid"] for a in activities}) != len(activities):
        raise PackageError(path, "record", name="activities.json", why="có hai hoạt động trùng mã")
    plans = targets = values = []
    if package.has("plans.json"):
        given = package.read_json("plans.json")
        if type(given) is not dict:
            raise PackageError(path, "record", name="plans.json", why="sai dạng")
        plans = check(path, "plans.json", given.get("plans", []), PLAN)
        targets = check(path, "plans.json", given.get("targets", []), TARGET)
        values = check(path, "plans.json", given.get("target_values", []), TARGET_VALUE)
        plan_ids, target_ids = {p["uuid"] for p in plans}, {t["uuid"] for t in targets}
        if any(t["plan_uuid"] not in plan_ids for t in targets) or any(v["target_uuid"] not in target_ids
                                                                        for v in values):  # fmt: skip
            raise PackageError(path, "record", name="plans.json", why="có chỉ tiêu không thuộc kế hoạch nào trong gói")
        check_known(path, "plans.json", targets, "form_codes", known.form, "hình thức")
        check_known(path, "plans.json", targets, "topic_codes", known.topic, "chủ đề")
    report = None
    if package.has("report.json"):
        report = check(path, "report.json", [package.read_json("report.json")], REPORT)[0]
        for name in report["files"]:
            if not package.has(f"report/{name}"):
                raise PackageError(path, "record", name="report.json", why=f"thiếu tệp báo cáo “{name}”")
    return Records(units, activities, plans, targets, values, report)
