"""One worksheet's cells → canonical column values: header detection, row classification, parsing.

Title rows above the header, footer rows (填表人…), 合计 rows, blank rows and
"nothing to report" rows (无, 本旬无事故) are recognised and skipped; every
other row below the header is data and every cell in it is parsed by its
column's type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from govbrief.glossary import Column, ColumnType, Sheet
from govbrief.problems import Problem
from govbrief.readers.cells import Parsed, parse_date, parse_int, parse_number, parse_text, show
from govbrief.readers.headers import match_columns

Row = Sequence[object]
HEADER_SEARCH_ROWS = 10  # real forms carry at most a few title rows
_SAYS_NONE = re.compile(r"(本[旬月期季年]度?)?(无|没有).{0,10}")
_TOTAL = re.compile(r"(全[县市区]|本[旬月期])?(合计|总计|小计)")
_FOOTER = re.compile(r"(填表|填报|审核|制表|负责人|单位负责人|统计负责人|联系人|联系电话|备注|说明|注[:：])")
COUNTY = "county"


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header row is (0-based) and which cell holds which column."""

    row_index: int
    columns: dict[int, str]


@dataclass
class Location:
    """Where cells come from, for the Problems they cause."""

    file: str
    sheet: str


@dataclass
class ParsedTable:
    """A sheet's data as column id → values, with each value row's Excel row number."""

    values: dict[str, list[object]]
    excel_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _text(raw: object) -> str:
    return unicodedata.normalize("NFKC", raw).replace(" ", "").strip() if isinstance(raw, str) else ""


def says_none(raw: object) -> bool:
    """True for a cell that tells "nothing to report": 无, 本旬无事故, 没有."""
    return bool(_SAYS_NONE.fullmatch(_text(raw)))


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def required_ids(sheet: Sheet) -> set[str]:
    """The ids of the columns a sheet must have."""
    return {c.id for c in sheet.columns if c.required}


def find_header(rows: Sequence[Row], sheet: Sheet) -> HeaderMatch | None:
    """The first row among the first few that names most of the sheet's required columns."""
    required = required_ids(sheet)
    best: HeaderMatch | None = None
    best_score = 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = match_columns(list(row), sheet)
        score = len(required & set(columns.values()))
        if score > best_score:
            best, best_score = HeaderMatch(index, columns), score
        if score == len(required):
            break
    return best if best_score * 2 >= max(len(required), 1) else None


def is_nothing_row(cells: dict[str, object]) -> bool:
    """Blank, or only a county name beside 无 / 本旬无事故: the row reports nothing."""
    filled = {cid: raw for cid, raw in cells.items() if not _is_empty(raw)}
    if not filled:
        return True
    rest = [raw for cid, raw in filled.items() if cid != COUNTY]
    return any(says_none(raw) for raw in filled.values()) and all(says_none(raw) for raw in rest)


def is_skipped_row(cells: dict[str, object]) -> bool:
    """A row that is not data: blank, 无, a 合计 row or a footer such as 填表人：…"""
    if is_nothing_row(cells):
        return True
    texts = [_text(raw) for raw in cells.values() if isinstance(raw, str) and raw.strip()]
    if any(_TOTAL.fullmatch(text) for text in texts):
        return True
    first = next((raw for raw in cells.values() if not _is_empty(raw)), None)
    return bool(_FOOTER.match(_text(first)))


def _parser(column: Column) -> Callable[[object], Parsed[object]]:
    """The parser for a column's type (counts and amounts know whether blank means 0)."""
    parsers: dict[ColumnType, Callable[[object], Parsed[object]]] = {
        "int": lambda raw: parse_int(raw, required=column.required),
        "number": lambda raw: parse_number(raw, required=column.required),
        "date": parse_date,
        "text": parse_text,
    }
    return parsers[column.type]


def _cells(row: Row, header: HeaderMatch) -> dict[str, object]:
    """Column id → raw cell of one row, in the workbook's column order."""
    return {cid: row[index] if index < len(row) else None for index, cid in header.columns.items()}


def _parse_row(cells: dict[str, object], sheet: Sheet, excel_row: int, where: Location) -> ParsedTable:
    """One data row's values (None for a column the sheet lacks) and its cell problems."""
    row = ParsedTable(values={})
    for column in sheet.columns:
        if column.id not in cells:  # reported once as missing_column, not once per row
            row.values[column.id] = [None]
            continue
        raw = cells[column.id]
        parsed = _parser(column)(raw)
        row.values[column.id] = [parsed.value]
        if (issue := parsed.issue) is not None:
            row.problems.append(
                Problem(
                    issue.severity,
                    issue.rule,
                    issue.message_zh,
                    issue.message_en,
                    file=where.file,
                    sheet=where.sheet,
                    row=excel_row,
                    column=column.header,
                    value=show(raw),
                )
            )
    return row


def parse_rows(rows: Sequence[Row], sheet: Sheet, header: HeaderMatch, where: Location) -> ParsedTable:
    """Parse every data row below the header; collect a Problem for each unreadable cell."""
    table = ParsedTable(values={c.id: [] for c in sheet.columns})
    for index in range(header.row_index + 1, len(rows)):
        cells = _cells(rows[index], header)
        if is_skipped_row(cells):
            continue
        parsed = _parse_row(cells, sheet, index + 1, where)
        table.excel_rows.append(index + 1)
        for column_id, values in parsed.values.items():
            table.values[column_id].extend(values)
        table.problems.extend(parsed.problems)
    return table
