"""Build reports_templates/ten_day.docx, the Word template of the 旬简报, with python-docx.

The template is a product asset that staff may open and restyle in Word/WPS; this
script makes it reproducible and reviewable: every GB/T 9704-2012 setting is
written here, with the reason. Run it after changing the layout and commit both:

    .venv/bin/python scripts/build_docx_template.py

Layout (GB/T 9704-2012 《党政机关公文格式》):
- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the
  type area is 156 × 225 mm (§5.2.2).
- 22 lines × 28 characters a page (§5.2.3). Word's usual 公文 grid (docGrid
  type="linesAndChars") made LibreOffice set about 14 characters a line, so the grid is
  a line grid (type="lines", linePitch 579 twips = 225 mm / 22) and body text gets
  -0.25 pt character spacing: 28 × (16 − 0.25) pt = 441 pt ≤ 156 mm (442 pt); measured
  in LibreOffice (engineering/stack-notes.md): exactly 28 × 22. Tables (小四, 12 pt),
  captions and the footer opt out of the grid (snapToGrid off), or each of their lines
  would take a whole 29 pt grid line.
- Body 3号仿宋 (16 pt 仿宋_GB2312), first line indented 2 characters; title 2号小标宋
  (22 pt 方正小标宋简体) centred; first-level headings 一、 in 3号黑体; second-level （一）
  in 3号楷体 (楷体_GB2312). East-Asian language zh-CN (python-docx's default is en-US
  with 11 pt, which makes Word pick Western punctuation rules and Latin fonts).
- Page numbers "— N —" in 4号 (14 pt) half-width 宋体, 7 mm below the type area,
  odd pages right and even pages left, one character in from the edge (§7.5).

Template language (docxtpl, Jinja2 on the document XML): `{%p … %}` tags own their
paragraph, `{%tr … %}` their table row, `{%tc … %}` their table cell. The three data
tables of sections 二、三、四 are one macro (`data_table`) holding one table whose
columns come from `{%tc for %}` and rows from `{%tr for %}`, so a new column in the
context needs no template change and the tables cannot drift apart. This beat building
the tables with python-docx in a subdocument: the table's look (borders, bold header
and total rows, header repeated on each page, rows kept whole) stays in the template,
where staff can restyle it in Word, and there is one rendering path instead of two.
Widths are left to Word (tcW auto, table 100 %); docxtpl fixes the tblGrid to the
rendered column count. Traffic lights shade cells through an expression in w:shd's
fill. A chart's paragraph holds only `{{ chart.cid }}`: render_docx swaps it for the
image, so the template context stays plain data.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "reports_templates" / "ten_day.docx"

# Page (GB/T 9704 §5.2).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_AREA_WIDTH = Mm(156)
# The page number's dashes sit 7 mm below the type area (35 − 7 = 28 mm from the
# bottom edge); a 14 pt line is about 5 mm tall, so its bottom is about 25 mm up.
FOOTER_DISTANCE = Mm(25)
HEADER_DISTANCE = Mm(15)
LINE_PITCH_TWIPS = "579"  # 225 mm / 22 lines = 637.8 pt / 22 = 28.99 pt = 579.8 twips
BODY_CHAR_SPACING = "-5"  # twentieths of a point: -0.25 pt, 28 characters a line

# Type (GB/T 9704 §7.3; 号 sizes: 2号 22 pt, 3号 16 pt, 4号 14 pt).
BODY_SIZE, TITLE_SIZE, PAGE_NUMBER_SIZE, TABLE_SIZE = Pt(16), Pt(22), Pt(14), Pt(12)
FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
WESTERN = "Times New Roman"  # digits and Latin letters in body text, the usual 公文 practice
EAST_ASIAN_LANGUAGE = "zh-CN"
FIRST_LINE_CHARS = "200"  # hundredths of a character: 2 characters
MASTHEAD_RED = "C00000"
FIXED_TIME = dt.datetime(2026, 1, 1)  # package and core-property dates: the build is reproducible

# Traffic lights as cell shading, as in the email (pale, so the figures stay legible in print).
LIGHT_FILLS = 'dict(red="F4CCCC", orange="FCE5CD", yellow="FFF2CC")'


def build(path: Path = TEMPLATE_PATH) -> None:
    """Write the template to `path`."""
    document = Document()
    _set_up_page(document)
    _set_up_styles(document)
    _write_footers(document)
    _write_body(document)
    _put_properties_in_order(document)
    _describe(document)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_with_fixed_timestamps(buffer.getvalue()))


def _describe(document: WordDocument) -> None:
    properties = document.core_properties
    properties.title = "旬简报（GB/T 9704 版式模板）"
    properties.author = properties.last_modified_by = "govbrief"
    properties.comments = "built by scripts/build_docx_template.py; rebuild instead of editing by hand"
    properties.created = properties.modified = FIXED_TIME


def _with_fixed_timestamps(package: bytes) -> bytes:
    """Same bytes for the same script: zip entries get a fixed date instead of the build time."""
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry))
    return result.getvalue()


# --- page ---------------------------------------------------------------------------


def _set_up_page(document: WordDocument) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    grid = _child(section._sectPr, "w:docGrid")
    for name in list(grid.attrib):
        del grid.attrib[name]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), LINE_PITCH_TWIPS)
    # Odd pages carry the number on the right, even pages on the left (§7.5).
    document.settings.odd_and_even_pages_header_footer = True


# --- styles -------------------------------------------------------------------------


def _set_up_styles(document: WordDocument) -> None:
    _set_document_defaults(document)
    normal = _style(document, "Normal")
    _font(normal, FANGSONG, BODY_SIZE)
    _char_spacing(normal, BODY_CHAR_SPACING)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _no_paragraph_spacing(normal)

    body = _style(document, "Body Text")
    _no_paragraph_spacing(body)
    body.paragraph_format.first_line_indent = BODY_SIZE * 2
    _first_line_chars(body)

    _heading(_style(document, "Heading 1"), HEITI)
    _heading(_style(document, "Heading 2"), KAITI)
    _heading_first_line_indent(_style(document, "Heading 1"))
    _heading_first_line_indent(_style(document, "Heading 2"))

    title = _paragraph_style(document, "Brief Title", XIAOBIAOSONG, TITLE_SIZE, centred=True)
    _char_spacing(title, "0")
    _paragraph_style(document, "Brief Masthead", FANGSONG, BODY_SIZE, centred=True)
    _paragraph_style(document, "Brief Figure", FANGSONG, BODY_SIZE, centred=True)
    caption = _paragraph_style(document, "Brief Caption", KAITI, TABLE_SIZE, centred=True)
    _off_grid(caption)
    table_text = _paragraph_style(document, "Table Text", FANGSONG, TABLE_SIZE, centred=True)
    _char_spacing(table_text, "0")
    _off_grid(table_text)
    note = _paragraph_style(document, "Table Note", FANGSONG, TABLE_SIZE, centred=False)
    _off_grid(note)

    footer = _style(document, "Footer")
    _font(footer, SONGTI, PAGE_NUMBER_SIZE, western=SONGTI)
    _char_spacing(footer, "0")
    _off_grid(footer)


def _style(document: WordDocument, name: str) -> ParagraphStyle:
    style = document.styles[name]
    assert isinstance(style, ParagraphStyle), name
    return style


def _set_document_defaults(document: WordDocument) -> None:
    """docDefaults: 3号仿宋, zh-CN, no spacing after paragraphs (python-docx: 11 pt, en-US)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults, FANGSONG, WESTERN)
    for tag in ("w:sz", "w:szCs"):
        run_defaults.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    _set_language(run_defaults)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _paragraph_style(document: WordDocument, name: str, east_asian: str, size: Pt, *, centred: bool) -> ParagraphStyle:
    style: ParagraphStyle = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _font(style, east_asian, size)
    _no_paragraph_spacing(style)
    if centred:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return style


def _heading(style: ParagraphStyle, east_asian: str) -> None:
    """Built-in headings (so Word's navigation pane works), restyled: 3号, black, not bold."""
    _font(style, east_asian, BODY_SIZE)
    style.font.bold = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _no_paragraph_spacing(style)
    style.paragraph_format.keep_with_next = True


def _heading_first_line_indent(style: ParagraphStyle) -> None:
    """公文 headings start two characters in, like body paragraphs."""
    style.paragraph_format.first_line_indent = BODY_SIZE * 2
    _first_line_chars(style)


def _font(style: ParagraphStyle, east_asian: str, size: Pt, *, western: str = WESTERN) -> None:
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, east_asian, western)
    _set_language(rpr)
    style.font.size = size
    _child(rpr, "w:szCs").set(qn("w:val"), str(int(size.pt * 2)))  # complex-script size, kept equal


def _child(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The child element `tag`, added when missing (schema order is restored at the end)."""
    child: BaseOxmlElement | None = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    return child


def _set_fonts(rpr: BaseOxmlElement, east_asian: str, western: str) -> None:
    """Explicit font names; theme attributes (asciiTheme, …) would override them, so they go."""
    fonts = _child(rpr, "w:rFonts")
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for attribute, value in (("ascii", western), ("hAnsi", western), ("eastAsia", east_asian), ("cs", western)):
        fonts.set(qn(f"w:{attribute}"), value)


def _set_language(rpr: BaseOxmlElement) -> None:
    language = _child(rpr, "w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def _char_spacing(style: ParagraphStyle, twentieths: str) -> None:
    _child(style.element.get_or_add_rPr(), "w:spacing").set(qn("w:val"), twentieths)


def _first_line_chars(style: ParagraphStyle) -> None:
    """Indent in characters (firstLineChars), so it stays 2 characters if the size changes."""
    indent = style.element.get_or_add_pPr().find(qn("w:ind"))
    indent.set(qn("w:firstLineChars"), FIRST_LINE_CHARS)


def _no_paragraph_spacing(style: ParagraphStyle) -> None:
    """Lines follow the grid: no space before or after, single spacing."""
    paragraph = style.paragraph_format
    paragraph.space_before, paragraph.space_after = Pt(0), Pt(0)
    paragraph.line_spacing = 1.0


def _off_grid(style: ParagraphStyle) -> None:
    """Small text (tables, captions, footer) must not snap to the 29 pt body grid."""
    _child(style.element.get_or_add_pPr(), "w:snapToGrid").set(qn("w:val"), "0")


# --- footers ------------------------------------------------------------------------


def _write_footers(document: WordDocument) -> None:
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Paragraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """Page number "— N —": an em dash each side of a PAGE field, one character in from the edge."""
    paragraph.style = "Footer"
    paragraph.alignment = alignment
    indent = PAGE_NUMBER_SIZE
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end), as Word writes it."""
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("result", placeholder)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "result":
            run.text = text or ""
        else:
            run._r.append(_fld_char(kind))
    paragraph.add_run()._r.append(_fld_char("end"))


def _fld_char(kind: str) -> BaseOxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


# --- body ---------------------------------------------------------------------------

# (style, text) in order. Text may hold several runs: "\t" becomes a tab. None as
# the style marks a block written by a function (tables).
SET_UP = [
    ("Normal", '{%p set level_zh = dict(red="红色", orange="橙色", yellow="黄色") %}'),
    ("Normal", "{%p set fills = " + LIGHT_FILLS + " %}"),
    ("Normal", "{%p macro data_table(t) %}"),
    (None, "data_table"),
    ("Normal", "{%p if t.note %}"),
    ("Table Note", "{{ t.note }}"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p endmacro %}"),
]
MASTHEAD = [
    ("Brief Title", "{{ title }}"),
    ("Brief Masthead", "{{ issue_label }}"),
    ("Brief Masthead", "{{ period.label_zh }}（{{ period.range_zh }}）"),
    (None, "office_line"),
    ("Normal", "{%p if correction %}"),
    ("Body Text", "【更正】{{ correction }}"),
    ("Normal", "{%p endif %}"),
]
OVERVIEW = [
    ("Heading 1", "一、总体情况"),
    ("Normal", "{%p for sentence in overview.sentences %}"),
    ("Body Text", "{{ sentence }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p for accident in overview.major_accidents %}"),
    (
        "Body Text",
        "{{ accident.unit }}{{ accident.occurred_on_zh }}{{ accident.sector }}{{ accident.grade }}事故："
        "死亡{{ accident.deaths }}人，重伤{{ accident.serious_injuries }}人，"
        "直接经济损失{{ accident.direct_loss_wan }}万元。",
    ),
    ("Body Text", "{{ accident.summary }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p for chart in charts %}"),
    ("Brief Figure", "{{ chart.cid }}"),  # replaced by the chart image after rendering
    ("Brief Caption", "图{{ loop.index }}　{{ chart.title }}"),
    ("Normal", "{%p endfor %}"),
]
TABLE_SECTIONS = [
    ("Heading 1", "二、重点行业领域"),
    ("Normal", "{{p data_table(sector_table) }}"),
    ("Heading 1", "三、隐患排查整治"),
    ("Normal", "{{p data_table(hazard_table) }}"),
    ("Heading 1", "四、监管执法"),
    ("Normal", "{{p data_table(enforcement_table) }}"),
]
DEBT = [
    ("Heading 1", "五、债务风险提示"),
    ("Normal", "{%p for flag in debt_alerts %}"),
    ("Body Text", "{{ flag }}"),
    ("Normal", "{%p else %}"),
    ("Body Text", "本期无债务风险红色提示。"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p if debt_note %}"),
    ("Body Text", "{{ debt_note }}"),
    ("Normal", "{%p endif %}"),
]
SUBMISSIONS = [
    ("Heading 1", "六、报送情况"),
    ("Body Text", "{{ submission_summary }}"),
    (None, "submissions_table"),
]
PROBLEMS = [
    ("Heading 1", "七、存在问题和下步工作"),
    ("Heading 2", "（一）存在问题"),
    ("Normal", "{%p for alert in alerts %}"),
    ("Body Text", "{{ loop.index }}．【{{ level_zh[alert.level] }}】{{ alert.text }}"),
    ("Normal", "{%p else %}"),
    ("Body Text", "本期未发现需要提示的问题。"),
    ("Normal", "{%p endfor %}"),
    ("Heading 2", "（二）下步工作"),
    ("Normal", "{%p for step in next_steps %}"),
    ("Body Text", "{{ loop.index }}．{{ step }}"),
    ("Normal", "{%p endfor %}"),
]
BODY = SET_UP + MASTHEAD + OVERVIEW + TABLE_SECTIONS + DEBT + SUBMISSIONS + PROBLEMS

# (header, width) of the 报送情况 table.
SUBMISSION_COLUMNS = [("县市区", Mm(26)), ("报送情况", Mm(28)), ("说明", Mm(102))]


def _write_body(document: WordDocument) -> None:
    blocks = {"data_table": _data_table, "submissions_table": _submissions_table, "office_line": _office_line}
    for style, text in BODY:
        if style is None:
            blocks[text](document)
        else:
            _paragraph(document, style, text)
    # python-docx starts from a document with one empty paragraph; drop it.
    first = document.paragraphs[0]
    if not first.text:
        first._p.getparent().remove(first._p)


def _paragraph(document: WordDocument, style: str, text: str) -> Paragraph:
    paragraph = document.add_paragraph(style=style)
    for index, part in enumerate(text.split("\t")):
        if index:
            paragraph.add_run().add_tab()
        paragraph.add_run(part)
    return paragraph


def _office_line(document: WordDocument) -> None:
    """Office on the left, date on the right, over the red rule of a 简报 masthead."""
    paragraph = _paragraph(document, "Brief Masthead", "{{ office }}\t{{ issued_on_zh }}")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.tab_stops.add_tab_stop(TYPE_AREA_WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", MASTHEAD_RED)):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    ppr.append(borders)


def _data_table(document: WordDocument) -> None:
    """One table for any context Table: cells repeat per column ({%tc for %}), rows per row."""
    columns = "{%tc for key, header in t.columns %}"
    rows = [
        [columns, "{{ header }}", "{%tc endfor %}"],
        ["{%tr for index in range(t.rows|length) %}", "", ""],
        [columns, "{{ t.rows[index][key] }}", "{%tc endfor %}"],
        ["{%tr endfor %}", "", ""],
        ["{%tr if t.total %}", "", ""],
        [columns, "{{ t.total[key] }}", "{%tc endfor %}"],
        ["{%tr endif %}", "", ""],
    ]
    table = _table(document, rows)
    _bold_row(table, 0)
    _bold_row(table, 5)
    for width in table._tbl.iter(qn("w:tcW")):
        # Widths come from the column count at render time: Word autofits within 100 %.
        width.set(qn("w:type"), "auto")
        width.set(qn("w:w"), "0")
    _light_shading(table.rows[2].cells[1])


def _light_shading(cell: _Cell) -> None:
    """Shade a cell by its traffic light: an expression in w:shd's fill (docxtpl's own
    `{% cellbg %}` puts w:shd before w:tcW, out of schema order)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "{{ fills.get(t.lights.get(index|string, {}).get(key), 'auto') }}")
    cell._tc.get_or_add_tcPr().append(shading)


def _submissions_table(document: WordDocument) -> None:
    rows = [
        [header for header, _ in SUBMISSION_COLUMNS],
        ["{%tr for item in submissions %}", "", ""],
        ["{{ item.unit }}", "{{ item.status_zh }}", "{{ item.detail }}"],
        ["{%tr endfor %}", "", ""],
    ]
    table = _table(document, rows)
    _bold_row(table, 0)
    for column, (_, width) in zip(table.columns, SUBMISSION_COLUMNS, strict=True):
        for cell in column.cells:
            cell.width = width
    for cell in table.rows[2].cells[2:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT


def _table(document: WordDocument, rows: list[list[str]]) -> Table:
    """A full-width grid table in Table Text, header row repeated on each page, rows unsplit."""
    table: Table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        _row_flags(row._tr, header=index == 0)
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0].style = document.styles["Table Text"]
            cell.paragraphs[0].add_run(text)
    width = table._tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")  # fiftieths of a percent: 100 %
    return table


def _row_flags(tr: CT_Row, *, header: bool) -> None:
    """Rows never split across pages; the header row repeats on each page."""
    properties = tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _bold_row(table: Table, index: int) -> None:
    for cell in table.rows[index].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


# Schema order of run and paragraph properties (ECMA-376 CT_RPr, CT_PPr): Word refuses
# a document whose property elements are out of order, and this script adds some by hand.
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def _put_properties_in_order(document: WordDocument) -> None:
    parts = [document.styles.element, document.element]
    for section in document.sections:
        parts += [section.footer._element, section.even_page_footer._element]
    for part in parts:
        for tag, order in (("w:rPr", RPR_ORDER), ("w:pPr", PPR_ORDER)):
            for properties in part.iter(qn(tag)):
                for child in sorted(properties, key=lambda child: _rank(order, child.tag)):
                    properties.append(child)


def _rank(order: list[str], tag: str) -> int:
    local = tag.rsplit("}", 1)[-1]
    return order.index(local) if local in order else len(order)


if __name__ == "__main__":
    build()
    print(f"wrote {TEMPLATE_PATH}")
