"""The date windows a 旬 brief compares, and attributing rows to them.

For a 旬 P: "period" (P itself), "month" (the month to the end of P), "ytd"
(1 January to the end of P), each also one year earlier (同比: the same Period
a year back, so a 旬 ending on 29 February compares with one ending on the
28th), and "period_previous" (the 旬 before P, 环比).

Accidents belong to a window by the day they happened; hazard and enforcement
rows by the last day of the period they report (a 旬's row belongs to every
window that contains that 旬).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from govbrief.calendar.periods import Period

Window = Literal["period", "period_last_year", "period_previous", "month", "month_last_year", "ytd", "ytd_last_year"]
WINDOWS: tuple[Window, ...] = (
    "period",
    "period_last_year",
    "period_previous",
    "month",
    "month_last_year",
    "ytd",
    "ytd_last_year",
)
# 同比 and 环比 bases of the windows that have one.
YOY_BASE: dict[Window, Window] = {
    "period": "period_last_year",
    "month": "month_last_year",
    "ytd": "ytd_last_year",
}
MOM_BASE: dict[Window, Window] = {"period": "period_previous"}


def window_bounds(period: Period) -> dict[Window, tuple[date, date]]:
    """First and last day (inclusive) of every window of `period`."""
    last_year = period.same_period_last_year()
    previous = period.previous()
    return {
        "period": (period.start, period.end),
        "period_last_year": (last_year.start, last_year.end),
        "period_previous": (previous.start, previous.end),
        "month": period.month_to_date(),
        "month_last_year": last_year.month_to_date(),
        "ytd": period.year_to_date(),
        "ytd_last_year": last_year.year_to_date(),
    }


def attribute_to_windows(
    frame: pd.DataFrame, date_column: str, bounds: dict[Window, tuple[date, date]], columns: list[str]
) -> pd.DataFrame:
    """One copy of each row (its `columns` only) per window its `date_column` falls in, plus `window`.

    Days are compared as whole days: a timestamp late on the window's last day is still in it.
    """
    days = pd.to_datetime(frame[date_column]).to_numpy()
    kept = frame[columns]
    parts = []
    for window, (first, last) in bounds.items():
        inside = (days >= np.datetime64(first)) & (days < np.datetime64(last + timedelta(days=1)))
        parts.append(kept.loc[inside].assign(window=window))
    return pd.concat(parts, ignore_index=True)
