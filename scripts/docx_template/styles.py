"""Paragraph styles (GB/T 9704-2012 §7.3; 号 sizes: 2号 22 pt, 3号 16 pt, 4号 14 pt).

- Body 3号仿宋 (16 pt 仿宋_GB2312), first line indented 2 characters, -0.25 pt character
  spacing so 28 characters fit a line: 28 × (16 − 0.25) pt = 441 pt ≤ 156 mm (442 pt).
  Tables (小四, 12 pt), captions and the footer opt out of the line grid (snapToGrid
  off), or each of their lines would take a whole 29 pt grid line.
- Title 2号小标宋 (22 pt 方正小标宋简体) centred; first-level headings 一、 in 3号黑体;
  second-level （一） in 3号楷体 (楷体_GB2312). East-Asian language zh-CN (python-docx's
  default is en-US with 11 pt, which makes Word pick Western punctuation rules and Latin fonts).
"""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import ParagraphStyle

from .ooxml import child
from .page import PAGE_NUMBER_SIZE

BODY_SIZE, TITLE_SIZE, TABLE_SIZE = Pt(16), Pt(22), Pt(12)
FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
WESTERN = "Times New Roman"  # digits and Latin letters in body text, the usual 公文 practice
EAST_ASIAN_LANGUAGE = "zh-CN"
FIRST_LINE_CHARS = "200"  # hundredths of a character: 2 characters
BODY_CHAR_SPACING = "-5"  # twentieths of a point: -0.25 pt, 28 characters a line


def set_up_styles(document: WordDocument) -> None:
    """Document defaults, Normal/Body Text/headings restyled, and the brief's own styles."""
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
    child(rpr, "w:szCs").set(qn("w:val"), str(int(size.pt * 2)))  # complex-script size, kept equal


def _set_fonts(rpr: BaseOxmlElement, east_asian: str, western: str) -> None:
    """Explicit font names; theme attributes (asciiTheme, …) would override them, so they go."""
    fonts = child(rpr, "w:rFonts")
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for attribute, value in (("ascii", western), ("hAnsi", western), ("eastAsia", east_asian), ("cs", western)):
        fonts.set(qn(f"w:{attribute}"), value)


def _set_language(rpr: BaseOxmlElement) -> None:
    language = child(rpr, "w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def _char_spacing(style: ParagraphStyle, twentieths: str) -> None:
    child(style.element.get_or_add_rPr(), "w:spacing").set(qn("w:val"), twentieths)


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
    child(style.element.get_or_add_pPr(), "w:snapToGrid").set(qn("w:val"), "0")
