"""One worksheet's cells below its header → canonical column values: row classification, parsing.

Footer rows (填表人…), 合计 rows, blank rows and "nothing to report" rows (无,
本旬无事故) are recognised and skipped; every other row below the header is
data and every cell in it is parsed by its column's type. Formula cells give
their cached value; one without (never calculated) is an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from govbrief.glossary import Column, ColumnType, Sheet
from govbrief.problems import Problem
from govbrief.readers.cells import CellIssue, Parsed, parse_date, parse_int, parse_number, parse_text, show
from govbrief.readers.formulas import FormulaCells, cell_ref
from govbrief.readers.layout import HeaderMatch, Row

_SAYS_NONE = re.compile(r"(本[旬月期季年]度?)?(无|没有).{0,10}")
_TOTAL = re.compile(r"(全[县市区]|本[旬月期])?(合计|总计|小计)")
_FOOTER = re.compile(r"(填表|填报|审核|制表|负责人|单位负责人|统计负责人|联系人|联系电话|备注|说明|注[:：])")
COUNTY = "county"
TOTAL_LABEL_CELLS = 2  # 合计 stands in the first cell of a row, or the second after the county
NO_CACHED_VALUE = CellIssue(
    "formula_without_value",
    "error",
    "公式单元格没有计算结果（文件未经Excel/WPS计算保存），请打开后保存再报送",
    "formula cell has no calculated value (the file was never recalculated and saved)",
)


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
    formula_refs: list[tuple[str, str]] = field(default_factory=list)  # (cell address, header) used as cached


def _text(raw: object) -> str:
    return unicodedata.normalize("NFKC", raw).replace(" ", "").strip() if isinstance(raw, str) else ""


def says_none(raw: object) -> bool:
    """True for a cell that tells "nothing to report": 无, 本旬无事故, 没有."""
    return bool(_SAYS_NONE.fullmatch(_text(raw)))


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


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
    leading = [raw for raw in cells.values() if not _is_empty(raw)][:TOTAL_LABEL_CELLS]
    if any(_TOTAL.fullmatch(_text(raw)) for raw in leading):
        return True
    return bool(_FOOTER.match(_text(leading[0])))


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


@dataclass(frozen=True)
class RowContext:
    """What parsing one row needs besides its cells."""

    where: Location
    positions: dict[str, int]  # column id → cell index
    formulas: FormulaCells


def _cell_problem(issue: CellIssue, context: RowContext, excel_row: int, column: Column, raw: object) -> Problem:
    return Problem(
        issue.severity,
        issue.rule,
        issue.message_zh,
        issue.message_en,
        file=context.where.file,
        sheet=context.where.sheet,
        row=excel_row,
        column=column.header,
        value=show(raw),
    )


def _parse_cell(raw: object, column: Column, excel_row: int, context: RowContext, table: ParsedTable) -> object:
    """One cell's value; its problem (or the note that a cached formula value was used) goes to `table`."""
    position = (excel_row - 1, context.positions[column.id])
    cached = context.formulas.get(position)
    if cached is False:
        table.problems.append(_cell_problem(NO_CACHED_VALUE, context, excel_row, column, raw))
        return None
    if cached:
        table.formula_refs.append((cell_ref(*position), column.header))
    parsed = _parser(column)(raw)
    if parsed.issue is not None:
        table.problems.append(_cell_problem(parsed.issue, context, excel_row, column, raw))
    return parsed.value


def _formula_warning(table: ParsedTable, where: Location) -> list[Problem]:
    """One warning per sheet listing the formula cells whose cached values were read."""
    if not table.formula_refs:
        return []
    refs = "、".join(ref for ref, _ in table.formula_refs)
    headers = {header for _, header in table.formula_refs}
    column = headers.pop() if len(headers) == 1 else ""
    zh = f"以下单元格为公式，已采用其保存的计算结果（未重新计算）：{refs}"
    en = f"formula cells, their saved results were used (not recalculated): {refs.replace('、', ', ')}"
    return [Problem("warning", "formula_cell", zh, en, file=where.file, sheet=where.sheet, column=column, value=refs)]


def parse_rows(
    rows: Sequence[Row], sheet: Sheet, header: HeaderMatch, where: Location, formulas: FormulaCells | None = None
) -> ParsedTable:
    """Parse every data row below the header; collect a Problem for each unreadable cell."""
    table = ParsedTable(values={c.id: [] for c in sheet.columns})
    positions = {cid: index for index, cid in header.columns.items()}
    context = RowContext(where, positions, formulas or {})
    for index in range(header.row_index + 1, len(rows)):
        cells = _cells(rows[index], header)
        if is_skipped_row(cells):
            continue
        table.excel_rows.append(index + 1)
        for column in sheet.columns:
            # A column the sheet lacks is reported once as missing_column, not once per row.
            value = _parse_cell(cells[column.id], column, index + 1, context, table) if column.id in cells else None
            table.values[column.id].append(value)
    table.problems.extend(_formula_warning(table, where))
    return table
