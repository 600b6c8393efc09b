"""The taxonomy: forms (with their counted units), topics, channels, funding sources.

Codes are stable; labels are what the officer sees and may edit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from core.errors import NotFoundError, ValidationError
from core.text import nfc

KINDS = ("form", "topic", "channel", "funding")


@dataclass(frozen=True)
class Term:
    kind: str
    code: str
    label: str
    counted_unit: str = ""
    extra_label: str = ""


def terms(db: sqlite_utils.Database, kind: str) -> list[Term]:
    rows = db.execute(
        "SELECT kind, code, label, counted_unit, extra_label FROM taxonomy"
        " WHERE kind = ? ORDER BY sort_order, code",
        [kind],
    ).fetchall()
    return [Term(*row) for row in rows]


def labels(db: sqlite_utils.Database, kind: str) -> dict[str, str]:
    return {term.code: term.label for term in terms(db, kind)}


def rename(db: sqlite_utils.Database, kind: str, code: str, label: str) -> Term:
    """Change the label the officer sees; the code stays."""
    label = nfc(label)
    if not label:
        raise ValidationError({"label": "Tên hiển thị không được để trống."})
    with db.atomic():
        cursor = db.execute(
            "UPDATE taxonomy SET label = ? WHERE kind = ? AND code = ?", [label, kind, code]
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"Không tìm thấy mục “{code}” trong danh mục.")
    return next(term for term in terms(db, kind) if term.code == code)


def reset_label(db: sqlite_utils.Database, kind: str, code: str) -> None:
    with db.atomic():
        db.execute(
            "UPDATE taxonomy SET label = default_label WHERE kind = ? AND code = ?", [kind, code]
        )


def set_counted_unit(db: sqlite_utils.Database, code: str, counted_unit: str) -> None:
    """Change what a form is counted in ("tin, bài", "buổi"...)."""
    counted_unit = nfc(counted_unit)
    if not counted_unit:
        raise ValidationError({"counted_unit": "Đơn vị tính không được để trống."})
    with db.atomic():
        db.execute(
            "UPDATE taxonomy SET counted_unit = ? WHERE kind = 'form' AND code = ?", [counted_unit, code]
        )
