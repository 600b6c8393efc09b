"""Vietnamese text: normalisation, search folding, collation, numbers and dates.

Rules (domain.md §6): all text is NFC; search ignores case and tone marks and
treats đ as d; numbers use "." for thousands and "," for decimals; dates are
dd/mm/yyyy and never month-first.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from core.errors import UserError

# --- normalisation and folding -------------------------------------------------


def nfc(value: str | None) -> str:
    """NFC-normalised, stripped text ('' for None)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


_NON_WORD = re.compile(r"[^0-9a-z]+")


class _CharTable(dict):
    """A str.translate table filled in as characters are met (each one worked out once)."""

    def __init__(self, rule, fixed: dict[int, str] | None = None):
        super().__init__(fixed or {})
        self._rule = rule

    def __missing__(self, code: int):
        value = self[code] = self._rule(chr(code))
        return value


# tone marks and other combining marks go, đ becomes d (it has no decomposition)
_FOLD = _CharTable(lambda ch: None if unicodedata.combining(ch) else ch, {ord("đ"): "d"})


def _fold_word(word: str) -> str:
    return _NON_WORD.sub(" ", unicodedata.normalize("NFD", word.lower()).translate(_FOLD)).strip()


_FOLDED: dict[str, str] = {}  # word -> folded: a log repeats a few thousand words
# Packages carry each activity's search text and sort key, marked with this number: bump it when
# ``fold`` or ``vi_sort_key`` change, and the keys of older packages are worked out again on receipt.
TEXT_KEYS_VERSION = 1


def fold(value: str | None) -> str:
    """Search form: lower case, no tone marks, đ -> d, words separated by one space.

    "Chuyển đổi SỐ" -> "chuyen doi so"; NFC and NFD input fold the same. Folding is
    per character, so a text folds as its words (each remembered) joined by spaces.
    """
    if not value:
        return ""
    return " ".join(filter(None, _per_word(str(value).split(), _FOLDED, _fold_word, str.lower)))


def _per_word(words: list[str], known: dict, work, plain) -> list:
    """``work`` of each word, remembered in ``known`` (bounded); plain ASCII letters and digits ("2025",
    "A3": too many to remember, nothing to fold) get ``plain`` instead."""
    found = list(map(known.get, words))
    if None in found:
        if len(known) >= 200_000:  # bounded: start afresh rather than grow
            known.clear()
        for index, word in enumerate(words):
            if found[index] is None:
                found[index] = plain(word) if word.isascii() and word.isalnum() else known.setdefault(word, work(word))
    return found


# --- collation -------------------------------------------------------------------

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Vowel modifiers stay part of the letter (ă, â, ê, ô, ơ, ư are letters of their own).
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}
# Dictionary order of tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def _collation(ch: str) -> tuple[str, str]:
    """(letter rank, tone rank) of one lower-case character."""
    parts = unicodedata.normalize("NFD", ch)
    base = parts[0]
    tone = "0"
    for mark in parts[1:]:
        if mark in _MODIFIERS:
            base += mark
        elif mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
    letter = unicodedata.normalize("NFC", base) if len(base) > 1 else base
    rank = _LETTER_RANK.get(letter)
    if rank is not None:
        return chr(0x41 + rank), tone  # "A".. : one byte, after digits and space
    if ch.isdigit() or ch.isspace():
        return (" " if ch.isspace() else ch), tone
    return chr(min(0x1000 + ord(ch), 0x10FFFF)), tone  # past letters and digits; never past Unicode


_LETTERS = _CharTable(lambda ch: _collation(ch)[0])
_TONES = _CharTable(lambda ch: _collation(ch)[1])


def vi_sort_key(value: str | None, *, length: int = 60) -> str:
    """A compact key that sorts Vietnamese text in dictionary order with plain comparison.

    Letters first by the Vietnamese alphabet (a < ă < â < b ... d < đ), ignoring
    case, then tones (ngang < huyền < hỏi < ngã < sắc < nặng). Only the first
    ``length`` characters count (keys are stored for every activity).
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value)[:length].lower()
    # per character, so per word: a space is " " among the letters and "0" among the tones
    found = _per_word(text.split(" "), _SORT_WORDS, _word_ranks, lambda word: (word.translate(_LETTERS), "0" * len(word)))
    letters, tones = zip(*found)
    return " ".join(letters) + "\x01" + "0".join(tones).rstrip("0")


_SORT_WORDS: dict[str, tuple[str, str]] = {}  # word -> (letter ranks, tone ranks)


def _word_ranks(word: str) -> tuple[str, str]:
    return word.translate(_LETTERS), word.translate(_TONES)


# --- numbers ---------------------------------------------------------------------

_GROUPED_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(,\d{3}){2,}$")
_GROUPED_SPACE = re.compile(r"^\d{1,3}( \d{3})+$")


def parse_number(text: str | int | float | None, *, label: str = "Giá trị") -> float | None:
    """Parse a Vietnamese-formatted number: "1.234.567,5" -> 1234567.5.

    Returns None for empty input; raises UserError naming ``label`` otherwise.
    """
    if text is None:
        return None
    if isinstance(text, (int, float)):
        if text != text or text in (float("inf"), float("-inf")):
            raise UserError(f"{label} phải là một số.")
        if text < 0:
            raise UserError(f"{label} không được là số âm.")
        return float(text)
    raw = nfc(text).replace("\u00a0", " ")
    raw = re.sub(r"\s*(đồng|đ|vnđ|vnd)\.?$", "", raw, flags=re.IGNORECASE).strip()
    if not raw:
        return None
    if raw.startswith("-"):
        raise UserError(f"{label} không được là số âm.")
    if _GROUPED_SPACE.match(raw):
        raw = raw.replace(" ", "")
    if "." in raw and "," in raw:
        if raw.rfind(",") > raw.rfind("."):  # 1.234,5
            raw = raw.replace(".", "").replace(",", ".")
        else:  # 1,234.5 (typed on an English keyboard layout)
            raw = raw.replace(",", "")
    elif "." in raw:
        if _GROUPED_DOT.match(raw):
            raw = raw.replace(".", "")
    elif "," in raw:
        raw = raw.replace(",", "") if _GROUPED_COMMA.match(raw) else raw.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", raw):
        raise UserError(f"{label} phải là một số, ví dụ 12 hoặc 1.500.000 (đang là “{nfc(text)}”).")
    return float(raw)


def parse_int(text: str | int | float | None, *, label: str = "Giá trị") -> int | None:
    """Parse a whole number ("1.500.000" -> 1500000); decimals are refused."""
    number = parse_number(text, label=label)
    if number is None:
        return None
    if number != int(number):
        raise UserError(f"{label} phải là số nguyên (đang là “{nfc(str(text))}”).")
    return int(number)


def parse_money(text: str | int | float | None, *, label: str = "Kinh phí") -> int | None:
    """Money in whole đồng: "1.500.000", "1500000", "1.500.000 đ" -> 1500000."""
    return parse_int(text, label=label)


def format_number(value: int | float | None) -> str:
    """1234567 -> "1.234.567"; 2.5 -> "2,5"; 2.999 -> "3"; None -> ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = round(value, 2)
        if not value.is_integer():
            whole, frac = f"{value:,.2f}".split(".")
            return whole.replace(",", ".") + "," + frac.rstrip("0")
    return f"{int(value):,}".replace(",", ".")


format_money = format_number

# --- dates -----------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str | dt.date | None, *, label: str = "Ngày") -> dt.date | None:
    """Parse "05/03/2025", "5/3/25", "05-03-2025", "05.03.2025" or "2025-03-05".

    Day comes first, always; returns None for empty input.
    """
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = nfc(text)
    if not raw:
        return None
    iso = _ISO.match(raw)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        dmy = _DMY.match(raw)
        if not dmy:
            raise UserError(f"{label} phải có dạng ngày/tháng/năm, ví dụ 05/03/2025 (đang là “{raw}”).")
        day, month, year = (int(g) for g in dmy.groups())
        if len(dmy.group(3)) == 2:
            year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise UserError(f"{label} “{raw}” không có trên lịch (ngày/tháng/năm).") from None


def format_date(value: dt.date | str | None) -> str:
    """date(2025, 3, 5) or "2025-03-05" -> "05/03/2025"."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_timestamp(value: str | None) -> str:
    """A stored UTC timestamp ("2025-06-25T08:30:00Z") in local time: "25/06/2025 15:30"."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone()
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year} {moment.hour:02d}:{moment.minute:02d}"
