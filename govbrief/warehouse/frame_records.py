"""Canonical frames ↔ JSON records: how one accepted row is stored and read back.

A record maps glossary column ids to plain JSON values (dates as ISO
strings). Reading back applies the glossary's types, so every consumer sees
the same dtypes whatever database the rows came from.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from govbrief.glossary import ColumnType, Sheet

JsonScalar = str | int | float | bool | None
Record = dict[str, JsonScalar]
ROW_COLUMN = "_row"
META_DTYPES: dict[str, str] = {
    "unit_code": "str",
    "period_key": "str",
    "period_start": "datetime64[ns]",
    "period_end": "datetime64[ns]",
    "file_sha256": "str",
    "row_no": "int64",
}


def frame_records(frame: pd.DataFrame) -> Iterator[tuple[int, Record]]:
    """Each row as (row number, record); `_row` gives the number, other `_` columns are dropped."""
    names = [str(c) for c in frame.columns if not str(c).startswith("_")]
    row_numbers = frame[ROW_COLUMN].tolist() if ROW_COLUMN in frame.columns else range(1, len(frame) + 1)
    # Column by column: converting cells row by row through pandas is ten times slower.
    columns = [column_values(frame[name]) for name in names]
    for row_no, values in zip(row_numbers, zip(*columns, strict=True), strict=True):
        yield int(row_no), dict(zip(names, values, strict=True))


def column_values(series: pd.Series) -> list[JsonScalar]:
    """A column as JSON scalars, with fast paths for plain numpy numbers."""
    values = series.tolist()
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iub":
        return values  # numpy ints and bools: tolist() already gives Python ints and bools, never NA
    if isinstance(series.dtype, np.dtype) and series.dtype.kind == "f":
        return [None if math.isnan(v) else v for v in values]
    return [json_value(v) for v in values]


def json_value(value: object) -> JsonScalar:
    """A cell as a JSON scalar; raises TypeError for anything a record cannot hold."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):  # pd.Timestamp too; a date-only value drops its midnight
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {value!r} ({type(value).__name__}) in a warehouse record")


def records_frame(sheet: Sheet, records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The sheet's columns from stored records, typed by the glossary (missing keys read as NA)."""
    return pd.DataFrame(
        {
            column.id: typed_series([record.get(column.id) for record in records], column.type)
            for column in sheet.columns
        },
        index=pd.RangeIndex(len(records)),
    )


def typed_series(values: Sequence[Any], column_type: ColumnType) -> pd.Series:
    """Values cast to the dtype a glossary type promises."""
    raw = pd.Series(list(values), dtype=object)
    if column_type == "int":
        ints = raw.astype("Int64")
        # int64 when complete; nullable Int64 keeps a gap visible instead of failing or faking a 0.
        return ints if ints.isna().any() else ints.astype("int64")
    if column_type == "number":
        return pd.to_numeric(raw).astype("float64")
    if column_type == "date":
        return pd.to_datetime(raw, format="ISO8601").astype("datetime64[ns]")
    return raw.astype("str")


def empty_meta_frame() -> pd.DataFrame:
    """The metadata columns of load_observations, with no rows."""
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in META_DTYPES.items()})


def meta_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The metadata columns (unit, period, file, row number) of load_observations."""
    if not rows:
        return empty_meta_frame()
    frame = pd.DataFrame({name: [row[name] for row in rows] for name in META_DTYPES})
    return frame.astype(META_DTYPES)
