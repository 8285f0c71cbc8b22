"""Hazard and enforcement indicators (docs/domain.md §4.4).

Sums over a window come from every 旬 row in it; 逾期未整改 is a stock, not a
flow: a unit's figure is the one in its most recent period within the window.
Fix rates are recomputed from the summed parts (units and city alike), so they
are filled in by the caller once the city totals exist (`add_fix_rates`).
"""

from __future__ import annotations

import pandas as pd

HAZARD_SUMS = {
    "hz_units_checked": "units_checked",
    "hz_general_found": "general_found",
    "hz_general_fixed": "general_fixed",
    "hz_major_found": "major_found",
    "hz_major_fixed": "major_fixed",
}
ENFORCEMENT_SUMS = {
    "enf_units": "units_inspected",
    "enf_cases": "cases_opened",
    "enf_penalties": "penalties",
    "enf_fines": "fines_wan",
    "enf_suspensions": "suspensions",
    "enf_closures": "closures",
    "enf_illegal": "illegal_cases",
}
HAZARD_COLUMNS = ["unit_code", "period_end", *HAZARD_SUMS.values(), "overdue_open"]
ENFORCEMENT_COLUMNS = ["unit_code", *ENFORCEMENT_SUMS.values()]
FIX_RATES = {
    "hz_general_fix_rate": ("hz_general_fixed", "hz_general_found"),
    "hz_major_fix_rate": ("hz_major_fixed", "hz_major_found"),
}


def window_sums(windowed: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Sums of the return's columns per (unit_code, window), named by indicator id."""
    sources = list(columns.values())
    sums = windowed.groupby(["unit_code", "window"])[sources].sum()
    return sums.rename(columns={v: k for k, v in columns.items()}).astype("float64")


def latest_overdue(windowed: pd.DataFrame) -> pd.Series:
    """hz_overdue per (unit_code, window): the unit's total in its latest period within the window."""
    per_period = windowed.groupby(["unit_code", "window", "period_end"])["overdue_open"].sum()
    # groupby sorts its keys, so the last row of each (unit, window) is its latest period.
    latest = per_period.groupby(level=["unit_code", "window"]).last()
    return latest.astype("float64").rename("hz_overdue")


def add_fix_rates(values: pd.DataFrame) -> pd.DataFrame:
    """Fill the fix rates from the fixed and found columns; no rate (NaN) where nothing was found."""
    rates = {}
    for rate, (fixed, found) in FIX_RATES.items():
        found_values = values[found].where(values[found] > 0)
        rates[rate] = values[fixed] / found_values
    return values.assign(**rates)
