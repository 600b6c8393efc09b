"""Nhận dữ liệu: check packages from subordinate units, preview them, merge them in one transaction.

``preview`` opens every package (core/package/reading.py, in two processes for a big batch;
core/package/container.open_package checks the zip,
names, sizes and hashes), checks every record (records.py) and the sending unit,
and works out per activity what merging would do: new, changed (the package's copy
is newer), unchanged, deleted (a deletion newer than ours) or a conflict (ours is
newer, or the activity belongs to a unit outside the package). It writes nothing;
a package that fails any check is refused with the file and the reason.
``merge`` then writes all accepted packages in one transaction (core/package/merge.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from core import units
from core.activities.service import KnownCodes
from core.package.package_error import PackageError
from core.package.reading import ReadPackage, Unreadable, read_all
from core.package.records import Records
from core.gc_pause import paused_gc
from core.progress import Progress

SUFFIX = ".cdsx"


@dataclass
class PackagePreview:
    path: Path
    sha256: str
    manifest: dict
    records: Records
    sender: str  # the sending unit's id here (after a merged commune's mapping)
    new_units: list[dict] = field(default_factory=list)  # units created on merge, parents first
    renamed_units: list[dict] = field(default_factory=list)
    unit_map: dict[str, str] = field(default_factory=dict)  # the package's unit id -> the id here
    actions: dict[str, str] = field(default_factory=dict)  # activity uuid -> new/changed/deleted/tombstone
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    conflicts: int = 0
    received_before: bool = False  # this very file was merged already
    text_keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # uuid -> (search text, title sort key)

    @property
    def unit_name(self) -> str:
        return str(self.manifest["unit"]["name"])

    @property
    def period_label(self) -> str:
        return str(self.manifest["period"].get("label") or "")


@dataclass
class Refusal:
    file: str
    reason: str
    new_unit: tuple[str, str] | None = None  # (id, name) of a sending unit not known here: it may be mapped


@dataclass
class ReceivePreview:
    packages: list[PackagePreview] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    def total(self, key: str) -> int:
        return sum(getattr(p, key) for p in self.packages)


def package_files(paths: list[Path | str]) -> list[Path]:
    """The packages named: files as given, folders (a whole stick) for their .cdsx files, two levels deep."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in [*path.glob(f"*{SUFFIX}"), *path.glob(f"*/*{SUFFIX}")] if p.is_file()))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def preview(db: sqlite_utils.Database, paths: list[Path | str], *, accept_new_units: bool = False,
            progress: Progress | None = None) -> ReceivePreview:  # fmt: skip
    """What merging the packages at ``paths`` would do; writes nothing."""
    progress = progress or Progress()
    here = _Here.load(db)
    known = KnownCodes.load(db)
    result = ReceivePreview()
    files = package_files(paths)
    # millions of small objects and no cycles: the collector would walk them again and again
    with paused_gc():
        read = read_all(files, known, here.received, progress)
        opened: list[PackagePreview] = []
        for path, package in zip(files, read):
            if isinstance(package, Unreadable):
                result.refused.append(Refusal(package.file, package.message))
                continue
            try:
                opened.append(_place(db, path, package, here, accept_new_units))
            except PackageError as exc:
                result.refused.append(Refusal(exc.file, exc.message, getattr(exc, "new_unit", None)))
        opened.sort(key=lambda p: (str(p.manifest.get("created_at", "")), p.path.name))  # older first: newer wins
        # uuid -> (updated_at, deleted_at, unit), here and then as merged so far
        state = _local_copies(db, {a["uuid"] for package in opened for a in package.records.activities})
        for package in opened:
            _classify(package, state)
            result.packages.append(package)
    progress.update(len(files), len(files))
    return result


@dataclass
class _Here:
    """What preview needs of this database for every package (it writes nothing, so it stays true)."""

    me: str  # my unit
    mine: set[str]  # my unit and every unit below it
    local: dict[str, tuple]  # unit id -> (id, name, parent_id, updated_at)
    aliases: dict[str, str]  # a merged commune's old id -> its unit now
    received: frozenset[str]  # the sha256 of every package merged here

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> "_Here":
        me = units.own_unit(db, "nhận dữ liệu").id
        return cls(me, set(units.subtree_ids(db, me)),
                   {row[0]: row for row in db.execute("SELECT id, name, parent_id, updated_at FROM units")},
                   units.unit_mappings(db),
                   frozenset(r[0] for r in db.execute("SELECT sha256 FROM received_packages")))  # fmt: skip


def _place(db, path: Path, read: ReadPackage, here: _Here, accept_new: bool) -> PackagePreview:
    """Where the package's units belong here: refused when its sender is neither my unit nor below it."""
    manifest, records = read.manifest, read.records
    sender = manifest["unit"]
    me, mine, local, aliases = here.me, here.mine, here.local, here.aliases
    sender_id = aliases.get(sender["id"], sender["id"])
    preview = PackagePreview(path, read.sha256, manifest, records, sender_id)
    preview.received_before = read.sha256 in here.received
    if read.folded is not None:
        preview.text_keys = {a["uuid"]: pair for a, pair in zip(records.activities, zip(read.folded, read.keys))}
    if sender_id in local and sender_id not in mine:
        raise PackageError(path, "unrelated_unit", unit=sender["name"])
    if sender_id not in local and not accept_new:
        refusal = PackageError(path, "new_unit", unit=sender["name"])
        refusal.new_unit = (sender["id"], sender["name"])  # the window offers to map it to a unit here
        raise refusal
    by_id = {u["id"]: u for u in records.units}
    if sender["id"] not in by_id:
        raise PackageError(path, "record", name="units.json", why="thiếu đơn vị gửi")
    # every unit in the package must be the sender or lie below it there
    for unit in records.units:
        seen, current = set(), unit
        while current["id"] != sender["id"]:
            seen.add(current["id"])
            current = by_id.get(current["parent_id"])
            if current is None or current["id"] in seen:
                raise PackageError(path, "record", name="units.json", why=f"đơn vị “{unit['name']}” không thuộc đơn vị gửi")
    sender_tree = set(units.subtree_ids(db, sender_id)) if sender_id in local else set()
    for unit in _parents_first(records.units, sender["id"]):
        here = aliases.get(unit["id"], unit["id"])
        preview.unit_map[unit["id"]] = here
        if here in local:
            if here not in sender_tree:
                raise PackageError(path, "unrelated_unit", unit=unit["name"])
            if here == unit["id"] and local[here][1] != unit["name"] and unit["updated_at"] > local[here][3]:
                preview.renamed_units.append({**unit, "id": here})
        else:
            parent = me if unit["id"] == sender["id"] else preview.unit_map[unit["parent_id"]]
            if unit["id"] == sender["id"] and unit["parent_id"] and aliases.get(unit["parent_id"], unit["parent_id"]) in mine:
                parent = aliases.get(unit["parent_id"], unit["parent_id"])
            preview.new_units.append({**unit, "id": here, "parent_id": parent})
    for number, activity in enumerate(records.activities, start=1):
        if activity["unit_id"] not in preview.unit_map:
            raise PackageError(path, "record", name="activities.json",
                               why=f"hoạt động thứ {number} thuộc đơn vị không có trong gói")  # fmt: skip
    return preview


def _parents_first(records: list[dict], sender: str) -> list[dict]:
    ordered, placed = [], set()
    pending = list(records)
    while pending:
        ready = [u for u in pending if u["id"] == sender or u["parent_id"] in placed]
        ordered.extend(ready)
        placed.update(u["id"] for u in ready)
        pending = [u for u in pending if u["id"] not in placed]
    return ordered


def _local_copies(db: sqlite_utils.Database, uuids: set[str]) -> dict[str, tuple[str, str | None, str]]:
    """uuid -> (updated_at, deleted_at, unit_id) of those of ``uuids`` already here."""
    found: dict[str, tuple[str, str | None, str]] = {}
    total = db.execute("SELECT count(*) FROM activities").fetchone()[0]
    if len(uuids) * 4 >= total:  # most of the log: one pass over it beats as many index lookups
        for uuid, updated, deleted, unit in db.execute("SELECT uuid, updated_at, deleted_at, unit_id FROM activities"):
            if uuid in uuids:
                found[uuid] = (updated, deleted, unit)
        return found
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for uuid, updated, deleted, unit in db.execute(
            f"SELECT uuid, updated_at, deleted_at, unit_id FROM activities WHERE uuid IN ({','.join('?' * len(chunk))})",
            chunk):  # fmt: skip
            found[uuid] = (updated, deleted, unit)
    return found


def _classify(package: PackagePreview, state: dict) -> None:
    """Count what merging ``package`` after the ones before it would do to each activity; ``state`` holds
    each activity as it is here, then as the packages before this one leave it."""
    incoming = package.records.activities
    allowed = set(package.unit_map.values())
    unit_map, actions, get = package.unit_map, package.actions, state.get
    counts = {"new": 0, "changed": 0, "unchanged": 0, "deleted": 0, "conflicts": 0}
    for activity in incoming:
        uuid, updated, deleted = activity["uuid"], activity["updated_at"], activity["deleted_at"]
        ours = get(uuid)
        if ours is not None and ours[0] == updated and ours[2] in allowed:
            counts["unchanged"] += 1  # the usual case when a package comes again
            continue
        if ours is None:
            action = "tombstone" if deleted else "new"
        elif ours[2] not in allowed:
            action = "conflict"  # an activity of a unit outside this package: never taken over
        elif updated > ours[0]:
            action = "deleted" if deleted and not ours[1] else "changed"
        else:
            action = "conflict"  # ours is newer: kept
        if action == "conflict":
            counts["conflicts"] += 1
            continue
        actions[uuid] = action
        state[uuid] = (updated, deleted, unit_map[activity["unit_id"]])
        counts["unchanged" if action == "tombstone" else action] += 1
    for key, value in counts.items():
        setattr(package, key, value)
