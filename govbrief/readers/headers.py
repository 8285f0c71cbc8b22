"""Header matching: a workbook's header cells → the glossary's column ids.

Clerks retype headers: full-width or half-width brackets, spaces and line
breaks inside a cell, the unit dropped or spelled differently. Both the
glossary's spellings and the workbook's cells go through one normaliser, so a
match is a dictionary look-up, and new spellings are added to glossary.toml,
not to code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from govbrief.glossary import Sheet

# NFKC already turns （） into (); these are the other brackets clerks use.
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_SPACES = re.compile(r"\s+")
_TRAILING_UNIT = re.compile(r"\([^()]*\)$")
# Marks that say "required" or "see note" in many templates, never part of a name.
_DECORATION = re.compile(r"[*※:：]")


def normalize_header(text: object) -> str:
    """The spelling-independent key of a header: NFKC, no spaces, one bracket style, no trailing unit."""
    folded = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    compact = _DECORATION.sub("", _SPACES.sub("", folded))
    without_unit = _TRAILING_UNIT.sub("", compact)
    return without_unit or compact


@cache
def header_lookup(sheet: Sheet) -> dict[str, str]:
    """Normalised header or alias → column id for one sheet (first spelling wins)."""
    lookup: dict[str, str] = {}
    for column in sheet.columns:
        for spelling in (column.header, *column.aliases):
            lookup.setdefault(normalize_header(spelling), column.id)
    return lookup


def match_columns(header_cells: list[object], sheet: Sheet) -> dict[int, str]:
    """Cell index → column id for the header cells that name a column of `sheet`."""
    lookup = header_lookup(sheet)
    matched: dict[int, str] = {}
    seen: set[str] = set()
    for index, cell in enumerate(header_cells):
        if cell is None or cell == "":
            continue
        column_id = lookup.get(normalize_header(cell))
        if column_id is not None and column_id not in seen:
            matched[index] = column_id
            seen.add(column_id)
    return matched


@cache
def sheet_name_keys(sheet: Sheet) -> frozenset[str]:
    """The normalised names a worksheet of this glossary sheet may carry."""
    return frozenset(normalize_header(name) for name in (sheet.name_zh, *sheet.aliases))
