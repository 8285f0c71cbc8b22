"""Open a return file of any format as a list of worksheets (name + rows of raw cells).

The file is read once into memory; its content, not its name, says what it
is. Spreadsheets keep their sheet names; CSV and HTML tables carry none and
are matched to the glossary by their headers. Anything that cannot be opened
raises `UnreadableWorkbook` with a rule id and a clerk-facing reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import ZipFile

from govbrief.readers.formats import (
    SNIFF_BYTES,
    FileFormat,
    declared_charset,
    decode_text,
    is_encrypted_package,
    sniff_format,
)
from govbrief.readers.formulas import FormulaCells, scan_formulas
from govbrief.readers.html_tables import parse_html_tables
from govbrief.readers.isolation import WorkbookCrashed, WorkbookPassword, calamine_sheets
from govbrief.readers.layout import HEADER_SEARCH_ROWS, Row

# No county return comes near this unzipped; a file that would is a zip bomb or not a return.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_FORMAT_NAMES = {"xlsx": "Excel工作簿（.xlsx）", "xls": "Excel 97-2003工作簿（.xls）", "csv": "CSV", "html": "HTML"}


@dataclass(frozen=True)
class Worksheet:
    """A worksheet's name and cells (row 0 = Excel row 1); `named` is False for CSV and HTML tables."""

    name: str
    rows: Sequence[Row]
    named: bool = True
    formulas: FormulaCells = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedFile:
    """A file's real format, its worksheets in file order, and title texts found outside them."""

    file_format: FileFormat
    worksheets: list[Worksheet]
    titles: list[str] = field(default_factory=list)


class UnreadableWorkbook(Exception):
    """The file cannot be opened as a return; carries the rule id and the clerk-facing reason."""

    def __init__(self, rule: str, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.rule = rule
        self.message_zh = message_zh
        self.message_en = message_en


def _corrupt(file_format: FileFormat, exc: BaseException) -> UnreadableWorkbook:
    kind = _FORMAT_NAMES[file_format]
    return UnreadableWorkbook(
        "unreadable_file",
        f"文件已损坏，无法作为{kind}读取（{exc}）",
        f"corrupt, cannot be read as {file_format} ({exc})",
    )


def _password_protected() -> UnreadableWorkbook:
    return UnreadableWorkbook(
        "password_protected", "工作簿设有密码，无法读取，请取消密码后重报", "the workbook is password-protected"
    )


def _check_unzipped_size(archive: ZipFile) -> None:
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNZIPPED_BYTES:
        raise UnreadableWorkbook(
            "expands_too_large",
            f"工作簿解压后达{total // 2**20}MB，远超正常报表，拒绝读取",
            f"the workbook would expand to {total // 2**20} MB unzipped; refused",
        )


def _calamine_sheets(data: bytes) -> list[Worksheet]:
    # In a child process: a damaged workbook can make calamine allocate gigabytes and abort.
    return [Worksheet(name, rows) for name, rows in calamine_sheets(data)]


def _formulas_or_none(archive: ZipFile) -> dict[str, FormulaCells]:
    try:
        return scan_formulas(archive)
    except Exception:  # calamine read the cells; an odd part layout only costs the formula warnings
        return {}


def _load_xlsx(data: bytes) -> LoadedFile:
    with ZipFile(io.BytesIO(data)) as archive:
        _check_unzipped_size(archive)
        sheets = _calamine_sheets(data)
        formulas = _formulas_or_none(archive) if "xl/workbook.xml" in archive.namelist() else {}
    return LoadedFile("xlsx", [Worksheet(s.name, s.rows, True, formulas.get(s.name, {})) for s in sheets])


def _load_xls(data: bytes) -> LoadedFile:
    return LoadedFile("xls", _calamine_sheets(data))


def _text_or_fail(data: bytes, file_format: FileFormat, declared: str | None = None) -> str:
    text = decode_text(data, declared=declared)
    if text is None:
        raise UnreadableWorkbook(
            "unreadable_file",
            "无法识别文件的文字编码（应为UTF-8或GBK/GB18030）",
            f"cannot decode the {file_format} text (expected UTF-8 or GBK/GB18030)",
        )
    return text


def _delimiter(text: str) -> str:
    """Tab for Excel's "Unicode text" export, else comma; judged past any title line."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    return "\t" if head.count("\t") > head.count(",") else ","


def _load_csv(data: bytes) -> LoadedFile:
    text = _text_or_fail(data, "csv")
    rows: list[Row] = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    return LoadedFile("csv", [Worksheet("", rows, named=False)])


def _load_html(data: bytes) -> LoadedFile:
    page = parse_html_tables(_text_or_fail(data, "html", declared_charset(data)))
    worksheets = [Worksheet("", [list[object](row) for row in grid], named=False) for grid in page.grids]
    return LoadedFile("html", worksheets, page.titles)


_LOADERS = {"xlsx": _load_xlsx, "xls": _load_xls, "csv": _load_csv, "html": _load_html}


def _format_of(data: bytes, file_format: FileFormat | None) -> FileFormat:
    if not data:
        raise UnreadableWorkbook("empty_file", "文件为空", "the file is empty")
    found = file_format or sniff_format(data[:SNIFF_BYTES])
    if found is None:
        raise UnreadableWorkbook(
            "unreadable_file",
            "无法识别的文件：不是Excel工作簿、CSV或HTML表格",
            "not a workbook, a CSV or an HTML table",
        )
    return found


def load_file(path: Path, file_format: FileFormat | None = None) -> LoadedFile:
    """The file's worksheets; `file_format` when the caller already sniffed it, else sniffed here."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableWorkbook("unreadable_file", f"无法打开文件（{exc.strerror}）", f"cannot open ({exc})") from None
    found = _format_of(data, file_format)
    if is_encrypted_package(data):  # whatever the caller took it for: Office encrypts into OLE2
        raise _password_protected()
    try:
        return _LOADERS[found](data)
    except UnreadableWorkbook:
        raise
    except WorkbookPassword:
        raise _password_protected() from None
    except WorkbookCrashed:
        raise UnreadableWorkbook(
            "workbook_too_large",
            "工作簿已损坏或表格范围异常巨大，读取时超出内存上限，请另存为正常的Excel文件后重报",
            "the workbook is damaged or declares an enormous sheet; reading it exceeded the memory limit",
        ) from None
    except Exception as exc:
        raise _corrupt(found, exc) from None
