"""Read one county return (a workbook) into canonical frames, one per glossary sheet.

The reader turns cells into typed canonical values and reports every cell it
cannot read, in one pass, as Problems. It never raises on bad content: a
corrupt file is one `unreadable_file` error. Business rules (known sectors,
dates inside the period, grades) belong to the validation suites.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook, PasswordError

from govbrief.glossary import ReturnKind, Sheet
from govbrief.problems import Problem
from govbrief.readers.frames import build_frame, empty_frame
from govbrief.readers.headers import normalize_header, sheet_name_keys
from govbrief.readers.table import (
    HEADER_SEARCH_ROWS,
    HeaderMatch,
    Location,
    Row,
    find_header,
    parse_rows,
    required_ids,
    says_none,
)

# calamine sniffs .xlsx/.xlsm/.xlsb/.xls/.ods by content, whatever the name says;
# these text formats need loaders of their own (not written yet).
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".htm", ".html"})


@dataclass
class ReadResult:
    """Canonical frames by glossary sheet id (every sheet present, maybe empty) and all problems."""

    frames: dict[str, pd.DataFrame]
    problems: list[Problem]


@dataclass(frozen=True)
class Worksheet:
    """A worksheet's actual name and its cells, row 0 being Excel row 1."""

    name: str
    rows: Sequence[Row]


class UnreadableWorkbook(Exception):
    """The file cannot be opened as a workbook; carries the clerk-facing reason."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def _is_rust_panic(exc: BaseException) -> bool:
    # A malformed file can make calamine panic; pyo3 raises that as a BaseException.
    return type(exc).__name__ == "PanicException"


def _find_worksheets(names: list[str], kind: ReturnKind) -> dict[str, str]:
    """Glossary sheet id → actual worksheet name, matched by name_zh or aliases."""
    keys = {name: normalize_header(name) for name in names}
    found: dict[str, str] = {}
    for sheet in kind.sheets:
        match = next((name for name, key in keys.items() if key in sheet_name_keys(sheet)), None)
        if match is not None:
            found[sheet.id] = match
    return found


def _open_calamine(path: Path, kind: ReturnKind) -> dict[str, Worksheet]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        found = _find_worksheets(list(book.sheet_names), kind)
        return {
            sheet_id: Worksheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for sheet_id, name in found.items()
        }
    finally:
        book.close()


def load_worksheets(path: Path, kind: ReturnKind) -> dict[str, Worksheet]:
    """The return's worksheets by glossary sheet id (absent ones left out); raise UnreadableWorkbook."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        raise UnreadableWorkbook(
            f"暂不支持的文件格式：{path.suffix}", f"file type not supported yet: {path.suffix}"
        )
    try:
        if path.stat().st_size == 0:
            raise UnreadableWorkbook("文件为空", "the file is empty")
        return _open_calamine(path, kind)
    except UnreadableWorkbook:
        raise
    except PasswordError:
        raise UnreadableWorkbook("工作簿设有密码，无法读取", "the workbook is password-protected") from None
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_rust_panic(exc):
            raise
        raise UnreadableWorkbook(
            f"文件已损坏或不是Excel工作簿（{exc}）", f"corrupt or not an Excel workbook ({exc})"
        ) from None


def _problem(
    where: Location, rule: str, zh: str, en: str, *, row: int | None = None, column: str = ""
) -> Problem:
    """An error at sheet level, or at one header cell."""
    return Problem("error", rule, zh, en, file=where.file, sheet=where.sheet, row=row, column=column)


def _missing_columns(header: HeaderMatch, sheet: Sheet, where: Location) -> list[Problem]:
    present = set(header.columns.values())
    return [
        _problem(
            where,
            "missing_column",
            f"缺少“{column.header}”列",
            f"column {column.header!r} is missing",
            row=header.row_index + 1,
            column=column.header,
        )
        for column in sheet.columns
        if column.required and column.id not in present
    ]


def _headerless(rows: Sequence[Row], sheet: Sheet, where: Location) -> list[Problem]:
    """No header row: fine if the clerk wrote 无, a warning if the sheet is blank, else an error."""
    cells = [cell for row in rows for cell in row if cell not in (None, "")]
    if any(says_none(cell) for cell in cells):
        return []
    if not cells:
        return [
            replace(_problem(where, "empty_sheet", "工作表为空", "the sheet is empty"), severity="warning")
        ]
    expected = "、".join(c.header for c in sheet.columns if c.id in required_ids(sheet))
    return [
        _problem(
            where,
            "missing_header",
            f"前{HEADER_SEARCH_ROWS}行中找不到表头（应包含：{expected}）",
            f"no header row in the first {HEADER_SEARCH_ROWS} rows (expected: {expected})",
        )
    ]


def read_sheet(worksheet: Worksheet, sheet: Sheet, file_label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """One worksheet → the sheet's canonical frame and the problems met on the way."""
    where = Location(file_label, worksheet.name)
    header = find_header(worksheet.rows, sheet)
    if header is None:
        return empty_frame(sheet, worksheet.name), _headerless(worksheet.rows, sheet, where)
    table = parse_rows(worksheet.rows, sheet, header, where)
    frame = build_frame(sheet, table.values, table.excel_rows, worksheet.name)
    return frame, _missing_columns(header, sheet, where) + table.problems


def _missing_sheet(sheet: Sheet, file_label: str) -> list[Problem]:
    if sheet.optional:
        return []
    where = Location(file_label, sheet.name_zh)
    zh, en = f"缺少工作表“{sheet.name_zh}”", f"sheet {sheet.name_zh!r} is missing"
    return [_problem(where, "missing_sheet", zh, en)]


def read_return(path: Path, kind: ReturnKind, *, display_name: str | None = None) -> ReadResult:
    """Read a return workbook into canonical frames (by sheet id) and every problem found."""
    label = display_name or path.name
    try:
        worksheets = load_worksheets(path, kind)
    except UnreadableWorkbook as exc:
        problem = Problem("error", "unreadable_file", exc.message_zh, exc.message_en, file=label)
        return ReadResult({sheet.id: empty_frame(sheet) for sheet in kind.sheets}, [problem])
    result = ReadResult(frames={}, problems=[])
    for sheet in kind.sheets:
        if sheet.id not in worksheets:
            result.frames[sheet.id] = empty_frame(sheet)
            result.problems.extend(_missing_sheet(sheet, label))
            continue
        frame, problems = read_sheet(worksheets[sheet.id], sheet, label)
        result.frames[sheet.id] = frame
        result.problems.extend(problems)
    return result
