"""core/ must never depend on Qt: the CLI, tests and benchmarks run without it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "shiboken2", "qtpy")


def core_files() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "__pycache__" not in p.parts)


def core_modules() -> list[str]:
    return [".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for p in core_files()]


def imported_names(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            names.append(node.args[0].value)
    return names


def qt_imports(source: str, filename: str = "<test>") -> list[str]:
    tree = ast.parse(source, filename=filename)
    return [n for n in imported_names(tree) if n.split(".")[0] in FORBIDDEN]


def test_the_checker_itself_finds_qt_imports():
    assert qt_imports("import PySide6") == ["PySide6"]
    assert qt_imports("from PySide6.QtCore import Qt") == ["PySide6.QtCore"]
    assert qt_imports("def f():\n    import shiboken6\n") == ["shiboken6"]
    assert qt_imports("import importlib\nimportlib.import_module('PyQt6.QtWidgets')") == ["PyQt6.QtWidgets"]
    assert qt_imports("x = 'import PySide6'  # a string is not an import") == []
    assert qt_imports("from .gui import PySide6") == []


def test_core_has_files():
    files = core_files()
    names = {p.relative_to(CORE).as_posix() for p in files}
    assert {"text.py", "db.py", "units.py", "activities/service.py", "cli.py"} <= names


def test_no_core_module_imports_qt():
    offenders = {}
    for path in core_files():
        found = qt_imports(path.read_text(encoding="utf-8"), str(path))
        if found:
            offenders[path.relative_to(ROOT).as_posix()] = found
    assert offenders == {}


def test_no_core_module_imports_the_gui_package():
    offenders = {}
    for path in core_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found = [n for n in imported_names(tree) if n.split(".")[0] == "gui"]
        if found:
            offenders[path.relative_to(ROOT).as_posix()] = found
    assert offenders == {}


def test_importing_all_of_core_does_not_load_qt():
    modules = core_modules()
    assert "core.text" in modules and "core.activities.service" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print('QT:' + ','.join(loaded))\n"
        f"print('COUNT:' + str(sum(1 for m in {modules!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "QT:" in lines, result.stdout
    assert f"COUNT:{len(modules)}" in lines
