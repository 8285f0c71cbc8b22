"""Key-task completion (重点工作完成率) per unit and task, month-end by month-end.

A task's done_ytd is as the month's return states it. Missing is not zero, nor last month's
figure carried on: a month without a return leaves the figure unknown (NaN), so no completion
is judged, no lag found and no 0% printed on a return that never came. Only (unit, task) pairs
with a positive annual target are judged: the target table, not the county, decides what is
measured. The city's figure for a task exists only when every unit with that task reported it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from govbrief.calendar.periods import Period
from govbrief.metrics.progress import gap_pp, lagging
from govbrief.metrics.result import CITY

TASK_INDEX = ["unit_code", "task"]


def done_by_month(frame: pd.DataFrame | None, month: Period, targets: Mapping[tuple[str, str], float]) -> pd.DataFrame:
    """done_ytd per targeted (unit_code, task) at each month-end 1..month of month's year."""
    keys = pd.MultiIndex.from_tuples([k for k, v in targets.items() if v > 0], names=TASK_INDEX)
    months = list(range(1, month.index + 1))
    if frame is None or frame.empty:
        return pd.DataFrame(float("nan"), index=keys, columns=months)
    ends = pd.to_datetime(frame["period_end"])
    rows = frame.loc[(ends.dt.year == month.year) & (ends.dt.month <= month.index)]
    rows = rows.assign(unit_code=rows["unit_code"].astype(str), month=ends.dt.month)
    done = rows.pivot_table(index=TASK_INDEX, columns="month", values="done_ytd", aggfunc="max")
    return done.reindex(index=keys, columns=months).astype("float64")


def task_completion(done: pd.DataFrame, targets: Mapping[tuple[str, str], float]) -> pd.DataFrame:
    """Completion ratio per (unit_code, task) and month (done_ytd / annual target)."""
    target = pd.Series(targets, dtype="float64").reindex(done.index)
    return done.div(target.to_numpy(), axis=0)


def task_table(
    done: pd.DataFrame, targets: Mapping[tuple[str, str], float], month: Period, tolerance_pp: float
) -> pd.DataFrame:
    """At the month-end: target, done_ytd, completion, gap_pp, lagging per (unit_code, task), city rows added."""
    now = done.iloc[:, -1] if done.shape[1] else pd.Series(0.0, index=done.index)
    target = pd.Series(targets, dtype="float64").reindex(done.index)
    units = pd.DataFrame({"target": target, "done_ytd": now})
    city = units.groupby(level="task", sort=False).sum(min_count=1)
    complete = units["done_ytd"].notna().groupby(level="task", sort=False).all()
    city.loc[~complete, "done_ytd"] = float("nan")  # a partial total is never the city's
    city.index = pd.MultiIndex.from_product([[CITY], city.index], names=TASK_INDEX)
    table = pd.concat([units, city])
    completion = (table["done_ytd"] / table["target"].where(table["target"] > 0)).to_frame(month.index)
    return table.assign(
        completion=completion[month.index],
        gap_pp=gap_pp(completion, month.year)[month.index],
        lagging=lagging(completion, month.year, tolerance_pp)[month.index].astype("float64"),
    )
