"""The python-docx writers: a list of (style, text) entries becomes paragraphs, and the named
blocks (the office line, the data table macro's table, the 报送情况 table) their own markup."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .page import TYPE_AREA_WIDTH

# (style, text): a paragraph in that style, "\t" in the text becoming a tab; style None
# names a block written by a function of BLOCKS instead.
Entry = tuple[str | None, str]

MASTHEAD_RED = "C00000"
# (header, width) of the 报送情况 table.
SUBMISSION_COLUMNS = [("县市区", Mm(26)), ("报送情况", Mm(28)), ("说明", Mm(102))]


def write_entries(document: WordDocument, entries: Sequence[Entry]) -> None:
    """Write the body, entry by entry, into a new document."""
    blocks: dict[str, Callable[[WordDocument], None]] = {
        "data_table": _data_table,
        "submissions_table": _submissions_table,
        "office_line": _office_line,
    }
    for style, text in entries:
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
