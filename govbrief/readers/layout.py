"""Where a sheet's header is: one row or two (a merged parent over its children), below any title rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from govbrief.glossary import Sheet
from govbrief.readers.headers import header_label, match_candidates, match_columns, stack_header_rows

Row = Sequence[object]
HEADER_SEARCH_ROWS = 10  # real forms carry at most a few title rows


@dataclass(frozen=True)
class HeaderMatch:
    """The header's first and last rows (0-based), which cell holds which column, every header label."""

    row_index: int  # the last header row: data starts below it
    columns: dict[int, str]
    top: int  # the first header row: rows above it are titles
    labels: dict[int, str]

    def score(self, sheet: Sheet) -> tuple[int, int]:
        """How well it names the sheet: required columns matched, then all columns matched."""
        found = set(self.columns.values())
        return len(found & required_ids(sheet)), len(found)

    def unknown_labels(self) -> list[str]:
        """Header texts that name no column of the sheet (extra columns, or misspelt required ones)."""
        return [label for index, label in self.labels.items() if index not in self.columns]


@cache
def required_ids(sheet: Sheet) -> frozenset[str]:
    """The ids of the columns a sheet must have."""
    return frozenset(c.id for c in sheet.columns if c.required)


def _single(index: int, row: Row, sheet: Sheet) -> HeaderMatch:
    labels = {i: text for i, cell in enumerate(row) if (text := header_label(cell))}
    return HeaderMatch(index, match_columns(row, sheet), index, labels)


def _stacked(index: int, parent: Row, child: Row, sheet: Sheet) -> HeaderMatch:
    cells = stack_header_rows(parent, child)
    labels = {i: cell.label for i, cell in enumerate(cells) if cell.label}
    return HeaderMatch(index + 1, match_candidates([cell.keys() for cell in cells], sheet), index, labels)


def _acceptable(match: HeaderMatch | None, sheet: Sheet) -> HeaderMatch | None:
    if match is None:
        return None
    required = match.score(sheet)[0]
    return match if required > 0 and required * 2 >= len(required_ids(sheet)) else None


def find_header(rows: Sequence[Row], sheet: Sheet) -> HeaderMatch | None:
    """The header among the first rows: the row, or pair of rows, naming most of the sheet's columns.

    A pair is taken only when it names more than either of its rows alone, so a
    title row above a header, or a header above its first data row, stays one row.
    """
    singles: list[HeaderMatch] = []
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        single = _single(index, row, sheet)
        if len(single.columns) == len(sheet.columns):
            return single  # the clean template: nothing can name more
        singles.append(single)
    best = max(singles, key=lambda match: match.score(sheet), default=None)
    for index in range(len(singles) - 1):
        pair = _stacked(index, rows[index], rows[index + 1], sheet)
        rivals = (singles[index], singles[index + 1], *([best] if best else []))
        if all(pair.score(sheet) > rival.score(sheet) for rival in rivals):
            best = pair
    return _acceptable(best, sheet)
