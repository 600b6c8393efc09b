"""Build the built-in report template ``bao_cao.docx`` (Nghị định 30/2020/NĐ-CP, Phụ lục I, mẫu 1.4).

Run from anywhere:  python resources/templates/build_report_template.py [OUT.docx]

The output is an ordinary Word document with docxtpl (Jinja) tags that an officer can open in
Word or LibreOffice, restyle (a province's own form) and load back into the app. Its only input
at render time is the report context described in ``core/reports/sample.py``; the template adds
no words except fixed labels ("Kính gửi:", "Nơi nhận:", "Phụ lục").

Layout rules (domain.md §5):
- A4 portrait, margins top 20, bottom 20, left 30, right 15 mm; the appendix is a landscape A4
  section with the same margins, its pages numbered on their own (ND 30: "số trang của phụ lục
  được đánh số riêng"), so its first page carries no number either.
- Times New Roman on every run and in every style (ascii, hAnsi, eastAsia, cs), no theme fonts,
  language vi-VN.
- Page numbers: centred in the top margin, 14 pt, none on the first page (titlePg + empty
  first-page header; the default header holds a PAGE field).
- Header and signature: borderless 2-column tables; the short rules under the agency name, the
  motto and the summary are empty paragraphs with a bottom border and left/right indents (they
  render the same in Word and LibreOffice and stay editable).
- The statistics tables have dynamic columns (``{%tc for %}``); the renderer
  (core/reports/word.py) sets their column widths from the content for every table whose
  alt-text title (tblCaption) starts with "Bảng thống kê".

Every docxtpl tag is alone in its own run, so editing the text around it in Word cannot split it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
LANG = "vi-VN"
HERE = Path(__file__).resolve().parent
OUT = HERE / "bao_cao.docx"

# Page geometry (mm)
PAGE_W, PAGE_H = 210, 297
TOP, BOTTOM, LEFT, RIGHT = 20, 20, 30, 15
HEADER_DISTANCE = 10
TEXT_W = PAGE_W - LEFT - RIGHT  # 165 mm
LANDSCAPE_TEXT_W = PAGE_H - LEFT - RIGHT  # 252 mm
CELL_PAD = 1.9  # Word's default left/right cell margin (0.19 cm)

# Header table: agency column / national-title column (40 % / 60 %)
HEAD_LEFT_W = round(TEXT_W * 0.40)  # 66 mm
HEAD_RIGHT_W = TEXT_W - HEAD_LEFT_W  # 99 mm
# Rule widths (mm).  Agency rule: 1/3–1/2 of the agency line (a 13 pt bold agency name fills
# 45–62 mm of the cell).  Motto rule: the width of "Độc lập - Tự do - Hạnh phúc" in 13 pt bold
# Times New Roman, measured (56 mm).  Summary rule: 1/3–1/2 of a 14 pt bold summary line.
AGENCY_RULE_W = 24
MOTTO_RULE_W = 56
SUMMARY_RULE_W = 50
ANNOTATION_RULE_W = 40
# Signature table: Nơi nhận / signing block
SIGN_LEFT_W = round(TEXT_W * 0.45)
SIGN_RIGHT_W = TEXT_W - SIGN_LEFT_W
SIGNATURE_SPACE_LINES = 4

STATS_CAPTION = "Bảng thống kê (độ rộng cột tự chia theo nội dung)"

PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)


def _successors(tag: str) -> tuple[str, ...]:
    return PPR_ORDER[PPR_ORDER.index(tag) + 1:]


# --------------------------------------------------------------------------- run properties

def rpr_xml(size: float | None = None, bold: bool | None = None, italic: bool | None = None,
            lang: bool = False) -> str:
    """A complete ``w:rPr`` with Times New Roman for all four scripts (schema order kept)."""
    parts = [f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>']
    if bold is not None:
        parts.append("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
    if italic is not None:
        parts.append("<w:i/><w:iCs/>" if italic else '<w:i w:val="0"/><w:iCs w:val="0"/>')
    if size is not None:
        half = int(round(size * 2))
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if lang:
        parts.append(f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/>')
    return f"<w:rPr {nsdecls('w')}>{''.join(parts)}</w:rPr>"


def set_run_props(run, size, bold=None, italic=None):
    r = run._r
    old = r.find(qn("w:rPr"))
    if old is not None:
        r.remove(old)
    r.insert(0, parse_xml(rpr_xml(size, bold, italic)))


def set_mark_props(paragraph, size, bold=None, italic=None):
    """Font of the paragraph mark: decides the height of an empty paragraph."""
    pPr = paragraph._p.get_or_add_pPr()
    old = pPr.find(qn("w:rPr"))
    if old is not None:
        pPr.remove(old)
    pPr.insert_element_before(parse_xml(rpr_xml(size, bold, italic)), *_successors("w:rPr"))


# --------------------------------------------------------------------------- paragraphs

def fmt(paragraph, *, align=None, before=0, after=0, line=1.0, first_line=None,
        left=None, right=None, hanging=None, keep_next=False):
    pf = paragraph.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    pf.line_spacing = line
    if first_line is not None:
        pf.first_line_indent = first_line
    if hanging is not None:
        pf.first_line_indent = -hanging
    if left is not None:
        pf.left_indent = left
    if right is not None:
        pf.right_indent = right
    if keep_next:
        pf.keep_with_next = True
    return paragraph


def add_runs(paragraph, pieces, size, bold=None, italic=None):
    """Add each piece as its own run (template tags are always alone in a run)."""
    for piece in pieces:
        if piece == "\t":
            run = paragraph.add_run()
            run.add_tab()
        else:
            run = paragraph.add_run(piece)
        set_run_props(run, size, bold, italic)
    set_mark_props(paragraph, size, bold, italic)
    return paragraph


def new_par(container, pieces=(), *, size=14, bold=None, italic=None, style=None, **layout):
    paragraph = container.add_paragraph(style=style) if style else container.add_paragraph()
    fmt(paragraph, **layout)
    add_runs(paragraph, list(pieces), size, bold, italic)
    return paragraph


def first_par(cell, pieces=(), *, size=14, bold=None, italic=None, **layout):
    """Use the empty paragraph every new table cell already holds."""
    paragraph = cell.paragraphs[0]
    fmt(paragraph, **layout)
    add_runs(paragraph, list(pieces), size, bold, italic)
    return paragraph


def tag_par(container, tag, size=14):
    """A paragraph holding only a docxtpl ``{%p ... %}`` tag (removed when rendering)."""
    return new_par(container, [tag], size=size)


def rule_par(container, width_mm, box_mm, *, after=0, first=False):
    """A short horizontal rule: an empty centred paragraph with a bottom border.

    ``box_mm`` is the width the paragraph lives in (cell content width or text width); the
    left/right indents leave ``width_mm`` between them.
    """
    side = max((box_mm - width_mm) / 2, 0)
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    fmt(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=after, left=Mm(side), right=Mm(side))
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(4)
    pPr = paragraph._p.get_or_add_pPr()
    pPr.insert_element_before(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
    ), *_successors("w:pBdr"))
    set_mark_props(paragraph, 4)
    return paragraph


# --------------------------------------------------------------------------- tables

def no_borders_xml() -> str:
    edges = "".join(f'<w:{e} w:val="nil"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return f"<w:tblBorders {nsdecls('w')}>{edges}</w:tblBorders>"


def all_borders_xml() -> str:
    edges = "".join(
        f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        for e in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return f"<w:tblBorders {nsdecls('w')}>{edges}</w:tblBorders>"


def set_tbl_pr(table, borders_xml, widths_mm, caption=None):
    tbl = table._tbl
    tblPr = tbl.tblPr
    for tag in ("w:tblBorders", "w:tblLayout", "w:tblW", "w:tblInd", "w:jc"):
        for el in tblPr.findall(qn(tag)):
            tblPr.remove(el)
    total = sum(int(Mm(w).twips) for w in widths_mm)
    # schema order: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize,
    # tblStyleColBandSize, tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar,
    # tblLook, tblCaption, tblDescription
    after_w = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
               "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    tblPr.insert_element_before(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{total}" w:type="dxa"/>'), *after_w)
    tblPr.insert_element_before(parse_xml(f'<w:jc {nsdecls("w")} w:val="center"/>'), *after_w[1:])
    tblPr.insert_element_before(parse_xml(borders_xml), *after_w[4:])
    tblPr.insert_element_before(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'), *after_w[6:])
    if caption:
        tblPr.append(parse_xml(f'<w:tblCaption {nsdecls("w")} w:val="{caption}"/>'))
    table.autofit = False
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def new_table(doc, widths_mm, *, rows=1, borders=False, caption=None):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_tbl_pr(table, all_borders_xml() if borders else no_borders_xml(), widths_mm, caption)
    return table


def repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    trPr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def cant_split(row):
    trPr = row._tr.get_or_add_trPr()
    trPr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))


# --------------------------------------------------------------------------- styles

def clean_styles(doc):
    """Times New Roman everywhere, no theme fonts, vi-VN, and only the styles that are used."""
    styles = doc.styles.element
    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid",
            "Header", "HeaderChar", "Footer", "FooterChar"}
    for style in list(styles.findall(qn("w:style"))):
        sid = style.get(qn("w:styleId"))
        if sid not in keep and not sid.startswith("BC"):
            styles.remove(style)

    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    for child in list(rpr_default):
        rpr_default.remove(child)
    rpr_default.append(parse_xml(rpr_xml(14, lang=True)))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    for child in list(ppr_default):
        ppr_default.remove(child)
    ppr_default.append(parse_xml(
        f'<w:pPr {nsdecls("w")}><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    ))

    # every remaining style gets explicit fonts (no theme attributes anywhere)
    for style in styles.findall(qn("w:style")):
        rPr = style.find(qn("w:rPr"))
        if rPr is None:
            rPr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            # w:rPr comes after pPr and before tblPr/trPr/tcPr/tblStylePr
            anchor = None
            for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
                anchor = style.find(qn(tag))
                if anchor is not None:
                    break
            if anchor is not None:
                anchor.addprevious(rPr)
            else:
                style.append(rPr)
        fonts = rPr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
            rPr.insert(0, fonts)
        for attr in list(fonts.attrib):
            fonts.attrib.pop(attr)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), FONT)
    # any rFonts left (e.g. inside tblStylePr) loses its theme attributes
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), FONT)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name in ("Header", "Footer"):
        doc.styles[name].font.size = Pt(14)


def add_par_style(doc, name, *, bold=False, italic=False, size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                  first_line=Cm(1.27), after=6, line=1.15):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    pf = style.paragraph_format
    pf.alignment = align
    pf.first_line_indent = first_line
    pf.space_before = Pt(0)
    pf.space_after = Pt(after)
    pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    pf.line_spacing = line
    return style


def drop_leftovers(doc):
    """python-docx's blank document carries a Word 2010 stylesWithEffects part (theme fonts) and
    a thumbnail of some other document (shown by Windows Explorer): neither belongs here."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rid)
    package = part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rid)


def set_settings(doc):
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        for attr in list(lang.attrib):
            lang.attrib.pop(attr)
        lang.set(qn("w:val"), LANG)
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # Word 2013+: no "Compatibility Mode" banner
    proof = settings.find(qn("w:proofState"))
    if proof is not None:
        settings.remove(proof)


# --------------------------------------------------------------------------- page setup

def page_setup(section, *, landscape=False):
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H), Mm(PAGE_W)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance = Mm(HEADER_DISTANCE)
    section.footer_distance = Mm(HEADER_DISTANCE)
    section.gutter = Mm(0)


def page_number_headers(section):
    """Different first page: empty first-page header, a centred PAGE field in the default one."""
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    p = first.paragraphs[0]
    fmt(p, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_mark_props(p, 14)

    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    fmt(p, align=WD_ALIGN_PARAGRAPH.CENTER)
    rpr = rpr_xml(14)
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'))
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'))
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}>{rpr}<w:t>2</w:t></w:r>'))
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'))
    set_mark_props(p, 14)

    for footer in (section.footer, section.first_page_footer):
        footer.is_linked_to_previous = False
        fp = footer.paragraphs[0]
        fmt(fp)
        set_mark_props(fp, 14)


# --------------------------------------------------------------------------- the document

C = WD_ALIGN_PARAGRAPH.CENTER
L = WD_ALIGN_PARAGRAPH.LEFT
R = WD_ALIGN_PARAGRAPH.RIGHT
J = WD_ALIGN_PARAGRAPH.JUSTIFY


def build_header(doc):
    table = new_table(doc, [HEAD_LEFT_W, HEAD_RIGHT_W])
    left, right = table.rows[0].cells
    left_box = HEAD_LEFT_W - 2 * CELL_PAD
    right_box = HEAD_RIGHT_W - 2 * CELL_PAD

    first_par(left, ["{{ agency.parent }}"], size=13, bold=False, align=C)
    new_par(left, ["{{ agency.name }}"], size=13, bold=True, align=C)
    rule_par(left, AGENCY_RULE_W, left_box)
    new_par(left, ["{{ number }}"], size=13, bold=False, italic=False, align=C, before=6)

    first_par(right, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], size=12, bold=True, align=C)
    new_par(right, ["Độc lập - Tự do - Hạnh phúc"], size=13, bold=True, align=C)
    rule_par(right, MOTTO_RULE_W, right_box)
    new_par(right, ["{{ place_date }}"], size=14, italic=True, align=C, before=6)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def build_title(doc):
    new_par(doc, ["{{ doc_type }}"], size=14, bold=True, align=C, before=18, keep_next=True)
    new_par(doc, ["{{ summary }}"], size=14, bold=True, align=C, keep_next=True)
    rule_par(doc, SUMMARY_RULE_W, TEXT_W, after=12)

    # recipients
    tag_par(doc, "{%p if recipients_inline %}")
    new_par(doc, ["Kính gửi: ", "{{ recipients[0] }}"], size=14, align=C, after=6)
    tag_par(doc, "{%p else %}")
    tag_par(doc, "{%p for r in recipients %}")
    # "Kính gửi:" on the first line, every recipient aligned at the same tab stop
    p = new_par(doc, ["{% if loop.first %}", "Kính gửi:", "{% endif %}", "\t", "{{ r }}"],
                size=14, align=L, left=Cm(6.0), hanging=Cm(2.5))
    p.paragraph_format.tab_stops.add_tab_stop(Cm(6.0))
    tag_par(doc, "{%p endfor %}")
    tag_par(doc, "{%p endif %}")
    new_par(doc, [], size=6)  # a little air between the recipients and the text


def build_body(doc):
    tag_par(doc, "{%p for p in body %}")
    tag_par(doc, "{%p if p.kind == 'h1' %}")
    new_par(doc, ["{{ p.text }}"], size=14, bold=True, style="BC Mục I", align=J,
            first_line=Cm(1.27), after=6, line=1.15, keep_next=True)
    tag_par(doc, "{%p elif p.kind == 'h2' %}")
    new_par(doc, ["{{ p.text }}"], size=14, bold=True, style="BC Mục 1", align=J,
            first_line=Cm(1.27), after=6, line=1.15, keep_next=True)
    tag_par(doc, "{%p elif p.kind == 'h3' %}")
    new_par(doc, ["{{ p.text }}"], size=14, bold=True, italic=True, style="BC Mục a", align=J,
            first_line=Cm(1.27), after=6, line=1.15, keep_next=True)
    tag_par(doc, "{%p else %}")
    new_par(doc, ["{{ p.text }}"], size=14, style="BC Nội dung", align=J,
            first_line=Cm(1.27), after=6, line=1.15)
    tag_par(doc, "{%p endif %}")
    tag_par(doc, "{%p endfor %}")


def build_signature(doc):
    new_par(doc, [], size=6)
    table = new_table(doc, [SIGN_LEFT_W, SIGN_RIGHT_W])
    cant_split(table.rows[0])
    left, right = table.rows[0].cells
    first_par(left, ["Nơi nhận:"], size=12, bold=True, italic=True, align=L)
    tag_par(left, "{%p for n in noi_nhan %}", size=11)
    new_par(left, ["{{ n }}"], size=11, bold=False, italic=False, align=L)
    tag_par(left, "{%p endfor %}", size=11)

    first_par(right, ["{{ signature.authority }}"], size=14, bold=True, align=C)
    tag_par(right, "{%p for t in signature.title_lines %}")
    new_par(right, ["{{ t }}"], size=14, bold=True, align=C)
    tag_par(right, "{%p endfor %}")
    for _ in range(SIGNATURE_SPACE_LINES):
        new_par(right, [], size=14, align=C)
    new_par(right, ["{{ signature.signer }}"], size=14, bold=True, align=C, before=12)
    return table


def stats_cell(cell, pieces, *, bold, size=12):
    """Cell content choosing its alignment from the column: right from numeric_from, first
    column centred, otherwise left."""
    first_par(cell, ["{%p if loop.index0 >= t.numeric_from %}"], size=size)
    new_par(cell, pieces, size=size, bold=bold, align=R, before=2, after=2)
    tag_par(cell, "{%p elif loop.first %}", size=size)
    new_par(cell, pieces, size=size, bold=bold, align=C, before=2, after=2)
    tag_par(cell, "{%p else %}", size=size)
    new_par(cell, pieces, size=size, bold=bold, align=L, before=2, after=2)
    tag_par(cell, "{%p endif %}", size=size)


def build_appendix(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=True)
    # pages of an appendix are numbered on their own, from 1, the first one without a number
    sectPr = section._sectPr
    for el in sectPr.findall(qn("w:pgNumType")):
        sectPr.remove(el)
    sectPr.insert_element_before(
        parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'),
        "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
        "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
    )
    section.different_first_page_header_footer = True

    new_par(doc, ["Phụ lục"], size=14, bold=True, align=C)
    new_par(doc, ["{{ appendix.title }}"], size=14, bold=True, align=C)
    new_par(doc, ["{{ appendix.annotation }}"], size=14, italic=True, align=C)
    rule_par(doc, ANNOTATION_RULE_W, LANDSCAPE_TEXT_W, after=6)

    tag_par(doc, "{%p for t in appendix.tables %}")
    new_par(doc, ["{{ t.title }}"], size=14, bold=True, align=L, before=6, after=6, keep_next=True)

    side = 35  # wide enough for the {%tc %} tags to stay readable in Word
    widths = [side, LANDSCAPE_TEXT_W - 2 * side, side]
    table = new_table(doc, widths, rows=7, borders=True, caption=STATS_CAPTION)
    header, tr_for, body, tr_endfor, tr_if, total, tr_endif = table.rows
    repeat_header(header)
    for row in table.rows:
        cant_split(row)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def loop_row(row, open_tag, pieces, *, bold, alignment_by_column):
        a, b, c = row.cells
        first_par(a, [open_tag], size=12)
        if alignment_by_column:
            stats_cell(b, pieces, bold=bold)
        else:
            first_par(b, pieces, size=12, bold=bold, align=C, before=2, after=2)
        first_par(c, ["{%tc endfor %}"], size=12)

    def tag_row(row, tag):
        a, b, c = row.cells
        first_par(a, [tag], size=12)
        first_par(b, [], size=12)
        first_par(c, [], size=12)

    loop_row(header, "{%tc for c in t.columns %}", ["{{ c }}"], bold=True, alignment_by_column=False)
    tag_row(tr_for, "{%tr for row in t.rows %}")
    loop_row(body, "{%tc for cell in row %}", ["{{ cell }}"], bold=False, alignment_by_column=True)
    tag_row(tr_endfor, "{%tr endfor %}")
    tag_row(tr_if, "{%tr if t.total %}")
    loop_row(total, "{%tc for cell in t.total %}", ["{{ cell }}"], bold=True, alignment_by_column=True)
    tag_row(tr_endif, "{%tr endif %}")

    tag_par(doc, "{%p endfor %}")
    # the document must end with a paragraph after a table
    last = new_par(doc, [], size=14)
    return last


def build(out: Path = OUT) -> Path:
    doc = Document()
    drop_leftovers(doc)
    set_settings(doc)

    add_par_style(doc, "BC Mục I", bold=True)
    add_par_style(doc, "BC Mục 1", bold=True)
    add_par_style(doc, "BC Mục a", bold=True, italic=True)
    add_par_style(doc, "BC Nội dung")
    clean_styles(doc)

    # python-docx's blank document holds no paragraph, only the section properties
    section = doc.sections[0]
    page_setup(section)
    page_number_headers(section)

    build_header(doc)
    build_title(doc)
    build_body(doc)
    build_signature(doc)
    build_appendix(doc)

    props = doc.core_properties
    props.title = "Báo cáo"
    props.subject = "Mẫu báo cáo (Nghị định 30/2020/NĐ-CP, Phụ lục I)"
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = LANG
    props.revision = 1

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(build(target))
