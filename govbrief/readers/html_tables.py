"""HTML tables (a web export saved with an .xls name) → grids of cells, spans laid out like Excel's.

A cell spanning rows or columns puts its text in its first position and blanks
in the others, which is how a spreadsheet reports a merged cell, so two-row
headers read the same way from either source. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_SPAN = 200  # a span beyond any real table is a typo, not a reason to build a huge grid
Grid = list[list[str]]


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)


def _span(value: str | None) -> int:
    digits = (value or "").strip()
    return min(max(int(digits), 1), MAX_SPAN) if digits.isdigit() else 1


class _TableParser(HTMLParser):
    """Collects every table's rows and cells; a table nested in a cell adds its text to that cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.title: list[str] = []
        self._open: list[_Table] = []
        self._cell: _Cell | None = None
        self._in_caption = self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open_table()
        elif tag == "tr" and len(self._open) == 1:
            self._open[0].rows.append([])
        elif tag in ("td", "th") and len(self._open) == 1:
            self._start_cell(dict(attrs))
        elif tag == "br" and self._cell is not None:
            self._cell.text.append("\n")
        self._in_caption = self._in_caption or (tag == "caption" and len(self._open) == 1)
        self._in_title = self._in_title or tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open:
            self._open.pop()
        elif tag in ("td", "th") and len(self._open) == 1:
            self._cell = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif self._in_caption and self._open:
            self._open[0].caption.append(data)
        elif self._cell is not None:
            self._cell.text.append(data)

    def _open_table(self) -> None:
        if not self._open:
            self.tables.append(_Table())
            self._open.append(self.tables[-1])
        else:  # nested: its text flows into the enclosing cell
            self._open.append(_Table())

    def _start_cell(self, attrs: dict[str, str | None]) -> None:
        table = self._open[0]
        if not table.rows:  # a cell outside any <tr>: browsers open a row for it
            table.rows.append([])
        self._cell = _Cell(rowspan=_span(attrs.get("rowspan")), colspan=_span(attrs.get("colspan")))
        table.rows[-1].append(self._cell)


def _cell_text(cell: _Cell) -> str:
    # HTML collapses runs of whitespace; an explicit <br> stays a line break.
    return "\n".join(" ".join(part.split()) for part in "".join(cell.text).split("\n")).strip()


def _lay_out(table: _Table) -> Grid:
    """The table as a rectangular-ish grid, spanned positions blank."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = _cell_text(cell)
            c += cell.colspan
    height = max((r for r, _ in grid), default=-1) + 1
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


@dataclass(frozen=True)
class HtmlTables:
    """The page's title and captions (where a unit may name itself) and its tables as grids."""

    titles: list[str]
    grids: list[Grid]


def parse_html_tables(text: str) -> HtmlTables:
    """Every top-level table of an HTML page as a grid of cell texts."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    captions = ["".join(t.caption).strip() for t in parser.tables]
    titles = [t for t in ["".join(parser.title).strip(), *captions] if t]
    return HtmlTables(titles, [_lay_out(table) for table in parser.tables])
