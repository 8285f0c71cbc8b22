"""The light of each safety figure, decided once, beside the figure; and the alerts that follow.

A light is decided here and only here: the annex tables colour a cell with it, the brief's
sentences say how serious something is from it, and the alerts are its non-green lights with a
sentence each. Every comparison is made on the figure as printed (a fix rate of 94.96% prints as
95.0% and is judged as 95.0%). Every bound comes from configuration (`[thresholds.bands]`):

- death-quota use (year to date): red at or above 100% (the band's red), the band's other
  lights, else yellow when it runs ahead of 序时进度 at all (running ahead is what is bad), green;
- hazard fix rates (year to date): their bands;
- 逾期未整改 hazards (the latest 旬): yellow when any;
- accidents and deaths (year to date): yellow when up on the same period last year;
- any 较大及以上 accident in the period: red (an event, not a figure: an alert only).
A figure that is incomplete (a return it needs is missing: the unit's own, or any unit's for the
city) gets no light ("") and no alert: it is 未报送, not a problem of the unit's work.
Red comes first among the alerts; within a level, they keep the order above, city before units.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pandas as pd

from govbrief.config import Band, Thresholds
from govbrief.formatting import (
    fmt_amount,
    fmt_count,
    fmt_date_zh,
    fmt_day_tag,
    fmt_percent,
    printed_percent,
    round_half_up,
)
from govbrief.metrics.accidents import accident_name_zh, casualties_zh
from govbrief.metrics.catalogue import indicator
from govbrief.metrics.change import change
from govbrief.metrics.grading import SEVERE, Light, band_light
from govbrief.metrics.result import CITY, LEVEL_ORDER, AlertLevel, MetricAlert, SafetyMetrics
from govbrief.metrics.windows import Window

YOY_WATCHED = ("acc_count", "acc_deaths")
BANDED_RATES = ("hz_general_fix_rate", "hz_major_fix_rate")
SAFETY_LIGHTS = ("death_quota_used", *BANDED_RATES, "hz_overdue", *YOY_WATCHED)


def quota_light(used: float | None, time_progress: float, band: Band | None) -> Light | None:
    """Death-quota use: the band's light (≥100% red by default), else yellow when ahead of 序时进度."""
    if used is None or pd.isna(used):
        return None
    light = band_light(used, band) if band is not None else None
    if light not in (None, "green"):
        return light
    return "yellow" if printed_percent(used) > printed_percent(time_progress) else "green"


def safety_lights(metrics: SafetyMetrics, thresholds: Thresholds) -> pd.DataFrame:
    """The light ("" for none) of each judged figure, index unit code (the city first), one column each."""
    codes = [CITY, *(unit.code for unit in metrics.units)]
    rows = {code: _lights_of(metrics, thresholds, code) for code in codes}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(SAFETY_LIGHTS)).fillna("")


def _lights_of(metrics: SafetyMetrics, thresholds: Thresholds, code: str) -> dict[str, str]:
    lights: dict[str, str] = {}
    if metrics.complete(code, "ytd"):
        used = metrics.value("death_quota_used", "ytd", code)
        lights["death_quota_used"] = (
            quota_light(used, metrics.time_progress, thresholds.bands.get("death_quota_used")) or ""
        )
        for rate in BANDED_RATES:
            band = thresholds.bands.get(rate)
            lights[rate] = (band_light(metrics.value(rate, "ytd", code), band) or "") if band else ""
        if metrics.complete(code, "ytd_last_year"):
            for watched in YOY_WATCHED:
                lights[watched] = "yellow" if metrics.yoy(watched, "ytd", code).rose else "green"
    if metrics.complete(code, "period") and code != CITY:
        overdue = metrics.value("hz_overdue", "ytd", code)
        lights["hz_overdue"] = "" if overdue is None else ("yellow" if overdue > 0 else "green")
    return lights


def safety_alerts(metrics: SafetyMetrics) -> list[MetricAlert]:
    """The alerts of the safety numbers: 较大及以上 accidents, and every non-green light, most severe first."""
    return sort_alerts([*accident_alerts(metrics), *_light_alerts(metrics)])


def sort_alerts(alerts: list[MetricAlert]) -> list[MetricAlert]:
    """Red, then orange, then yellow; the original order within a level."""
    return sorted(alerts, key=lambda alert: LEVEL_ORDER[alert.level])


def accident_alerts(metrics: SafetyMetrics) -> Iterator[MetricAlert]:
    """A red alert per 较大及以上 accident that happened in the period."""
    for accident in metrics.major_accidents:
        if not accident.in_period:
            continue
        subject = f"“{fmt_day_tag(accident.occurred_on)}”{accident_name_zh(accident.grade, accident.sector)}"
        unit = metrics.unit_name(accident.unit_code)
        impact = [casualties_zh(accident.deaths, accident.serious_injuries)]
        impact.append(f"直接经济损失{fmt_amount(accident.direct_loss_wan)}万元")
        text = f"{unit}{fmt_date_zh(accident.occurred_on)}发生{subject}，{'，'.join(filter(None, impact))}。"
        which = "acc_severe" if accident.grade in SEVERE else "acc_major_plus"
        yield MetricAlert("red", which, accident.unit_code, unit, text, subject)


def _light_alerts(metrics: SafetyMetrics) -> Iterator[MetricAlert]:
    if metrics.lights is None:
        return
    for column in SAFETY_LIGHTS:
        for code, light in metrics.lights[column].items():
            if light in LEVEL_ORDER:
                yield MetricAlert(
                    cast(AlertLevel, light),
                    column,
                    str(code),
                    metrics.unit_name(str(code)),
                    _text(metrics, str(code), column),
                )


def _text(metrics: SafetyMetrics, code: str, column: str) -> str:
    unit = metrics.unit_name(code)
    if column == "death_quota_used":
        return quota_text(metrics, code)
    if column in BANDED_RATES:
        rate, light = metrics.value(column, "ytd", code), metrics.light(column, code)
        band = metrics.bands.get(column)
        bound = f"，低于{fmt_percent(getattr(band, light))}" if band is not None and getattr(band, light, None) else ""
        return f"{unit}{indicator(column).name_zh}为{fmt_percent(rate)}{bound}。"
    if column == "hz_overdue":
        return f"{unit}有逾期未整改隐患{fmt_count(metrics.value('hz_overdue', 'ytd', code))}项。"
    return _yoy_text(metrics, code, column)


def quota_text(metrics: SafetyMetrics, code: str) -> str:
    """东湖县本年累计死亡13人，超出全年控制指标（9人）4人 / 已达到全年控制指标 / 使用率…超序时进度…."""
    unit, quota = metrics.unit_name(code), metrics.quotas.get(code)
    deaths = metrics.value("acc_deaths", "ytd", code) or 0.0
    used = metrics.value("death_quota_used", "ytd", code)
    head = f"{unit}本年累计死亡{fmt_count(deaths)}人"
    if quota is not None and deaths > quota:
        return f"{head}，超出全年控制指标（{fmt_count(quota)}人）{fmt_count(deaths - quota)}人。"
    if quota is not None and deaths == quota:
        return f"{head}，已达到全年控制指标（{fmt_count(quota)}人）。"
    ahead = round_half_up(printed_percent(used or 0.0) - printed_percent(metrics.time_progress), 1)
    return (
        f"{head}，死亡控制指标（{fmt_count(quota)}人）使用率{fmt_percent(used)}，"
        f"超序时进度（{fmt_percent(metrics.time_progress)}）{ahead}个百分点。"
    )


def _yoy_text(metrics: SafetyMetrics, code: str, column: str) -> str:
    ind, unit = indicator(column), metrics.unit_name(code)
    now, before = metrics.value(column, "ytd", code), metrics.value(column, "ytd_last_year", code)
    return (
        f"{unit}本年累计{ind.name_zh}{fmt_count(now)}{ind.unit_zh}，同比{change(now, before).label_zh}"
        f"（去年同期{fmt_count(before)}{ind.unit_zh}）。"
    )


def judged(metrics: SafetyMetrics, code: str, *windows: Window) -> bool:
    """Whether a unit's (or the city's) figures in these windows are complete enough to be judged."""
    return all(metrics.complete(code, window) for window in windows)
