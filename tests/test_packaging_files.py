"""The Windows packaging files agree with the code: the GitHub workflow and the Inno Setup script.

Neither can run here (no Windows runner, no Inno Setup), so these tests read them: the workflow
builds build.spec, smoke-tests the windowed exe by its exit code with QT_QPA_PLATFORM=offscreen
and compiles the installer; the installer is per-user, Vietnamese, packs the whole PyInstaller
folder, makes Start-menu and desktop shortcuts and never deletes the officer's data folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pytest

import core
from core import paths

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"
ISS = ROOT / "installer" / "so_tuyen_truyen.iss"
VIETNAMESE_ISL = ROOT / "installer" / "Vietnamese.isl"
# jrsoftware/issrc, Files/Languages/Unofficial/Vietnamese.isl at commit 5e6e7b7 (2026-06-28),
# hashed with CRLF turned into LF so that a checkout's line endings do not matter.
VIETNAMESE_ISL_SHA256 = "c7a69b0c873ddffa68a74e0b6efa3c717cda27e638c7795a302914aab9da1e1c"

EXE_IN_DIST = rf"dist\{core.APP_ID}\{core.APP_ID}.exe"


# --- A strict reader for the YAML the workflow uses (PyYAML is not a dependency) ----------------


class YamlSubsetError(ValueError):
    pass


_PLAIN_FORBIDDEN_START = tuple("[]{}&*!|>%@`,?")
_DOUBLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}


class _YamlSubset:
    """Block mappings, block sequences, `|` block scalars and one-line scalars; anything else
    (flow collections, anchors, tags, multi-line plain scalars, tabs) is an error, so a
    construct this reader does not know cannot pass unnoticed."""

    def __init__(self, text: str) -> None:
        self.raw = text.split("\n")
        self.lines: list[tuple[int, int, str]] = []  # (raw index, indent, content)
        in_block: int | None = None
        for index, line in enumerate(self.raw):
            if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
                raise YamlSubsetError(f"line {index + 1}: tab in indentation")
            stripped = line.strip()
            indent = len(line) - len(line.lstrip(" "))
            if in_block is not None:
                if not stripped or indent > in_block:
                    continue
                in_block = None
            if not stripped or stripped.startswith("#"):
                continue
            if stripped in ("---", "..."):
                raise YamlSubsetError(f"line {index + 1}: document markers are not used")
            self.lines.append((index, indent, stripped))
            value = self._split_key(stripped)[1] if not stripped.startswith("- ") else stripped[2:]
            if re.fullmatch(r"[|>][-+]?", self._strip_comment(value or "")):
                in_block = indent
            elif stripped.startswith("- ") and re.search(r":\s+[|>][-+]?$", stripped):
                in_block = indent
        self.pos = 0

    # Scalars ---------------------------------------------------------------------------------

    @staticmethod
    def _strip_comment(value: str) -> str:
        match = re.search(r"(^|\s)#", value)
        return value[: match.start()].rstrip() if match else value.rstrip()

    @staticmethod
    def _split_key(content: str) -> tuple[str, str | None]:
        """'key: value' -> (key, value); 'key:' -> (key, ''); not a pair -> (content, None)."""
        if content[:1] in "'\"":
            quote = content[0]
            end = content.find(quote, 1)
            while quote == "'" and end != -1 and content[end + 1 : end + 2] == "'":
                end = content.find(quote, end + 2)
            if end == -1 or content[end + 1 : end + 2] != ":":
                return content, None
            rest = content[end + 2 :]
            if rest and not rest.startswith(" "):
                return content, None
            return content[: end + 1], rest.strip()
        match = re.match(r"([^\s#'\"][^:#]*?):(\s+|$)", content)
        if not match:
            return content, None
        return match.group(1), content[match.end() :].strip()

    def _scalar(self, text: str, line: int):
        text = text.strip()
        if text.startswith("'"):
            match = re.match(r"'((?:[^']|'')*)'(.*)$", text)
            if not match or self._strip_comment(match.group(2)):
                raise YamlSubsetError(f"line {line}: bad single-quoted scalar {text!r}")
            return match.group(1).replace("''", "'")
        if text.startswith('"'):
            out, i = [], 1
            while i < len(text) and text[i] != '"':
                char = text[i]
                if char == "\\":
                    nxt = text[i + 1 : i + 2]
                    if nxt in _DOUBLE_ESCAPES:
                        out.append(_DOUBLE_ESCAPES[nxt])
                        i += 2
                        continue
                    size = {"x": 2, "u": 4, "U": 8}.get(nxt)
                    digits = text[i + 2 : i + 2 + size] if size else ""
                    if not size or not re.fullmatch(r"[0-9A-Fa-f]+", digits) or len(digits) != size:
                        raise YamlSubsetError(f"line {line}: bad escape \\{nxt} in {text!r}")
                    out.append(chr(int(digits, 16)))
                    i += 2 + size
                    continue
                out.append(char)
                i += 1
            if i >= len(text) or self._strip_comment(text[i + 1 :]):
                raise YamlSubsetError(f"line {line}: bad double-quoted scalar {text!r}")
            return "".join(out)
        value = self._strip_comment(text)
        if value.startswith(_PLAIN_FORBIDDEN_START) or value.startswith("- "):
            raise YamlSubsetError(f"line {line}: unsupported plain scalar {value!r}")
        if ": " in value or value.endswith(":"):
            raise YamlSubsetError(f"line {line}: ': ' inside a plain scalar {value!r}")
        if value in ("", "~", "null", "Null", "NULL"):
            return None
        if value in ("true", "True", "TRUE"):
            return True
        if value in ("false", "False", "FALSE"):
            return False
        if re.fullmatch(r"[-+]?[0-9]+", value):
            return int(value)
        if re.fullmatch(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", value):
            return float(value)
        return value

    def _key(self, text: str, line: int) -> str:
        key = self._scalar(text, line)
        if not isinstance(key, str):
            raise YamlSubsetError(f"line {line}: key {text!r} is not a string")
        return key

    def _block_scalar(self, header: str, raw_index: int, parent_indent: int) -> str:
        header = self._strip_comment(header)
        body: list[str] = []
        for line in self.raw[raw_index + 1 :]:
            if line.strip() and len(line) - len(line.lstrip(" ")) <= parent_indent:
                break
            body.append(line)
        while body and not body[-1].strip():
            body.pop()
        if not body:
            return ""
        block_indent = min(len(x) - len(x.lstrip(" ")) for x in body if x.strip())
        text = "\n".join(x[block_indent:] for x in body)
        if header.startswith(">"):
            raise YamlSubsetError(f"line {raw_index + 1}: folded scalars are not used")
        return text if header.endswith("-") else text + "\n"

    # Blocks ----------------------------------------------------------------------------------

    def parse(self):
        if not self.lines:
            return None
        value = self._block(self.lines[0][1])
        if self.pos != len(self.lines):
            raw_index = self.lines[self.pos][0]
            raise YamlSubsetError(f"line {raw_index + 1}: unexpected indentation")
        return value

    def _block(self, indent: int):
        content = self.lines[self.pos][2]
        return self._sequence(indent) if content == "-" or content.startswith("- ") else self._mapping(indent)

    def _value(self, text: str, raw_index: int, indent: int, allow_same_indent_sequence: bool):
        if re.fullmatch(r"[|>][-+]?", self._strip_comment(text)):
            return self._block_scalar(text, raw_index, indent)
        if self._strip_comment(text):
            if self.pos < len(self.lines) and self.lines[self.pos][1] > indent:
                raise YamlSubsetError(f"line {raw_index + 2}: multi-line plain scalars are not used")
            return self._scalar(text, raw_index + 1)
        if self.pos < len(self.lines):
            _, next_indent, next_content = self.lines[self.pos]
            if next_indent > indent:
                return self._block(next_indent)
            is_item = next_content == "-" or next_content.startswith("- ")
            if allow_same_indent_sequence and next_indent == indent and is_item:
                return self._sequence(indent)
        return None

    def _mapping(self, indent: int) -> dict:
        result: dict = {}
        while self.pos < len(self.lines):
            raw_index, line_indent, content = self.lines[self.pos]
            if line_indent < indent:
                break
            if line_indent > indent:
                raise YamlSubsetError(f"line {raw_index + 1}: unexpected indentation")
            if content == "-" or content.startswith("- "):
                break
            key_text, value_text = self._split_key(content)
            if value_text is None:
                raise YamlSubsetError(f"line {raw_index + 1}: expected 'key: value', got {content!r}")
            key = self._key(key_text, raw_index + 1)
            if key in result:
                raise YamlSubsetError(f"line {raw_index + 1}: duplicate key {key!r}")
            self.pos += 1
            result[key] = self._value(value_text, raw_index, indent, allow_same_indent_sequence=True)
        return result

    def _sequence(self, indent: int) -> list:
        result: list = []
        while self.pos < len(self.lines):
            raw_index, line_indent, content = self.lines[self.pos]
            if line_indent != indent or not (content == "-" or content.startswith("- ")):
                if line_indent > indent:
                    raise YamlSubsetError(f"line {raw_index + 1}: unexpected indentation")
                break
            item = content[2:].strip() if content != "-" else ""
            if not item:
                self.pos += 1
                result.append(self._value("", raw_index, indent, allow_same_indent_sequence=False))
            elif item.startswith("- "):
                raise YamlSubsetError(f"line {raw_index + 1}: nested compact sequences are not used")
            elif self._split_key(item)[1] is not None:
                # "- key: value" opens a mapping whose keys sit at the column of "key".
                self.lines[self.pos] = (raw_index, indent + 2, item)
                result.append(self._mapping(indent + 2))
            else:
                self.pos += 1
                result.append(self._value(item, raw_index, indent, allow_same_indent_sequence=False))
        return result


def load_yaml_subset(text: str):
    return _YamlSubset(text).parse()


def test_yaml_subset_reader_on_known_documents():
    document = (
        "on:\n  push:\n  workflow_dispatch:\njobs:\n  a:\n    runs-on: windows-latest # c\n"
        "    steps:\n      - uses: x/y@v1\n        with:\n          v: '3.11'\n"
        "      - name: \"q\\\\d\"\n        run: |\n          one\n\n          two\n"
        "list:\n- 1\n- true\n"
    )
    assert load_yaml_subset(document) == {
        "on": {"push": None, "workflow_dispatch": None},
        "jobs": {"a": {"runs-on": "windows-latest", "steps": [
            {"uses": "x/y@v1", "with": {"v": "3.11"}},
            {"name": "q\\d", "run": "one\n\ntwo\n"},
        ]}},
        "list": [1, True],
    }
    for bad in (
        "a: [1, 2]\n",                 # flow collection
        "a: b: c\n",                   # ': ' in a plain scalar
        'a: "C:\\dir"\n',              # unknown escape in a double-quoted scalar
        "a: 1\na: 2\n",                # duplicate key
        "a:\n\t- 1\n",                 # tab
        "a: one\n  two\n",             # multi-line plain scalar
        "a:\n  b: 1\n c: 2\n",         # bad indentation
    ):
        with pytest.raises(YamlSubsetError):
            load_yaml_subset(bad)


# --- The workflow -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    return load_yaml_subset(WORKFLOW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def steps(workflow) -> list[dict]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


def _step_index(steps: list[dict], predicate) -> int:
    matches = [i for i, step in enumerate(steps) if predicate(step)]
    assert len(matches) == 1, matches
    return matches[0]


def test_workflow_is_yaml_and_agrees_with_pyyaml(workflow):
    import yaml  # in the test extra
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True)  # YAML 1.1 reads the key `on` as true; GitHub does not
    assert loaded == workflow


def test_workflow_triggers_runner_and_pinned_actions(workflow, steps):
    assert set(workflow["on"]) == {"push", "pull_request", "workflow_dispatch"}
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "windows-latest"
    assert job["defaults"]["run"]["shell"] == "pwsh"
    assert job["timeout-minutes"] <= 120
    uses = [step["uses"] for step in steps if "uses" in step]
    assert all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in uses), uses
    assert {u.split("@")[0] for u in uses} == {
        "actions/checkout", "actions/setup-python", "actions/upload-artifact"}
    (python,) = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
    assert python["with"]["python-version"] == "3.11"


def test_workflow_builds_the_spec_then_smoke_tests_by_exit_code(steps):
    assert (ROOT / "build.spec").is_file()
    build = _step_index(steps, lambda s: "pyinstaller --noconfirm build.spec" in s.get("run", ""))
    smoke = _step_index(
        steps, lambda s: "--smoke-test" in s.get("run", "") and "Start-Process" in s.get("run", "")
        and "so-tuyen-truyen-cds.exe" in s.get("run", "") and "Invoke-AndWait" not in s["run"])
    assert build < smoke
    step = steps[smoke]
    assert step["env"]["QT_QPA_PLATFORM"] == "offscreen"
    run = step["run"]
    assert EXE_IN_DIST in run
    assert re.search(r"Start-Process -FilePath \$exe -ArgumentList '--smoke-test' -PassThru", run)
    assert "$p.Handle" in run  # ExitCode of a Start-Process object needs the cached handle
    assert re.search(r"WaitForExit\(\d+\)", run)  # a time limit: a stuck error dialog fails the step
    assert "$p.ExitCode -ne 0" in run and "throw" in run


def test_workflow_reads_the_version_from_core_and_compiles_the_installer(steps):
    version = _step_index(steps, lambda s: "import core; print(core.__version__)" in s.get("run", ""))
    assert steps[version]["id"] == "version"
    smoke = _step_index(steps, lambda s: s.get("id") == "smoke")
    compile_ = _step_index(steps, lambda s: "/DAppVersion=" in s.get("run", ""))
    assert version < smoke < compile_
    run = steps[compile_]["run"]
    assert r"'installer\so_tuyen_truyen.iss'" in run
    assert r"dist\installer\CaiDat_SoTuyenTruyenCDS_$version.exe" in run
    find = _step_index(steps, lambda s: s.get("id") == "iscc")
    assert find < compile_
    assert "choco install innosetup" in steps[find]["run"]


def test_workflow_checks_the_installed_app_and_the_uninstaller(steps):
    check = _step_index(steps, lambda s: "Invoke-AndWait" in s.get("run", ""))
    run = steps[check]["run"]
    assert steps[check]["env"]["QT_QPA_PLATFORM"] == "offscreen"
    assert rf"Join-Path $env:LOCALAPPDATA 'Programs\{core.APP_ID}'" in run
    assert "from core.paths import data_dir" in run
    assert "the uninstaller deleted the data folder" in run


def test_workflow_uploads_the_zip_and_the_installer(steps):
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    paths_ = [u["with"]["path"] for u in uploads if "if" not in u]
    assert paths_ == [
        "dist/SoTuyenTruyenCDS_${{ steps.version.outputs.version }}_KhongCaiDat.zip",
        "dist/installer/CaiDat_SoTuyenTruyenCDS_${{ steps.version.outputs.version }}.exe",
    ]
    zip_step = _step_index(steps, lambda s: "Compress-Archive" in s.get("run", ""))
    assert rf"-Path 'dist\{core.APP_ID}'" in steps[zip_step]["run"]


# --- The Inno Setup script --------------------------------------------------------------------


@pytest.fixture(scope="module")
def iss_text() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the .iss must start with a UTF-8 byte order mark"
    return raw[3:].decode("utf-8")


@pytest.fixture(scope="module")
def defines(iss_text) -> dict[str, str]:
    """The ISPP #define values, string literals and `Name + "literal"` joined."""
    result: dict[str, str] = {}
    for match in re.finditer(r"^\s*#define\s+(\w+)\s+(.+?)\s*$", iss_text, re.M):
        parts = [p.strip() for p in match.group(2).split("+")]
        value = ""
        for part in parts:
            literal = re.fullmatch(r'"([^"]*)"', part)
            value += literal.group(1) if literal else result[part]
        result.setdefault(match.group(1), value)
    return result


@pytest.fixture(scope="module")
def sections(iss_text, defines) -> dict[str, list[str]]:
    """Section name (lower case) -> its non-comment lines, {#Name} expanded."""
    result: dict[str, list[str]] = {}
    current = None
    for line in iss_text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith((";", "#")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", stripped)
        if header:
            current = header.group(1).lower()
            assert current not in result, f"[{current}] twice"
            result[current] = []
            continue
        assert current is not None, stripped
        # {#AppVersion} stays as written: its value comes from the command line.
        expanded = re.sub(r"\{#(\w+)\}", lambda m: defines.get(m.group(1), m.group(0))
                          if m.group(1) != "AppVersion" else m.group(0), stripped)
        result[current].append(expanded)
    return result


def _setup(sections) -> dict[str, str]:
    pairs = [line.split("=", 1) for line in sections["setup"]]
    keys = [k.strip().lower() for k, _ in pairs]
    assert len(keys) == len(set(keys)), "a [Setup] directive twice"
    return {k.strip().lower(): v.strip() for k, v in pairs}


def _entries(sections, name: str) -> list[dict[str, str]]:
    """Entries like `Name: "x"; Flags: a b` as {'name': 'x', 'flags': 'a b'}."""
    entries = []
    for line in sections.get(name, []):
        entry = {}
        for key, quoted, bare in re.findall(r'(\w+):\s*(?:"((?:[^"]|"")*)"|([^;]*))\s*(?:;|$)', line):
            entry[key.lower()] = (quoted.replace('""', '"') if quoted else bare).strip()
        entries.append(entry)
    return entries


def test_iss_is_nfc_utf8_and_names_match_core(iss_text, defines, sections):
    assert unicodedata.is_normalized("NFC", iss_text)  # Vietnamese as Windows displays it
    assert defines["AppName"] == core.APP_NAME
    assert defines["AppId"] == core.APP_ID
    assert defines["AppExeName"] == core.APP_ID + ".exe"
    setup = _setup(sections)
    assert setup["appname"] == core.APP_NAME
    assert setup["uninstalldisplayname"] == core.APP_NAME
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["appid"])


def test_iss_version_comes_from_the_command_line_with_a_fallback(iss_text, sections):
    assert re.search(r"^#ifndef AppVersion\n\s*#define AppVersion \"[^\"]+\"", iss_text, re.M)
    setup = _setup(sections)
    assert setup["appversion"] == "{#AppVersion}"
    assert setup["outputbasefilename"] == "CaiDat_SoTuyenTruyenCDS_{#AppVersion}"


def test_iss_installs_per_user_without_administrator_rights(sections):
    setup = _setup(sections)
    assert setup["privilegesrequired"] == "lowest"
    assert setup.get("privilegesrequiredoverridesallowed", "") == ""
    assert setup["defaultdirname"] in (
        rf"{{autopf}}\{core.APP_ID}", rf"{{userpf}}\{core.APP_ID}",
        rf"{{localappdata}}\Programs\{core.APP_ID}")
    assert setup["architecturesinstallin64bitmode"] == "x64compatible"
    assert setup["architecturesallowed"] == "x64compatible"
    assert setup["compression"] == "lzma2"
    assert setup["solidcompression"] == "yes"
    assert setup["disableprogramgrouppage"] == "yes"
    assert setup["sourcedir"] == ".."
    assert setup["setupiconfile"] == r"resources\icons\app.ico"


def test_iss_files_it_reads_exist(sections):
    setup = _setup(sections)
    source_dir = (ISS.parent / setup["sourcedir"]).resolve()
    assert source_dir == ROOT
    assert (source_dir / setup["setupiconfile"].replace("\\", "/")).is_file()
    (language,) = _entries(sections, "languages")
    assert (source_dir / language["messagesfile"].replace("\\", "/")).is_file()


def test_iss_wizard_is_vietnamese(sections):
    (language,) = _entries(sections, "languages")
    assert language["messagesfile"] == r"installer\Vietnamese.isl"
    raw = VIETNAMESE_ISL.read_bytes()
    assert hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest() == VIETNAMESE_ISL_SHA256
    text = raw.decode("utf-8")
    assert "LanguageID=$042A" in text and "LanguageName=Tiếng Việt" in text
    assert not re.search(r"^\s*#", text, re.M)  # Inno Setup 7 refuses directives in .isl files
    for message in ("CreateDesktopIcon", "AdditionalIcons", "LaunchProgram", "ConfirmUninstall"):
        assert re.search(rf"^{message}=", text, re.M), message
    own = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in sections["messages"]}
    assert "giữ nguyên" in own["ConfirmUninstall"] and "giữ nguyên" in own["UninstalledAll"]


def test_iss_packs_the_whole_pyinstaller_folder(sections):
    (files,) = _entries(sections, "files")
    assert files["source"] == rf"dist\{core.APP_ID}\*"
    assert files["destdir"] == "{app}"
    assert {"recursesubdirs", "createallsubdirs", "ignoreversion"} <= set(files["flags"].split())


def test_iss_creates_start_menu_and_desktop_shortcuts(sections):
    exe = rf"{{app}}\{core.APP_ID}.exe"
    icons = _entries(sections, "icons")
    start = [i for i in icons if re.match(r"\{(autoprograms|userprograms)\}\\", i["name"])]
    desktop = [i for i in icons if re.match(r"\{(autodesktop|userdesktop)\}\\", i["name"])]
    assert [i["name"].split("\\", 1)[1] for i in start + desktop] == [core.APP_NAME] * 2
    assert all(i["filename"] == exe for i in start + desktop)
    assert "tasks" not in start[0]
    task = desktop[0]["tasks"]
    (declared,) = [t for t in _entries(sections, "tasks") if t["name"] == task]
    assert "unchecked" not in declared.get("flags", "").split()  # ticked by default
    (run,) = _entries(sections, "run")
    assert run["filename"] == exe
    assert {"postinstall", "nowait", "skipifsilent"} <= set(run["flags"].split())


def test_iss_never_deletes_the_data_folder(iss_text, sections):
    assert "uninstalldelete" not in sections
    assert "code" not in sections
    for entry in _entries(sections, "installdelete"):
        assert entry["name"].startswith("{app}\\"), entry
    lowered = iss_text.lower()
    for constant in ("{userappdata}", "{autoappdata}", "{commonappdata}", "{localappdata}\\" + core.APP_ID):
        assert constant not in lowered
    # The comment that says where the data is matches core/paths.py.
    where = re.search(r"%APPDATA%\\[\w-]+", paths.data_dir.__doc__).group(0)
    assert where == rf"%APPDATA%\{core.APP_ID}"
    assert where in iss_text
