"""The 旬简报: SafetyMetrics → the plain-data BriefContext the templates place.

Sections (docs/domain.md §5.2): 一、总体情况 (sentences + the year's 较大及以上
accidents), 二、重点行业领域, 三、隐患排查整治, 四、监管执法, 五、债务风险提示
(the debt return is monthly: none in a 旬 brief yet), 六、报送情况, 七、存在问题
和下步工作, and one chart. Every number is formatted by govbrief.formatting.
The JSON for `govbrief run ten-day --json` is `brief_data` (ten_day_data.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from govbrief.briefs.common.next_steps import next_steps
from govbrief.briefs.common.sentences import overview_sentences
from govbrief.briefs.common.submissions import SubmissionInfo, all_alerts, submission_rows, submission_summary
from govbrief.briefs.common.tables import enforcement_table, hazard_table, sector_table
from govbrief.briefs.registry import BY_ID
from govbrief.briefs.ten_day.data import brief_data
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Settings
from govbrief.formatting import fmt_amount, fmt_count, fmt_date_zh, fmt_full_date_zh
from govbrief.metrics.result import SafetyMetrics
from govbrief.render.context import Alert, BriefContext, ChartSpec, MajorAccident, Overview, PeriodInfo

__all__ = ["SubmissionInfo", "all_alerts", "brief_data", "build_ten_day_context"]

TITLE = "安全生产和政府债务化解旬简报"
KIND_ZH = BY_ID["ten_day"].name_zh
DEBT_NOTE = "债务数据按月报送，本旬未收到新增隐性债务和逾期偿付报告。"


def build_ten_day_context(
    metrics: SafetyMetrics,
    *,
    settings: Settings,
    period: Period,
    submissions: Sequence[SubmissionInfo],
    issued_on: date,
    correction: str | None = None,
) -> BriefContext:
    """Every section of the 旬简报 as plain, formatted data."""
    if period.kind is not PeriodKind.TEN_DAY or metrics.period != period:
        raise ValueError(f"a 旬简报 needs the metrics of the 旬 {period.key}, got {metrics.period.key}")
    alerts = all_alerts(metrics, submissions)
    rows = submission_rows(metrics.units, submissions)
    return BriefContext(
        kind="ten_day",
        kind_zh=KIND_ZH,
        title=TITLE,
        issue_label=f"第{period.issue_number()}期",
        period=PeriodInfo(key=period.key, label_zh=period.label_zh, range_zh=period.range_zh),
        city=settings.city.name,
        office=settings.city.office,
        issued_on_zh=fmt_full_date_zh(issued_on),
        correction=correction,
        overview=Overview(sentences=overview_sentences(metrics), major_accidents=major_accident_rows(metrics)),
        sector_table=sector_table(metrics),
        hazard_table=hazard_table(metrics),
        enforcement_table=enforcement_table(metrics),
        debt_alerts=[],
        debt_note=DEBT_NOTE,
        submissions=rows,
        submission_summary=submission_summary(rows),
        alerts=[Alert(level=a.level, indicator=a.indicator, unit=a.unit_name, text=a.text) for a in alerts],
        next_steps=next_steps(alerts, settings.thresholds),
        charts=[accident_chart(metrics)],
        monthly=None,
        quarterly=None,
    )


def major_accident_rows(metrics: SafetyMetrics) -> list[MajorAccident]:
    """The year's 较大及以上 accidents (to the 旬's end), with their particulars as text."""
    return [
        MajorAccident(
            unit=metrics.unit_name(a.unit_code),
            occurred_on_zh=fmt_date_zh(a.occurred_on),
            sector=a.sector,
            grade=a.grade,
            deaths=fmt_count(a.deaths),
            serious_injuries=fmt_count(a.serious_injuries),
            direct_loss_wan=fmt_amount(a.direct_loss_wan),
            summary=a.summary,
        )
        for a in metrics.major_accidents
    ]


def accident_chart(metrics: SafetyMetrics) -> ChartSpec:
    """chart1: per unit, accidents this year to date against the same period last year."""
    now, before = metrics.unit_values("ytd")["acc_count"], metrics.unit_values("ytd_last_year")["acc_count"]
    names = [unit.name for unit in metrics.units]
    pairs = [
        f"{name}{fmt_count(a)}起（去年同期{fmt_count(b)}起）" for name, a, b in zip(names, now, before, strict=True)
    ]
    year, end = metrics.period.year, metrics.period.end
    return ChartSpec(
        cid="chart1",
        title=f"各县市区本年累计事故起数（截至{fmt_date_zh(end)}）",
        kind="bar",
        categories=names,
        series=[
            {"name": f"{year}年累计", "values": [float(v) for v in now]},
            {"name": f"{year - 1}年同期", "values": [float(v) for v in before]},
        ],
        y_label="事故起数（起）",
        alt="各县市区本年累计事故起数与去年同期对比：" + "，".join(pairs) + "。",
    )
