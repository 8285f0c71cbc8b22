"""The 总体情况 sentences, generated from the numbers.

Style of the office: "全市共发生生产安全事故3起、死亡2人，同比分别下降25.0%和33.3%；
未发生较大及以上事故。" Counts first, then 同比 (and 环比 for the 旬), then whether
any 较大及以上 accident happened, naming it if so.
"""

from __future__ import annotations

from govbrief.calendar.periods import XUN_ZH, Period
from govbrief.formatting import (
    fmt_amount,
    fmt_count,
    fmt_date_zh,
    fmt_day_tag,
    fmt_pct,
    fmt_percent,
    round_half_up,
)
from govbrief.metrics.accidents import accident_name_zh, casualties_zh
from govbrief.metrics.change import Change
from govbrief.metrics.result import CITY, MajorAccident, SafetyMetrics
from govbrief.metrics.windows import YOY_BASE, Window


def paired_change_zh(basis: str, count: Change, deaths: Change) -> str:
    """同比分别下降25.0%和33.3% / 同比均持平 / 起数同比上升50.0%、死亡人数同比持平."""
    if count.trend == deaths.trend == "flat":
        return f"{basis}均持平"
    if count.trend == deaths.trend and count.trend in ("up", "down"):
        verb = "上升" if count.trend == "up" else "下降"
        return f"{basis}分别{verb}{fmt_pct(abs(count.pct or 0))}和{fmt_pct(abs(deaths.pct or 0))}"
    return f"起数{basis}{count.label_zh}、死亡人数{basis}{deaths.label_zh}"


def major_particulars(metrics: SafetyMetrics, accident: MajorAccident) -> str:
    """东湖县“11·12”较大道路交通事故，死亡3人、重伤2人 (or its loss when nobody died or was hurt)."""
    name = accident_name_zh(accident.grade, accident.sector)
    impact = casualties_zh(accident.deaths, accident.serious_injuries)
    impact = impact or f"直接经济损失{fmt_amount(accident.direct_loss_wan)}万元"
    return f"{metrics.unit_name(accident.unit_code)}“{fmt_day_tag(accident.occurred_on)}”{name}，{impact}"


def _counts_zh(metrics: SafetyMetrics, window: Window, verb: str) -> str:
    """全市共发生生产安全事故3起、死亡2人，同比…; or 全市未发生生产安全事故…."""
    count = metrics.value("acc_count", window) or 0.0
    if count == 0:
        base_window = YOY_BASE[window]
        base = metrics.value("acc_count", base_window) or 0.0
        if base == 0:
            return "全市未发生生产安全事故，与去年同期持平"
        deaths_before = fmt_count(metrics.value("acc_deaths", base_window))
        return f"全市未发生生产安全事故（去年同期{fmt_count(base)}起、死亡{deaths_before}人）"
    deaths = fmt_count(metrics.value("acc_deaths", window))
    change = paired_change_zh("同比", metrics.yoy("acc_count", window), metrics.yoy("acc_deaths", window))
    return f"全市{verb}生产安全事故{fmt_count(count)}起、死亡{deaths}人，{change}"


def period_sentence(metrics: SafetyMetrics) -> str:
    """本旬: counts, 同比, 环比, and any 较大及以上 accident named."""
    period = metrics.period
    head = f"{_xun_label(period)}（{period.range_zh}），{_counts_zh(metrics, 'period', '共发生')}"
    if metrics.value("acc_count", "period") or metrics.value("acc_count", "period_previous"):
        head += "，" + paired_change_zh("环比", metrics.mom("acc_count"), metrics.mom("acc_deaths"))
    majors = [a for a in metrics.major_accidents if a.in_period]
    if not metrics.value("acc_count", "period"):
        return f"{head}。"
    if not majors:
        return f"{head}；未发生较大及以上事故。"
    listed = "；".join(major_particulars(metrics, a) for a in majors)
    return f"{head}；其中较大及以上事故{len(majors)}起（{listed}）。"


def month_sentence(metrics: SafetyMetrics) -> str | None:
    """本月以来 (None for a 上旬, where the month so far is the 旬 itself)."""
    period = metrics.period
    first, last = period.month_to_date()
    if first == period.start:
        return None
    return f"{first.month}月1日至{last.day}日，{_counts_zh(metrics, 'month', '累计发生')}。"


def year_sentence(metrics: SafetyMetrics) -> str:
    """今年以来: counts, injuries, loss, 同比, and the year's 较大及以上 accidents."""
    _, last = metrics.period.year_to_date()
    head = f"今年以来（截至{fmt_date_zh(last)}），{_counts_zh(metrics, 'ytd', '累计发生')}"
    if not metrics.value("acc_count", "ytd"):
        return f"{head}。"
    injuries = fmt_count(metrics.value("acc_serious_injuries", "ytd"))
    loss = fmt_amount(metrics.value("acc_direct_loss", "ytd"))
    head += f"；累计重伤{injuries}人，直接经济损失{loss}万元"
    major = int(metrics.value("acc_major_plus", "ytd") or 0)
    if major == 0:
        return f"{head}；未发生较大及以上事故。"
    severe = int(metrics.value("acc_severe", "ytd") or 0)
    severe_zh = f"，其中重特大事故{severe}起" if severe else "，未发生重特大事故"
    return f"{head}；累计发生较大及以上事故{major}起{severe_zh}。"


def quota_sentence(metrics: SafetyMetrics) -> str | None:
    """死亡控制指标使用率 against 序时进度 (None when the year has no quota)."""
    used = metrics.value("death_quota_used", "ytd")
    quota = metrics.quotas.get(CITY)
    if used is None or quota is None:
        return None
    progress = metrics.time_progress
    gap = round_half_up(abs(used - progress) * 100, 1)
    relation = f"超过序时进度{gap}个百分点" if used > progress else f"低于序时进度{gap}个百分点"
    deaths = fmt_count(metrics.value("acc_deaths", "ytd"))
    return (
        f"全市死亡控制指标使用率为{fmt_percent(used)}（全年控制指标{fmt_count(quota)}人，已死亡{deaths}人），"
        f"序时进度为{fmt_percent(progress)}，{relation}。"
    )


def overview_sentences(metrics: SafetyMetrics) -> list[str]:
    """The 总体情况 paragraph, sentence by sentence."""
    candidates = [
        period_sentence(metrics),
        month_sentence(metrics),
        year_sentence(metrics),
        quota_sentence(metrics),
    ]
    return [sentence for sentence in candidates if sentence]


def _xun_label(period: Period) -> str:
    """11月中旬 (a 旬 without its year); other periods use their full label."""
    if period.kind != "ten_day":
        return period.label_zh
    return f"{period.end.month}月{XUN_ZH[(period.index - 1) % 3]}"
