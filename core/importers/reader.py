"""Reading an officer's spreadsheet (.xlsx, .xlsm, .xls) into plain rows of values.

python-calamine (a Rust reader) reads 100,000 rows in about two seconds, where
openpyxl takes half a minute. Values come as str, float, bool, datetime.date or
datetime.datetime; an empty cell is "". Row 0 is the sheet's row 1, so a problem
is reported on the row number Excel shows. Merged cells are given to every cell
merged down (a date merged down over three activities belongs to all three).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import python_calamine

from core.errors import FileProblem, UserError
from core.text import format_number

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# calamine holds a sheet as one block of rows x columns (32 bytes a cell) from its first filled cell to its
# last: one value left at XFD1048576 makes 17 billion cells, and the failed allocation aborts the program.
# An .xls holds at most 65,536 x 256 cells; an .xlsx past this many is refused before calamine reads it.
MAX_CELLS = 20_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')
_ROW = re.compile(rb'row\s[^>]*?\br="(\d+)"')  # <row r="7">, <x:row r="7">
_WIDE = re.compile(rb'r="([A-Za-z]{2,})\d')  # a cell past column Z
_FILLED_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Za-z]+)(\d+)"[^>]*(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b')
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # an encrypted .xlsx is an OLE file holding this stream


@dataclass
class Sheet:
    name: str
    rows: list[list]  # cell values; rows[0] is the sheet's row 1


def _refuse(path: Path, why: str) -> UserError:
    return UserError(f"Không đọc được tệp “{path.name}”: {why}")


def _check(path: Path) -> None:
    """Refuse early, with the reason an officer understands, what is not a readable workbook."""
    if path.is_dir():
        raise _refuse(path, "đây là một thư mục, không phải tệp Excel.")
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
            if head == _OLE and path.stat().st_size < 64 * 1024 * 1024:
                handle.seek(0)
                if _ENCRYPTED in handle.read():
                    raise _refuse(path, "tệp được đặt mật khẩu. Hãy mở tệp trong Excel, bỏ mật khẩu "
                                        "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại.")  # fmt: skip
    except FileNotFoundError:
        raise FileProblem(f"Không tìm thấy tệp “{path}”.") from None
    except PermissionError:
        raise FileProblem(f"Không có quyền đọc tệp “{path.name}” (tệp có thể đang mở trong chương trình khác).") from None
    except OSError as exc:
        raise FileProblem(f"Không mở được tệp “{path.name}”: {exc.strerror or exc}.") from None
    if not head:
        raise _refuse(path, "tệp rỗng.")
    if head[:4] != _ZIP and head != _OLE:
        raise _refuse(path, "đây không phải bảng tính Excel (.xlsx, .xlsm, .xls).")


def _open(path: Path):
    _check(path)
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise _refuse(path, "tệp được đặt mật khẩu. Hãy bỏ mật khẩu trong Excel rồi lưu lại.") from None
    except Exception as exc:  # noqa: BLE001 - calamine's errors: damaged zip, XML, not a workbook
        raise _refuse(path, f"tệp bị hỏng hoặc không phải bảng tính Excel ({type(exc).__name__}).") from None


def sheet_names(path: str | Path) -> list[str]:
    """The worksheets an officer can see, in the workbook's order."""
    workbook = _open(Path(path))
    try:
        names = [m.name for m in workbook.sheets_metadata
                 if str(m.typ).endswith("WorkSheet") and str(m.visible).endswith(".Visible")]  # fmt: skip
        return names or list(workbook.sheet_names)
    finally:
        workbook.close()


def read_sheet(path: str | Path, name: str | None = None) -> Sheet:
    """The rows of sheet ``name`` (the first visible one when None)."""
    path = Path(path)
    workbook = _open(path)
    try:
        names = list(workbook.sheet_names)
        if name is None:
            visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith(".Visible")]
            name = (visible or names or [None])[0]
        if name not in names:
            raise UserError(f"Tệp “{path.name}” không có trang tính “{name}”.")
        _check_extent(path, name)
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except Exception as exc:  # noqa: BLE001
            raise _refuse(path, f"trang tính “{name}” bị hỏng ({type(exc).__name__}).") from None
    finally:
        workbook.close()
    rows = rows if isinstance(rows, list) and (not rows or isinstance(rows[0], list)) else [list(r) for r in rows]
    _spread_merged(rows, merged)
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    return Sheet(name, rows)


def _check_extent(path: Path, name: str) -> None:
    """Refuse an .xlsx/.xlsm sheet whose filled area is more than MAX_CELLS cells, before calamine reads it.

    A small <dimension> is trusted (nothing more is read: Excel and LibreOffice always write it right; a
    file crafted to put cells outside it is not caught). Without one (openpyxl's write-only mode, so the
    app's own exports, writes none: about 0.2 s for 100,000 rows) or with a large one, the row numbers
    and the columns past Z give a bound in one pass; only past the limit are the filled cells themselves
    looked at, since formatted empty cells far away make large rows and dimensions but cost calamine nothing."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, name)
            if part is None:
                return
            with archive.open(part) as stream:
                found = _DIMENSION.search(stream.read(64 * 1024))
            if found:
                first_column, first_row, last_column, last_row = found.groups()
                if _span(first_column, last_column or first_column) * _span(first_row, last_row or first_row) \
                        <= MAX_CELLS:  # fmt: skip
                    return
            rows, columns = _bound(archive, part)
            if rows * columns <= MAX_CELLS:
                return
            rows, columns = _filled(archive, part)
    except Exception:  # noqa: BLE001 - damaged or unusual: calamine reads it or says what is wrong
        return
    if rows * columns > MAX_CELLS:
        raise _refuse(path, f"trang tính “{name}” có ô được ghi ở quá xa ({format_number(rows)} dòng × "
                            f"{format_number(columns)} cột). Hãy xóa các ô thừa ở cuối trang tính (Ctrl+End "
                            "cho biết ô cuối cùng) rồi lưu lại.")  # fmt: skip


def _number(text: bytes) -> int:
    """A row number, or a column's letters as a number (A = 1, XFD = 16384)."""
    if text.isdigit():
        return int(text)
    number = 0
    for letter in text.upper():
        number = number * 26 + letter - 64
    return number


def _span(first: bytes, last: bytes) -> int:
    return abs(_number(last) - _number(first)) + 1


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str | None:
    """The zip member holding worksheet ``name`` (workbook.xml names it, its relationships say where)."""
    ids = [next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
           for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter()
           if sheet.tag.endswith("}sheet") and sheet.get("name") == name]  # fmt: skip
    if len(ids) != 1 or ids[0] is None:
        return None
    for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter():
        if rel.tag.endswith("}Relationship") and rel.get("Id") == ids[0]:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return None


def _chunks(archive: zipfile.ZipFile, part: str):
    """The part's XML by chunks of 1 MiB, each starting with the end of the one before (so that a tag
    cut in two is found whole; found twice does not matter for a smallest and a largest)."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            yield tail + chunk
            tail = chunk[-4096:]


def _bound(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(rows, columns) at most: from the first to the last <row>, and column A to the last past Z."""
    top, bottom, right = 1 << 30, 0, 26
    for text in _chunks(archive, part):
        rows = list(map(int, _ROW.findall(text)))
        if rows:
            top, bottom = min(top, min(rows)), max(bottom, max(rows))
        right = max(right, max(map(_number, set(_WIDE.findall(text))), default=0))
    return (bottom - top + 1 if bottom else 1 << 30), right


def _filled(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(rows, columns) from the first to the last cell that holds something."""
    top = left = 1 << 30
    bottom = right = 0
    for text in _chunks(archive, part):
        for letters, number in _FILLED_CELL.findall(text):
            column, row = _number(letters), int(number)
            top, bottom, left, right = min(top, row), max(bottom, row), min(left, column), max(right, column)
    return (bottom - top + 1, right - left + 1) if bottom else (0, 0)


def sheet_fonts(path: str | Path, name: str, rows: int = 60) -> list[str]:
    """The font names of the text cells in the first rows of an .xlsx/.xlsm sheet (calamine does not
    give fonts; openpyxl's read-only mode reads only the start of the sheet). [] for .xls or on any error."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            sheet = workbook[name]
            return [cell.font.name for row in sheet.iter_rows(max_row=rows) for cell in row
                    if isinstance(getattr(cell, "value", None), str) and cell.font is not None and cell.font.name]
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - a hint only: the content decides when fonts cannot be read
        return []


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _spread_merged(rows: list[list], merged) -> None:
    """Give a range merged down its value on every row it covers (in its first column only:
    a title merged across columns must not become the content of the next column too)."""
    for (top, left), (bottom, _right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            if left < len(rows[r]) and _blank(rows[r][left]):
                rows[r][left] = value
