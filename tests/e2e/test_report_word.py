"""The Word report: rendered from the built-in template and read back, rule by rule (domain.md §5).

Also the safety of user templates: sandbox, autoescape, unknown fields, Word's smart quotes, and a
locked target file. The last test prints through LibreOffice and reads the PDF back.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import etree

from core.errors import FileProblem, UserError
from core.reports.sample import sample_context
from core.reports.word import (
    BUILTIN_TEMPLATE,
    check_template,
    render_report,
    repair_tags,
    template_variables,
)

TNR = "Times New Roman"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


# --------------------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "bao_cao.docx"
    assert render_report(sample_context(), out) == out
    return out


@pytest.fixture(scope="module")
def doc(rendered):
    return docx.Document(str(rendered))


def _style_chain(paragraph):
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def size_pt(run, paragraph) -> float | None:
    if run.font.size is not None:
        return run.font.size.pt
    for style in _style_chain(paragraph):
        if style.font.size is not None:
            return style.font.size.pt
    return None


def flag(run, paragraph, name) -> bool:
    value = getattr(run.font, name)
    if value is not None:
        return bool(value)
    for style in _style_chain(paragraph):
        value = getattr(style.font, name)
        if value is not None:
            return bool(value)
    return False


def pformat(paragraph, name):
    value = getattr(paragraph.paragraph_format, name)
    if value is not None:
        return value
    for style in _style_chain(paragraph):
        value = getattr(style.paragraph_format, name)
        if value is not None:
            return value
    return None


def text_runs(paragraph):
    return [run for run in paragraph.runs if run.text.strip()]


def assert_look(paragraph, *, size, bold, italic=False, sizes=None):
    runs = text_runs(paragraph)
    assert runs, f"no text in {paragraph.text!r}"
    for run in runs:
        actual = size_pt(run, paragraph)
        if sizes:
            assert sizes[0] <= actual <= sizes[1], (paragraph.text, actual)
        else:
            assert actual == size, (paragraph.text, actual)
        assert flag(run, paragraph, "bold") is bold, (paragraph.text, "bold")
        assert flag(run, paragraph, "italic") is italic, (paragraph.text, "italic")


def find(paragraphs, text, *, startswith=False):
    for paragraph in paragraphs:
        if paragraph.text == text or (startswith and paragraph.text.startswith(text)):
            return paragraph
    raise AssertionError(f"paragraph {text!r} not found in {[p.text for p in paragraphs]}")


def has_bottom_rule(paragraph) -> bool:
    bottom = paragraph._p.find("w:pPr/w:pBdr/w:bottom", NS)
    return bottom is not None and bottom.get(qn("w:val")) not in ("nil", "none")


def rule_width_mm(paragraph, box_mm: float) -> float:
    pf = paragraph.paragraph_format
    return box_mm - (pf.left_indent or 0) / Mm(1) - (pf.right_indent or 0) / Mm(1)


def assert_borderless(table):
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None, "borders must be switched off explicitly"
    for edge in borders:
        assert edge.get(qn("w:val")) in ("nil", "none"), etree.tostring(edge)
    assert table._tbl.find(".//w:tcBorders", NS) is None
    assert table._tbl.tblPr.find(qn("w:tblStyle")) is None or table.style.name in ("Normal Table",)


def xml_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.endswith(".xml")}


def make_template(path: Path, *paragraphs) -> Path:
    """A user's template, as Word would save it: each item is a paragraph, a list is its runs."""
    document = docx.Document()
    for item in paragraphs:
        runs = item if isinstance(item, list) else [item]
        paragraph = document.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    document.save(str(path))
    return path


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


# --------------------------------------------------------------------------- page

def test_a4_portrait_margins_and_landscape_appendix(doc):
    assert len(doc.sections) == 2
    main, appendix = doc.sections
    assert abs(main.page_width - Mm(210)) < Mm(0.5) and abs(main.page_height - Mm(297)) < Mm(0.5)
    assert main.orientation == WD_ORIENT.PORTRAIT
    assert abs(appendix.page_width - Mm(297)) < Mm(0.5) and abs(appendix.page_height - Mm(210)) < Mm(0.5)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    for section in (main, appendix):
        assert abs(section.top_margin - Mm(20)) < Mm(0.2)
        assert abs(section.bottom_margin - Mm(20)) < Mm(0.2)
        assert abs(section.left_margin - Mm(30)) < Mm(0.2)
        assert abs(section.right_margin - Mm(15)) < Mm(0.2)
        # the page number sits inside the top margin
        assert section.header_distance < section.top_margin


def test_times_new_roman_on_every_run_and_no_theme_fonts(rendered):
    parts = xml_parts(rendered)
    checked = 0
    for name, data in parts.items():
        if not re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
            continue
        root = etree.fromstring(data)
        for run in root.iter(f"{{{W}}}r"):
            fonts = run.find("w:rPr/w:rFonts", NS)
            assert fonts is not None, f"{name}: run without rFonts: {etree.tostring(run)[:200]}"
            for script in ("ascii", "hAnsi", "eastAsia", "cs"):
                assert fonts.get(f"{{{W}}}{script}") == TNR, (name, script, etree.tostring(run)[:200])
            checked += 1
    assert checked > 40
    for name in ("word/document.xml", "word/styles.xml"):
        assert not re.search(rb"(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)", parts[name]), name
    assert not any(re.search(rb"Theme=", data) for n, data in parts.items()
                   if re.match(r"word/(header|footer)\d*\.xml$", n))

    styles = etree.fromstring(parts["word/styles.xml"])
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = default.find("w:rFonts", NS)
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(f"{{{W}}}{script}") == TNR
    assert default.find("w:lang", NS).get(f"{{{W}}}val") == "vi-VN"
    for style in styles.findall("w:style", NS):
        fonts = style.find("w:rPr/w:rFonts", NS)
        assert fonts is not None, style.get(f"{{{W}}}styleId")
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(f"{{{W}}}{script}") == TNR, style.get(f"{{{W}}}styleId")


def test_builtin_template_itself_is_clean():
    assert BUILTIN_TEMPLATE.is_file()
    parts = xml_parts(BUILTIN_TEMPLATE)
    for name, data in parts.items():
        if not name.startswith("word/theme/"):
            assert not re.search(rb"(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)", data), name
    # every tag is whole inside one run: no "{{" or "{%" split over runs
    document = docx.Document(str(BUILTIN_TEMPLATE))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    tags = 0
    for paragraph in paragraphs:
        for run in paragraph.runs:
            text = run.text
            opened = len(re.findall(r"{[{%]", text))
            closed = len(re.findall(r"[}%]}", text))
            assert opened == closed, f"tag split across runs: {run.text!r} in {paragraph.text!r}"
            if opened:
                assert re.fullmatch(r"\s*({[{%].*?[}%]}\s*)", text), f"tag shares its run: {text!r}"
                tags += opened
    assert tags > 30
    assert check_template(BUILTIN_TEMPLATE) == []
    assert template_variables(BUILTIN_TEMPLATE) <= set(sample_context())


# --------------------------------------------------------------------------- header block

def test_header_table(doc):
    table = doc.tables[0]
    assert_borderless(table)
    left, right = table.rows[0].cells
    left_w, right_w = left.width, right.width
    assert 0.35 <= left_w / (left_w + right_w) <= 0.45
    ctx = sample_context()

    parent = find(left.paragraphs, ctx["agency"]["parent"])
    assert_look(parent, size=13, bold=False)
    assert parent.text == parent.text.upper()
    agency = find(left.paragraphs, ctx["agency"]["name"])
    assert_look(agency, size=13, bold=True)
    assert agency.alignment == WD_ALIGN_PARAGRAPH.CENTER
    paragraphs = left.paragraphs
    index = [p._p for p in paragraphs].index(agency._p)
    rule = paragraphs[index + 1]
    assert has_bottom_rule(rule) and not rule.text
    width = rule_width_mm(rule, left_w / Mm(1) - 3.8)
    # a 13 pt bold agency line fills 45–62 mm of the cell: the rule is 1/3–1/2 of it
    assert 20 <= width <= 31, width
    number = find(left.paragraphs, ctx["number"])
    assert_look(number, size=13, bold=False, italic=False)
    assert re.fullmatch(r"Số: \d{2,}/BC-[A-ZĐ]+", number.text)

    title = find(right.paragraphs, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert_look(title, size=None, sizes=(12, 13), bold=True)
    motto = find(right.paragraphs, "Độc lập - Tự do - Hạnh phúc")
    assert_look(motto, size=None, sizes=(13, 14), bold=True)
    index = [p._p for p in right.paragraphs].index(motto._p)
    rule = right.paragraphs[index + 1]
    assert has_bottom_rule(rule) and not rule.text
    # as wide as the motto (56 mm in 13 pt bold Times New Roman)
    assert 50 <= rule_width_mm(rule, right_w / Mm(1) - 3.8) <= 62
    place = find(right.paragraphs, ctx["place_date"])
    assert_look(place, size=14, bold=False, italic=True)
    assert re.search(r"ngày \d{2} tháng \d{2} năm \d{4}$", place.text)


def test_title_summary_and_recipients(doc):
    ctx = sample_context()
    body = doc.paragraphs
    kind = find(body, "BÁO CÁO")
    assert_look(kind, size=14, bold=True)
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    summary = find(body, ctx["summary"])
    assert_look(summary, size=14, bold=True)
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    index = [p._p for p in body].index(summary._p)
    rule = body[index + 1]
    assert has_bottom_rule(rule) and not rule.text
    assert 30 <= rule_width_mm(rule, 165) <= 80

    first = find(body, "Kính gửi:", startswith=True)
    assert ctx["recipients"][0] in first.text
    assert_look(first, size=14, bold=False)
    # the next recipients line up under the first one (a tab stop after "Kính gửi:")
    second = next(p for p in body if p.text.strip() == ctx["recipients"][1])
    assert [p._p for p in body].index(second._p) == [p._p for p in body].index(first._p) + 1
    assert_look(second, size=14, bold=False)
    assert ctx["recipients"][-1].endswith(".")


def test_single_recipient_is_one_centred_line(tmp_path):
    ctx = sample_context()
    ctx["recipients_inline"] = True
    ctx["recipients"] = ["Sở Khoa học và Công nghệ."]
    out = render_report(ctx, tmp_path / "one.docx")
    document = docx.Document(str(out))
    line = find(document.paragraphs, "Kính gửi: Sở Khoa học và Công nghệ.")
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert_look(line, size=14, bold=False)
    assert sum("Kính gửi" in p.text for p in document.paragraphs) == 1


# --------------------------------------------------------------------------- body

def test_body_headings_and_text(doc):
    ctx = sample_context()
    expected = {"h1": (True, False), "h2": (True, False), "h3": (True, True), "body": (False, False)}
    for item in ctx["body"]:
        paragraph = find(doc.paragraphs, item["text"])
        bold, italic = expected[item["kind"]]
        assert_look(paragraph, size=14, bold=bold, italic=italic)
        if item["kind"] == "h1":
            assert paragraph.text == paragraph.text.upper()
        assert pformat(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY, item
        indent = pformat(paragraph, "first_line_indent")
        assert Cm(1.0) <= indent <= Cm(1.27) + 500, (item, indent)
        assert pformat(paragraph, "space_after") >= Pt(6)
        spacing = pformat(paragraph, "line_spacing")
        assert isinstance(spacing, float) and 1.0 <= spacing <= 1.5


def test_text_ends_with_the_closing_mark(doc):
    ctx = sample_context()
    last = ctx["body"][-1]["text"]
    paragraph = find(doc.paragraphs, last)
    assert paragraph.text.endswith("./.")
    # nothing but empty paragraphs between it and the signature table
    after = paragraph._p.getnext()
    while after is not None and after.tag == qn("w:p"):
        assert "".join(after.itertext()).strip() == ""
        after = after.getnext()
    assert after is not None and after.tag == qn("w:tbl")


def test_signature_block(doc):
    ctx = sample_context()
    table = doc.tables[1]
    assert_borderless(table)
    left, right = table.rows[0].cells
    noi_nhan = find(left.paragraphs, "Nơi nhận:")
    assert_look(noi_nhan, size=12, bold=True, italic=True)
    for entry in ctx["noi_nhan"]:
        assert_look(find(left.paragraphs, entry), size=11, bold=False)
    assert [p.text for p in left.paragraphs if p.text] == ["Nơi nhận:", *ctx["noi_nhan"]]

    sig = ctx["signature"]
    authority = find(right.paragraphs, sig["authority"])
    assert_look(authority, size=14, bold=True)
    assert authority.text == authority.text.upper()
    for line in sig["title_lines"]:
        title = find(right.paragraphs, line)
        assert_look(title, size=14, bold=True)
        assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    signer = find(right.paragraphs, sig["signer"])
    assert_look(signer, size=14, bold=True)
    texts = [p.text for p in right.paragraphs]
    gap = texts.index(sig["signer"]) - texts.index(sig["title_lines"][-1]) - 1
    assert gap >= 3 and all(not t for t in texts[texts.index(sig["title_lines"][-1]) + 1:texts.index(sig["signer"])])


def test_page_numbers_from_page_two(rendered, doc):
    main, appendix = doc.sections
    assert main.different_first_page_header_footer
    first = main.first_page_header
    assert not first.is_linked_to_previous
    assert "".join(p.text for p in first.paragraphs).strip() == ""
    assert first._element.find(".//w:fldChar", NS) is None and first._element.find(".//w:fldSimple", NS) is None

    header = main.header
    assert not header.is_linked_to_previous
    instr = " ".join(t.text for t in header._element.iter(qn("w:instrText")))
    simple = [f.get(qn("w:instr")) for f in header._element.iter(qn("w:fldSimple"))]
    assert "PAGE" in instr.split() or any("PAGE" in (s or "").split() for s in simple)
    paragraph = next(p for p in header.paragraphs if p._p.find(".//w:instrText", NS) is not None)
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in paragraph._p.iter(qn("w:r")):
        assert run.find("w:rPr/w:sz", NS).get(qn("w:val")) in ("26", "28")
        assert run.find("w:rPr/w:rFonts", NS).get(qn("w:ascii")) == TNR

    # the appendix numbers its own pages from 1, its first page without a number
    sectPr = appendix._sectPr
    assert sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert appendix.different_first_page_header_footer


def test_appendix_table(doc):
    ctx = sample_context()
    appendix = ctx["appendix"]
    label = find(doc.paragraphs, "Phụ lục")
    assert_look(label, size=14, bold=True)
    assert label.alignment == WD_ALIGN_PARAGRAPH.CENTER
    title = find(doc.paragraphs, appendix["title"])
    assert_look(title, size=None, sizes=(13, 14), bold=True)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    note = find(doc.paragraphs, appendix["annotation"])
    assert_look(note, size=None, sizes=(13, 14), bold=False, italic=True)
    assert note.alignment == WD_ALIGN_PARAGRAPH.CENTER

    spec = appendix["tables"][0]
    assert_look(find(doc.paragraphs, spec["title"]), size=None, sizes=(12, 14), bold=True)
    table = doc.tables[2]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == spec["columns"]
    assert rows[1:-1] == spec["rows"]
    assert rows[-1] == spec["total"]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert len(table._tbl.tblGrid.findall(qn("w:gridCol"))) == len(spec["columns"])
    total_width = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))
    assert abs(total_width - Mm(297 - 45).twips) < Mm(2).twips

    numeric_from = spec["numeric_from"]
    for r_index, row in enumerate(table.rows):
        for c_index, cell in enumerate(row.cells):
            (paragraph,) = cell.paragraphs
            for run in paragraph.runs:
                assert size_pt(run, paragraph) == 12
            if not paragraph.text:
                continue
            if r_index == 0 or r_index == len(table.rows) - 1:
                assert_look(paragraph, size=12, bold=True)
            else:
                assert_look(paragraph, size=12, bold=False)
            if r_index and c_index >= numeric_from:
                assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT, (r_index, c_index)
            elif r_index and c_index > 0:
                assert paragraph.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT), (r_index, c_index)


def test_a_second_table_with_other_columns(tmp_path):
    ctx = sample_context()
    by_unit = {
        "title": "Theo đơn vị",
        "columns": ["STT", "Đơn vị", "Số hoạt động", "Kinh phí (đồng)"],
        "rows": [["1", "Xã A", "3", "1.000.000"], ["2", "Xã B", "4", "2.000.000"]],
        "total": ["", "Tổng cộng", "7", "3.000.000"],
        "numeric_from": 2,
    }
    ctx["appendix"]["tables"].append(by_unit)
    document = docx.Document(str(render_report(ctx, tmp_path / "two.docx")))
    table = document.tables[3]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [by_unit["columns"], *by_unit["rows"], by_unit["total"]]
    assert len(table._tbl.tblGrid.findall(qn("w:gridCol"))) == 4


# --------------------------------------------------------------------------- safety

def test_special_characters_come_out_as_text(tmp_path):
    ctx = sample_context()
    ctx["summary"] = "A & <B> \"trích\" 'dẫn'"
    ctx["body"][1]["text"] = "Tôm & cua <b>đậm</b> ]]> {{ không phải thẻ }} ./."
    out = render_report(ctx, tmp_path / "esc.docx")
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert ctx["summary"] in texts
    assert ctx["body"][1]["text"] in texts
    xml = xml_parts(out)["word/document.xml"].decode("utf-8")
    assert "&amp;amp;" not in xml and "A &amp; &lt;B&gt;" in xml
    assert "<b>" not in xml


@pytest.mark.parametrize("payload", [
    "{{ self.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__ }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{% for x in range(10**9) %}{% endfor %}",
])
def test_sandbox_refuses_code(tmp_path, payload, monkeypatch):
    monkeypatch.chdir(tmp_path)
    template = make_template(tmp_path / "evil.docx", "Báo cáo", [payload])
    out = tmp_path / "out.docx"
    with pytest.raises(UserError) as info:
        render_report(sample_context(), out, template_path=template)
    assert str(info.value).startswith("Mẫu báo cáo có lỗi")
    assert not out.exists()
    assert not (tmp_path / "PWNED").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["evil.docx"]
    problems = check_template(template)
    assert problems and problems[0].startswith("Mẫu báo cáo có lỗi")


def test_syntax_error_is_a_user_error(tmp_path):
    template = make_template(tmp_path / "bad.docx", "{% if number %}", "không đóng thẻ")
    with pytest.raises(UserError) as info:
        render_report(sample_context(), tmp_path / "out.docx", template_path=template)
    assert str(info.value).startswith("Mẫu báo cáo có lỗi")
    assert not (tmp_path / "out.docx").exists()


def test_not_a_word_file(tmp_path):
    fake = tmp_path / "mau.docx"
    fake.write_text("không phải docx", encoding="utf-8")
    with pytest.raises(UserError):
        render_report(sample_context(), tmp_path / "out.docx", template_path=fake)
    with pytest.raises(FileProblem):
        render_report(sample_context(), tmp_path / "out.docx", template_path=tmp_path / "khong_co.docx")


def test_unknown_placeholders_are_listed(tmp_path):
    template = make_template(
        tmp_path / "mau.docx",
        ["{{ agency.name }}"],
        ["Số liệu: ", "{{ so_lieu }}"],
        ["{{ ten_sai }}"],
    )
    assert template_variables(template) == {"agency", "so_lieu", "ten_sai"}
    problems = check_template(template)
    assert len(problems) == 2
    assert "ten_sai" in problems[1] and "so_lieu" in problems[0]
    assert all("không có trong dữ liệu báo cáo" in p for p in problems)
    with pytest.raises(UserError) as info:
        render_report(sample_context(), tmp_path / "out.docx", template_path=template)
    message = str(info.value)
    assert "ten_sai" in message and "so_lieu" in message and "agency" in message  # usable names listed
    assert not (tmp_path / "out.docx").exists()

    # a missing sub-field is reported too, by name
    template = make_template(tmp_path / "mau2.docx", ["{{ agency.ten_don_vi }}"])
    problems = check_template(template)
    assert len(problems) == 1 and "ten_don_vi" in problems[0]


def test_smart_quotes_inside_tags_are_repaired(tmp_path):
    template = make_template(
        tmp_path / "word.docx",
        ["{% if doc_type == \u201cBÁO CÁO\u201d %}", "Đúng loại", "{% endif %}"],
        ["{{ agency[\u2018name\u2019] }}"],
        ["{{\u00a0number\u00a0}}"],
        "\u201cTrích dẫn\u201d giữ nguyên ngoài thẻ",
    )
    assert check_template(template) == []
    out = render_report(sample_context(), tmp_path / "out.docx", template_path=template)
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts == ["Đúng loại", sample_context()["agency"]["name"], sample_context()["number"],
                     "\u201cTrích dẫn\u201d giữ nguyên ngoài thẻ"]
    # and the repair touches tags only
    assert repair_tags("<w:t>\u201cx\u201d {{ a[\u2018b\u2019] }}</w:t>") == "<w:t>\u201cx\u201d {{ a['b'] }}</w:t>"


def test_locked_target_is_a_file_problem_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "bao_cao.docx"
    target.write_bytes(b"old report")

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileProblem) as info:
        render_report(sample_context(), target)
    message = str(info.value)
    assert "đang mở trong Word hoặc không ghi được" in message and "hãy đóng tệp rồi thử lại" in message
    assert str(target) in message
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["bao_cao.docx"]


def test_unwritable_targets(tmp_path):
    folder = tmp_path / "thu_muc.docx"
    folder.mkdir()
    with pytest.raises(FileProblem):
        render_report(sample_context(), folder)
    not_a_folder = tmp_path / "tep.txt"
    not_a_folder.write_text("x")
    with pytest.raises(FileProblem):
        render_report(sample_context(), not_a_folder / "bao_cao.docx")
    with pytest.raises(FileProblem):
        render_report(sample_context(), tmp_path / "khong_co" / "bao_cao.docx")
    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root writes anywhere
        readonly = tmp_path / "chi_doc"
        readonly.mkdir()
        readonly.chmod(0o500)
        try:
            with pytest.raises(FileProblem):
                render_report(sample_context(), readonly / "bao_cao.docx")
            assert list(readonly.iterdir()) == []
        finally:
            readonly.chmod(0o700)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tep.txt", "thu_muc.docx"]


def test_rendering_again_replaces_the_file(tmp_path):
    target = tmp_path / "bao_cao.docx"
    target.write_bytes(b"old")
    render_report(sample_context(), target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["bao_cao.docx"]


# --------------------------------------------------------------------------- printed

def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (soffice) is needed to check the printed report"
    return found


def test_printed_pdf_numbers_pages_from_two(tmp_path):
    ctx = sample_context()
    body = ctx["body"]
    ctx["body"] = body[:-1] + copy.deepcopy(body[1:-1]) * 3 + body[-1:]
    source = render_report(ctx, tmp_path / "bao_cao.docx")
    profile = (tmp_path / "lo_profile").as_uri()
    result = subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = tmp_path / "bao_cao.pdf"
    assert pdf.exists(), result.stderr + result.stdout

    def page(number: int) -> list[str]:
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        return [line.strip() for line in text.splitlines() if line.strip()]

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3  # two pages of text and the appendix

    first = page(1)
    assert not any(re.fullmatch(r"\d+", line) for line in first[:3]), first[:3]
    assert first[0].startswith("UBND HUYỆN HẢI LĂNG")
    second = page(2)
    assert second[0] == "2", second[:3]

    # reading order (not -layout, which interleaves the two header columns)
    whole = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    flat = re.sub(r"\s+", " ", whole)
    assert ctx["agency"]["name"] in flat
    assert "./." in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat

    # the appendix page is landscape and its first page carries no number
    last = subprocess.run(["pdfinfo", "-f", str(pages), "-l", str(pages), str(pdf)],
                          capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", last).groups())
    assert width > height
    appendix = page(pages)
    assert appendix[0] == "Phụ lục", appendix[:3]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_report_file_is_readable_like_any_document(tmp_path):
    mask = os.umask(0o022)
    try:
        render_report(sample_context(), tmp_path / "bao_cao.docx")
    finally:
        os.umask(mask)
    assert (tmp_path / "bao_cao.docx").stat().st_mode & 0o777 == 0o644
