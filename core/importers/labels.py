"""Matching the words officers typed ("Đăng Facebook", "NS xã", "UBND xã Hải Phú") to codes.

A label matches a code when its folded text equals the code's label, one of its
synonyms, or the code itself; otherwise when it contains a keyword of exactly one
code ("Tin đăng trên Zalo xã" -> mxh). Several codes -> ambiguous, the officer
chooses; none -> unknown, the officer chooses or fixes the sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlite_utils

from core.text import fold

# folded keywords -> code, per kind: the words old sheets use for the taxonomy's items
KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "form": {
        "mxh": ("mang xa hoi", "facebook", "zalo", "youtube", "tiktok", "fanpage", "mxh"),
        "tin_bai": ("tin bai", "cong thong tin", "trang thong tin", "bai viet", "dang tin", "bao chi"),
        "video": ("video", "clip", "phong su", "infographic"),
        "phat_thanh": ("phat thanh", "truyen thanh", "loa", "dai truyen thanh"),
        "truyen_hinh": ("truyen hinh", "toa dam", "doi thoai"),
        "chuyen_muc": ("chuyen muc", "chuyen trang"),
        "an_pham": ("an pham", "to roi", "to gap", "so tay", "tai lieu"),
        "pano": ("pano", "ap phich", "bang ron", "khau hieu", "bang zon"),
        "bang_dien_tu": ("bang tin dien tu", "man hinh led", "bang led"),
        "hoi_nghi": ("hoi nghi", "hoi thao", "su kien", "le phat dong", "ngay chuyen doi so"),
        "tap_huan": ("tap huan", "boi duong", "lop hoc", "dao tao"),
        "cuoc_thi": ("cuoc thi", "thi truc tuyen", "trac nghiem"),
        "truc_tiep": ("truc tiep", "huong dan", "to cong nghe so", "cong dong", "tuyen truyen mieng"),
        "khen_thuong": ("khen thuong", "tuyen duong"),
    },
    "topic": {
        "chinh_quyen_so": ("chinh quyen so", "chinh phu so"),
        "kinh_te_so": ("kinh te so", "thuong mai dien tu"),
        "xa_hoi_so": ("xa hoi so", "cong dan so"),
        "an_toan_thong_tin": ("an toan thong tin", "an ninh mang", "attt", "lua dao"),
        "dich_vu_cong": ("dich vu cong", "dvc"),
        "de_an_06": ("de an 06", "vneid", "dinh danh", "can cuoc"),
        "thanh_toan_so": ("khong dung tien mat", "thanh toan", "qr"),
        "ky_nang_so": ("ky nang so",),
    },
    "funding": {
        "ns_tinh": ("ngan sach tinh", "ns tinh"),
        "ns_huyen": ("ngan sach huyen", "ns huyen"),
        "ns_xa": ("ngan sach xa", "ns xa"),
        "xa_hoi_hoa": ("xa hoi hoa", "xhh", "tai tro"),
    },
}
_UNIT_PREFIXES = re.compile(r"^(ubnd|uy ban nhan dan|dang uy|co quan)\s+")


@dataclass
class Match:
    code: str | None  # the code, when there is exactly one
    candidates: list[str] = field(default_factory=list)  # several possible codes: ambiguous


class LabelMatcher:
    """Folded label -> code for one kind ("form", "topic", "funding", or "unit" with unit ids)."""

    def __init__(self, labels: dict[str, str], keywords: dict[str, tuple[str, ...]] | None = None,
                 strip_prefixes: re.Pattern | None = None):  # fmt: skip
        self.labels = labels  # code -> label
        self._strip = strip_prefixes
        self._exact: dict[str, set[str]] = {}
        for code, label in labels.items():
            for text in (label, code):
                self._exact.setdefault(self._key(text), set()).add(code)
        self._keywords = [(word, code) for code, words in (keywords or {}).items() if code in labels
                          for word in words]  # fmt: skip
        self._cache: dict[str, Match] = {}

    def _key(self, text: str) -> str:
        folded = fold(text)
        return self._strip.sub("", folded) if self._strip else folded

    def match(self, text) -> Match:
        key = self._key(str(text))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._find(key)
        return found

    def _find(self, key: str) -> Match:
        if not key:
            return Match(None)
        exact = self._exact.get(key, set())
        if len(exact) == 1:
            return Match(next(iter(exact)))
        if exact:
            return Match(None, sorted(exact))
        padded = f" {key} "
        hits = sorted({code for word, code in self._keywords if f" {word} " in padded})
        if not hits:  # a label written in part: "Hội nghị, hội thảo" for "Hội nghị, hội thảo, sự kiện"
            hits = sorted({code for text, codes in self._exact.items() if len(key) >= 6
                           and (text.startswith(key) or key.startswith(text)) for code in codes})  # fmt: skip
        return Match(hits[0]) if len(hits) == 1 else Match(None, hits)


def matchers(db: sqlite_utils.Database) -> dict[str, LabelMatcher]:
    """A matcher per field that holds a code: form, topics, funding, unit."""
    def taxonomy(kind: str) -> dict[str, str]:
        return dict(db.execute("SELECT code, label FROM taxonomy WHERE kind = ? ORDER BY sort_order", [kind]).fetchall())

    units = dict(db.execute("SELECT id, name FROM units ORDER BY sort_key").fetchall())
    return {
        "form": LabelMatcher(taxonomy("form"), KEYWORDS["form"]),
        "topics": LabelMatcher(taxonomy("topic"), KEYWORDS["topic"]),
        "funding": LabelMatcher(taxonomy("funding"), KEYWORDS["funding"]),
        "unit": LabelMatcher(units, strip_prefixes=_UNIT_PREFIXES),
    }
