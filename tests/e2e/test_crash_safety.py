"""Nothing is ever lost: the command line is killed (SIGKILL) 50 times in the middle of long writes.

Operations: an Excel import (30,000 rows), a merge of three USB packages, a demo generation,
and finalising the year's report (`report --finalise`) on the 22,000 activities the demo
leaves: its Word file and its workbook of 21,000 rows (written by worker processes) are
rendered before the figures, text and file hashes are frozen in one transaction. Each run
starts from a copy of the same committed database (the finalise from the demo's result with
the year's draft report); the process is killed at a random moment (half of the moments drawn
over the whole run, half over the write transaction and checkpoint measured in an
uninterrupted reference run, so that many kills land inside them; for the finalise, whose
commit is too short to be seen, over the end of its rendering, the commit and the checkpoint);
then the file must pass ``PRAGMA integrity_check``, keep every activity committed before, hold
either nothing of the operation or all of it (the exact activity uuids and row counts of every
table as before, or as after the reference run), keep its search index in step with the
activities, and open in the app. The report being finalised must be still a draft with nothing
of the finalise, or final with the reference run's frozen figures and text and the hashes of
the files on disk. For the first few runs killed before their commit, the same command is run
again and must complete with the full result.

The command is killed with the worker processes it started (its process group), as in a power
cut. On Linux it is first stopped (SIGSTOP) and its SQLite locks read from /proc/locks:
a kill while it held the WAL write lock counts as "mid-write", one while it copied the log
into the database file (a checkpoint, after the commit) as "mid-checkpoint".
The random moments come from a fixed seed (printed; CRASH_SAFETY_SEED overrides it).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from core import periods, settings
from core.activities import repository
from core.activities.filters import ActivityFilter
from core.db import open_db
from core.reports import store
from core.units import create_unit
from tests.e2e.crash_helpers import (
    DB_EXCLUSIVE_LOCK, WAL_CHECKPOINT_LOCK, WAL_WRITE_LOCK, State, check_database, check_report, held_write_locks,
    inspect_file, locks_readable, read_state, report_row, schema_of, stop,
)  # fmt: skip

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
SEED = int(os.environ.get("CRASH_SAFETY_SEED", "20251010"))
PLAN = {"excel": 14, "package": 12, "demo": 12, "finalise": 12}  # kills per operation: 50 in all
RECOVERIES = 2  # per operation: runs killed before their commit that are run again to the end
EXCEL_ROWS = 30_000
DEMO_ACTIVITIES = 20_000
COMMUNES, COMMUNE_ACTIVITIES = 3, 4_000
REPORT = ["report", "--kind", "nam", "--year", "2025", "--rules", "nd09"]  # the year of the demo's activities
SIGNER = "Nguyễn Văn An"
AFTER_TRIGGER = 0.02  # seconds after its last file appears over which a finalise's aimed kills are drawn
TIMEOUT = 180  # seconds for any one command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and SIGSTOP are POSIX signals")


def environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    scratch = folder / "tmp"  # what killed runs leave in the temp folder is counted, not strewn over /tmp
    scratch.mkdir(exist_ok=True)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", TMPDIR=str(scratch),
               SO_TUYEN_TRUYEN_DATA=str(folder / "user_data"))  # never the real user's data  # fmt: skip
    return env


def command(db: Path, args: list[str]) -> list[str]:
    return [sys.executable, str(MAIN), "--db", str(db), *args]


def run_cli(db: Path, args: list[str], env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(command(db, args), cwd=ROOT, env=env, capture_output=True, encoding="utf-8",
                            errors="replace", timeout=TIMEOUT)  # fmt: skip
    return result


def single_file(db: Path) -> None:
    """The database closed and checkpointed: one self-contained file (still in WAL mode)."""
    conn = sqlite3.connect(str(db))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        assert not db.with_name(db.name + suffix).exists(), f"{db.name}{suffix} left beside the base database"


def write_excel_log(path: Path, rows: int) -> Path:
    """An officer's log: the four usual columns, ``rows`` distinct activities of 2025."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Nhật ký 2025")
    ws.append(["Ngày thực hiện", "Tên hoạt động", "Hình thức", "Số lượng"])
    forms = ["Hội nghị", "Tin, bài", "Phát thanh", "Tập huấn", "Đăng Facebook"]
    first = dt.date(2025, 1, 1)
    for i in range(rows):
        title = f"Tuyên truyền chuyển đổi số đợt {i + 1} tại thôn {i % 40 + 1}"
        ws.append([first + dt.timedelta(days=i % 365), title, forms[i % len(forms)], 1 + i % 7])
    wb.save(path)
    return path


@dataclass
class Operation:
    name: str
    args: list[str]
    base: Path | None = None  # the committed database every run starts from (set up by the fixture)
    before: State | None = None
    report_uuid: str | None = None  # finalise: the draft report it finalises
    report: dict | None = None  # finalise: the figures, text and file names frozen by the reference run
    seconds: float = 0.0  # the uninterrupted reference run
    trigger: str | None = None  # finalise: its last file (beside the database), written just before the commit
    triggered: float | None = None  # when the trigger file appeared in the reference run
    window: tuple[float, float] | None = None  # when it held the WAL write lock, seconds from its start
    checkpoint: tuple[float, float] | None = None  # when it held the checkpoint lock (copying the log back)
    after: State | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    recovered: int = 0


@dataclass
class World:
    folder: Path
    schema: frozenset
    pragmas: tuple
    operations: dict[str, Operation]
    env: dict
    setup_seconds: float


def fresh_copy(world: World, op: Operation, name: str) -> Path:
    folder = world.folder / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    shutil.copyfile(op.base, folder / "so.db")
    return folder / "so.db"


def report_problems(db: Path, op: Operation, verdict: str) -> list[str]:
    """For a finalise: the report must be a draft in the "before" state, final in the "after" one."""
    if op.report_uuid is None:
        return []
    state, problems = check_report(db, op.report_uuid, op.report, db.parent / "bao_cao")
    expected = {"before": "draft", "after": "final"}.get(verdict)
    if expected and state != expected:
        problems.append(f"the database holds the {verdict} state but the report is {state}")
    return problems


def checkpointing(held: tuple[set[int], set[int]]) -> bool:
    """Copying the log into the file: an automatic checkpoint, or the last connection's as it closes."""
    shm_locks, db_locks = held
    return WAL_CHECKPOINT_LOCK in shm_locks or DB_EXCLUSIVE_LOCK in db_locks


def locks_of(pid: int, db: Path) -> tuple[set[int], set[int]]:
    """(write locks ``pid`` holds on the -shm file, on the database file); empty without /proc/locks."""
    if not locks_readable():
        return set(), set()
    return held_write_locks(pid, db.with_name(db.name + "-shm")), held_write_locks(pid, db)


def reference_run(world: World, op: Operation, keep_as: Path | None = None) -> None:
    """Run ``op`` to the end on a copy of its base: how long it takes, when it writes, what it leaves
    (the resulting database is copied to ``keep_as`` when given)."""
    db = fresh_copy(world, op, f"reference-{op.name}")
    started = time.perf_counter()
    proc = subprocess.Popen(command(db, op.args), cwd=ROOT, env=world.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    writing: list[float] = []
    copying: list[float] = []
    while proc.poll() is None:
        held = locks_of(proc.pid, db)
        if WAL_WRITE_LOCK in held[0]:
            writing.append(time.perf_counter() - started)
        if checkpointing(held):
            copying.append(time.perf_counter() - started)
        if op.trigger and op.triggered is None and (db.parent / op.trigger).exists():
            op.triggered = time.perf_counter() - started
        time.sleep(0.004)
    op.seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    assert proc.returncode == 0, f"reference run of {op.name} failed ({proc.returncode}): {stderr}"
    op.window = (min(writing), max(writing)) if writing else None
    op.checkpoint = (min(copying), max(copying)) if copying else None
    op.after, problems = inspect_file(db, world.schema, world.pragmas)
    assert not problems, f"reference run of {op.name}: {problems}"
    if op.report_uuid is None:
        assert op.before.uuids < op.after.uuids, f"{op.name} added no activity"
    else:
        assert op.before.uuids == op.after.uuids and op.before != op.after, f"{op.name}: {op.after}"
        assert op.triggered is not None, f"{op.trigger} was not written"
        conn = sqlite3.connect(str(db))
        try:
            row = report_row(conn, op.report_uuid)
        finally:
            conn.close()
        assert row["status"] == "final", row
        op.report = {"figures": row["frozen"]["figures"], "sections": row["frozen"]["sections"],
                     "files": sorted(row["frozen"]["files"])}  # fmt: skip
        assert report_problems(db, op, "after") == []
    if keep_as is not None:
        single_file(db)
        keep_as.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, keep_as)
    shutil.rmtree(db.parent)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    started = time.perf_counter()
    folder = tmp_path_factory.mktemp("crash")
    env = environment(folder)

    # the district's database: 2,000 committed activities of a district and four communes
    base = folder / "base" / "so.db"
    base.parent.mkdir()
    result = run_cli(base, ["demo", "--activities", "2000", "--units", "5", "--years", "2025", "--seed", "1"], env)
    assert result.returncode == 0, result.stderr
    single_file(base)

    # three communes, each its own database and unit, each exporting its year as a package
    usb = folder / "usb"
    usb.mkdir()
    for number in range(1, COMMUNES + 1):
        commune = folder / f"xa{number}" / "so.db"
        db = open_db(commune)
        try:
            unit = create_unit(db, name=f"Xã Thử Nghiệm {number}", level="xa", unit_id=f"crash-xa-{number}")
            settings.save_profile(db, settings.Profile(unit_id=unit.id, officer_name=f"Cán bộ xã {number}"))
        finally:
            db.close()
        for args in (["demo", "--activities", str(COMMUNE_ACTIVITIES), "--units", "1", "--years", "2025",
                      "--seed", str(100 + number)],
                     ["package", "export", "--kind", "nam", "--year", "2025", "--out", str(usb)]):  # fmt: skip
            result = run_cli(commune, args, env)
            assert result.returncode == 0, (args, result.stderr)
    assert len(list(usb.glob("*.cdsx"))) == COMMUNES

    excel = write_excel_log(folder / "nhat_ky_2025.xlsx", EXCEL_ROWS)

    conn = sqlite3.connect(str(base))
    try:
        before, schema = read_state(conn), schema_of(conn)
        pragmas = tuple(conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("application_id", "user_version"))
    finally:
        conn.close()
    operations = {
        "excel": Operation("excel", ["import-excel", str(excel)], base, before),
        "package": Operation("package", ["package", "import", str(usb), "--accept-new-units"], base, before),
        "demo": Operation("demo", ["demo", "--activities", str(DEMO_ACTIVITIES), "--units", "5", "--years", "2025",
                                   "--seed", "7"], base, before),  # fmt: skip
        "finalise": Operation("finalise", [*REPORT, "--finalise"],  # into bao_cao/ beside the database
                              trigger="bao_cao/BaoCao_01_nam-2025.xlsx"),  # written after the Word file
    }
    world = World(folder, schema, pragmas, operations, env, 0.0)
    reports_base = folder / "base-report" / "so.db"  # the demo's result, with the year's draft report
    for op in operations.values():
        if op.name == "finalise":
            prepare_report_base(world, op, reports_base)
        reference_run(world, op, keep_as=reports_base if op.name == "demo" else None)
    world.setup_seconds = time.perf_counter() - started
    return world


def prepare_report_base(world: World, op: Operation, db: Path) -> None:
    """The year's draft report, signed, on the demo's 22,000 activities: what ``op`` finalises
    (drafted and signed as in the window)."""
    database = open_db(db)
    try:
        report = store.create_report(database, periods.period_for("nam", 2025, rules="nd09"))
        report.signer = SIGNER
        store.save_report(database, report)
    finally:
        database.close()
    single_file(db)
    conn = sqlite3.connect(str(db))
    try:
        op.before = read_state(conn)
        (op.report_uuid,) = conn.execute("SELECT uuid FROM reports WHERE status = 'draft'").fetchone()
    finally:
        conn.close()
    op.base = db


def kill_at(world: World, db: Path, op: Operation, delay: float, after: str | None = None) -> tuple[str, float, str]:
    """Start ``op`` on ``db``, kill it ``delay`` seconds later (after the file ``after``, beside ``db``,
    appears when given); (how it ended, when, its stderr).

    The worker processes it started (a report's activity list, an Excel import's reader) die with
    it, as in a power cut: left running they would take the next run's processor time.
    """
    err_path = db.with_name("stderr.txt")
    with open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command(db, op.args), cwd=ROOT, env=world.env, stdout=subprocess.DEVNULL,
                                stderr=err, start_new_session=True)  # its own process group  # fmt: skip
        if after is not None:
            trigger = db.parent / after
            while not trigger.exists() and proc.poll() is None and time.perf_counter() - started < TIMEOUT:
                time.sleep(0.001)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            pass
        moment = time.perf_counter() - started
        held: tuple[set[int], set[int]] = (set(), set())
        if proc.poll() is None:
            if locks_readable():
                stop(proc.pid)
                held = locks_of(proc.pid, db)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended just now
                pass
        proc.wait(timeout=TIMEOUT)
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if proc.returncode == -signal.SIGKILL:
        lock = "-writing" if WAL_WRITE_LOCK in held[0] else "-checkpointing" if checkpointing(held) else ""
        return f"killed{lock}", moment, stderr
    return f"exited {proc.returncode}", moment, stderr


def aimed_span(op: Operation) -> tuple[float, float] | None:
    """When half of ``op``'s kills are drawn: its write transaction and the checkpoint after it.

    A finalise commits one UPDATE and one INSERT, too short (a millisecond) for the lock polling to
    see, right after it has written its last file and just before the checkpoint as the database
    closes; how long its rendering takes varies from run to run (worker processes, the machine's
    load), so its aimed kills are timed from the moment its last file appears.
    """
    if op.trigger is not None:
        return 0.0, AFTER_TRIGGER
    if op.window is None:
        return None
    end = max(op.window[1], op.checkpoint[1] if op.checkpoint else 0.0)
    return max(0.05, op.window[0] - 0.05), end + 0.05


def opens_in_app(db: Path) -> str | None:
    """None when the app opens the file and totals and searches its log; else what went wrong."""
    try:
        database = open_db(db)
        try:
            repository.totals(database, ActivityFilter())
            repository.totals(database, ActivityFilter(search="chuyen doi so"))
        finally:
            database.close()
    except Exception as exc:  # noqa: BLE001 - reported as a finding
        return f"the app could not open or read it: {type(exc).__name__}: {exc}"
    return None


def classify(ended: str, verdict: str) -> str:
    if ended.startswith("exited"):
        return "finished before the kill"
    if verdict == "after":
        return "mid-checkpoint" if ended == "killed-checkpointing" else "after commit"
    if verdict == "before":
        return "mid-write" if ended == "killed-writing" else "before the write"
    return "BROKEN"


@pytest.mark.slow
def test_sigkill_during_long_writes_50_times_loses_nothing(world: World):
    rng = random.Random(SEED)
    order = [name for name, count in PLAN.items() for _ in range(count)]
    rng.shuffle(order)
    failures: list[str] = []
    leftover_tmp = leftover_report_tmp = 0
    started = time.perf_counter()
    print(f"\ncrash safety: seed {SEED} (set CRASH_SAFETY_SEED to change it); setup {world.setup_seconds:.1f} s")
    for op in world.operations.values():
        window = f"write {op.window[0]:.2f}–{op.window[1]:.2f} s" if op.window else "write lock not observed"
        if op.checkpoint:
            window += f", checkpoint {op.checkpoint[0]:.2f}–{op.checkpoint[1]:.2f} s"
        did = (f"+{op.after.activities - op.before.activities} activities" if op.report is None
               else f"{op.before.activities} activities, report finalised ({', '.join(op.report['files'])}), "
                    f"last file written at {op.triggered:.2f} s")  # fmt: skip
        print(f"  reference {op.name}: {op.seconds:.2f} s, {did}, {window}")

    for number, name in enumerate(order, start=1):
        op = world.operations[name]
        span, after = aimed_span(op), None
        if span and rng.random() < 0.5:  # aimed at the write transaction and the checkpoint after it
            delay, after = rng.uniform(*span), op.trigger
        else:
            delay = rng.uniform(0.05, op.seconds)
        db = fresh_copy(world, op, f"{number:02d}-{name}")
        ended, moment, stderr = kill_at(world, db, op, delay, after)
        where = f"#{number} {name}: `main.py --db so.db {' '.join(op.args)}`, SIGKILL due at {moment:.3f} s ({ended})"
        problems: list[str] = []
        if ended.startswith("exited") and ended != "exited 0":
            problems.append(f"the command failed on its own: {stderr.strip()[-500:]}")
        verdict, found = check_database(db, op.before, op.after, world.schema, world.pragmas)
        problems += found + report_problems(db, op, verdict)
        if ended.startswith("exited") and verdict != "after":
            problems.append(f"the command exited but the database holds the {verdict} state")
        if not found:
            problem = opens_in_app(db)
            if problem:
                problems.append(problem)
        outcome = classify(ended, verdict)
        op.outcomes[outcome] = op.outcomes.get(outcome, 0) + 1
        if name == "package":
            leftover_tmp += len(list((db.parent / "sao_luu").glob("*.tmp")))
        if name == "finalise":
            leftover_report_tmp += len(list((db.parent / "bao_cao").glob(".*.tmp")))
        if not problems and verdict == "before" and op.recovered < RECOVERIES:
            result = run_cli(db, op.args, world.env)  # the officer runs it again
            verdict_again, found_again = check_database(db, op.before, op.after, world.schema, world.pragmas)
            found_again += report_problems(db, op, verdict_again)
            if result.returncode != 0 or verdict_again != "after" or found_again:
                problems.append(f"run again after the kill: exit {result.returncode}, {verdict_again} state, "
                                f"{found_again}, {result.stderr.strip()[-300:]}")  # fmt: skip
            op.recovered += 1
        if problems:
            failures.append(f"{where}, database {db}: " + "; ".join(problems))
            print(f"  FAILED {where}: " + "; ".join(problems))
        else:
            shutil.rmtree(db.parent)  # a failing run's folder stays for inspection

    seconds = time.perf_counter() - started
    parts = []
    for op in world.operations.values():
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(op.outcomes.items(), key=lambda kv: -kv[1]))
        parts.append(f"{op.name} {sum(op.outcomes.values())} ({kinds}; {op.recovered} run again to the end)")
    verdict = "all intact" if not failures else f"{len(failures)} FAILED"
    print(f"crash safety: {len(order)} kills in {seconds:.1f} s (+{world.setup_seconds:.1f} s setup) — "
          + ", ".join(parts) + f"; {verdict}")  # fmt: skip
    if leftover_tmp:
        print(f"  note: unfinished backup copies (sao_luu/*.tmp) left by killed merges: {leftover_tmp}")
    if leftover_report_tmp:
        print(f"  note: unfinished report files (bao_cao/.*.tmp) left by killed finalises: {leftover_report_tmp}")
    scratch = sorted(p.name for p in (world.folder / "tmp").iterdir())
    if scratch:
        print(f"  note: left in the temp folder by killed runs: {len(scratch)} ({', '.join(scratch[:3])}"
              f"{', …' if len(scratch) > 3 else ''})")  # fmt: skip
    assert not failures, "\n".join(failures)
