"""Legacy Vietnamese text (TCVN3 / VNI-Windows) in old Excel files, converted to Unicode.

A sheet typed with a ``.VnTime`` (TCVN3, "ABC") or ``VNI-Times`` font stores the
font's 8-bit codes, which read back as Latin-1 gibberish: "Héi nghÞ" (TCVN3) or
"Hoäi nghò" (VNI) for "Hội nghị". The conversion tables are viparse's; this module
only decides which one applies to a sheet and applies it fast.

Detection looks at words, not characters. A word counts for an encoding when it is
not a Vietnamese syllable as it stands ("Héi", "Ngaân") and becomes one when
converted ("Hội", "Ngân"). Genuine Unicode Vietnamese is made of syllables, so it
never counts for a legacy encoding; a cell holding a letter no legacy file can
contain (ư, ơ, đ, ạ…ỹ, combining marks) counts for Unicode outright.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from viparse.normalize.detector import detect_encoding
from viparse.normalize.tables import Charmap, build_charmap, convert
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

TCVN3_NAME = TCVN3.name  # "tcvn3"
VNI_NAME = VNI.name  # "vni"
# viparse leaves out VNI's ẳ (a + "ú", the hook mark of the ă row: aé ắ, aè ằ, aü ẵ, aë ặ)
# because its corpus never showed one; "chẳng", "thẳng", "hẳn" are common words.
_VNI_MISSING = [pair for pair in (("aú", "ẳ"), ("AÚ", "Ẳ")) if pair[0] not in dict(VNI.pairs)]
_CHARMAPS: dict[str, Charmap] = {TCVN3_NAME: TCVN3, VNI_NAME: build_charmap(VNI_NAME, [*VNI.pairs, *_VNI_MISSING])}

# Letters only Unicode text has: Latin Extended-A/B Vietnamese letters, the ạ…ỹ block and
# combining marks (NFD). Legacy text read from Excel is Latin-1/CP1252 and has none of them.
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300-\u036f]")

# --- conversion: viparse's tables, word by word, remembered -----------------------------
# viparse's convert() scans in Python (9-16 µs for a 12-word cell). No legacy sequence
# spans a space, so a cell converts as its space-separated words, and a sheet repeats
# few distinct words: each is converted once.


class _Converted(dict):
    """word -> convert(word, charmap), filled on first use, emptied when it grows large."""

    def __init__(self, charmap: Charmap):
        super().__init__()
        self.charmap = charmap

    def __missing__(self, word: str) -> str:
        if len(self) >= 100_000:
            self.clear()
        result = self[word] = convert(word, self.charmap)
        return result


_CONVERTED = {name: _Converted(charmap) for name, charmap in _CHARMAPS.items()}


def _convert(text: str, encoding: str) -> str:
    """``text`` as viparse's ``convert(text, charmap)`` returns it (NFC)."""
    return " ".join(map(_CONVERTED[encoding].__getitem__, text.split(" ")))


# a word: letters and legacy codes ("Ng©n" is one word, though "©" is not a letter)
_LEGACY_CHARS = {ch for charmap in _CHARMAPS.values() for legacy, _ in charmap.pairs for ch in legacy}
_WORD = re.compile(f"(?:[^\\W\\d_]|[{re.escape(''.join(sorted(_LEGACY_CHARS)))}])+")
_TCVN3_CHARS = frozenset(ch for legacy, _ in TCVN3.pairs for ch in legacy)
_LOWER, _UPPER, _PLAIN = re.compile("[a-z]"), re.compile("[A-Z]"), re.compile("[A-Za-z]")

# --- what a Vietnamese syllable looks like ------------------------------------------------
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_TONE_OF = {unicodedata.normalize("NFC", base + tone): tone for base in "aăâeêioôơuưy" for tone in _TONES}
_TONELESS = {
    ord(toned): unicodedata.normalize("NFC", unicodedata.normalize("NFD", toned).replace(tone, ""))
    for toned, tone in _TONE_OF.items()
}
_INITIALS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu", *"bcdđghklmnprstvx", "")
_FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")
_NO_FINAL = set(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu".split()
)
_NEEDS_FINAL = set("ă â iê yê uô ươ uyê oă uâ oo".split())
_NUCLEI = _NO_FINAL | _NEEDS_FINAL | set("a e ê i o ô ơ u ư y oa oe uê uy".split())
_BEFORE_CH_NH = set("a ê i y oa uê uy".split())  # anh ách ênh ếch inh ích uynh oanh


def _fits(nucleus: str, final: str, tone: str) -> bool:
    """Whether a nucleus, final and tone go together (the strict check)."""
    if not final:
        return nucleus not in _NEEDS_FINAL
    if nucleus in _NO_FINAL:
        return False
    if final in ("ch", "nh") and nucleus not in _BEFORE_CH_NH:
        return False
    if final in ("ng", "c") and nucleus[-1] in "iy":  # "inh", never "ing"
        return False
    return final not in ("c", "ch", "p", "t") or tone in ("\u0301", "\u0323")  # sắc or nặng only


@lru_cache(maxsize=16384)
def _syllable(word: str) -> int:
    """0: not a Vietnamese syllable; 1: its shape (initial, vowels, final); 2: a well-formed one."""
    lower = word.lower()
    tones = [_TONE_OF[ch] for ch in lower if ch in _TONE_OF]
    if len(tones) > 1:
        return 0
    toneless = lower.translate(_TONELESS)
    shape = 0
    for initial in _INITIALS:
        if not toneless.startswith(initial):
            continue
        rest = toneless[len(initial):]
        for final in _FINALS:
            if rest.endswith(final) and (nucleus := rest[: len(rest) - len(final)]) in _NUCLEI:
                if _fits(nucleus, final, tones[0] if tones else ""):
                    return 2
                shape = 1
    return shape


@lru_cache(maxsize=16384)
def _word_vote(word: str) -> str | None:
    """The encoding one word speaks for ("unicode", "tcvn3", "vni") or None.

    Lenient about the word as it stands (a typo in Unicode text must not count as
    legacy), strict about what a conversion makes of it.
    """
    converted = [name for name in _CHARMAPS if (text := _convert(word, name)) != word and _syllable(text) == 2]
    if _syllable(word):
        return None if converted else "unicode"
    # a legacy word has a plain letter besides its codes: "×" in "60×90 cm" is not "ì"
    if len(converted) == 1 and _PLAIN.search(word):
        return converted[0]
    return None


def _cell_vote(text: str) -> str | None:
    if text.isascii():
        return None
    if _UNICODE_ONLY.search(text):
        return "unicode"
    counts = Counter(_word_vote(word) for word in _WORD.findall(text) if not word.isascii())
    counts.pop(None, None)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# --- public ---------------------------------------------------------------------------

ENOUGH_VOTES = 1000  # cells that voted; beyond this a sheet's verdict no longer changes


def encoding_of_font(font_name: str | None) -> str | None:
    """ "tcvn3" for a ``.Vn…`` font (".VnTime", ".VnTimeH", ".VnArial"…), "vni" for ``VNI-…``, else None."""
    return detect_encoding([font_name.strip() if font_name else None]).encoding


def detect(texts: Iterable[str]) -> str | None:
    """The legacy encoding of a sheet's text cells: "tcvn3", "vni", or None (Unicode).

    Each cell votes for Unicode, TCVN3, VNI or nothing (numbers, dates, ASCII, one
    ambiguous word); a legacy encoding wins only with more votes than Unicode and the
    other legacy encoding together. Non-text items are skipped; counting stops after
    ENOUGH_VOTES voting cells.
    """
    votes = {"unicode": 0, TCVN3_NAME: 0, VNI_NAME: 0}
    voted = 0
    for text in texts:
        if not isinstance(text, str) or (vote := _cell_vote(text)) is None:
            continue
        votes[vote] += 1
        voted += 1
        if voted >= ENOUGH_VOTES:
            break
    best = max((TCVN3_NAME, VNI_NAME), key=votes.__getitem__)
    return best if votes[best] > voted - votes[best] else None


def undecided(texts: Iterable[str]) -> bool:
    """Whether some cell could be legacy text but reads as nothing for sure ("Sè": "số" in TCVN3, or a word)."""
    return any(isinstance(t, str) and not t.isascii() and _cell_vote(t) != "unicode" for t in texts)


def _all_caps(text: str) -> bool:
    """TCVN3 has no upper-case toned letters: ".VnTimeH" draws "TæNG CéNG" as "TỔNG CỘNG".

    A cell with no lower-case plain letter and a word holding a TCVN3 code and at
    least two (upper-case) plain letters was typed in capitals. "VÝ Dô" ("Ví Dụ" in
    .VnTime) is not; it stays as it is.
    """
    if _LOWER.search(text):
        return False
    return any(len(_UPPER.findall(word)) >= 2 and not _TCVN3_CHARS.isdisjoint(word) for word in _WORD.findall(text))


def to_unicode(text: str, encoding: str | None) -> str:
    """``text`` converted from ``encoding`` ("tcvn3", "vni" or None) to NFC Unicode.

    A cell that already holds letters only Unicode has (typed later into an old
    sheet) is left as it is, only normalised. A TCVN3 cell typed in capitals comes
    back in capitals (see _all_caps). Raises ValueError for an unknown encoding.
    """
    if encoding is not None and encoding not in _CHARMAPS:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    if text.isascii():
        return text
    if encoding is None or _UNICODE_ONLY.search(text):
        return unicodedata.normalize("NFC", text)
    converted = _convert(text, encoding)
    if encoding == TCVN3_NAME and _all_caps(text):
        converted = unicodedata.normalize("NFC", converted.upper())
    return converted


__all__ = ["ENOUGH_VOTES", "TCVN3_NAME", "VNI_NAME", "detect", "encoding_of_font", "to_unicode"]
