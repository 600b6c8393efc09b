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
import operator
import re
from dataclasses import dataclass

from core.package.package_error import PackageError

MAX_TEXT = 20_000
# all used with fullmatch (``$`` would let a trailing newline through)
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_CODE = re.compile(r"[a-z0-9_]{1,40}")
_SHA = re.compile(r"[0-9a-f]{64}")
_UNIT_ID = re.compile(r"[A-Za-z0-9_.\-]{1,60}")
_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")  # as core.clock.now_iso writes it: compared as text
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # as str(uuid.UUID) writes it
_FILE = re.compile(r"[A-Za-z0-9_.\-]{1,120}")
_PATTERNS = {"id": _UNIT_ID, "code": _CODE, "sha": _SHA, "uuid": _UUID, "stamp": _STAMP}
_ITEMS = {"codes": "code", "uuids": "uuid", "ids": "id"}

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
    """One value of ``kind`` (see the field tables)."""
    if kind == "text":
        return type(value) is str and len(value) <= MAX_TEXT
    if kind in _PATTERNS:
        return type(value) is str and _PATTERNS[kind].fullmatch(value) is not None
    if kind == "int":
        return type(value) is int and -(10**15) <= value <= 10**15
    if kind == "num":
        return type(value) in (int, float) and value == value and abs(value) <= 10**15
    if kind == "names":
        return type(value) is list and len(value) <= 10 and all(type(v) is str and _FILE.fullmatch(v) for v in value)
    if kind in _ITEMS:
        return type(value) is list and len(value) <= 1000 and all(_valid(_ITEMS[kind], v) for v in value)
    if kind == "date":
        if type(value) is not str or len(value) != 10:
            return False
        try:
            return dt.date(2000, 1, 1) <= dt.date.fromisoformat(value) <= dt.date(2100, 12, 31)
        except ValueError:
            return False
    raise ValueError(kind)


def _all_valid(kind: str, values: list) -> bool:
    """``_valid`` for every value, a column at a time: what 300,000 records need (tested to agree)."""
    if not values:
        return True
    types = set(map(type, values))
    if kind == "text":
        return types == {str} and max(map(len, values)) <= MAX_TEXT
    if kind in _PATTERNS:
        distinct = set(values) if types == {str} else ()
        return types == {str} and all(map(_PATTERNS[kind].fullmatch, distinct))
    if kind == "int":
        return types == {int} and -(10**15) <= min(values) and max(values) <= 10**15
    if kind == "num":
        return types <= {int, float} and all(v == v for v in values) and max(map(abs, values)) <= 10**15
    if kind in _ITEMS:
        return types == {list} and max(map(len, values)) <= 1000 and \
            _all_valid(_ITEMS[kind], [item for value in values for item in value])  # fmt: skip
    distinct = set(values) if types == {str} else values  # dates repeat; names are few
    return all(_valid(kind, value) for value in distinct)


def _columns_valid(records: list, fields: dict) -> bool:
    if set(map(type, records)) - {dict}:
        return False
    if not records:
        return True
    try:  # every record's fields at once, then turned into columns (C loops: 300,000 records in a blink)
        columns = list(zip(*map(operator.itemgetter(*fields), records))) if len(fields) > 1 else \
            [[record[next(iter(fields))] for record in records]]  # fmt: skip
    except KeyError:
        return False
    for (kind, nullable), values in zip(fields.values(), columns):
        if nullable:
            values = [value for value in values if value is not None]
        if not _all_valid(kind, values):
            return False
    return True


def check(path, member: str, records, fields: dict, number_offset: int = 1, what: str = "") -> list[dict]:
    """``records`` as a list of dicts holding ``fields`` with valid values (other keys are never read),
    or PackageError naming the first bad record."""
    what = what or WHAT.get(member, member)
    if type(records) is not list:
        raise PackageError(path, "record", name=member, why="không phải danh sách")
    if _columns_valid(records, fields):  # the usual case, checked a column at a time
        return records
    checked = []  # something is wrong: find the first bad record and say which
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


def _utc(stamp: str | None) -> str | None:
    """A stamp as this app stores it (UTC, seconds, "Z"), so that newer means greater as text."""
    if stamp is None or _UTC.fullmatch(stamp):
        return stamp
    moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamps_in_utc(path, member: str, records: list[dict], fields: dict) -> None:
    keys = [key for key, (kind, _nullable) in fields.items() if kind == "stamp"]
    for key in keys:
        if all(value is None or _UTC.fullmatch(value) for value in {record[key] for record in records}):
            continue  # the usual case: written by this app
        for record in records:
            try:
                record[key] = _utc(record[key])
            except (ValueError, OverflowError):  # OverflowError: "0001-01-01T00:00:00+01:00" is before year 1 in UTC
                raise PackageError(path, "record", name=member, why=f"có thời điểm “{record[key]}” không hợp lệ") from None


def check_known(path, member: str, records: list[dict], key: str, known: set[str] | frozenset[str],
                label: str) -> None:  # fmt: skip
    """Every code of ``key`` (a code or a list of codes, already checked) is one this database knows."""
    values = [record[key] for record in records]
    used = set().union(*values) if values and type(values[0]) is list else set(values)
    unknown = sorted(code for code in used - set(known) if code is not None)
    if unknown:
        raise PackageError(path, "record", name=member, why=f"có {label} “{unknown[0]}” không có trong danh mục")


def read_records(package, known) -> Records:
    """All records of an opened package, checked (``known``: KnownCodes of this database)."""
    path = package.path
    units = check(path, "units.json", package.read_json("units.json"), UNIT)
    raw = package.read_json("activities.json")
    activities = check(path, "activities.json", raw, ACTIVITY)
    _stamps_in_utc(path, "units.json", units, UNIT)
    _stamps_in_utc(path, "activities.json", activities, ACTIVITY)
    lists = [record.setdefault("evidence", []) for record in activities]
    if set(map(type, lists)) - {list} or not _columns_valid([e for files in lists for e in files], EVIDENCE):
        for number, files in enumerate(lists, start=1):  # say which activity's evidence is wrong
            check(path, "activities.json", files, EVIDENCE, what=f"tệp minh chứng của hoạt động thứ {number}")
    for number, record in enumerate(activities, start=1):
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
        for member, found, fields in (("plans.json", plans, PLAN), ("plans.json", targets, TARGET),
                                      ("plans.json", values, TARGET_VALUE)):  # fmt: skip
            _stamps_in_utc(path, member, found, fields)
        check_known(path, "plans.json", targets, "form_codes", known.form, "hình thức")
        check_known(path, "plans.json", targets, "topic_codes", known.topic, "chủ đề")
    for name, entry in package.manifest["members"].items():  # an evidence file is named by its content's hash
        if name.startswith("evidence/") and name != f"evidence/{entry['sha256']}":
            raise PackageError(path, "record", name=name, why="nội dung không khớp với tên (mã SHA-256)")
    report = None
    if package.has("report.json"):
        report = check(path, "report.json", [package.read_json("report.json")], REPORT)[0]
        for name in report["files"]:
            if not package.has(f"report/{name}"):
                raise PackageError(path, "record", name="report.json", why=f"thiếu tệp báo cáo “{name}”")
    return Records(units, activities, plans, targets, values, report)
