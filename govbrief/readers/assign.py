"""Which worksheet holds which glossary sheet: by its name first, else by its header.

Clerks rename sheets (事故明细表, " 事故明细 ", Sheet1) and CSV files or HTML
tables carry no name at all. A worksheet whose name says nothing is given to
the still-missing sheet whose required columns its header names best.
"""

from __future__ import annotations

from collections.abc import Sequence

from govbrief.glossary import ReturnKind, Sheet
from govbrief.readers.headers import normalize_header, sheet_name_keys
from govbrief.readers.layout import find_header, required_ids
from govbrief.readers.loaders import Worksheet


def _by_name(worksheets: Sequence[Worksheet], kind: ReturnKind) -> dict[str, Worksheet]:
    found: dict[str, Worksheet] = {}
    taken: set[int] = set()
    for sheet in kind.sheets:
        keys = sheet_name_keys(sheet)
        for position, worksheet in enumerate(worksheets):
            if worksheet.named and position not in taken and normalize_header(worksheet.name) in keys:
                found[sheet.id] = worksheet
                taken.add(position)
                break
    return found


def _fit(worksheet: Worksheet, sheet: Sheet) -> tuple[float, float] | None:
    """How completely the worksheet's header names the sheet's columns (required first), or None."""
    header = find_header(worksheet.rows, sheet)
    if header is None:
        return None
    required, named = header.score(sheet)
    return required / max(len(required_ids(sheet)), 1), named / len(sheet.columns)


def assign_worksheets(worksheets: Sequence[Worksheet], kind: ReturnKind) -> dict[str, Worksheet]:
    """Glossary sheet id → the worksheet holding it; sheets found nowhere are left out."""
    found = _by_name(worksheets, kind)
    placed = {id(worksheet) for worksheet in found.values()}
    open_sheets = [sheet for sheet in kind.sheets if sheet.id not in found]
    fits = [
        (fit, -position, -order, worksheet, sheet)
        for position, worksheet in enumerate(worksheets)
        if id(worksheet) not in placed
        for order, sheet in enumerate(open_sheets)
        if (fit := _fit(worksheet, sheet)) is not None
    ]
    for _, _, _, worksheet, sheet in sorted(fits, key=lambda item: item[:3], reverse=True):
        if sheet.id not in found and id(worksheet) not in placed:
            found[sheet.id] = worksheet
            placed.add(id(worksheet))
    return found
