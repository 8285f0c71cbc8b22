"""The 季总结: the 月通报's sections over the quarter, plus the `quarterly` sections (docs/domain.md §5.4).

The safety figures are compute_safety over the quarter (its windows give 本季, 上季
and 上年同季); the ranking, quota, debt, key-task and 督办 sections are the
月通报's builders at the quarter's last month-end. The quarter adds the trends
with their charts, the 约谈 lists, last quarter's 约谈 followed up, debt risk band
changes, 通报表扬 and the 成效、问题、措施 narrative.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from govbrief.briefs.common.sentences import period_sentence, quota_sentence, year_sentence
from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.briefs.monthly.sections import MONTH_WORD, Heading, relabelled, supervision_context
from govbrief.briefs.quarterly.narrative import achievements, measures, problems
from govbrief.briefs.quarterly.supervision import (
    band_sentences,
    band_table,
    commendations,
    follow_up_rows,
    interview_items,
)
from govbrief.briefs.quarterly.trends import trend_charts, trend_sentences, trend_table
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Settings
from govbrief.metrics.quarterly_result import QuarterlyMetrics
from govbrief.metrics.result import SafetyMetrics
from govbrief.render.context import Alert, BriefContext, MonthlySections, QuarterlySections

QUARTERLY = Heading("quarterly", "季总结", "安全生产和政府债务化解季度总结", "本季")
RANK_CHANGE_MONTH, RANK_CHANGE_QUARTER = "较上月", "较上季"


def build_quarterly_context(
    safety: SafetyMetrics,
    quarterly: QuarterlyMetrics,
    *,
    settings: Settings,
    period: Period,
    submissions: Sequence[SubmissionInfo],
    issued_on: date,
    correction: str | None = None,
) -> BriefContext:
    """Every section of the 季总结 as plain, formatted data."""
    if period.kind is not PeriodKind.QUARTER or safety.period != period or quarterly.quarter != period:
        raise ValueError(f"a 季总结 needs the metrics of the quarter {period.key}")
    context = supervision_context(
        QUARTERLY,
        safety,
        quarterly.now.debt,
        settings=settings,
        submissions=submissions,
        issued_on=issued_on,
        correction=correction,
        sentences=quarter_overview(safety),
    )
    context["charts"] = [*context["charts"], *trend_charts(quarterly.trends)]
    if context["monthly"] is not None:
        context["monthly"] = at_quarter_end(context["monthly"], period)
    month_zh = f"{period.end.month}月"
    context["debt_alerts"] = [text.replace(MONTH_WORD, month_zh) for text in context["debt_alerts"]]
    context["alerts"] = [
        Alert(**{**alert, "text": alert["text"].replace(MONTH_WORD, month_zh)}) for alert in context["alerts"]
    ]
    context["quarterly"] = quarterly_sections(quarterly, safety)
    return context


def at_quarter_end(monthly: MonthlySections, quarter: Period) -> MonthlySections:
    """The 月通报's sections as a quarter reads them: ranks move 较上季 (against last quarter's end),
    and the month's own flows (due, paid, resolved) name their month, 9月 rather than 本月."""
    month_zh = f"{quarter.end.month}月"
    sections = monthly.copy()
    sections["ranking_table"] = relabelled(monthly["ranking_table"], RANK_CHANGE_MONTH, RANK_CHANGE_QUARTER)
    sections["debt_sentences"] = [text.replace(MONTH_WORD, month_zh) for text in monthly["debt_sentences"]]
    sections["debt_table"] = relabelled(monthly["debt_table"], MONTH_WORD, month_zh)
    sections["channel_table"] = relabelled(monthly["channel_table"], MONTH_WORD, month_zh)
    return sections


def quarter_overview(safety: SafetyMetrics) -> list[str]:
    """总体情况 over a quarter: the quarter (同比, 环比), the year so far, the death quota."""
    candidates = [period_sentence(safety), year_sentence(safety), quota_sentence(safety)]
    return [sentence for sentence in candidates if sentence]


def quarterly_sections(metrics: QuarterlyMetrics, safety: SafetyMetrics) -> QuarterlySections:
    """The sections only the 季总结 has."""
    debt = metrics.now.debt
    return QuarterlySections(
        trend_sentences=trend_sentences(metrics.trends),
        trend_table=trend_table(metrics.trends),
        interviews=interview_items(debt, metrics.interviews) or [],
        half_year_interviews=interview_items(debt, metrics.half_year),
        half_year_label=None
        if metrics.half_year is None
        else Period.containing(PeriodKind.HALF, metrics.quarter.end).label_zh,
        follow_ups=follow_up_rows(metrics),
        band_changes=band_table(metrics),
        band_sentences=band_sentences(metrics),
        commendations=commendations(metrics),
        achievements=achievements(metrics),
        problems=problems(metrics, safety),
        measures=measures(metrics),
    )
