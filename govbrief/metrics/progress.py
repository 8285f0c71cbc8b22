"""序时进度, completion, lagging and lag streaks over a year's month-ends.

Shapes: a completion frame has one row per (unit_code, target) — or any index —
and one column per month number (1 = January) of one year; values are ratios
(0.42 = 42%), NaN where nothing can be judged. A lag history is the same shape
in bool, a streak frame the same shape in int.

Gaps are taken between the percentages as printed (one decimal, 四舍五入), so what the
brief says and what is judged agree: 84.5% against a printed 序时进度 of 84.9% is 0.4
percentage points behind, whatever the decimals behind. A figure exactly `tolerance`
behind is at the line, not behind it; caught up means at or above 序时进度 (a quota: at or
below it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from govbrief.calendar.periods import Period


def month_time_progress(year: int, months: list[int]) -> pd.Series:
    """序时进度 at the end of each of `months` (month numbers) of `year`."""
    return pd.Series([Period.month(year, m).time_progress() for m in months], index=months, dtype="float64")


Frame = TypeVar("Frame", pd.DataFrame, pd.Series)


def printed_percents(ratios: Frame) -> Frame:
    """Ratios as the percents a reader sees: one decimal, 四舍五入 (half away from zero)."""
    scaled = (ratios * 100).round(9)  # drop binary noise first: 84.45 must print as 84.5
    return cast(Frame, np.floor(scaled.abs() * 10 + 0.5) * np.sign(scaled) / 10)


def gap_pp(completion: pd.DataFrame, year: int) -> pd.DataFrame:
    """Completion minus 序时进度 in percentage points per month column, between the printed percents."""
    progress = printed_percents(month_time_progress(year, [int(m) for m in completion.columns]))
    return printed_percents(completion).sub(progress.to_numpy(), axis=1).round(1)


def lagging(completion: pd.DataFrame, year: int, tolerance_pp: float, *, lower_is_better: bool = False) -> pd.DataFrame:
    """Whether each figure lags: short of 序时进度 by more than the tolerance, or for a quota
    (lower is better) ahead of it by more than the tolerance. NaN never lags."""
    gaps = gap_pp(completion, year)
    behind = gaps > tolerance_pp if lower_is_better else gaps < -tolerance_pp
    return behind.fillna(False).astype(bool)


def caught_up(completion: pd.DataFrame, year: int, *, lower_is_better: bool = False) -> pd.DataFrame:
    """Whether each figure is at or above 序时进度 (a quota: at or below it). NaN is not caught up."""
    gaps = gap_pp(completion, year)
    up = gaps <= 0 if lower_is_better else gaps >= 0
    return up.fillna(False).astype(bool)


def lag_streaks(history: pd.DataFrame) -> pd.DataFrame:
    """Consecutive lagging month-ends up to and including each column (0 where not lagging)."""
    lag = history.astype(bool)
    running = lag.astype("int64").cumsum(axis=1)
    # The running count at the last non-lagging month, carried forward, is what a new run starts from.
    base = running.where(~lag).ffill(axis=1).fillna(0)
    return (running - base).astype("int64")


def recovered(history: pd.DataFrame) -> pd.Series:
    """Rows that lagged at the second-to-last month-end and no longer lag at the last."""
    if history.shape[1] < 2:
        return pd.Series(False, index=history.index, dtype=bool)
    lag = history.astype(bool)
    return lag.iloc[:, -2] & ~lag.iloc[:, -1]


def quota_usage_by_month(
    accidents: pd.DataFrame, year: int, last_month: int, quotas: Mapping[str, float | None]
) -> pd.DataFrame:
    """Death-quota use (year-to-date deaths / annual quota) per unit code and month-end 1..last_month.

    `accidents` has unit_code, occurred_on and deaths (the 事故明细 frame); units without a
    positive quota are left out, as they cannot lag on it."""
    codes = [code for code, quota in quotas.items() if quota is not None and quota > 0]
    months = list(range(1, last_month + 1))
    days = pd.to_datetime(accidents["occurred_on"])
    chosen = accidents.loc[(days.dt.year == year) & (days.dt.month <= last_month)]
    chosen = chosen.assign(unit_code=chosen["unit_code"].astype(str), month=days.dt.month)
    deaths = chosen.pivot_table(index="unit_code", columns="month", values="deaths", aggfunc="sum")
    running = deaths.reindex(index=codes, columns=months).fillna(0.0).cumsum(axis=1)
    quota = pd.Series([quotas[code] for code in codes], index=codes, dtype="float64")
    return running.div(quota, axis=0).astype("float64")
