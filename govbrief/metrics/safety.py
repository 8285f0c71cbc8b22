"""compute_safety: the safety returns' frames → SafetyMetrics for one 旬.

The caller loads one frame per sheet ("accidents", "hazards", "enforcement", optionally "scenic")
covering 1 January last year to the end of the period; this module slices the
windows itself (govbrief.metrics.windows). All aggregation is groupby over the
whole frame: no Python loop touches data rows, so thousands of units cost
about what nine do.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Thresholds, Unit
from govbrief.glossary import load_glossary
from govbrief.metrics.accidents import ACCIDENT_COLUMNS, accident_indicators, sector_breakdown, with_grades
from govbrief.metrics.catalogue import ADDITIVE_IDS, INDICATOR_IDS
from govbrief.metrics.hazards import (
    ENFORCEMENT_COLUMNS,
    ENFORCEMENT_SUMS,
    HAZARD_COLUMNS,
    HAZARD_SUMS,
    add_fix_rates,
    latest_overdue,
    window_sums,
)
from govbrief.metrics.lights import safety_alerts, safety_lights, sort_alerts
from govbrief.metrics.result import CITY, MajorAccident, SafetyMetrics
from govbrief.metrics.scenic import scenic_alerts
from govbrief.metrics.windows import WINDOWS, Window, attribute_to_windows, window_bounds

DTYPES = {"text": "str", "int": "int64", "number": "float64", "date": "datetime64[ns]"}


def compute_safety(
    frames: Mapping[str, pd.DataFrame],
    period: Period,
    units: Sequence[Unit],
    quotas: Mapping[str, float | None],
    thresholds: Thresholds,
    reported: Mapping[str, Collection[str]] | None = None,
) -> SafetyMetrics:
    """Every core safety indicator of `period`, per unit and for the city, with its alerts.

    `reported`: unit code → the 旬 (keys) it has an accepted return for; None when every unit sent
    every 旬. Missing is not zero: a unit without this 旬's return has no figure for it (NaN, 未报送),
    a window it did not report in full is marked in `coverage`, and no light or alert is judged
    on an incomplete figure — the city's neither, when any unit's return is missing."""
    bounds = window_bounds(period)
    codes = [unit.code for unit in units]
    coverage = window_coverage(bounds, codes, reported)
    accidents = with_grades(_sheet(frames, "accidents", codes))
    by_accident = attribute_to_windows(accidents, "occurred_on", bounds, ACCIDENT_COLUMNS)
    hazards = attribute_to_windows(_sheet(frames, "hazards", codes), "period_end", bounds, HAZARD_COLUMNS)
    enforcement = attribute_to_windows(_sheet(frames, "enforcement", codes), "period_end", bounds, ENFORCEMENT_COLUMNS)
    unit_values = _without_unreported_periods(_unit_values(by_accident, hazards, enforcement, codes), coverage)
    values = add_fix_rates(_with_city(unit_values))
    all_quotas = {**{code: quotas.get(code) for code in codes}, CITY: _city_quota(quotas, codes)}
    metrics = SafetyMetrics(
        period=period,
        units=tuple(units),
        values=_with_quota_use(values, all_quotas),
        sectors=_sectors(by_accident, codes),
        major_accidents=_major_accidents(accidents, period),
        quotas=all_quotas,
        time_progress=period.time_progress(),
        coverage=coverage,
    )
    metrics = replace(metrics, lights=safety_lights(metrics, thresholds), bands=dict(thresholds.bands))
    scenic = scenic_alerts(frames, period, codes, metrics.unit_name, thresholds)
    return replace(metrics, alerts=tuple(sort_alerts([*safety_alerts(metrics), *scenic])))


def _sheet(frames: Mapping[str, pd.DataFrame], sheet_id: str, codes: list[str]) -> pd.DataFrame:
    """The sheet's rows for the configured units; an empty frame with its columns when absent."""
    frame = frames.get(sheet_id)
    if frame is None:
        frame = _empty_sheet(sheet_id)
    unit_codes = frame["unit_code"].astype(str)
    return frame.assign(unit_code=unit_codes).loc[unit_codes.isin(codes)]


def _empty_sheet(sheet_id: str) -> pd.DataFrame:
    """A frame with no rows and the columns (and dtypes) the warehouse would return."""
    columns = {column.id: DTYPES[column.type] for column in load_glossary().sheet(sheet_id).columns}
    columns.update(unit_code="str", period_end="datetime64[ns]")
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def _unit_values(
    accidents: pd.DataFrame, hazards: pd.DataFrame, enforcement: pd.DataFrame, codes: list[str]
) -> pd.DataFrame:
    """Indicators per (unit_code, window) for every unit and window; additive gaps are zero."""
    parts = [
        accident_indicators(accidents),
        window_sums(hazards, HAZARD_SUMS),
        latest_overdue(hazards).to_frame(),
        window_sums(enforcement, ENFORCEMENT_SUMS),
    ]
    full = pd.MultiIndex.from_product([codes, WINDOWS], names=["unit_code", "window"])
    values = pd.concat([part.reindex(full) for part in parts], axis=1)
    values = values.reindex(columns=list(INDICATOR_IDS))
    return values.fillna(dict.fromkeys(ADDITIVE_IDS, 0.0))


def window_coverage(
    bounds: Mapping[Window, tuple[date, date]], codes: list[str], reported: Mapping[str, Collection[str]] | None
) -> pd.DataFrame:
    """Per (unit_code, window), the city included: `expected` 旬 and how many are `missing` (no accepted return)."""
    rows = []
    for window, (first, last) in bounds.items():
        keys = [p.key for p in _ten_days(first, last)]
        for code in codes:
            sent = set(reported.get(code, ())) if reported is not None else set(keys)
            rows.append((code, window, len(keys), sum(1 for key in keys if key not in sent)))
    frame = pd.DataFrame(rows, columns=["unit_code", "window", "expected", "missing"]).set_index(
        ["unit_code", "window"]
    )
    city = frame.groupby(level="window", sort=False).sum()
    city.index = pd.MultiIndex.from_product([[CITY], city.index], names=["unit_code", "window"])
    return pd.concat([frame, city]).astype("int64")


def _ten_days(first: date, last: date) -> list[Period]:
    current, found = Period.containing(PeriodKind.TEN_DAY, first), []
    while current.start <= last:
        found.append(current)
        current = current.next()
    return found


def _without_unreported_periods(values: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """A single 旬 a unit sent no accepted return for has no figures at all (未报送, not 0)."""
    unit_coverage = coverage.reindex(values.index)
    blank = (unit_coverage["expected"] == 1) & (unit_coverage["missing"] > 0)
    return values.mask(blank.to_numpy()[:, None] & np.ones(values.shape, dtype=bool))


def _with_city(unit_values: pd.DataFrame) -> pd.DataFrame:
    """Add the city rows: sums of the units (逾期未整改 too: the sum of each unit's latest)."""
    city = unit_values.groupby(level="window", sort=False).sum(min_count=1)
    city.index = pd.MultiIndex.from_product([[CITY], city.index], names=["unit_code", "window"])
    return pd.concat([unit_values, city])


def _city_quota(quotas: Mapping[str, float | None], codes: list[str]) -> float | None:
    """The city's quota: the units' sum, only when every unit has one."""
    known = [quotas.get(code) for code in codes]
    return None if any(q is None for q in known) else float(sum(q for q in known if q is not None))


def _with_quota_use(values: pd.DataFrame, quotas: Mapping[str, float | None]) -> pd.DataFrame:
    """death_quota_used on the "ytd" rows: year-to-date deaths / annual quota (no quota → NaN)."""
    quota = pd.Series(quotas, dtype="float64").where(lambda q: q > 0)
    ytd = values.xs("ytd", level="window", drop_level=False)
    used = ytd["acc_deaths"] / quota.reindex(ytd.index.get_level_values("unit_code")).to_numpy()
    return values.assign(death_quota_used=used.reindex(values.index))


def _sectors(accidents: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Count and deaths per (unit_code, window, sector), the city included, every sector present."""
    per_unit = sector_breakdown(accidents)
    city = per_unit.groupby(level=["window", "sector"]).sum()
    city = pd.concat({CITY: city}, names=["unit_code"])
    glossary_sectors = list(load_glossary().sectors["safety"])
    extra = sorted(set(accidents["sector"].dropna().astype(str)) - set(glossary_sectors))
    full = pd.MultiIndex.from_product(
        [[*codes, CITY], WINDOWS, glossary_sectors + extra], names=["unit_code", "window", "sector"]
    )
    return pd.concat([per_unit, city]).reindex(full, fill_value=0).astype("int64")


def _major_accidents(accidents: pd.DataFrame, period: Period) -> tuple[MajorAccident, ...]:
    """The year's 较大及以上 accidents up to the period's end, in date order."""
    days = pd.to_datetime(accidents["occurred_on"]).dt.normalize()
    year_start, end = (pd.Timestamp(day) for day in period.year_to_date())
    in_year = (days >= year_start) & (days <= end)
    chosen = accidents.assign(day=days).loc[(accidents["is_major_plus"] == 1) & in_year]
    chosen = chosen.sort_values(["day", "unit_code"], kind="stable")
    return tuple(_major_accident(row, period) for row in chosen.to_dict("records"))


def _major_accident(row: dict[Hashable, Any], period: Period) -> MajorAccident:
    """One graded accident row as a record."""
    day = pd.Timestamp(row["day"]).date()
    return MajorAccident(
        unit_code=str(row["unit_code"]),
        accident_id=_text(row.get("accident_id")),
        occurred_on=day,
        sector=_text(row.get("sector")),
        grade=str(row["computed_grade"]),
        stated_grade=_text(row.get("grade")) or None,
        deaths=int(row["deaths"]),
        serious_injuries=int(row["serious_injuries"]),
        direct_loss_wan=float(row["direct_loss_wan"]),
        summary=_text(row.get("summary")),
        in_period=period.contains(day),
    )


def _text(value: object) -> str:
    """A text cell as str; blank (None, NaN, NA) as ""."""
    blank = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return "" if blank else str(value)
