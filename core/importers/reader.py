"""Reading an officer's spreadsheet (.xlsx, .xlsm, .xls) into plain rows of values.

python-calamine (a Rust reader) reads 100,000 rows in about two seconds, where
openpyxl takes half a minute. Values come as str, float, bool, datetime.date or
datetime.datetime; an empty cell is "". Row 0 is the sheet's row 1, so a problem
is reported on the row number Excel shows. Merged cells are given to every cell
merged down (a date merged down over three activities belongs to all three).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import python_calamine

from core.errors import FileProblem, UserError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
