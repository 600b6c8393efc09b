"""Legacy TCVN3 / VNI text in old Excel files: detecting a sheet's encoding and converting it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from viparse.normalize.tables import convert
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

from core.importers import legacy_text
from core.importers.legacy_text import detect, encoding_of_font, to_unicode

# (unicode, TCVN3 as read from a .VnTime sheet, VNI as read from a VNI-Times sheet)
SAMPLES = [
    ("Tuyên truyền chuyển đổi số", "Tuyªn truyÒn chuyÓn ®æi sè", "Tuyeân truyeàn chuyeån ñoåi soá"),
    ("Hội nghị", "Héi nghÞ", "Hoäi nghò"),
    ("Ngân sách xã", "Ng©n s¸ch x·", "Ngaân saùch xaõ"),
    ("Đăng tin trên Facebook", "§¨ng tin trªn Facebook", "Ñaêng tin treân Facebook"),
    ("Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng", "TËp huÊn kü n¨ng sè cho Tæ c«ng nghÖ sè céng ®ång",
     "Taäp huaán kyõ naêng soá cho Toå coâng ngheä soá coäng ñoàng"),  # fmt: skip
    ("Đài truyền thanh xã Hải Phú", "§µi truyÒn thanh x· H¶i Phó", "Ñaøi truyeàn thanh xaõ Haûi Phuù"),
]
UNICODE_CELLS = [
    "Tuyên truyền chuyển đổi số", "Hội nghị", "Ngân sách xã", "Đăng tin trên Facebook", "Zalo", "TikTok",
    "12", "1.500.000", "15/03/2025", "2025-03-15", "https://ten-xa.gov.vn/tin-tuc", "Tổng cộng", "", "   ",
    "Ngân sách", "sách", "công an", "Tuyên", "Pano 60×90 cm", "© 2024", "«Ngày hội»", "TUYÊN TRUYỀN",
]  # fmt: skip


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), SAMPLES)
def test_each_legacy_sample_converts_back_to_its_unicode(unicode, tcvn3, vni):
    assert to_unicode(tcvn3, "tcvn3") == unicode
    assert to_unicode(vni, "vni") == unicode
    # and the tables themselves agree: the samples are what viparse's tables say
    assert convert(tcvn3, TCVN3) == unicode
    assert convert(vni, VNI) == unicode


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), SAMPLES)
def test_a_single_legacy_cell_is_detected(unicode, tcvn3, vni):
    assert detect([tcvn3]) == "tcvn3"
    assert detect([vni]) == "vni"
    assert detect([unicode]) is None


def test_genuine_unicode_is_never_legacy():
    for cell in UNICODE_CELLS:
        assert detect([cell]) is None, cell
    assert detect(UNICODE_CELLS) is None
    assert detect([unicodedata.normalize("NFD", cell) for cell in UNICODE_CELLS]) is None


def test_whole_legacy_sheets_are_detected():
    numbers_and_dates = ["15/03/2025", "1500000", "Zalo", "", "2"]
    assert detect([tcvn3 for _, tcvn3, _ in SAMPLES] + numbers_and_dates) == "tcvn3"
    assert detect([vni for _, _, vni in SAMPLES] + numbers_and_dates) == "vni"


def test_a_mostly_unicode_sheet_with_one_odd_cell_stays_unicode():
    cells = [unicode for unicode, _, _ in SAMPLES] + ["Zalo", "12/03/2025"]
    assert detect(cells + ["Héi nghÞ"]) is None
    assert detect(cells + ["Hoäi nghò"]) is None
    assert detect(["Hội nghị", "Héi nghÞ"]) is None  # a tie is not a verdict: text stays as it is


def test_empty_and_non_text_input():
    assert detect([]) is None
    assert detect(iter(())) is None
    assert detect(["", " ", "123", "01/02/2025"]) is None
    assert detect([None, 12, 3.5, "Héi nghÞ"]) == "tcvn3"  # non-text cells are skipped
    assert to_unicode("", None) == ""
    assert to_unicode("", "tcvn3") == ""


def test_detect_stops_after_enough_votes():
    cells = ["Héi nghÞ"] * legacy_text.ENOUGH_VOTES + ["Hội nghị"] * (legacy_text.ENOUGH_VOTES * 2)
    assert detect(cells) == "tcvn3"
    assert detect(iter(cells)) == "tcvn3"


def test_font_names():
    for font in (".VnTime", ".VnTimeH", ".VnArial", ".VnArialH", ".vntime", " .VnTime ", "ABCDEF+.VnTime"):
        assert encoding_of_font(font) == "tcvn3", font
    for font in ("VNI-Times", "VNI-Helve", "vni-times", "VNI-Aptima"):
        assert encoding_of_font(font) == "vni", font
    for font in ("Times New Roman", "Arial", "Calibri", "", "  ", None):
        assert encoding_of_font(font) is None, font


def test_to_unicode_without_encoding_only_normalises():
    nfd = unicodedata.normalize("NFD", "Hội nghị")
    assert to_unicode(nfd, None) == "Hội nghị"
    assert to_unicode("Héi nghÞ", None) == "Héi nghÞ"


def test_a_unicode_cell_in_a_legacy_sheet_is_left_alone():
    assert to_unicode("Hội nghị", "tcvn3") == "Hội nghị"
    assert to_unicode("Tuyên truyền chuyển đổi số", "tcvn3") == "Tuyên truyền chuyển đổi số"
    assert to_unicode(unicodedata.normalize("NFD", "Ngân sách"), "vni") == "Ngân sách"


def test_tcvn3_capitals_typed_with_a_vntimeh_font_come_back_in_capitals():
    assert to_unicode("TæNG CéNG", "tcvn3") == "TỔNG CỘNG"
    assert to_unicode("B¸O C¸O KÕT QU¶", "tcvn3") == "BÁO CÁO KẾT QUẢ"
    assert to_unicode("HÖ THèNG", "tcvn3") == "HỆ THỐNG"
    # title case in .VnTime: no word with two capitals, so nothing is raised
    assert to_unicode("VÝ Dô", "tcvn3") == "Ví Dụ"
    assert to_unicode("UBND x· H¶i Phó", "tcvn3") == "UBND xã Hải Phú"
    assert to_unicode("Tæng céng", "tcvn3") == "Tổng cộng"


def test_vni_capitals():
    assert to_unicode("HOÄI NGHÒ", "vni") == "HỘI NGHỊ"
    assert to_unicode("TOÅNG COÄNG", "vni") == "TỔNG CỘNG"
    assert detect(["HOÄI NGHÒ", "TOÅNG COÄNG"]) == "vni"


def test_unknown_encoding_is_a_programming_error():
    with pytest.raises(ValueError):
        to_unicode("abc", "viscii")


# --- properties ---------------------------------------------------------------------

INITIALS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
            "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]  # fmt: skip
NUCLEI = ("a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi "
          "ươ ưu yê iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu").split()  # fmt: skip
FINALS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


@st.composite
def syllables(draw) -> str:
    """A Vietnamese-shaped syllable (loose: any initial, vowel group, final and tone)."""
    nucleus = draw(st.sampled_from(NUCLEI))
    spot = draw(st.integers(0, len(nucleus) - 1))
    toned = nucleus[: spot + 1] + draw(st.sampled_from(TONES)) + nucleus[spot + 1 :]
    word = unicodedata.normalize("NFC", draw(st.sampled_from(INITIALS)) + toned + draw(st.sampled_from(FINALS)))
    return draw(st.sampled_from([word, word.capitalize(), word.upper()]))


other_words = st.sampled_from(["Zalo", "Facebook", "VNeID", "UBND", "12", "1.500.000", "15/03/2025", "(", ")",
                               ",", ".", ";", "-", "/", "“", "”", "«", "»", "…", "%", "https://x.gov.vn"])  # fmt: skip
cells = st.lists(st.one_of(syllables(), other_words), max_size=12).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(cells, max_size=8), st.sampled_from(["NFC", "NFD"]))
def test_random_unicode_vietnamese_is_never_detected_as_legacy(sheet, form):
    assert detect([unicodedata.normalize(form, cell) for cell in sheet]) is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_to_unicode_without_encoding_is_idempotent_and_total(text):
    once = to_unicode(text, None)
    assert to_unicode(once, None) == once
    assert once == unicodedata.normalize("NFC", text)
    for encoding in ("tcvn3", "vni"):
        assert unicodedata.is_normalized("NFC", to_unicode(text, encoding))
    detect([text])  # never raises


def _encoder(charmap):
    inverse = {}
    for legacy, unicode in charmap.pairs:
        inverse.setdefault(unicode, legacy)
    return lambda text: "".join(inverse.get(ch, ch) for ch in text)


to_tcvn3, to_vni = _encoder(TCVN3), _encoder(legacy_text._CHARMAPS["vni"])
plain_words = other_words.filter(str.isascii)  # "«" is a letter in TCVN3: it cannot round-trip
lower_cells = st.lists(st.one_of(syllables().map(str.lower), plain_words), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(lower_cells)
def test_legacy_text_round_trips(cell):
    assert to_unicode(to_tcvn3(cell), "tcvn3") == cell
    assert to_unicode(to_vni(cell), "vni") == cell


legacy_alphabet = st.text(
    st.sampled_from(sorted({ch for cm in (TCVN3, VNI) for legacy, _ in cm.pairs for ch in legacy} | set("aAeoun Hx-,ú"))),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(legacy_alphabet)
def test_the_word_by_word_conversion_matches_viparse(text):
    assert legacy_text._convert(text, "tcvn3") == convert(text, TCVN3)
    if "aú" not in text and "AÚ" not in text:
        assert legacy_text._convert(text, "vni") == convert(text, VNI)


def test_vni_has_the_a_breve_hook_viparse_leaves_out():
    assert to_unicode("chaúng haïn", "vni") == "chẳng hạn"
    assert to_unicode("THAÚNG", "vni") == "THẲNG"
    assert detect(["chaúng haïn", "thaúng"]) == "vni"


def test_undecided_cells():
    from core.importers.legacy_text import undecided

    assert undecided(["STT", "Sè"])  # could be "Số" in TCVN3, or a word: the fonts may tell
    assert not undecided(["Tuyên truyền", "Hội nghị", "Zalo", "05/03/2025"])  # Unicode for sure, or ASCII
