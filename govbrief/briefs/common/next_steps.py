"""下步工作: a few bullets generated from the alerts.

Each 较大及以上 accident gets its own bullet naming it; the other alerts are
grouped by kind, one bullet per kind naming the units concerned. Targets in
the wording (95%, 80%) come from the configured bands.
"""

from __future__ import annotations

from collections.abc import Sequence

from govbrief.briefs.common.submissions import SUBMISSION_INDICATOR
from govbrief.config import Thresholds
from govbrief.formatting import fmt_percent, join_names
from govbrief.metrics.result import CITY, MetricAlert

ACCIDENT_INDICATORS = ("acc_severe", "acc_major_plus")
# Alert indicator → bullet kind, in the order the bullets appear after the accident ones.
KIND_OF = {
    "acc_count": "trend",
    "acc_deaths": "trend",
    "death_quota_used": "quota",
    "hz_general_fix_rate": "fix",
    "hz_major_fix_rate": "fix",
    "hz_overdue": "overdue",
    SUBMISSION_INDICATOR: "submission",
}
KIND_TEMPLATES = {
    "trend": "{names}本年累计事故起数或死亡人数同比上升，要深入分析事故规律，紧盯重点行业领域和关键时段，"
    "采取针对性措施，推动事故总量和死亡人数下降。",
    "quota": "{names}死亡控制指标使用进度快于序时进度，要严格落实安全生产责任制，确保全年死亡人数控制在指标以内。",
    "fix": "{names}要加快隐患整改进度，确保一般隐患整改率不低于{general}、重大隐患整改率不低于{major}。",
    "overdue": "{names}要对逾期未整改隐患逐项挂牌督办、限期清零。",
    "submission": "{names}要按时、准确报送安全生产旬报表，退回重报的要在规定时间内更正后重新报送。",
}
STEADY = "各县市区要保持安全生产形势稳定，持续深化隐患排查整治和打非治违，严防各类事故发生。"


def accident_step(alert: MetricAlert) -> str:
    """东湖县要深刻吸取“11·12”较大道路交通事故教训，…."""
    return (
        f"{alert.unit_name}要深刻吸取{alert.subject}教训，全面查明事故原因，依法依规严肃追责问责，"
        "举一反三开展同类风险隐患排查整治，坚决防范同类事故再次发生。"
    )


def next_steps(alerts: Sequence[MetricAlert], thresholds: Thresholds) -> list[str]:
    """The 下步工作 bullets for these alerts; one steady-course bullet when there are none."""
    steps = [accident_step(a) for a in alerts if a.indicator in ACCIDENT_INDICATORS]
    for kind in dict.fromkeys(KIND_OF.values()):
        names = _names_for(kind, alerts)
        if names:
            steps.append(KIND_TEMPLATES[kind].format(names=join_names(names), **_fix_targets(thresholds)))
    return steps or [STEADY]


def _names_for(kind: str, alerts: Sequence[MetricAlert]) -> list[str]:
    """The units an alert kind concerns, in alert order; 全市 only when no single unit is named."""
    concerned = [a for a in alerts if KIND_OF.get(a.indicator) == kind]
    units = list(dict.fromkeys(a.unit_name for a in concerned if a.unit_code != CITY))
    return units or list(dict.fromkeys(a.unit_name for a in concerned))


def _fix_targets(thresholds: Thresholds) -> dict[str, str]:
    """The fix rates the wording asks for: the lowest rate with no alert (the first band bound)."""
    targets = {}
    for key, indicator_id in (("general", "hz_general_fix_rate"), ("major", "hz_major_fix_rate")):
        band = thresholds.bands.get(indicator_id)
        bounds = [b for b in (band.yellow, band.orange, band.red) if b is not None] if band else []
        targets[key] = fmt_percent(max(bounds)) if bounds else "100.0%"
    return targets
