"""Write a return in the city's clean template: per sheet a title row, the glossary headers, data.

Files are byte-for-byte reproducible (fixed zip entry times, document dates set
to the submission time), so regenerating the demo yields the same content
hashes and the archive stores nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from govbrief.glossary import Sheet

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

Record = Mapping[str, object]
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
NUMBER_FORMATS = {"number": "0.00", "date": "yyyy-mm-dd"}
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)


class _StableZipFile(ZipFile):
    """A zip whose entries all carry one fixed timestamp (openpyxl stamps them with 'now')."""

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = ZipInfo(zinfo_or_arcname, date_time=ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: str | PathLike[str],
        arcname: str | PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # openpyxl writes each worksheet to a temporary file and adds it with its mtime.
        with open(filename, "rb") as source:
            self.writestr(str(arcname or Path(filename).name), source.read(), compress_type, compresslevel)


def _fill_sheet(ws: Worksheet, sheet: Sheet, title: str, records: Sequence[Record]) -> None:
    """Row 1 the title (merged across the table), row 2 the headers, data from row 3."""
    width = len(sheet.columns)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font, ws["A1"].alignment = TITLE_FONT, Alignment(horizontal="center")
    ws.append([column.header for column in sheet.columns])
    for record in records:
        ws.append([record.get(column.id) for column in sheet.columns])
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws[f"{letter}2"].font = HEADER_FONT
        ws.column_dimensions[letter].width = 40 if column.id == "summary" else 16
        if number_format := NUMBER_FORMATS.get(column.type):
            for row in range(3, len(records) + 3):
                ws[f"{letter}{row}"].number_format = number_format


def write_return_workbook(
    path: Path, title: str, sheets: Sequence[tuple[Sheet, Sequence[Record]]], saved_at: datetime
) -> Path:
    """Write the sheets (glossary sheet, its records) as one clean-template .xlsx at `path`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, records in sheets:
        _fill_sheet(workbook.create_sheet(sheet.name_zh), sheet, title, records)
    stamp = saved_at.astimezone(UTC).replace(tzinfo=None)  # openpyxl stores naive UTC
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = workbook.properties.lastModifiedBy = "govbrief demo"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _StableZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return path
