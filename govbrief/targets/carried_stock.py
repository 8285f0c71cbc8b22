"""Last year's open hazards (上年结转) per unit, from the analysts' target table.

config/targets/<year>.csv may carry two optional columns, 上年结转一般隐患（项）
and 上年结转重大隐患（项）: the general and major hazards still open on 1 January.
The year-to-date rule "fixed ≤ found" allows that many more fixes. A table or
column that is absent, or a blank cell, means no stock (0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

UNIT_HEADER = "县市区代码"
GENERAL_HEADER = "上年结转一般隐患（项）"
MAJOR_HEADER = "上年结转重大隐患（项）"

# (unit code, year) → open (general, major) hazards carried into that year.
CarriedStock = Mapping[tuple[str, int], tuple[int, int]]


class StockError(ValueError):
    """A carried-stock cell is not a whole number of 0 or more."""


def load_carried_stock(targets_dir: Path, year: int) -> dict[tuple[str, int], tuple[int, int]]:
    """The open hazards each unit carries into `year`, from {targets_dir}/{year}.csv; {} when it has none."""
    path = targets_dir / f"{year}.csv"
    if not path.is_file():
        return {}
    table = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    table.columns = [_header(str(c)) for c in table.columns]
    if UNIT_HEADER not in table.columns:
        return {}
    general = _counts(table, GENERAL_HEADER, path)
    major = _counts(table, MAJOR_HEADER, path)
    codes = table[UNIT_HEADER].str.strip()
    return {(code, year): (g, m) for code, g, m in zip(codes, general, major, strict=True) if code}


def carried_stock_for_years(targets_dir: Path, years: Iterable[int]) -> dict[tuple[str, int], tuple[int, int]]:
    """The carried stock of several years in one mapping (a batch may span New Year)."""
    stock: dict[tuple[str, int], tuple[int, int]] = {}
    for year in sorted(set(years)):
        stock.update(load_carried_stock(targets_dir, year))
    return stock


def _header(text: str) -> str:
    # Excel users type half-width brackets and stray spaces; the headers are matched without them.
    return text.strip().replace("(", "（").replace(")", "）").replace(" ", "")


def _counts(table: pd.DataFrame, header: str, path: Path) -> list[int]:
    if header not in table.columns:
        return [0] * len(table)
    return [_count(text, path, row, header) for row, text in enumerate(table[header], start=2)]


def _count(text: str, path: Path, row: int, header: str) -> int:
    cleaned = text.strip()
    if not cleaned:
        return 0
    if not cleaned.isdecimal():
        raise StockError(f"{path.name} row {row}, {header}: {text!r} is not a whole number of 0 or more")
    return int(cleaned)
