"""Header matching: a workbook's header cells → the glossary's column ids.

Clerks retype headers: full-width or half-width brackets, spaces and line
breaks inside a cell, the unit dropped or spelled differently. Both the
glossary's spellings and the workbook's cells go through one normaliser, so a
match is a dictionary look-up, and new spellings are added to glossary.toml,
not to code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from govbrief.glossary import Sheet

# NFKC already turns （） into (); these are the other brackets clerks use.
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_SPACES = re.compile(r"\s+")
_TRAILING_UNIT = re.compile(r"\([^()]*\)$")
# Marks that say "required" or "see note" in many templates, never part of a name.
_DECORATION = re.compile(r"[*※:：]")


def normalize_header(text: object) -> str:
    """The spelling-independent key of a header: NFKC, no spaces, one bracket style, no trailing unit."""
    return _normalize_text(str(text))


@lru_cache(maxsize=4096)
def _normalize_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    compact = _DECORATION.sub("", _SPACES.sub("", folded))
    without_unit = _TRAILING_UNIT.sub("", compact)
    return without_unit or compact


def header_label(cell: object) -> str:
    """A header cell as text, "" when empty (a spreadsheet's merged continuation cells are empty)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return str(cell).strip()


@cache
def header_lookup(sheet: Sheet) -> dict[str, str]:
    """Normalised header or alias → column id for one sheet (first spelling wins)."""
    lookup: dict[str, str] = {}
    for column in sheet.columns:
        for spelling in (column.header, *column.aliases):
            lookup.setdefault(normalize_header(spelling), column.id)
    return lookup


def match_columns(header_cells: Sequence[object], sheet: Sheet) -> dict[int, str]:
    """Cell index → column id for the header cells that name a column of `sheet`."""
    keys = [[normalize_header(label)] if (label := header_label(cell)) else [] for cell in header_cells]
    return match_candidates(keys, sheet)


def match_candidates(candidates: Sequence[Sequence[str]], sheet: Sheet) -> dict[int, str]:
    """Cell index → column id, trying each cell's candidate keys in order; a column matches once."""
    lookup = header_lookup(sheet)
    matched: dict[int, str] = {}
    for index, keys in enumerate(candidates):
        column_id = next((lookup[key] for key in keys if key in lookup), None)
        if column_id is not None and column_id not in matched.values():
            matched[index] = column_id
    return matched


@dataclass(frozen=True)
class StackedCell:
    """One column of a two-row header: the parent cell's own text, the parent it falls under, the child."""

    own: str
    parent: str
    child: str

    @property
    def label(self) -> str:
        """The column's header as one text, e.g. 一般隐患已整改."""
        return self.child if self.parent == self.child else self.parent + self.child

    def keys(self) -> list[str]:
        """Candidate keys, best first: parent+child (一般隐患+已整改; 死亡人数+（人）), then each alone."""
        combined = (
            [normalize_header(self.parent) + normalize_header(self.child), normalize_header(self.label)]
            if self.parent and self.child
            else []
        )
        alone = [normalize_header(text) for text in (self.own, self.child) if text]
        return [*combined, *alone]


def stack_header_rows(parent_row: Sequence[object], child_row: Sequence[object]) -> list[StackedCell]:
    """The columns of a two-row header, each parent carried over the blanks its merged cell left."""
    cells = []
    carried = ""
    for index in range(max(len(parent_row), len(child_row))):
        own = header_label(parent_row[index]) if index < len(parent_row) else ""
        child = header_label(child_row[index]) if index < len(child_row) else ""
        # A merged parent shows only in its first cell; a blank parent over a filled child belongs to it.
        carried = own or (carried if child else "")
        cells.append(StackedCell(own, carried, child))
    return cells


@cache
def sheet_name_keys(sheet: Sheet) -> frozenset[str]:
    """The normalised names a worksheet of this glossary sheet may carry."""
    return frozenset(normalize_header(name) for name in (sheet.name_zh, *sheet.aliases))
