"""The command line, run as the officer (or a script) runs it: `python main.py ...`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"

ENGLISH = re.compile(r"\b(error|usage|invalid|argument|arguments|choose|required|unrecognized|expected|Traceback)\b", re.I)
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạ-ỹ]")


def run(*args: str, tmp_path: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environment = dict(os.environ)
    environment["PYTHONIOENCODING"] = "utf-8"
    environment["SO_TUYEN_TRUYEN_DATA"] = str(tmp_path / "user_data")  # never the real user's data
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    environment.update(env or {})
    try:
        return subprocess.run(
            [sys.executable, str(MAIN), *args],
            cwd=ROOT,
            capture_output=True,
            timeout=timeout,
            env=environment,
            encoding="utf-8",
            errors="replace",
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"main.py {' '.join(args)} did not finish in {timeout} s (a window was opened?): {exc}")


def assert_vietnamese_error(result: subprocess.CompletedProcess, code: int) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.strip(), "expected a message on stderr"
    assert "Lỗi" in result.stderr, result.stderr
    assert VIETNAMESE.search(result.stderr)
    assert not ENGLISH.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "so.db"
    result = run(
        "--db", str(path), "demo", "--activities", "400", "--units", "4", "--years", "2024,2025", "--seed", "5",
        tmp_path=folder,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Đã tạo 400 hoạt động mẫu" in result.stdout
    return path


def db_count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_version(tmp_path):
    result = run("--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    from core import APP_NAME, __version__

    assert result.stdout.strip() == f"{APP_NAME} {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_help_is_vietnamese(tmp_path):
    result = run("--help", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "cách dùng:" in result.stdout
    assert "usage:" not in result.stdout


def test_demo_json_and_data(tmp_path):
    path = tmp_path / "demo.db"
    result = run("--db", str(path), "demo", "--activities", "25", "--units", "1", "--format", "json",
                 tmp_path=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["created"] == 25
    assert db_count(path, "SELECT count(*) FROM activities") == 25
    assert db_count(path, "SELECT count(*) FROM units") == 1


def test_demo_same_seed_same_data(tmp_path):
    uuids = []
    for name in ("a.db", "b.db"):
        path = tmp_path / name
        result = run("--db", str(path), "demo", "--activities", "50", "--years", "2024,2025", "--seed", "9",
                     tmp_path=tmp_path)  # fmt: skip
        assert result.returncode == 0, result.stderr
        conn = sqlite3.connect(path)
        uuids.append([r[0] for r in conn.execute("SELECT uuid FROM activities ORDER BY id")])
        conn.close()
    assert len(uuids[0]) == 50
    assert uuids[0] == uuids[1]


def test_activities_table(demo_db, tmp_path):
    result = run("--db", str(demo_db), "activities", "--limit", "7", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Ngày")
    assert "Đơn vị" in lines[0] and "Hình thức" in lines[0] and "Kinh phí (đồng)" in lines[0]
    assert set(lines[1].replace(" ", "")) == {"-"}
    body = lines[2:-1]
    assert len(body) == 7
    assert lines[-1] == "(7 dòng)"
    dates = [line[:10] for line in body]
    assert all(re.fullmatch(r"\d{2}/\d{2}/20(24|25)", d) for d in dates)
    iso = [d[6:] + d[3:5] + d[:2] for d in dates]
    assert iso == sorted(iso, reverse=True)  # newest first


def test_activities_csv(demo_db, tmp_path):
    result = run("--db", str(demo_db), "activities", "--limit", "20", "--format", "csv", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], rows[1:]
    assert header[0] == "Ngày"
    assert "Tên, nội dung hoạt động" in header
    assert header[-1] == "Mã"
    assert len(body) == 20
    assert all(len(r) == len(header) for r in body)
    conn = sqlite3.connect(demo_db)
    known = {r[0] for r in conn.execute("SELECT uuid FROM activities")}
    conn.close()
    assert {r[-1] for r in body} <= known
    assert len({r[-1] for r in body}) == 20
    for r in body:
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", r[0])
        qty = r[header.index("Số lượng")]
        assert re.fullmatch(r"\d{1,3}(\.\d{3})*", qty), qty


def test_activities_json_and_filters(demo_db, tmp_path):
    result = run(
        "--db", str(demo_db), "activities", "--from", "01/03/2025", "--to", "31/03/2025",
        "--form", "mxh", "--limit", "1000", "--format", "json", tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = db_count(
        demo_db,
        "SELECT count(*) FROM activities WHERE form_code = 'mxh' AND deleted_at IS NULL"
        " AND date_from BETWEEN '2025-03-01' AND '2025-03-31'",
    )
    assert expected > 0
    assert len(rows) == expected
    assert all(r["form_code"] == "mxh" and "2025-03-01" <= r["date_from"] <= "2025-03-31" for r in rows)
    assert {"uuid", "title", "unit_name", "form_label", "quantity", "cost"} <= set(rows[0])


def test_activities_unit_and_search(demo_db, tmp_path):
    conn = sqlite3.connect(demo_db)
    commune = conn.execute("SELECT id FROM units WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]
    district = conn.execute("SELECT id FROM units WHERE parent_id IS NULL").fetchone()[0]
    in_commune = conn.execute("SELECT count(*) FROM activities WHERE unit_id = ?", [commune]).fetchone()[0]
    in_district_only = conn.execute("SELECT count(*) FROM activities WHERE unit_id = ?", [district]).fetchone()[0]
    facebook = conn.execute("SELECT count(*) FROM activities WHERE title LIKE '%Facebook%'"
                            " OR channel LIKE '%Facebook%'").fetchone()[0]  # fmt: skip
    conn.close()

    def listed(*extra):
        result = run("--db", str(demo_db), "activities", "--limit", "1000", "--format", "json", *extra,
                     tmp_path=tmp_path)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert len(listed("--unit", commune)) == in_commune > 0
    assert len(listed("--unit", district)) == 400
    assert len(listed("--unit", district, "--only-unit")) == in_district_only
    communes = [r[0] for r in sqlite3.connect(demo_db).execute(
        "SELECT id FROM units WHERE parent_id IS NOT NULL ORDER BY id LIMIT 2")]  # fmt: skip
    in_two = sqlite3.connect(demo_db).execute(
        "SELECT count(*) FROM activities WHERE unit_id IN (?, ?) AND deleted_at IS NULL", communes).fetchone()[0]
    assert len(listed("--unit", ",".join(communes))) == in_two > in_commune  # a set of units, comma-separated
    assert len(listed("--unit", communes[0], "--unit", communes[1])) == in_two  # or repeated
    assert len(listed("--unit", f"{district},{communes[0]}", "--only-unit")) == in_district_only + in_commune
    assert len(listed("--search", "FACEBOOK")) == facebook > 0
    found = listed("--search", "chuyen doi so")
    assert found and all("chuyen doi so" in _fold(r["title"] + " " + r["channel"]) for r in found)


def _fold(text: str) -> str:
    from core.text import fold

    return fold(text)


@pytest.mark.parametrize("by", ["form", "unit", "month", "funding"])
def test_stats_json_totals_equal_sum_of_groups(demo_db, tmp_path, by):
    result = run("--db", str(demo_db), "stats", "--by", by, "--format", "json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["by"] == by
    assert data["total"]["count"] == 400
    for field in ("count", "quantity", "duration_minutes", "participants", "cost"):
        assert sum(g[field] for g in data["groups"]) == data["total"][field], field
    assert data["total"]["cost"] == db_count(demo_db, "SELECT coalesce(sum(cost), 0) FROM activities")
    keys = [g["key"] for g in data["groups"]]
    assert len(keys) == len(set(keys))
    if by == "month":
        assert keys == sorted(keys)
        assert all(re.fullmatch(r"\d{2}/20(24|25)", g["label"]) for g in data["groups"])


def test_stats_by_topic_json(demo_db, tmp_path):
    result = run("--db", str(demo_db), "stats", "--by", "topic", "--format", "json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    links = db_count(demo_db, "SELECT count(*) FROM activity_topics")
    assert sum(g["count"] for g in data["groups"]) == links
    assert data["total"]["count"] == 400


def test_stats_table(demo_db, tmp_path):
    result = run("--db", str(demo_db), "stats", "--by", "form", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Nhóm")
    assert lines[-1].startswith("Tổng cộng")
    assert lines[-1].split()[2] == "400"


def test_bad_date_is_a_usage_error_in_vietnamese(demo_db, tmp_path):
    for bad in ("31/02/2025", "13/25/2025", "hôm qua"):
        result = run("--db", str(demo_db), "activities", "--from", bad, tmp_path=tmp_path)
        assert_vietnamese_error(result, 2)
        assert bad in result.stderr
        assert result.stdout == ""


def test_to_before_from_is_a_usage_error(demo_db, tmp_path):
    result = run("--db", str(demo_db), "stats", "--from", "01/03/2025", "--to", "01/02/2025", tmp_path=tmp_path)
    assert_vietnamese_error(result, 2)


def test_non_database_file_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "bao_cao.docx"
    path.write_bytes(b"PK\x03\x04" + "Báo cáo kết quả".encode("utf-8") * 50)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    names = sorted(p.name for p in tmp_path.iterdir())
    for command in (["activities"], ["stats"], ["demo", "--activities", "5"]):
        result = run("--db", str(path), *command, tmp_path=tmp_path)
        assert_vietnamese_error(result, 1)
        assert "bao_cao.docx" in result.stderr
        assert "không phải" in result.stderr
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "user_data") == names


def test_newer_database_is_refused(tmp_path):
    from core.migrations import SCHEMA_VERSION

    path = tmp_path / "moi_hon.db"
    assert run("--db", str(path), "demo", "--activities", "3", tmp_path=tmp_path).returncode == 0
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = run("--db", str(path), "activities", tmp_path=tmp_path)
    assert_vietnamese_error(result, 1)
    assert "phiên bản mới hơn" in result.stderr
    assert path.read_bytes() == before
    assert db_count(path, "PRAGMA user_version") == SCHEMA_VERSION + 1


def test_directory_as_database(tmp_path):
    folder = tmp_path / "thu_muc"
    folder.mkdir()
    result = run("--db", str(folder), "stats", tmp_path=tmp_path)
    assert_vietnamese_error(result, 1)
    assert "thư mục" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["activities", "--bogus"],
        ["stats", "--by", "color"],
        ["demo"],  # --activities is required
        ["demo", "--activities", "0"],
        ["demo", "--activities", "nhiều"],
        ["demo", "--activities", "5", "--years", "1990"],
        ["activities", "--limit", "-3"],
        ["activities", "--format", "xml"],
    ],
)
def test_bad_options_exit_2_in_vietnamese(tmp_path, args):
    path = tmp_path / "so.db"
    result = run("--db", str(path), *args, tmp_path=tmp_path)
    assert_vietnamese_error(result, 2)
    assert "cách dùng:" in result.stderr
    assert not path.exists()  # nothing is created for a command typed wrongly


@pytest.mark.parametrize(
    "args",
    [
        ["--db", "{path}", "frobnicate"],
        ["--db", "{path}", "activites"],  # a typo of a real command
        ["--db", "{path}", "--bogus"],
        ["frobnicate", "--db", "{path}"],
        ["--db"],  # the option without its value
    ],
)
def test_unknown_command_or_option_exits_2_in_vietnamese(tmp_path, args):
    """Anything but a plain `main.py [--db FILE]` is a command line: it must not open the window."""
    path = tmp_path / "so.db"
    result = run(*[a.format(path=path) for a in args], tmp_path=tmp_path, timeout=10)
    assert_vietnamese_error(result, 2)
    assert not path.exists()


def test_output_redirected_on_a_windows_code_page_does_not_crash(demo_db, tmp_path):
    """On Windows, `main.py activities > ds.txt` writes through the ANSI code page (cp1258 on
    Vietnamese Windows), which cannot encode most precomposed Vietnamese letters."""
    result = run("--db", str(demo_db), "activities", "--limit", "5", tmp_path=tmp_path,
                 env={"PYTHONIOENCODING": "cp1258"})  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
