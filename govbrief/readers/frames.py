"""Canonical frames: parsed column values → a DataFrame with the glossary's columns and dtypes.

dtypes: int → int64 (nullable Int64 only when a cell could not be read),
number → float64, date → datetime64[ns], text → str with NaN for blank.
Every frame also carries `_row` (the Excel row a clerk sees) and `_sheet`
(the worksheet's actual name), so later checks can point at the cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from govbrief.glossary import Column, Sheet

ArrayLike = np.ndarray | pd.Series
ROW = "_row"
SHEET = "_sheet"


def _array(column: Column, values: Sequence[object]) -> ArrayLike:
    """One column's values with its canonical dtype (NumPy arrays where they can be: a frame builds faster)."""
    if column.type == "int":
        return pd.Series(values, dtype="Int64") if None in values else np.array(values, dtype=np.int64)
    if column.type == "number":
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if column.type == "date":
        return np.array(values, dtype="datetime64[ns]")
    return pd.Series(values, dtype="str")


def build_frame(sheet: Sheet, values: dict[str, list[object]], excel_rows: list[int], sheet_name: str) -> pd.DataFrame:
    """The sheet's frame: exactly its glossary columns in order, then `_row` and `_sheet`."""
    data = {column.id: _array(column, values[column.id]) for column in sheet.columns}
    data[ROW] = np.array(excel_rows, dtype=np.int64)
    data[SHEET] = pd.Series([sheet_name] * len(excel_rows), dtype="str")
    return pd.DataFrame(data, copy=False)


def empty_frame(sheet: Sheet, sheet_name: str = "") -> pd.DataFrame:
    """A sheet's frame with no rows (an absent optional sheet, 无, or an unreadable file)."""
    return build_frame(sheet, {column.id: [] for column in sheet.columns}, [], sheet_name)
