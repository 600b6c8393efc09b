"""Helpers for the crash-safety harness (tests/e2e/test_crash_safety.py).

A database's *state* is what a crash must never corrupt: the set of activity uuids and the
row count of every ordinary table. ``check_database`` opens a file a killed process left
behind (plain sqlite3, which replays the write-ahead log as the app would) and returns the
problems it finds; ``held_write_locks`` tells, on Linux, whether a stopped process was inside a
write transaction (SQLite holds the WAL write lock, byte 120 of the -shm file, for exactly
that long) or copying the write-ahead log into the database file (a checkpoint).
A report being finalised has its own check, ``check_report``: still a draft with nothing of
the finalise, or final with the figures, text and files of the reference run.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document

WAL_WRITE_LOCK = 120  # SQLite's unix VFS: shm lock i is the byte 120 + i of the -shm file
WAL_CHECKPOINT_LOCK = 121
# An EXCLUSIVE lock on the database file is a write lock on its "shared" bytes, from 2 past the
# pending byte (1 GiB); the last connection holds it while it copies the log back as it closes.
DB_EXCLUSIVE_LOCK = 0x40000000 + 2


@dataclass(frozen=True)
class State:
    uuids: frozenset[str]
    counts: tuple[tuple[str, int], ...]  # (table, rows) for every ordinary table

    @property
    def activities(self) -> int:
        return len(self.uuids)


def ordinary_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table but the search index and its shadow tables (checked on their own)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [name for name, _sql in rows if not any(name == v or name.startswith(v + "_") for v in virtual)]


def read_state(conn: sqlite3.Connection) -> State:
    uuids = frozenset(row[0] for row in conn.execute("SELECT uuid FROM activities"))
    counts = tuple((t, conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in ordinary_tables(conn))
    return State(uuids, counts)


def schema_of(conn: sqlite3.Connection) -> frozenset[tuple]:
    """Tables, indexes and triggers as declared (a bulk load drops and recreates some of them)."""
    return frozenset(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())


def describe(found: State, expected: State, label: str) -> str:
    lost = len(expected.uuids - found.uuids)
    extra = len(found.uuids - expected.uuids)
    wanted = dict(expected.counts)
    tables = ", ".join(f"{t} {n} (expected {wanted.get(t, 'no such table')})" for t, n in found.counts
                       if n != wanted.get(t))  # fmt: skip
    return (f"vs {label}: {found.activities} activities ({lost} of the expected missing, {extra} unexpected)"
            + (f"; tables differing: {tables}" if tables else ""))  # fmt: skip


def inspect_file(path: Path, schema: frozenset, pragmas: tuple) -> tuple[State, list[str]]:
    """(the file's state, problems with its integrity) for a database a process may have been killed on."""
    problems: list[str] = []
    conn = sqlite3.connect(str(path))  # replays (or discards) what the killed process left in the -wal file
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {'; '.join(integrity[:5])}")
        broken_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken_keys:
            problems.append(f"PRAGMA foreign_key_check: {len(broken_keys)} rows, first {broken_keys[:3]}")
        found_pragmas = (conn.execute("PRAGMA application_id").fetchone()[0],
                         conn.execute("PRAGMA user_version").fetchone()[0])  # fmt: skip
        if found_pragmas != pragmas:
            problems.append(f"application_id/user_version {found_pragmas}, expected {pragmas}")
        found_schema = schema_of(conn)
        if found_schema != schema:
            missing = sorted(name for _t, name, _tb, _s in schema - found_schema)
            added = sorted(name for _t, name, _tb, _s in found_schema - schema)
            problems.append(f"schema changed: missing or altered {missing}, unexpected {added}")
        state = read_state(conn)
        orphans = conn.execute(
            "SELECT count(*) FROM activity_topics WHERE activity_id NOT IN (SELECT id FROM activities)"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} activity_topics rows point to no activity")
        indexed = conn.execute("SELECT count(*) FROM activity_search_docsize").fetchone()[0]
        if indexed != state.activities:
            problems.append(f"search index holds {indexed} rows for {state.activities} activities")
        try:  # rank 1: the index is also compared with its content table (activities)
            conn.execute("INSERT INTO activity_search(activity_search, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"search index integrity-check: {exc}")
    finally:
        conn.close()
    return state, problems


def all_or_nothing(state: State, before: State, after: State) -> tuple[str, list[str]]:
    """("before" or "after" when the file holds exactly one of them, else "neither"; problems)."""
    if state == before:
        return "before", []
    if state == after:
        return "after", []
    problems = []
    if not before.uuids <= state.uuids:
        problems.append(f"{len(before.uuids - state.uuids)} previously committed activities are gone")
    problems.append("operation partly applied: " + describe(state, before, "before") + " | "
                    + describe(state, after, "fully applied"))  # fmt: skip
    return "neither", problems


def check_database(path: Path, before: State, after: State, schema: frozenset, pragmas: tuple) -> tuple[str, list[str]]:
    """(which state the file holds: "before", "after" or "neither", every problem found)."""
    state, problems = inspect_file(path, schema, pragmas)
    verdict, partial = all_or_nothing(state, before, after)
    return verdict, problems + partial


# --- a report being finalised -----------------------------------------------------------


def report_row(conn: sqlite3.Connection, uuid: str) -> dict:
    """The report's status, finalised_at, frozen (parsed) and its number of "finalised" history lines."""
    row = conn.execute("SELECT status, finalised_at, frozen FROM reports WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        return {"status": None, "finalised_at": None, "frozen": None, "final_lines": 0}
    lines = conn.execute("SELECT count(*) FROM history WHERE activity_uuid = ? AND action = 'report_final'",
                         [uuid]).fetchone()[0]  # fmt: skip
    return {"status": row[0], "finalised_at": row[1], "frozen": json.loads(row[2]) if row[2] else None,
            "final_lines": lines}  # fmt: skip


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _file_problems(path: Path) -> list[str]:
    """A finalised report's file must open: python-docx for the Word file, an intact zip for the workbook."""
    try:
        if path.suffix == ".docx":
            Document(str(path))
        else:
            with zipfile.ZipFile(path) as book:
                broken = book.testzip()
            if broken:
                return [f"{path.name}: member {broken} is damaged"]
    except Exception as exc:  # noqa: BLE001 - reported as a finding
        return [f"{path.name} does not open: {type(exc).__name__}: {exc}"]
    return []


def check_report(path: Path, uuid: str, reference: dict, files: Path) -> tuple[str, list[str]]:
    """("draft", "final" or "neither"; problems) for a report a finalise may have been killed in.

    A draft holds nothing of the finalise (no frozen figures, no time, no history line). A final
    report holds the figures, text and file names frozen by the reference run (``reference``: its
    ``frozen``), exactly one history line, and the hashes of the files in ``files`` as they are on
    disk (a .docx and a .xlsx embed the time they were written, so their bytes differ between runs).
    """
    conn = sqlite3.connect(str(path))
    try:
        row = report_row(conn, uuid)
    except sqlite3.DatabaseError as exc:
        return "neither", [f"the report cannot be read: {exc}"]
    finally:
        conn.close()
    if row["status"] == "draft":
        problems = [f"draft report with {what}" for what, there in (
            ("frozen figures", row["frozen"] is not None), ("a finalised time", row["finalised_at"] is not None),
            (f"{row['final_lines']} “finalised” history lines", row["final_lines"] > 0)) if there]  # fmt: skip
        return ("draft" if not problems else "neither"), problems
    if row["status"] != "final":
        return "neither", [f"the report is {row['status'] or 'gone'}"]
    frozen, problems = row["frozen"] or {}, []
    if not row["finalised_at"]:
        problems.append("final report without a finalised time")
    if row["final_lines"] != 1:
        problems.append(f"final report with {row['final_lines']} “finalised” history lines (expected 1)")
    for part in ("figures", "sections"):
        if frozen.get(part) != reference[part]:
            problems.append(f"frozen {part} differ from the reference run's")
    hashes = frozen.get("files") or {}
    if sorted(hashes) != sorted(reference["files"]):
        problems.append(f"frozen files {sorted(hashes)}, the reference run froze {sorted(reference['files'])}")
    for name, digest in hashes.items():
        file = files / name
        if not file.is_file():
            problems.append(f"{name} is frozen but not on disk")
        elif _sha256(file) != digest:
            problems.append(f"{name} on disk does not match its frozen hash")
        else:
            problems += _file_problems(file)
    return ("final" if not problems else "neither"), problems


# --- the moment of the kill -------------------------------------------------------------


def process_state(pid: int) -> str:
    """The one-letter state of /proc/PID/stat ("R", "S", "T" stopped, "Z" zombie), "" if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
    except OSError:
        return ""
    return text.rsplit(")", 1)[-1].split()[0] if ")" in text else ""


def stop(pid: int, timeout: float = 1.0) -> None:
    """SIGSTOP ``pid`` and wait until it has stopped (or died), so its locks can be read as they are."""
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + timeout
    while process_state(pid) not in ("T", "t", "Z", "X", "") and time.monotonic() < deadline:
        time.sleep(0.001)


def locks_readable() -> bool:
    return Path("/proc/locks").is_file()


def held_write_locks(pid: int, path: Path) -> set[int]:
    """The first byte of every exclusive (WRITE) POSIX lock that ``pid`` holds on the file ``path``."""
    try:
        inode = os.stat(path).st_ino
    except OSError:
        return set()
    held = set()
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            for line in handle:
                parts = line.split()  # "1: POSIX  ADVISORY  WRITE 1234 08:01:567 120 120"; waiters have "->"
                if len(parts) < 8 or "->" in parts or parts[1] != "POSIX" or parts[4] != str(pid):
                    continue
                if parts[3] == "WRITE" and parts[5].rsplit(":", 1)[-1] == str(inode):
                    held.add(int(parts[6]))
    except OSError:
        return set()
    return held
