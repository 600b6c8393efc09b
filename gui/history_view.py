"""An activity's history as the officer reads it: "23/11/2026 15:40 — Lê Thị Mai — Sửa: Số lượng 1 → 3"."""

from __future__ import annotations

import sqlite_utils

from core import history, taxonomy, units
from core.activities.model import FIELD_LABELS
from core.text import format_date, format_number, format_timestamp

_CODES = {"form_code": "form", "funding_code": "funding", "topics": "topic"}


def history_lines(db: sqlite_utils.Database, uuid: str) -> list[str]:
    """One line per change, newest first."""
    labels = {kind: taxonomy.labels(db, kind) for kind in set(_CODES.values())}
    unit_names = {u.id: u.name for u in units.all_units(db)}

    def shown(name: str, value) -> str:
        if value in (None, "", []):
            return "(trống)"
        if isinstance(value, list):
            return ", ".join(shown(name, v) for v in value) if name != "evidence" else ", ".join(value)
        if name in _CODES:
            return labels[_CODES[name]].get(value, value)
        if name == "unit_id":
            return unit_names.get(value, value)
        if name in ("date_from", "date_to"):
            return format_date(value)
        if isinstance(value, int):
            return format_number(value)
        text = str(value)
        return text if len(text) <= 60 else text[:59] + "…"

    lines = []
    for entry in reversed(history.of_subject(db, uuid)):
        who = f" — {entry.officer}" if entry.officer else ""
        parts = []
        for name, (old, new) in entry.changes.items():
            if name == "evidence":
                parts.append("Tệp minh chứng: " + "; ".join(
                    p for p in (f"bỏ {shown(name, old)}" if old else "", f"thêm {shown(name, new)}" if new else "") if p))  # fmt: skip
            elif entry.action == "create":
                continue  # the first values are the activity itself
            else:
                parts.append(f"{FIELD_LABELS.get(name, name)}: {shown(name, old)} → {shown(name, new)}")
        lines.append(f"{format_timestamp(entry.at)}{who} — {entry.label}" + (f": {'; '.join(parts)}" if parts else ""))
    return lines
