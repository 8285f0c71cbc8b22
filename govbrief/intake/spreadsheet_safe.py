"""Text the system writes into CSV or Excel files must never run as a formula.

Return cells are free text from outside (简要情况 may contain anything). A cell
that starts like a formula would run when an analyst opens our CSV in Excel or
WPS (CSV injection, e.g. ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``). Following
the OWASP guidance, such text gets a leading single quote, which makes it text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

# ASCII triggers from OWASP, plus the full-width forms a Chinese input method types.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# "-3" or "+1.5" is read as a number, never as a formula: no quote, so figures stay figures.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_cell(value: object) -> object:
    """The value, with a leading ' when it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(path: str | Path, header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV that Excel and WPS open with Chinese intact (UTF-8 with BOM), every cell escaped."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([escape_cell(cell) for cell in header])
        writer.writerows([escape_cell(cell) for cell in row] for row in rows)
