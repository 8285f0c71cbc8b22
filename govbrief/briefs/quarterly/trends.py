"""The 季总结's trend section: sentences, the indicator × quarter table and the quarter charts.

Counts are whole numbers, amounts 亿元 with two decimals; changes follow the
office's zero-base rules (govbrief.metrics.change).
"""

from __future__ import annotations

from collections.abc import Callable

from govbrief.briefs.common.sentences import paired_change_zh
from govbrief.calendar.periods import QUARTER_ZH
from govbrief.formatting import fmt_amount, fmt_count
from govbrief.metrics.quarterly_trends import QuarterTrends, Trend
from govbrief.render.context import ChartSpec, Light, Table

TREND_LABELS_ZH = {
    "acc_count": "生产安全事故（起）",
    "acc_deaths": "死亡人数（人）",
    "acc_major_plus": "较大及以上事故（起）",
    "resolved": "化解隐性债务（亿元）",
    "hidden_new": "新增隐性债务（亿元）",
}
AMOUNTS = frozenset({"resolved", "hidden_new"})
# Indicators where a rise is bad news (lit yellow in the table); new hidden debt of any amount is red.
RISE_IS_BAD = frozenset({"acc_count", "acc_deaths", "acc_major_plus"})
TREND_COLUMNS = [
    ["indicator", "指标"],
    ["quarter", "本季"],
    ["previous", "上季"],
    ["mom", "环比"],
    ["last_year", "上年同季"],
    ["yoy", "同比"],
    ["ytd", "本年累计"],
    ["ytd_yoy", "累计同比"],
]


def _formatter(indicator: str) -> Callable[[float | None], str]:
    return fmt_amount if indicator in AMOUNTS else fmt_count


def trend_sentences(trends: QuarterTrends) -> list[str]:
    """本季 against 上季 (环比) and 上年同季 (同比): accidents, 较大 accidents, 化债, new hidden debt."""
    count, deaths = trends.trend("acc_count"), trends.trend("acc_deaths")
    accidents = (
        f"本季度全市共发生生产安全事故{fmt_count(count.quarter)}起、死亡{fmt_count(deaths.quarter)}人，"
        f"{paired_change_zh('环比', count.mom, deaths.mom)}，{paired_change_zh('同比', count.yoy, deaths.yoy)}。"
    )
    return [accidents, _major_sentence(trends.trend("acc_major_plus")), *_debt_sentences(trends)]


def _major_sentence(major: Trend) -> str:
    before = f"上季度{fmt_count(major.previous)}起，去年同期{fmt_count(major.last_year)}起"
    if major.quarter == 0:
        return f"本季度未发生较大及以上事故（{before}）。"
    return f"本季度发生较大及以上事故{fmt_count(major.quarter)}起（{before}）。"


def _debt_sentences(trends: QuarterTrends) -> list[str]:
    resolved, new = trends.trend("resolved"), trends.trend("hidden_new")
    sentences = [
        f"本季度全市化解隐性债务{fmt_amount(resolved.quarter)}亿元，环比{resolved.mom.label_zh}，"
        f"同比{resolved.yoy.label_zh}；今年以来累计化解{fmt_amount(resolved.ytd)}亿元，"
        f"同比{resolved.ytd_yoy.label_zh}。"
    ]
    if new.quarter > 0:
        sentences.append(f"本季度全市新增隐性债务{fmt_amount(new.quarter)}亿元。")
    else:
        sentences.append("本季度全市未新增隐性债务。")
    return sentences


def trend_table(trends: QuarterTrends) -> Table:
    """Indicator × (本季, 上季, 环比, 上年同季, 同比, 本年累计, 累计同比), rises of bad news lit."""
    rows, lights = [], {}
    for position, trend in enumerate(trends.trends):
        rows.append(_trend_row(trend))
        if row_lights := _trend_lights(trend):
            lights[str(position)] = row_lights
    note = "环比为与上季度相比，同比为与上年同季度相比；上期为零时不计算增幅（“—”）。"
    return Table(columns=TREND_COLUMNS, rows=rows, total=None, lights=lights, note=note)


def _trend_row(trend: Trend) -> dict[str, str]:
    fmt = _formatter(trend.indicator)
    return {
        "indicator": TREND_LABELS_ZH[trend.indicator],
        "quarter": fmt(trend.quarter),
        "previous": fmt(trend.previous),
        "mom": trend.mom.cell_zh,
        "last_year": fmt(trend.last_year),
        "yoy": trend.yoy.cell_zh,
        "ytd": fmt(trend.ytd),
        "ytd_yoy": trend.ytd_yoy.cell_zh,
    }


def _trend_lights(trend: Trend) -> dict[str, Light]:
    if trend.indicator == "hidden_new":
        return {"quarter": "red"} if trend.quarter > 0 else {}
    if trend.indicator in RISE_IS_BAD:
        lit = {"yoy": trend.yoy.rose, "ytd_yoy": trend.ytd_yoy.rose}
        return {column: "yellow" for column, rose in lit.items() if rose}
    return {}


def trend_charts(trends: QuarterTrends) -> list[ChartSpec]:
    """chart3 and chart4: accidents and 化债 by quarter, this year against last year."""
    return [
        _quarter_chart(trends, "chart3", "acc_count", "各季度生产安全事故起数", "事故起数（起）"),
        _quarter_chart(trends, "chart4", "resolved", "各季度化解隐性债务", "化解额（亿元）"),
    ]


def _quarter_chart(trends: QuarterTrends, cid: str, indicator: str, title: str, y_label: str) -> ChartSpec:
    year = trends.quarter.year
    now, before = trends.series(indicator, year), trends.series(indicator, year - 1)
    names = list(QUARTER_ZH[: trends.quarter.index])
    fmt = _formatter(indicator)
    pairs = [f"{n}{fmt(a)}（上年{fmt(b)}）" for n, a, b in zip(names, now, before, strict=True)]
    return ChartSpec(
        cid=cid,
        title=f"{title}（{year}年与{year - 1}年同期对比）",
        kind="bar",
        categories=names,
        series=[{"name": f"{year}年", "values": now}, {"name": f"{year - 1}年", "values": before}],
        y_label=y_label,
        alt=f"{title}，{year}年与{year - 1}年对比：" + "，".join(pairs) + "。",
    )
