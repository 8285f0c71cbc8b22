"""The 旬简报 as a 公文: SafetyMetrics (and the month's debt red flags) → the document a 督查室 signs.

一、总体情况 — the 旬, the month so far and the year in one paragraph, the month's 较大及以上
accidents as a typical case, the debt red lines in a sentence; 二、主要问题 — the findings,
grouped by theme; 三、下步工作 — a measure per finding, the season's, and the red lines'. The
full tables go to the 附件 pages: 重点行业领域, 隐患排查整治, 安全监管执法, 报表报送情况.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from govbrief.briefs.common import gongwen, measures, safety_text
from govbrief.briefs.common.debt_flags import NO_REPORT, DebtFlags
from govbrief.briefs.common.safety_text import Missing
from govbrief.briefs.common.submission_words import submission_finding
from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.briefs.common.tables import enforcement_table, hazard_table, sector_table, submission_table
from govbrief.briefs.registry import BY_ID
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Settings
from govbrief.formatting import fmt_date_range_zh, fmt_full_date_zh
from govbrief.metrics.result import SafetyMetrics
from govbrief.render.document import BriefContext, Paragraph, PeriodInfo, Section

KIND = BY_ID["ten_day"]


@dataclass(frozen=True)
class TenDayInputs:
    """What the 旬简报 is written from, besides the safety figures."""

    settings: Settings
    period: Period
    submissions: Sequence[SubmissionInfo]
    issued_on: date
    debt: DebtFlags | None = None  # the month whose debt returns fell due in the 旬; None: none did
    correction: str | None = None


def build_ten_day_document(metrics: SafetyMetrics, inputs: TenDayInputs) -> BriefContext:
    """Every part of the 旬简报 as plain, formatted data."""
    period, settings = inputs.period, inputs.settings
    if period.kind is not PeriodKind.TEN_DAY or metrics.period != period:
        raise ValueError(f"a 旬简报 needs the metrics of the 旬 {period.key}, got {metrics.period.key}")
    missing = missing_units(metrics, inputs.submissions)
    annex_list, annexes = gongwen.annexes(
        [
            (f"{period.label_zh}重点行业领域事故情况表", "", sector_table(metrics), ()),
            ("各县市区隐患排查整治情况表", f"（{_ytd_range(period)}）", hazard_table(metrics), ()),
            ("各县市区安全监管执法情况表", f"（{_ytd_range(period)}）", enforcement_table(metrics), ()),
            (
                "各县市区报表报送情况表",
                f"（{period.label_zh}）",
                submission_table(metrics.units, inputs.submissions),
                (),
            ),
        ]
    )
    findings = [
        f
        for f in (
            safety_text.quota_finding(metrics),
            safety_text.sector_finding(metrics, settings.document.seasons, period.end),
            safety_text.hazard_finding(metrics),
            submission_finding(inputs.submissions, {u.code: u.name for u in metrics.units}),
        )
        if f is not None
    ]
    return BriefContext(
        kind="ten_day",
        kind_zh=KIND.name_zh,
        title=f"{settings.city.name}安全生产和政府债务化解{KIND.name_zh}",
        issue_label=f"第{period.issue_number()}期",
        period=PeriodInfo(key=period.key, label_zh=period.label_zh, range_zh=period.range_zh),
        city=settings.city.name,
        office=settings.issuer,
        issued_on_zh=fmt_full_date_zh(inputs.issued_on),
        correction=inputs.correction,
        completeness=completeness(metrics, missing, settings.document.mostly_missing_share),
        doc_title=f"{safety_text.period_name(period)}全市安全生产和政府债务化解情况",
        opening=[],
        sections=[
            gongwen.section(1, "总体情况", _overview(metrics, missing, inputs.debt)),
            gongwen.section(2, "主要问题", gongwen.numbered([(f.title, f.text) for f in findings]))
            if findings
            else gongwen.section(2, "主要问题", [gongwen.paragraph("本旬各项监测指标未发现需要提示的问题。")]),
            gongwen.section(3, "下步工作", _measures(metrics, inputs, findings, missing)),
        ],
        annex_list=annex_list,
        contact=gongwen.contact_line(settings),
        annexes=annexes,
        distribution=gongwen.distribution(settings, inputs.issued_on),
        charts=[],
    )


def _overview(metrics: SafetyMetrics, missing: Missing, debt: DebtFlags | None) -> list[Paragraph]:
    paragraphs = [gongwen.paragraph(safety_text.overview(metrics, missing))]
    if case := safety_text.typical_cases(metrics):
        paragraphs.append(gongwen.paragraph(case))
    paragraphs.append(gongwen.paragraph(debt.paragraph() if debt is not None else NO_REPORT))
    return paragraphs


def _measures(
    metrics: SafetyMetrics, inputs: TenDayInputs, findings: Sequence[gongwen.Finding], missing: Missing
) -> list[Paragraph]:
    settings = inputs.settings
    quota_units = next((f.units for f in findings if f.theme == "quota"), ())
    hazard_units = next((f.units for f in findings if f.theme == "hazard"), ())
    first, _ = metrics.period.month_to_date()
    cases = [a for a in metrics.major_accidents if a.occurred_on >= first]
    names = {u.code: u.name for u in metrics.units}
    ytd, before = metrics.sector_records("ytd"), metrics.sector_records("ytd_last_year")
    risen = [sector for sector, _ in safety_text.risen_sectors(ytd, before, exclude="")]
    late = [names[s.unit_code] for s in inputs.submissions if s.status == "late"]
    items = [
        measures.deaths_measure(quota_units, cases, names),
        measures.season_measure(settings.document.seasons, inputs.issued_on, settings.document.safety_campaign, risen),
        measures.hazard_measure(hazard_units),
        measures.reporting_and_debt_measure(
            missing.refused, late, missing.absent, inputs.debt.events if inputs.debt else measures.DebtEvents()
        ),
    ]
    return gongwen.numbered([item for item in items if item is not None])


def missing_units(metrics: SafetyMetrics, submissions: Sequence[SubmissionInfo]) -> Missing:
    """The units without this period's accepted return: sent back, or never sent."""
    names = {u.code: u.name for u in metrics.units}
    status = {s.unit_code: s.status for s in submissions}
    refused = tuple(names[c] for c in metrics.missing_units("period") if status.get(c) == "refused")
    absent = tuple(names[c] for c in metrics.missing_units("period") if status.get(c) != "refused")
    return Missing(refused, absent)


def completeness(metrics: SafetyMetrics, missing: Missing, share: float) -> str | None:
    """Said at the top when so many returns are missing that the city's figures are mostly unknown."""
    total = len(metrics.units)
    if not total or len(missing.names) / total < share:
        return None
    return (
        f"本期{total}个县市区中有{len(missing.names)}个尚无通过校验的报表，以下全市数据仅含已报送的"
        f"{total - len(missing.names)}个县市区，待补报后更新。"
    )


def _ytd_range(period: Period) -> str:
    first, last = period.year_to_date()
    return f"{first.year}年{fmt_date_range_zh(first, last)}"


__all__ = ["Section", "TenDayInputs", "build_ten_day_document", "completeness", "missing_units"]
