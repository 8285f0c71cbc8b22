"""Read one county return (.xlsx, .xls, CSV or an HTML table) into canonical frames, one per glossary sheet.

The reader turns cells into typed canonical values and reports every cell it
cannot read, in one pass, as Problems. It never raises on bad content: a file
that cannot be opened is one error (unreadable_file, empty_file,
password_protected, expands_too_large). Business rules (known sectors, dates
inside the period, grades) belong to the validation suites.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from govbrief.glossary import ReturnKind, Sheet
from govbrief.problems import Problem
from govbrief.readers.assign import assign_worksheets
from govbrief.readers.cells import show
from govbrief.readers.formats import FILE_FORMATS, FileFormat
from govbrief.readers.frames import build_frame, empty_frame
from govbrief.readers.layout import HEADER_SEARCH_ROWS, HeaderMatch, Row, find_header, required_ids
from govbrief.readers.loaders import UnreadableWorkbook, Worksheet, load_file
from govbrief.readers.table import COUNTY, Location, parse_rows, says_none


@dataclass
class ReadResult:
    """Canonical frames by glossary sheet id (every sheet present, maybe empty), all problems, and
    what the intake needs to tell whose return it is: title rows, sheet names, the 县市区 values."""

    frames: dict[str, pd.DataFrame]
    problems: list[Problem]
    file_format: str = ""  # "xlsx" | "xls" | "csv" | "html"; "" when the file could not be opened
    title_texts: list[str] = field(default_factory=list)
    county_values: list[str] = field(default_factory=list)


@dataclass
class SheetRead:
    """One worksheet read as one glossary sheet."""

    frame: pd.DataFrame
    problems: list[Problem]
    titles: list[str]
    counties: list[str] = field(default_factory=list)


def _problem(where: Location, rule: str, zh: str, en: str, *, row: int | None = None, column: str = "") -> Problem:
    """An error at sheet level, or at one header cell."""
    return Problem("error", rule, zh, en, file=where.file, sheet=where.sheet, row=row, column=column)


def _missing_columns(header: HeaderMatch, sheet: Sheet, where: Location) -> list[Problem]:
    present = set(header.columns.values())
    unknown = "、".join(header.unknown_labels())
    hint_zh, hint_en = (
        (f"（表头中未识别的列：{unknown}）", f" (unrecognised headers: {unknown})") if unknown else ("", "")
    )
    return [
        _problem(
            where,
            "missing_column",
            f"缺少“{column.header}”列{hint_zh}",
            f"column {column.header!r} is missing{hint_en}",
            row=header.top + 1,
            column=column.header,
        )
        for column in sheet.columns
        if column.required and column.id not in present
    ]


def _row_text(row: Row) -> str:
    return " ".join(text for cell in row if (text := show(cell)))


def _texts(rows: Iterable[Row]) -> list[str]:
    return [text for row in rows if (text := _row_text(row))]


def _headerless(rows: Sequence[Row], sheet: Sheet, where: Location) -> list[Problem]:
    """No header row: fine if the clerk wrote 无, a warning if the sheet is blank, else an error."""
    cells = [cell for row in rows for cell in row if show(cell)]
    if any(says_none(cell) for cell in cells):
        return []
    if not cells:
        return [replace(_problem(where, "empty_sheet", "工作表为空", "the sheet is empty"), severity="warning")]
    expected = "、".join(c.header for c in sheet.columns if c.id in required_ids(sheet))
    return [
        _problem(
            where,
            "missing_header",
            f"前{HEADER_SEARCH_ROWS}行中找不到表头（应包含：{expected}）",
            f"no header row in the first {HEADER_SEARCH_ROWS} rows (expected: {expected})",
        )
    ]


def read_sheet(worksheet: Worksheet, sheet: Sheet, file_label: str) -> SheetRead:
    """One worksheet → the sheet's canonical frame, the problems met on the way, its title rows."""
    name = worksheet.name if worksheet.named else sheet.name_zh
    where = Location(file_label, name)
    header = find_header(worksheet.rows, sheet)
    if header is None:
        titles = _texts(worksheet.rows[:HEADER_SEARCH_ROWS])
        return SheetRead(empty_frame(sheet, name), _headerless(worksheet.rows, sheet, where), titles)
    table = parse_rows(worksheet.rows, sheet, header, where, worksheet.formulas)
    frame = build_frame(sheet, table.values, table.excel_rows, name)
    problems = _missing_columns(header, sheet, where) + table.problems
    counties = [str(value) for value in table.values.get(COUNTY, []) if value is not None]
    return SheetRead(frame, problems, _texts(worksheet.rows[: header.top]), counties)


def _missing_sheet(sheet: Sheet, file_label: str, file_format: FileFormat) -> list[Problem]:
    if sheet.optional:
        return []
    where = Location(file_label, sheet.name_zh)
    zh, en = f"缺少工作表“{sheet.name_zh}”", f"sheet {sheet.name_zh!r} is missing"
    if file_format in ("csv", "html"):
        zh += "（该文件只含一张表，请以Excel工作簿报送全部工作表）"
        en += " (this file holds one table only; send the workbook with every sheet)"
    return [_problem(where, "missing_sheet", zh, en)]


def _unreadable(exc: UnreadableWorkbook, kind: ReturnKind, label: str) -> ReadResult:
    problem = Problem("error", exc.rule, exc.message_zh, exc.message_en, file=label)
    return ReadResult({sheet.id: empty_frame(sheet) for sheet in kind.sheets}, [problem])


def read_return(
    path: Path, kind: ReturnKind, *, display_name: str | None = None, file_format: str | None = None
) -> ReadResult:
    """Read a return into canonical frames (by sheet id) and every problem found.

    `file_format` is the format the caller sniffed from the content ("xlsx", "xls",
    "csv" or "html"); when None (or unknown) the reader sniffs the first bytes itself.
    """
    label = display_name or path.name
    known = next((f for f in FILE_FORMATS if f == file_format), None)
    try:
        loaded = load_file(path, known)
    except UnreadableWorkbook as exc:
        return _unreadable(exc, kind, label)
    assigned = assign_worksheets(loaded.worksheets, kind)
    result = ReadResult({}, [], loaded.file_format, [*loaded.titles])
    result.title_texts.extend(w.name.strip() for w in loaded.worksheets if w.named and w.name.strip())
    for sheet in kind.sheets:
        if sheet.id not in assigned:
            result.frames[sheet.id] = empty_frame(sheet)
            result.problems.extend(_missing_sheet(sheet, label, loaded.file_format))
            continue
        read = read_sheet(assigned[sheet.id], sheet, label)
        result.frames[sheet.id] = read.frame
        result.problems.extend(read.problems)
        result.title_texts.extend(read.titles)
        result.county_values.extend(read.counties)
    result.title_texts = list(dict.fromkeys(result.title_texts))
    result.county_values = list(dict.fromkeys(result.county_values))
    return result
