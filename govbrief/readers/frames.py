"""Canonical frames: parsed column values → a DataFrame with the glossary's columns and dtypes.

dtypes: int → int64 (nullable Int64 only when a cell could not be read),
number → float64, date → datetime64[ns], text → str with NaN for blank.
Every frame also carries `_row` (the Excel row a clerk sees) and `_sheet`
(the worksheet's actual name), so later checks can point at the cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from govbrief.glossary import Column, Sheet

ROW = "_row"
SHEET = "_sheet"


def _series(column: Column, values: Sequence[object]) -> pd.Series:
    """One column's values with its canonical dtype."""
    if column.type == "int":
        dtype = "Int64" if any(v is None for v in values) else "int64"
        return pd.Series(values, dtype=dtype)
    if column.type == "number":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    if column.type == "date":
        return pd.Series(values, dtype="datetime64[ns]")
    return pd.Series(values, dtype="str")


def build_frame(
    sheet: Sheet, values: dict[str, list[object]], excel_rows: list[int], sheet_name: str
) -> pd.DataFrame:
    """The sheet's frame: exactly its glossary columns in order, then `_row` and `_sheet`."""
    data = {column.id: _series(column, values[column.id]) for column in sheet.columns}
    data[ROW] = pd.Series(excel_rows, dtype="int64")
    data[SHEET] = pd.Series([sheet_name] * len(excel_rows), dtype="str")
    return pd.DataFrame(data)


def empty_frame(sheet: Sheet, sheet_name: str = "") -> pd.DataFrame:
    """A sheet's frame with no rows (an absent optional sheet, 无, or an unreadable file)."""
    return build_frame(sheet, {column.id: [] for column in sheet.columns}, [], sheet_name)
