"""`main.py --smoke-test` from the source tree: one line, exit 0, nothing touched outside a temporary folder."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from core import smoke

ROOT = Path(__file__).resolve().parents[2]
PASSED = re.compile(r"Kiểm tra nhanh: mọi bước đều ổn \((\d+) bước, \d+,\d giây\)\n")


def isolated_env(home: Path) -> dict[str, str]:
    """The user's folders (data, settings, temp) pointed into ``home``, so the test can see what was written."""
    env = dict(os.environ)
    for name in ("SO_TUYEN_TRUYEN_DATA", "SO_TUYEN_TRUYEN_STARTUP_PROBE"):
        env.pop(name, None)
    for name, sub in (("HOME", "home"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                      ("XDG_CACHE_HOME", "cache"), ("APPDATA", "appdata"), ("LOCALAPPDATA", "localappdata"),
                      ("TMPDIR", "tmp"), ("TEMP", "tmp"), ("TMP", "tmp")):  # fmt: skip
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / sub)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def assert_passed_and_left_nothing(proc: subprocess.CompletedProcess, home: Path) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert proc.stderr == "", output  # no warning, no traceback, no Qt message
    match = PASSED.fullmatch(proc.stdout)
    assert match, output
    assert int(match.group(1)) == len(smoke.CORE_STEPS) + 1  # and the main window
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert left == [], f"files left in the user's folders: {left}"


def test_smoke_test_from_source_passes_with_one_line(tmp_path):
    home = tmp_path / "user"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--smoke-test"], cwd=tmp_path,
                          env=isolated_env(home), capture_output=True, encoding="utf-8", timeout=300)  # fmt: skip
    assert_passed_and_left_nothing(proc, home)


def test_smoke_test_takes_no_arguments(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--smoke-test", "--db", "x.db"], cwd=tmp_path,
                          env=isolated_env(tmp_path / "user"), capture_output=True, encoding="utf-8", timeout=120)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stdout == "" and proc.stderr.startswith("Lỗi: --smoke-test")


def test_a_failing_step_is_named_in_vietnamese_and_everything_is_cleaned_up(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("SO_TUYEN_TRUYEN_DATA", "/noi/that/cua/can/bo")
    seen = {}

    def look(ctx):
        seen["data"] = os.environ["SO_TUYEN_TRUYEN_DATA"]
        seen["folder"] = ctx.folder

    def broken(ctx):
        raise ValueError("bad thing")

    out, err = io.StringIO(), io.StringIO()
    steps = [smoke.Step("Tạo cơ sở dữ liệu và nâng cấp cấu trúc", smoke.create_database), smoke.Step("Xem", look),
             smoke.Step("Bước hỏng", broken), smoke.Step("Không chạy tới", lambda ctx: seen.update(late=True))]  # fmt: skip
    assert smoke.run_steps(steps, out=out, err=err) == 1
    assert out.getvalue() == ""
    first, *details = err.getvalue().splitlines()
    assert first == "Kiểm tra nhanh: bước “Bước hỏng” bị lỗi: ValueError('bad thing')"
    assert details[0] == "Chi tiết kỹ thuật:" and "Traceback" in details[1]
    assert "late" not in seen
    assert seen["data"].startswith(str(seen["folder"]))  # the data folder was the temporary one
    assert os.environ["SO_TUYEN_TRUYEN_DATA"] == "/noi/that/cua/can/bo"  # and is put back
    assert not seen["folder"].exists() and list(tmp_path.iterdir()) == []


def test_a_wrong_result_says_what_is_wrong_without_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def wrong(ctx):
        smoke._expect(1 + 1 == 3, "có 2 hoạt động, cần 3")

    out, err = io.StringIO(), io.StringIO()
    assert smoke.run_steps([smoke.Step("Đếm", wrong)], out=out, err=err) == 1
    assert err.getvalue() == "Kiểm tra nhanh: bước “Đếm” bị lỗi: có 2 hoạt động, cần 3\n"
