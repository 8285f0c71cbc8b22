"""Alerts from the safety numbers. Every threshold comes from configuration.

- any 较大及以上 accident this 旬 → red (重大/特别重大 under acc_severe);
- year-to-date accidents or deaths up on last year → yellow (city and units);
- death quota use above 序时进度 + tolerance → yellow; at a configured band → that band (≥100% red);
- hazard fix rates by their configured bands (city and units);
- 逾期未整改 hazards > 0 → yellow (units).
Red comes first; within a level, alerts keep the order above, city before units. A figure that
is incomplete (a return it needs is missing: the unit's own, or any unit's for the city) gets no
light and no alert: it is 未报送, not a problem of the unit's work.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from govbrief.config import Band, Thresholds
from govbrief.formatting import fmt_amount, fmt_count, fmt_date_zh, fmt_day_tag, fmt_percent, round_half_up
from govbrief.metrics.accidents import accident_name_zh, casualties_zh
from govbrief.metrics.catalogue import indicator
from govbrief.metrics.change import change
from govbrief.metrics.grading import SEVERE, band_light
from govbrief.metrics.result import LEVEL_ORDER, AlertLevel, MetricAlert, SafetyMetrics
from govbrief.metrics.windows import Window

YOY_WATCHED = ("acc_count", "acc_deaths")
BANDED_RATES = ("hz_general_fix_rate", "hz_major_fix_rate")


def safety_alerts(metrics: SafetyMetrics, thresholds: Thresholds) -> list[MetricAlert]:
    """All alerts of the safety numbers, most severe first."""
    found = [
        *accident_alerts(metrics),
        *quota_alerts(metrics, thresholds),
        *yoy_alerts(metrics),
        *rate_alerts(metrics, thresholds),
        *overdue_alerts(metrics),
    ]
    return sort_alerts(found)


def sort_alerts(alerts: list[MetricAlert]) -> list[MetricAlert]:
    """Red, then orange, then yellow; the original order within a level."""
    return sorted(alerts, key=lambda alert: LEVEL_ORDER[alert.level])


def accident_alerts(metrics: SafetyMetrics) -> Iterator[MetricAlert]:
    """A red alert per 较大及以上 accident that happened in the 旬."""
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


def yoy_alerts(metrics: SafetyMetrics) -> Iterator[MetricAlert]:
    """Yellow where year-to-date accidents or deaths rose on the same period last year."""
    watched = list(YOY_WATCHED)
    judged = [code for code in metrics.window_table("ytd").index if _judged(metrics, str(code), "ytd", "ytd_last_year")]
    now = metrics.window_table("ytd").loc[judged, watched]
    before = metrics.window_table("ytd_last_year").loc[judged, watched]
    risen = now > before
    for code in now.index[risen.any(axis=1)]:
        for indicator_id in watched:
            if risen.loc[code, indicator_id]:
                current, base = float(now.loc[code, indicator_id]), float(before.loc[code, indicator_id])
                yield _yoy_alert(metrics, str(code), indicator_id, current, base)


def _yoy_alert(metrics: SafetyMetrics, code: str, indicator_id: str, current: float, base: float) -> MetricAlert:
    ind, unit = indicator(indicator_id), metrics.unit_name(code)
    text = (
        f"{unit}本年累计{ind.name_zh}{fmt_count(current)}{ind.unit_zh}，同比{change(current, base).label_zh}"
        f"（去年同期{fmt_count(base)}{ind.unit_zh}）。"
    )
    return MetricAlert("yellow", indicator_id, code, unit, text)


def quota_level(used: float | None, time_progress: float, tolerance_pp: float, band: Band | None) -> AlertLevel | None:
    """The alert level of a death-quota use: the band's light, else yellow when ahead of 序时进度."""
    if used is None:
        return None
    light = band_light(used, band) if band is not None else None
    if light in LEVEL_ORDER:
        return cast(AlertLevel, light)
    # Compare in rounded percentage points so 0.55 against 0.50 + 5 pp counts as "at", not "over".
    ahead_pp = round((used - time_progress) * 100, 9)
    return "yellow" if ahead_pp > tolerance_pp else None


def quota_alerts(metrics: SafetyMetrics, thresholds: Thresholds) -> Iterator[MetricAlert]:
    """Death-quota use against 序时进度 and the configured band."""
    band = thresholds.bands.get("death_quota_used")
    ytd = metrics.window_table("ytd")
    deaths = ytd["acc_deaths"].to_dict()
    for code, used in ytd["death_quota_used"].dropna().items():
        if not _judged(metrics, str(code), "ytd"):
            continue
        level = quota_level(float(used), metrics.time_progress, thresholds.lag_tolerance_pp, band)
        if level is not None:
            yield _quota_alert(metrics, str(code), level, float(used), float(deaths[code]))


def _quota_alert(metrics: SafetyMetrics, code: str, level: AlertLevel, used: float, deaths: float) -> MetricAlert:
    unit, quota = metrics.unit_name(code), fmt_count(metrics.quotas.get(code))
    head = f"{unit}本年累计死亡{fmt_count(deaths)}人，死亡控制指标（{quota}人）使用率{fmt_percent(used)}"
    if used >= 1:
        tail = "，已用完全年指标。"
    else:
        ahead = round_half_up((used - metrics.time_progress) * 100, 1)
        tail = f"，超过序时进度（{fmt_percent(metrics.time_progress)}）{ahead}个百分点。"
    return MetricAlert(level, "death_quota_used", code, unit, head + tail)


def rate_alerts(metrics: SafetyMetrics, thresholds: Thresholds) -> Iterator[MetricAlert]:
    """Hazard fix rates (year to date) outside their configured bands."""
    ytd = metrics.window_table("ytd")
    for indicator_id in BANDED_RATES:
        band = thresholds.bands.get(indicator_id)
        if band is None:
            continue
        for code, rate in ytd[indicator_id].dropna().items():
            if not _judged(metrics, str(code), "ytd"):
                continue
            light = band_light(float(rate), band)
            if light is None or light == "green":
                continue
            unit, bound = metrics.unit_name(str(code)), cast(float, getattr(band, light))
            side = "低于" if band.direction == "up" else "达到"
            name = indicator(indicator_id).name_zh
            text = f"{unit}{name}为{fmt_percent(float(rate))}，{side}{fmt_percent(bound)}。"
            yield MetricAlert(light, indicator_id, str(code), unit, text)


def overdue_alerts(metrics: SafetyMetrics) -> Iterator[MetricAlert]:
    """Units with hazards past their rectification deadline (their latest figure this year)."""
    overdue = metrics.unit_values("ytd")["hz_overdue"]
    for code, count in overdue.loc[overdue.fillna(0) > 0].items():
        if not _judged(metrics, str(code), "period"):  # the latest figure is not this 旬's
            continue
        unit = metrics.unit_name(str(code))
        text = f"{unit}有逾期未整改隐患{fmt_count(float(count))}项。"
        yield MetricAlert("yellow", "hz_overdue", str(code), unit, text)


def _judged(metrics: SafetyMetrics, code: str, *windows: Window) -> bool:
    """Whether a unit's (or the city's) figures in these windows are complete enough to be judged."""
    return all(metrics.complete(code, window) for window in windows)
