"""The one-folder build (build.spec) runs: PyInstaller builds it, then its --smoke-test passes with one line.

This is CI's check of the Linux build (the Windows build comes from the same spec): any missing
module, data file or Qt plugin fails the smoke test, and any warning or traceback it prints fails here.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import APP_ID
from tests.e2e.test_smoke import assert_passed_and_left_nothing, isolated_env

ROOT = Path(__file__).resolve().parents[2]
EXE = APP_ID + (".exe" if sys.platform == "win32" else "")


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, encoding="utf-8", errors="replace", timeout=1200,
    )  # fmt: skip
    assert proc.returncode == 0, f"PyInstaller failed:\n{proc.stdout}\n{proc.stderr}"
    print(f"built in {time.perf_counter() - started:.0f} s")
    return work / "dist" / APP_ID


@pytest.mark.slow
def test_the_folder_and_the_program_are_named_after_the_app(build):
    assert (build / EXE).is_file()
    assert sorted(p.name for p in build.parent.iterdir()) == [APP_ID]  # one folder, nothing else in dist/


@pytest.mark.slow
def test_what_the_app_reads_is_bundled_and_what_it_does_not_use_is_not(build):
    inside = build / "_internal"
    for name in ("resources/templates/bao_cao.docx", "resources/taxonomy.json", "resources/presets.json",
                 "resources/report_outline.json", "resources/icons/app.png", "resources/icons/app.ico",
                 "vietnam_provinces/data/nested-divisions.json", "docx/templates/default.docx"):  # fmt: skip
        assert (inside / name).is_file(), name
    files = [str(p.relative_to(inside)).replace("\\", "/") for p in inside.rglob("*")]
    assert not [f for f in files if f.endswith(".py") and f.startswith("resources/")]  # the scripts that make them
    unwanted = ("translations/", "/qml/", "Qt6Network", "Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt6Pdf",
                "Qt6VirtualKeyboard", "virtualkeyboard", "imageformats/libqpdf", "opengl32sw")  # fmt: skip
    assert [f for f in files if any(u in f for u in unwanted)] == []


@pytest.mark.slow
def test_the_frozen_smoke_test_passes_with_one_line(build, tmp_path):
    home = tmp_path / "user"
    proc = subprocess.run([str(build / EXE), "--smoke-test"], cwd=tmp_path, env=isolated_env(home),
                          capture_output=True, encoding="utf-8", errors="replace", timeout=300)  # fmt: skip
    assert_passed_and_left_nothing(proc, home)
