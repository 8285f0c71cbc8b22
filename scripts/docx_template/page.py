"""Page setup and page-number footers (GB/T 9704-2012 §5.2, §7.5).

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the
  type area is 156 × 225 mm (§5.2.2).
- 22 lines × 28 characters a page (§5.2.3). Word's usual 公文 grid (docGrid
  type="linesAndChars") made LibreOffice set about 14 characters a line, so the grid is
  a line grid (type="lines", linePitch 579 twips = 225 mm / 22) and body text gets
  -0.25 pt character spacing (styles.py): measured in LibreOffice
  (engineering/stack-notes.md): exactly 28 × 22.
- Page numbers "— N —" in 4号 (14 pt) half-width 宋体, 7 mm below the type area,
  odd pages right and even pages left, one character in from the edge (§7.5).
"""

from __future__ import annotations

import datetime as dt

from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from .ooxml import child

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_AREA_WIDTH = Mm(156)
# The page number's dashes sit 7 mm below the type area (35 − 7 = 28 mm from the
# bottom edge); a 14 pt line is about 5 mm tall, so its bottom is about 25 mm up.
FOOTER_DISTANCE = Mm(25)
HEADER_DISTANCE = Mm(15)
LINE_PITCH_TWIPS = "579"  # 225 mm / 22 lines = 637.8 pt / 22 = 28.99 pt = 579.8 twips
PAGE_NUMBER_SIZE = Pt(14)  # 4号
FIXED_TIME = dt.datetime(2026, 1, 1)  # package and core-property dates: the build is reproducible


def set_up_page(document: WordDocument) -> None:
    """A4, GB/T 9704 margins, a 22-line grid, different odd and even footers."""
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    grid = child(section._sectPr, "w:docGrid")
    for name in list(grid.attrib):
        del grid.attrib[name]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), LINE_PITCH_TWIPS)
    # Odd pages carry the number on the right, even pages on the left (§7.5).
    document.settings.odd_and_even_pages_header_footer = True


def write_footers(document: WordDocument) -> None:
    """Page numbers: right on odd pages, left on even pages."""
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
