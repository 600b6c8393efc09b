"""Who has reported: the units below mine for one period — sent, late or missing ("Chưa nộp")."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from core.package.status import LATE, MISSING, UnitStatus
from core.text import format_date, format_number, format_timestamp

COLORS = {MISSING: "#b00020", LATE: "#b86e00"}


def summary(period_label: str, due: dt.date, statuses: list[UnitStatus]) -> str:
    sent = sum(1 for s in statuses if s.state != MISSING)
    return (f"Đơn vị trực thuộc đã nộp dữ liệu {period_label}: {format_number(sent)}/{format_number(len(statuses))}"
            f" (hạn {format_date(due)})")  # fmt: skip


def fill(widget: QListWidget, statuses: list[UnitStatus]) -> None:
    """One line per unit: "Xã Hải Phú — Đã nộp lúc 23/11/2026 22:09", missing ones in red."""
    widget.clear()
    for status in sorted(statuses, key=lambda s: (s.state != MISSING, s.state != LATE, s.unit.name)):
        text = f"{status.unit.name} — {status.label}"
        if status.received_at:
            text += f" lúc {format_timestamp(status.received_at)}"
        if status.report_status == "final":
            text += " · báo cáo đã chốt"
        item = QListWidgetItem(text)
        if status.state in COLORS:
            item.setForeground(QColor(COLORS[status.state]))
        if status.file_name:
            item.setToolTip(f"Gói dữ liệu: {status.file_name}")
        widget.addItem(item)
