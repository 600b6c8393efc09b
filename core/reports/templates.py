"""The Word template in use: the built-in one, or a province's own loaded by the officer.

A loaded template is copied into the data folder (so it travels with backups of that
folder) only after it renders the sample report without a problem.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from core import settings
from core.activities.evidence import db_file
from core.errors import FileProblem, UserError
from core.files import copy_atomically
from core.reports import word

SETTING = "report_template"


def custom_template_path(db: sqlite_utils.Database) -> Path:
    return db_file(db).resolve().parent / "mau" / "bao_cao.docx"


def active_template(db: sqlite_utils.Database) -> Path:
    """The officer's template if one was loaded (and is still there), else the built-in one."""
    if settings.get(db, SETTING) and custom_template_path(db).exists():
        return custom_template_path(db)
    return word.BUILTIN_TEMPLATE


def install_template(db: sqlite_utils.Database, source: Path) -> Path:
    """Check ``source`` and make it the template in use; raises UserError listing its problems."""
    source = Path(source)
    if source.suffix.lower() != ".docx" or not source.is_file():
        raise UserError(f"“{source.name}” không phải tệp Word .docx; hãy lưu mẫu dưới dạng .docx.")
    problems = word.check_template(source)
    if problems:
        raise UserError("Mẫu chưa dùng được:\n" + "\n".join(f"- {p}" for p in problems))
    target = custom_template_path(db)
    try:
        copy_atomically(source, target)
    except OSError as exc:
        raise FileProblem(f"Không chép được mẫu vào thư mục dữ liệu: {exc.strerror or exc}.") from exc
    settings.put(db, SETTING, True)
    return target


def reset_template(db: sqlite_utils.Database) -> None:
    """Go back to the built-in template (the loaded copy is kept on disk, unused)."""
    settings.put(db, SETTING, False)


def export_template(db: sqlite_utils.Database, target: Path) -> Path:
    """Save the template in use where the officer can open it in Word and change it."""
    try:
        copy_atomically(active_template(db), Path(target))
    except OSError as exc:
        raise FileProblem(f"Không ghi được “{Path(target).name}”: tệp đang mở hoặc thư mục không ghi được.") from exc
    return Path(target)
