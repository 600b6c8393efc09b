"""Time ranges the officer filters and reports by (calendar presets for now).

Report periods with the NĐ 09/2019 cut-off rules come with the report issue;
these are the plain calendar ranges the log's filter offers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    label: str
    start: dt.date | None
    end: dt.date | None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def calendar_presets(today: dt.date) -> list[Range]:
    """The ranges offered in the log's period filter, most used first."""
    y, m = today.year, today.month
    q_first = 3 * ((m - 1) // 3) + 1
    return [
        Range("Mọi thời gian", None, None),
        Range(f"Tháng {m:02d}/{y}", dt.date(y, m, 1), _month_end(y, m)),
        Range(f"Quý {(m - 1) // 3 + 1}/{y}", dt.date(y, q_first, 1), _month_end(y, q_first + 2)),
        Range(f"6 tháng đầu năm {y}", dt.date(y, 1, 1), dt.date(y, 6, 30)),
        Range(f"6 tháng cuối năm {y}", dt.date(y, 7, 1), dt.date(y, 12, 31)),
        Range(f"Năm {y}", dt.date(y, 1, 1), dt.date(y, 12, 31)),
        Range(f"Năm {y - 1}", dt.date(y - 1, 1, 1), dt.date(y - 1, 12, 31)),
    ]
