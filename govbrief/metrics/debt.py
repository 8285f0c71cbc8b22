"""compute_debt: the debt and key-task returns' frames → DebtMetrics for one month.

The caller loads the "debt" and "key_tasks" frames covering at least December of
last year to the month (the warehouse's load_observations shape: one row per unit
per month, resp. per unit, task and month). Everything is grouped over a
(unit_code, month) panel of the year: no Python loop touches data rows.

Missing is not zero: a month without an accepted return leaves every figure that needs it
NaN — its stocks (balances, limit, overdue) and its flows (new hidden debt, resolved per
channel, due, paid) — and every year-to-date sum from that month on, so no 化债进度 is
understated, no lag or escalation judged, on a return that never came. City figures are sums
of the units only when every unit has the figure (else NaN: a partial total is never 全市;
`reported` says who sent what); ratios are recomputed from those sums; the city's task and
综合财力 exist only when every unit has one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import cast

import numpy as np
import pandas as pd

from govbrief.calendar.periods import Period
from govbrief.config import Escalation, Thresholds, Unit
from govbrief.formatting import printed_percent
from govbrief.metrics.debt_lights import debt_alerts
from govbrief.metrics.debt_result import (
    DEBT_TARGET,
    QUOTA_TARGET,
    VALUE_IDS,
    DebtMetrics,
    DebtTargets,
    task_target,
)
from govbrief.metrics.escalation import escalations
from govbrief.metrics.grading import band_light
from govbrief.metrics.key_tasks import done_by_month, task_completion, task_table
from govbrief.metrics.progress import caught_up, lagging, printed_percents
from govbrief.metrics.ranking import rank_units
from govbrief.metrics.result import CITY

STOCKS = ["legal_balance", "debt_limit", "hidden_balance", "overdue_balance"]
BASE_FLOWS = ["hidden_new", "due", "paid_on_time"]
ROLLOVER_CHANNEL = "refinance"  # 借新还旧及展期: a rising share of it is a warning
# Ranked indicators and whether higher is better.
RANKED: dict[str, bool] = {"resolve_progress": True, "debt_ratio": False, "debt_limit_usage": False}
LAG_INDEX = ["unit_code", "target"]
DEFAULT_ESCALATION = Escalation()


def compute_debt(
    frames: Mapping[str, pd.DataFrame],
    month: Period,
    units: Sequence[Unit],
    targets: DebtTargets,
    channels: Sequence[tuple[str, str]],
    thresholds: Thresholds,
    *,
    quota_usage: pd.DataFrame | None = None,
    rules: Escalation = DEFAULT_ESCALATION,
    rollover_channel: str = ROLLOVER_CHANNEL,
) -> DebtMetrics:
    """Every core debt, key-task and escalation figure of `month`, per unit and for the city.

    `quota_usage`: death-quota use (ytd deaths / annual quota) per unit code (rows) and
    month number (columns) of the year, from the safety metrics; omitted → no quota lag."""
    codes = [unit.code for unit in units]
    resolved = [f"resolved_{cid}" for cid, _ in channels]
    panel = _panel(frames.get("debt"), codes, month, resolved)
    hidden_before = _previous_hidden(frames.get("debt"), panel, month, codes)
    values = _values_at(panel, month.index, month.year, codes, targets, hidden_before)
    previous = _values_at(panel, month.index - 1, month.year, codes, targets) if month.index > 1 else None
    done = done_by_month(frames.get("key_tasks"), month, targets.task_targets)
    history, caught = _standing(panel, done, month, codes, targets, thresholds.lag_tolerance_pp, quota_usage)
    entries, recoveries = escalations(history, caught, rules)
    band = thresholds.bands.get("debt_ratio")
    metrics = DebtMetrics(
        month=month,
        units=tuple(units),
        channel_names=tuple((str(cid), str(name)) for cid, name in channels),
        time_progress=month.time_progress(),
        values=values,
        channels=_channel_frame(panel, month.index, [cid for cid, _ in channels], codes),
        tasks=task_table(done, targets.task_targets, month, thresholds.lag_tolerance_pp),
        ranks=_ranks(values, previous, codes),
        lag_history=history,
        caught_up_history=caught,
        debt_ratio_lights={
            str(code): band_light(float(ratio), band) if band else None for code, ratio in values["debt_ratio"].items()
        },
        escalations=tuple(entries),
        recoveries=tuple(recoveries),
    )
    return replace(metrics, alerts=tuple(debt_alerts(metrics, thresholds, rollover_channel)))


def _panel(frame: pd.DataFrame | None, codes: list[str], month: Period, resolved: list[str]) -> pd.DataFrame:
    """Index (unit_code, month 1..M): stocks (NaN without a return), flows and their running ytd sums."""
    flows = [*BASE_FLOWS, *resolved]
    full = pd.MultiIndex.from_product([codes, range(1, month.index + 1)], names=["unit_code", "month"])
    if frame is None or frame.empty:
        rows = pd.DataFrame(columns=["unit_code", "month", *STOCKS, *flows])
    else:
        ends = pd.to_datetime(frame["period_end"])
        chosen = (ends.dt.year == month.year) & (ends.dt.month <= month.index)
        rows = frame.loc[chosen].assign(unit_code=frame["unit_code"].astype(str), month=ends.dt.month)
    grouped = rows.groupby(["unit_code", "month"])
    stocks = grouped[STOCKS].last().reindex(full).astype("float64")
    sums = grouped[flows].sum().reindex(full).astype("float64")  # NaN: no return that month
    sums["resolved"] = sums[resolved].sum(axis=1, skipna=False)
    running = sums.groupby(level="unit_code").cumsum(skipna=False).add_suffix("_ytd")
    reported = grouped.size().reindex(full).fillna(0).gt(0).rename("reported")
    return pd.concat([stocks, sums, running, reported], axis=1)


def _previous_hidden(frame: pd.DataFrame | None, panel: pd.DataFrame, month: Period, codes: list[str]) -> pd.Series:
    """Each unit's hidden-debt balance at the end of the month before (December of last year for January)."""
    if month.index > 1:
        return panel.xs(month.index - 1, level="month")["hidden_balance"].reindex(codes)
    if frame is None or frame.empty:
        return pd.Series(np.nan, index=codes, dtype="float64")
    ends = pd.to_datetime(frame["period_end"])
    december = frame.loc[(ends.dt.year == month.year - 1) & (ends.dt.month == 12)]
    by_unit = december.assign(unit_code=december["unit_code"].astype(str)).groupby("unit_code")["hidden_balance"].last()
    return by_unit.reindex(codes).astype("float64")


def _values_at(
    panel: pd.DataFrame,
    month_number: int,
    year: int,
    codes: list[str],
    targets: DebtTargets,
    previous_hidden: pd.Series | None = None,
) -> pd.DataFrame:
    """The indicators at one month-end, index unit_code (units in order, then CITY)."""
    at = _month_rows(panel, month_number, codes)
    units = pd.DataFrame(
        {
            "debt_legal_balance": at["legal_balance"],
            "debt_limit": at["debt_limit"],
            "hidden_balance": at["hidden_balance"],
            "hidden_balance_previous": previous_hidden if previous_hidden is not None else np.nan,
            **{name: at[name] for name in ("hidden_new", "hidden_new_ytd", "resolved", "resolved_ytd")},
            **{name: at[name] for name in ("due", "paid_on_time", "due_ytd", "paid_on_time_ytd", "overdue_balance")},
            "debt_task": _per_unit(targets.debt_task, codes),
            "fiscal_capacity": _per_unit(targets.fiscal_capacity, codes),
        },
        index=codes,
    )
    city = units.sum(skipna=False)  # a partial total is never the city's
    city["hidden_balance_previous"] = units["hidden_balance_previous"].sum(skipna=False)
    values = pd.concat([units, city.to_frame(CITY).T]).rename_axis("unit_code")
    return _with_ratios(values, Period.month(year, month_number).time_progress())


def _per_unit(known: Mapping[str, float | None], codes: list[str]) -> pd.Series:
    return pd.Series([known.get(code) for code in codes], index=codes, dtype="float64")


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator; NaN where the denominator is not positive."""
    return numerator / denominator.where(denominator > 0)


def _with_ratios(values: pd.DataFrame, time_progress: float) -> pd.DataFrame:
    progress = _ratio(values["resolved_ytd"], values["debt_task"])
    ratios = values.assign(
        debt_limit_usage=_ratio(values["debt_legal_balance"], values["debt_limit"]),
        resolve_progress=progress,
        # between the percents as printed, so the gap the brief states is the one judged
        resolve_gap_pp=(printed_percents(progress) - printed_percent(time_progress)).round(1),
        paid_on_time_rate=_ratio(values["paid_on_time"], values["due"]),
        paid_on_time_rate_ytd=_ratio(values["paid_on_time_ytd"], values["due_ytd"]),
        debt_ratio=_ratio(values["debt_legal_balance"], values["fiscal_capacity"]),
    )
    return ratios[list(VALUE_IDS)].astype("float64")


def _channel_frame(panel: pd.DataFrame, month_number: int, channel_ids: list[str], codes: list[str]) -> pd.DataFrame:
    """Per (unit_code, channel): amount this month, amount_ytd, share of resolved_ytd, last month's share."""
    now = _with_city(_month_rows(panel, month_number, codes))
    before = _with_city(_month_rows(panel, month_number - 1, codes)) if month_number > 1 else None
    parts = {}
    for cid in channel_ids:
        column = f"resolved_{cid}"
        share_before = _ratio(before[f"{column}_ytd"], before["resolved_ytd"]) if before is not None else np.nan
        parts[cid] = pd.DataFrame(
            {
                "amount": now[column],
                "amount_ytd": now[f"{column}_ytd"],
                "share": _ratio(now[f"{column}_ytd"], now["resolved_ytd"]),
                "share_previous": share_before,
            }
        )
    joined = pd.concat(parts, names=["channel", "unit_code"]).swaplevel()
    order = pd.MultiIndex.from_product([[*codes, CITY], channel_ids], names=["unit_code", "channel"])
    return joined.reindex(order)


def _month_rows(panel: pd.DataFrame, month_number: int, codes: list[str]) -> pd.DataFrame:
    """The panel's rows of one month, index unit_code in configured order."""
    return cast(pd.DataFrame, panel.xs(month_number, level="month")).reindex(codes)


def _with_city(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.sum(skipna=False).to_frame(CITY).T])


def _ranks(values: pd.DataFrame, previous: pd.DataFrame | None, codes: list[str]) -> pd.DataFrame:
    """Rank now and last month per ranked indicator (units only); change > 0 is 进位."""
    parts = {}
    for indicator, higher_is_better in RANKED.items():
        now = rank_units(printed_percents(values[indicator].reindex(codes)), higher_is_better)
        if previous is None:
            before = pd.Series(np.nan, index=codes, dtype="float64")
        else:
            before = rank_units(printed_percents(previous[indicator].reindex(codes)), higher_is_better)
        parts[indicator] = pd.DataFrame({"rank": now, "previous_rank": before, "rank_change": before - now})
    return pd.concat(parts, names=["indicator", "unit_code"]).astype("float64")


def _standing(
    panel: pd.DataFrame,
    done: pd.DataFrame,
    month: Period,
    codes: list[str],
    targets: DebtTargets,
    tolerance_pp: float,
    quota_usage: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(lagging, caught up) as bools per (unit_code, target) at every month-end of the year up to
    `month`: the lag history the ladder climbs on, and the month-ends at or above 序时进度 that lift it."""
    months = list(range(1, month.index + 1))
    task = _per_unit(targets.debt_task, codes)
    # unstack, not pivot_table: a month without a return must stay NaN (pivot_table would sum it to 0)
    resolved = panel["resolved_ytd"].unstack("month").reindex(index=codes, columns=months)  # noqa: PD010
    debt = resolved.div(task.where(task > 0).to_numpy(), axis=0).loc[task.gt(0).to_numpy()]
    completions = [(debt, DEBT_TARGET, False)]
    if quota_usage is not None:
        usage = quota_usage.reindex(index=[c for c in codes if c in quota_usage.index], columns=months)
        completions.append((usage, QUOTA_TARGET, True))
    tasks = task_completion(done, targets.task_targets)
    year = month.year
    lag_parts = [_keyed(lagging(f, year, tolerance_pp, lower_is_better=low), t) for f, t, low in completions]
    up_parts = [_keyed(caught_up(f, year, lower_is_better=low), t) for f, t, low in completions]
    lag_parts.insert(1, _task_keyed(lagging(tasks, year, tolerance_pp)))
    up_parts.insert(1, _task_keyed(caught_up(tasks, year)))
    return _history(lag_parts, months), _history(up_parts, months)


def _task_keyed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(index=task_target, level="task").rename_axis(LAG_INDEX)


def _history(parts: list[pd.DataFrame], months: list[int]) -> pd.DataFrame:
    return pd.concat(parts).reindex(columns=months).fillna(False).astype(bool)


def _keyed(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """Index unit_code → (unit_code, target)."""
    keys = pd.MultiIndex.from_arrays([frame.index.astype(str), [target] * len(frame)], names=LAG_INDEX)
    return frame.set_axis(keys, axis=0)
