"""Vietnamese text rules (domain.md §6): NFC, search folding, collation, numbers, dates."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import UserError
from core.text import (
    fold,
    format_date,
    format_number,
    nfc,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    vi_sort_key,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# Text made of Vietnamese letters (upper and lower, with every tone), digits, spaces, punctuation.
VI_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
VI_ALPHABET = VI_LETTERS + VI_LETTERS.upper() + "0123456789 -,.;:!?/()“”\"'"
vi_text = st.text(alphabet=VI_ALPHABET, max_size=40)


# --- nfc -------------------------------------------------------------------------


def test_nfc_composes_and_strips():
    assert nfc(nfd("  Chuyển đổi số  ")) == "Chuyển đổi số"
    assert nfc(nfd("Chuyển đổi số")) == unicodedata.normalize("NFC", "Chuyển đổi số")
    assert nfc(None) == ""


# --- fold ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Đảng ủy", "dang uy"),
        ("DƯỢC", "duoc"),
        ("Chuyển đổi số", "chuyen doi so"),
        ("CHUYỂN ĐỔI SỐ", "chuyen doi so"),
        ("đ Đ", "d d"),
        ("Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10", "huong ung ngay chuyen doi so quoc gia 10 10"),
        ("Đề án 06 / định danh điện tử (VNeID)", "de an 06 dinh danh dien tu vneid"),
        ("  “Chuyển đổi số”, kinh tế số!!! ", "chuyen doi so kinh te so"),
        ("an-toàn...thông_tin", "an toan thong tin"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_nfc_and_nfd_input_fold_the_same():
    for word in ("Đảng ủy", "Chuyển đổi số", "DƯỢC", "Kỹ năng số", "Nguyễn Thị Hoa"):
        assert fold(nfd(word)) == fold(word) == fold(unicodedata.normalize("NFC", word))
        assert fold(nfd(word)).isascii()


@given(vi_text)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vi_text)
def test_fold_is_nfc_nfd_invariant(text):
    folded = fold(text)
    assert fold(nfd(text)) == folded
    assert fold(unicodedata.normalize("NFC", text)) == folded
    assert fold(unicodedata.normalize("NFKD", text)) == folded
    assert folded == folded.strip() and "  " not in folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in folded)
    assert folded == folded.lower()


# --- collation ---------------------------------------------------------------------


def vi_sorted(words):
    return sorted(words, key=vi_sort_key)


def test_alphabet_order_a_abreve_acircumflex_b():
    assert vi_sorted(["b", "â", "ă", "a"]) == ["a", "ă", "â", "b"]
    assert vi_sorted(["bâ", "bă", "ba", "c"]) == ["ba", "bă", "bâ", "c"]


def test_d_before_dstroke_before_e():
    assert vi_sorted(["e", "đa", "dz", "da"]) == ["da", "dz", "đa", "e"]
    assert vi_sorted(["Đông Hà", "Dương", "Ea Súp"]) == ["Dương", "Đông Hà", "Ea Súp"]


def test_other_vowel_letters():
    assert vi_sorted(["f", "ê", "e"]) == ["e", "ê", "f"]
    assert vi_sorted(["p", "ơ", "ô", "o"]) == ["o", "ô", "ơ", "p"]
    assert vi_sorted(["v", "ư", "u"]) == ["u", "ư", "v"]


def test_tone_order_ngang_huyen_hoi_nga_sac_nang():
    expected = ["ba", "bà", "bả", "bã", "bá", "bạ"]
    assert vi_sorted(list(reversed(expected))) == expected
    assert vi_sorted(["bạ", "bá", "bã", "bả", "bà", "ba"]) == expected


def test_letters_before_tones():
    # Tone marks only decide between words with the same letters.
    assert vi_sorted(["bạc", "bác", "bàn", "ban"]) == ["bác", "bạc", "ban", "bàn"]
    assert vi_sorted(["Hải Lăng", "Hà", "Hai", "Ha"]) == ["Ha", "Hà", "Hai", "Hải Lăng"]


def test_prefix_sorts_first():
    assert vi_sorted(["An Bình", "An", "Anh"]) == ["An", "An Bình", "Anh"]


def test_sort_ignores_case_for_letters():
    assert vi_sorted(["b", "A", "C"]) == ["A", "b", "C"]
    assert vi_sorted(["Đa", "e", "da"]) == ["da", "Đa", "e"]


def test_nfd_input_sorts_like_nfc():
    words = ["bạ", "bá", "bã", "bả", "bà", "ba", "Đông Hà", "Dương", "ấp", "ắt", "ăn", "ân", "an"]
    for word in words:
        assert vi_sort_key(nfd(word)) == vi_sort_key(word)
    assert [nfc(w) for w in vi_sorted([nfd(w) for w in words])] == vi_sorted(words)


@given(vi_text)
def test_sort_key_nfd_invariant_property(text):
    assert vi_sort_key(nfd(text)) == vi_sort_key(unicodedata.normalize("NFC", text))


def test_sort_key_of_empty():
    assert vi_sort_key("") == ""
    assert vi_sort_key(None) == ""
    assert vi_sorted(["a", ""]) == ["", "a"]


# --- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.500.000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1\u00a0500\u00a0000", 1_500_000),
        ("1.500.000 đ", 1_500_000),
        ("1.500.000đ", 1_500_000),
        ("1.500.000 đồng", 1_500_000),
        ("1.500.000 VNĐ", 1_500_000),
        ("1500000", 1_500_000),
        ("  42 ", 42),
        ("0", 0),
    ],
)
def test_parse_int_accepts_vietnamese_formats(text, expected):
    assert parse_int(text) == expected
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.234.567,5", 1_234_567.5),
        ("2,5", 2.5),
        ("0,25", 0.25),
        ("1.500.000", 1_500_000.0),
        ("12", 12.0),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [None, "", "   ", "đ"])
def test_empty_number_is_none(text):
    assert parse_number(text) is None
    assert parse_int(text) is None


@pytest.mark.parametrize("text", ["abc", "12a", "1..5", "1,2,3", "1.5.", "năm", "5-"])
def test_parse_number_refuses_text(text):
    with pytest.raises(UserError) as info:
        parse_number(text, label="Số lượng")
    assert "Số lượng" in info.value.message
    assert "phải là một số" in info.value.message


def test_parse_number_refuses_negative():
    with pytest.raises(UserError) as info:
        parse_number("-5", label="Số lượng")
    assert "âm" in info.value.message and "Số lượng" in info.value.message
    with pytest.raises(UserError):
        parse_int("-1.500.000")


def test_parse_number_refuses_negative_python_numbers():
    """Values may arrive already typed (spin boxes, spreadsheets): a negative is still refused."""
    with pytest.raises(UserError):
        parse_int(-5, label="Số lượng")
    with pytest.raises(UserError):
        parse_number(-2.5, label="Số lượng")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_parse_int_refuses_non_finite_python_numbers(value):
    with pytest.raises(UserError):
        parse_int(value, label="Số lượng")


def test_money_must_be_whole():
    with pytest.raises(UserError) as info:
        parse_money("1,5")
    assert "Kinh phí" in info.value.message and "số nguyên" in info.value.message
    with pytest.raises(UserError):
        parse_int("2,5", label="Số lượng")
    assert parse_money("1.500.000,0") == 1_500_000


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1_234_567, "1.234.567"),
        (1_500_000.0, "1.500.000"),
        (2.5, "2,5"),
        (1234.5, "1.234,5"),
        (0.25, "0,25"),
        (None, ""),
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize("value, expected", [(2.999, "3"), (1.001, "1"), (9999.999, "10.000")])
def test_format_number_rounding_to_whole_has_no_dangling_comma(value, expected):
    assert format_number(value) == expected


@given(st.integers(min_value=0, max_value=10**15))
def test_format_number_parse_int_round_trip(value):
    text = format_number(value)
    assert parse_int(text) == value
    assert parse_money(text + " đ") == value


@given(st.floats(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False))
def test_format_number_of_floats_parses_back_close(value):
    text = format_number(value)
    assert not text.endswith(",")
    assert parse_number(text) == pytest.approx(value, abs=0.006)


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["05/03/2025", "5/3/2025", "5/3/25", "05-03-2025", "05.03.2025", "2025-03-05", " 05/03/2025 "],
)
def test_parse_date_day_first(text):
    assert parse_date(text) == dt.date(2025, 3, 5)


def test_parse_date_passes_dates_through():
    assert parse_date(dt.date(2025, 3, 5)) == dt.date(2025, 3, 5)
    assert parse_date(dt.datetime(2025, 3, 5, 14, 30)) == dt.date(2025, 3, 5)
    assert parse_date(None) is None
    assert parse_date("") is None


@pytest.mark.parametrize("text", ["13/25/2025", "12/31/2025", "31/02/2025", "29/02/2025", "00/01/2025", "32/01/2025"])
def test_parse_date_refuses_impossible_or_month_first(text):
    with pytest.raises(UserError) as info:
        parse_date(text, label="Ngày thực hiện")
    assert "Ngày thực hiện" in info.value.message
    assert "không có trên lịch" in info.value.message


def test_parse_date_leap_day():
    assert parse_date("29/02/2024") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["hôm nay", "2025/03/05", "05/03", "5 tháng 3 2025", "05/03/202"])
def test_parse_date_refuses_other_shapes(text):
    with pytest.raises(UserError) as info:
        parse_date(text)
    assert "ngày/tháng/năm" in info.value.message


def test_format_date():
    assert format_date(dt.date(2025, 3, 5)) == "05/03/2025"
    assert format_date(dt.date(2025, 12, 31)) == "31/12/2025"
    assert format_date("2025-01-09") == "09/01/2025"
    assert format_date("2025-01-09T10:00:00Z") == "09/01/2025"
    assert format_date(None) == ""


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_format_date_parse_date_round_trip(value):
    text = format_date(value)
    assert len(text) == 10 and text[2] == "/" and text[5] == "/"
    assert parse_date(text) == value


def test_format_timestamp_is_local_dd_mm_yyyy(monkeypatch):
    import time

    from core.text import format_timestamp

    monkeypatch.setenv("TZ", "ICT-7")  # POSIX form: needs no tzdata
    time.tzset()
    try:
        assert format_timestamp("2025-06-25T08:30:00Z") == "25/06/2025 15:30"
        assert format_timestamp(None) == ""
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# --- hostile input: a value or a Vietnamese UserError, never anything else -------------------------

from hypothesis import settings as _hypothesis_settings  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

_typed = _st.one_of(
    _st.text(max_size=40), _st.text(alphabet="0123456789.,/- đồngvnđĐ\u00a0", max_size=25),
    _st.floats(allow_nan=True, allow_infinity=True), _st.integers(-(10**30), 10**30), _st.none(),
)  # fmt: skip


@_hypothesis_settings(max_examples=500, deadline=None)
@given(_typed)
def test_any_number_input_ends_in_a_number_or_a_vietnamese_error(value):
    from core.errors import UserError
    from core.text import parse_int, parse_number

    for parse in (parse_number, parse_int):
        try:
            result = parse(value, label="Số lượng")
        except UserError as exc:
            assert "Số lượng" in exc.message
            continue
        assert result is None or (result >= 0 and result == result)


@_hypothesis_settings(max_examples=500, deadline=None)
@given(_st.one_of(_st.text(max_size=30), _st.text(alphabet="0123456789/-. ", max_size=14), _st.none(),
                  _st.dates()))  # fmt: skip
def test_any_date_input_ends_in_a_date_or_a_vietnamese_error(value):
    import datetime as dt

    from core.errors import UserError
    from core.text import parse_date

    try:
        result = parse_date(value, label="Ngày")
    except UserError as exc:
        assert "Ngày" in exc.message or "ngày" in exc.message
        return
    assert result is None or isinstance(result, dt.date)
