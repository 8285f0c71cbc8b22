"""Alerts from the debt numbers of a month. Bands come from configuration.

Red, units: any new hidden debt (遏制增量); hidden-debt balance up on last month;
paid on time short of what fell due (不暴雷); any overdue balance; legal balance
above the limit. City and units: 债务率 by the configured debt_ratio band;
化债进度 behind 序时进度 by the resolve_gap_pp band (default < 0 yellow, < −10 pp
red). Units: a rising share of 借新还旧及展期 → yellow. Red comes first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from govbrief.config import Band, Thresholds
from govbrief.formatting import fmt_amount, fmt_percent, printed_percent, round_half_up
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.grading import band_light
from govbrief.metrics.lights import sort_alerts
from govbrief.metrics.progress import printed_percents
from govbrief.metrics.result import CITY, AlertLevel, MetricAlert

DEFAULT_GAP_BAND = Band(direction="up", yellow=0.0, red=-10.0)
EPSILON_DIGITS = 6  # amounts are in 亿元 with two decimals; rounding drops float noise from sums


def debt_alerts(metrics: DebtMetrics, thresholds: Thresholds, rollover_channel: str) -> list[MetricAlert]:
    """All alerts of the month's debt numbers, most severe first."""
    found = [
        *_event_alerts(metrics),
        *_ratio_alerts(metrics),
        *_gap_alerts(metrics, thresholds.bands.get("resolve_gap_pp", DEFAULT_GAP_BAND)),
        *_rollover_alerts(metrics, rollover_channel),
    ]
    return sort_alerts(found)


def _positive(amount: float) -> bool:
    """More than zero once float noise is rounded away; NaN is not positive."""
    return bool(round(amount, EPSILON_DIGITS) > 0)


def _event_alerts(metrics: DebtMetrics) -> Iterator[MetricAlert]:
    """The red "events" of each unit: new hidden debt, hidden debt up, missed payment, overdue, over limit."""
    units = metrics.values.drop(index=CITY)
    for code, row in units.to_dict("index").items():
        unit = metrics.unit_name(str(code))
        for indicator, text in _event_texts({str(k): float(v) for k, v in row.items()}):
            yield MetricAlert("red", indicator, str(code), unit, unit + text)


def _event_texts(row: dict[str, float]) -> Iterator[tuple[str, str]]:
    if _positive(row["hidden_new"]):
        yield "hidden_new", f"本月新增隐性债务{fmt_amount(row['hidden_new'])}亿元，违反“坚决遏制增量”要求。"
    rise = row["hidden_balance"] - row["hidden_balance_previous"]
    if _positive(rise):
        balance = fmt_amount(row["hidden_balance"])
        yield "hidden_balance", f"隐性债务余额{balance}亿元，比上月末增加{fmt_amount(rise)}亿元。"
    missed = row["due"] - row["paid_on_time"]
    if _positive(missed):
        yield (
            "paid_on_time_rate",
            (
                f"本月到期应偿本息{fmt_amount(row['due'])}亿元，按期偿付{fmt_amount(row['paid_on_time'])}亿元，"
                f"{fmt_amount(missed)}亿元逾期未还，已突破“不暴雷”底线。"
            ),
        )
    if _positive(row["overdue_balance"]):
        yield "overdue_balance", f"逾期债务余额{fmt_amount(row['overdue_balance'])}亿元。"
    if _positive(row["debt_legal_balance"] - row["debt_limit"]):
        balance, limit = fmt_amount(row["debt_legal_balance"]), fmt_amount(row["debt_limit"])
        yield "debt_legal_balance", f"法定债务余额{balance}亿元，超过债务限额{limit}亿元。"


def _ratio_alerts(metrics: DebtMetrics) -> Iterator[MetricAlert]:
    """债务率 at or above a configured band bound (city first)."""
    for code in [CITY, *(u.code for u in metrics.units)]:
        light = metrics.debt_ratio_lights.get(code)
        if light in (None, "green"):
            continue
        unit, ratio = metrics.unit_name(code), metrics.value("debt_ratio", code)
        text = f"{unit}债务率为{fmt_percent(ratio)}，处于{LIGHT_ZH[str(light)]}风险区间。"
        yield MetricAlert(cast(AlertLevel, light), "debt_ratio", code, unit, text)


LIGHT_ZH = {"yellow": "黄色", "orange": "橙色", "red": "红色"}


def _gap_alerts(metrics: DebtMetrics, band: Band) -> Iterator[MetricAlert]:
    """化债进度 behind 序时进度 (city first)."""
    for code in [CITY, *(u.code for u in metrics.units)]:
        gap = metrics.value("resolve_gap_pp", code)
        light = band_light(gap, band, percent=False)  # the gap is in percentage points already
        if gap is None or light in (None, "green"):
            continue
        unit = metrics.unit_name(code)
        text = (
            f"{unit}化债进度{fmt_percent(metrics.value('resolve_progress', code))}，"
            f"低于序时进度（{fmt_percent(metrics.time_progress)}）{round_half_up(abs(gap), 1)}个百分点。"
        )
        yield MetricAlert(cast(AlertLevel, light), "resolve_gap_pp", code, unit, text)


def _rollover_alerts(metrics: DebtMetrics, channel: str) -> Iterator[MetricAlert]:
    """Units whose year-to-date share of 借新还旧及展期 rose on last month's."""
    if channel not in {cid for cid, _ in metrics.channel_names}:
        return
    shares = metrics.channels.xs(channel, level="channel").drop(index=CITY)
    # Judged as printed: a share that rounds to the same percent has not risen.
    rising = printed_percents(shares["share"]) > printed_percents(shares["share_previous"])
    name = dict(metrics.channel_names)[channel]
    for code, row in shares.loc[rising].iterrows():
        unit = metrics.unit_name(str(code))
        up_pp = round_half_up(printed_percent(row["share"]) - printed_percent(row["share_previous"]), 1)
        text = f"{unit}“{name}”占本年化债额的{fmt_percent(row['share'])}，比上月上升{up_pp}个百分点。"
        yield MetricAlert("yellow", f"resolved_by_channel.{channel}", str(code), unit, text)
