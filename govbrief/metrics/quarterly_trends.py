"""The 季总结's trends: city totals per quarter of this year and last year, 环比 and 同比.

A quarter panel has one row per (year, quarter 1-4) of the two years and one
column per trend indicator: accidents, deaths and 较大及以上 accidents (by the
day they happened, graded from their figures), hidden debt resolved and new
hidden debt (the monthly debt return's flows, by the month they report).
Accidents of units that are not configured are left out, as compute_safety does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.metrics.accidents import with_grades
from govbrief.metrics.change import Change, change

ACCIDENT_TRENDS = {"acc_count": "is_counted", "acc_deaths": "deaths", "acc_major_plus": "is_major_plus"}
DEBT_TRENDS = ("resolved", "hidden_new")
TREND_IDS: tuple[str, ...] = (*ACCIDENT_TRENDS, *DEBT_TRENDS)
RESOLVED_PREFIX = "resolved_"


@dataclass(frozen=True)
class Trend:
    """One indicator of the quarter against the quarter before (环比) and a year before (同比)."""

    indicator: str
    quarter: float
    previous: float
    last_year: float
    ytd: float
    ytd_last_year: float

    @property
    def mom(self) -> Change:
        """环比: this quarter against the quarter before."""
        return change(self.quarter, self.previous)

    @property
    def yoy(self) -> Change:
        """同比: this quarter against the same quarter last year."""
        return change(self.quarter, self.last_year)

    @property
    def ytd_yoy(self) -> Change:
        """本年累计同比."""
        return change(self.ytd, self.ytd_last_year)


def quarter_panel(
    accidents: pd.DataFrame | None, debt: pd.DataFrame | None, codes: Sequence[str], year: int
) -> pd.DataFrame:
    """City totals per (year, quarter) of `year` − 1 and `year`; 0 where nothing was reported."""
    full = pd.MultiIndex.from_product([[year - 1, year], [1, 2, 3, 4]], names=["year", "quarter"])
    parts = [_accident_sums(accidents, codes), _debt_sums(debt, codes)]
    return pd.concat([part.reindex(full) for part in parts], axis=1).fillna(0.0).astype("float64")


def _quarter_sums(frame: pd.DataFrame, day_column: str, codes: Sequence[str], columns: list[str]) -> pd.DataFrame:
    """`columns` summed per (year, quarter) of `day_column`, over the configured units' rows."""
    days = pd.to_datetime(frame[day_column])
    chosen = frame.assign(year=days.dt.year, quarter=days.dt.quarter).loc[frame["unit_code"].astype(str).isin(codes)]
    return chosen.groupby(["year", "quarter"])[columns].sum()


def _accident_sums(accidents: pd.DataFrame | None, codes: Sequence[str]) -> pd.DataFrame:
    if accidents is None or accidents.empty:
        return pd.DataFrame(columns=list(ACCIDENT_TRENDS), dtype="float64")
    graded = with_grades(accidents).assign(is_counted=1)
    sums = _quarter_sums(graded, "occurred_on", codes, list(ACCIDENT_TRENDS.values()))
    return sums.rename(columns={column: indicator for indicator, column in ACCIDENT_TRENDS.items()})


def _debt_sums(debt: pd.DataFrame | None, codes: Sequence[str]) -> pd.DataFrame:
    if debt is None or debt.empty:
        return pd.DataFrame(columns=list(DEBT_TRENDS), dtype="float64")
    channels = [column for column in debt.columns if str(column).startswith(RESOLVED_PREFIX)]
    flows = debt.assign(resolved=debt[channels].sum(axis=1))
    return _quarter_sums(flows, "period_end", codes, list(DEBT_TRENDS))


@dataclass(frozen=True)
class QuarterTrends:
    """A quarter's trends and the panel they come from (for the charts)."""

    quarter: Period
    panel: pd.DataFrame
    trends: tuple[Trend, ...]

    def trend(self, indicator: str) -> Trend:
        """One indicator's trend."""
        return next(t for t in self.trends if t.indicator == indicator)

    def series(self, indicator: str, year: int) -> list[float]:
        """An indicator's quarters of `year` up to this quarter's number, for a chart."""
        return [_total(self.panel, indicator, [(year, q)]) for q in range(1, self.quarter.index + 1)]


def quarter_trends(panel: pd.DataFrame, quarter: Period) -> QuarterTrends:
    """Every trend indicator of `quarter` from a quarter panel covering its year and the year before."""
    if quarter.kind is not PeriodKind.QUARTER:
        raise ValueError(f"trends need a quarter, got {quarter.key}")
    return QuarterTrends(quarter, panel, tuple(_trend(panel, quarter, indicator) for indicator in TREND_IDS))


def _trend(panel: pd.DataFrame, quarter: Period, indicator: str) -> Trend:
    before, last_year = quarter.previous(), quarter.same_period_last_year()
    first_quarters = range(1, quarter.index + 1)
    return Trend(
        indicator=indicator,
        quarter=_total(panel, indicator, [(quarter.year, quarter.index)]),
        previous=_total(panel, indicator, [(before.year, before.index)]),
        last_year=_total(panel, indicator, [(last_year.year, last_year.index)]),
        ytd=_total(panel, indicator, [(quarter.year, q) for q in first_quarters]),
        ytd_last_year=_total(panel, indicator, [(quarter.year - 1, q) for q in first_quarters]),
    )


def _total(panel: pd.DataFrame, indicator: str, quarters: list[tuple[int, int]]) -> float:
    """An indicator summed over some (year, quarter) rows of the panel."""
    return float(panel[indicator].reindex(pd.MultiIndex.from_tuples(quarters)).fillna(0.0).sum())
