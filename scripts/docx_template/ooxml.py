"""Small OOXML helpers, and the schema order of run and paragraph properties."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement


def child(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The child element `tag`, added when missing (schema order is restored at the end)."""
    found: BaseOxmlElement | None = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


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


def put_properties_in_order(document: WordDocument) -> None:
    """Sort every rPr and pPr child into schema order (styles, body and footers)."""
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
