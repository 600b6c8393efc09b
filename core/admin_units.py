"""The official list of provinces and communes (2025 structure, 34 + 3,321 units).

Data from the ``vietnam-provinces`` package; the official code becomes the
unit's identity, so data from different laptops agree on who is who.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from core.text import fold, vi_sort_key


@dataclass(frozen=True)
class AdminUnit:
    code: str  # official code: 2 digits for a province, 5 for a commune
    name: str  # "Xã Hải Lăng", "Tỉnh Quảng Trị"
    level: str  # "tinh" or "xa"
    province_code: str

    @property
    def unit_id(self) -> str:
        return f"{self.level}-{self.code}"


@lru_cache(maxsize=1)
def _data() -> list[dict]:
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    with open(NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def provinces() -> list[AdminUnit]:
    items = [AdminUnit(f"{p['code']:02d}", p["name"], "tinh", f"{p['code']:02d}") for p in _data()]
    return sorted(items, key=lambda u: vi_sort_key(u.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")))


def communes(province_code: str) -> list[AdminUnit]:
    for p in _data():
        if f"{p['code']:02d}" == province_code:
            items = [AdminUnit(f"{w['code']:05d}", w["name"], "xa", province_code) for w in p["wards"]]
            return sorted(items, key=lambda u: vi_sort_key(u.name))
    return []


def find_communes(text: str, province_code: str | None = None, limit: int = 50) -> list[AdminUnit]:
    """Communes whose folded name contains the folded ``text`` ("hai lang" finds Hải Lăng)."""
    wanted = fold(text)
    pool = communes(province_code) if province_code else [
        c for p in provinces() for c in communes(p.code)
    ]  # fmt: skip
    return [c for c in pool if wanted in fold(c.name)][:limit]
