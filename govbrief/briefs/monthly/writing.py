"""The 月通报 as a 公文: the month's SafetyMetrics and DebtMetrics → the document a 督查室 signs.

按照…通报如下 — 一、总体情况 (序时进度, then （一）安全生产 （二）政府债务化解 （三）重点工作 in a
paragraph each, the 化债进度 chart); 二、县市区综合排名 (a sentence and a narrow table, the weights
under it); 三、主要问题 (the findings by theme, each unit named once); 四、督办事项 (the ladder's rule,
who is on which rung and why, the red-line events under 专项督办, who is lifted); 五、下步工作 (a
measure per finding, the season's). The full tables are 附件1…8 after the 落款.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from govbrief.briefs.common import county_ranking, debt_tables, debt_text, gongwen, measures, safety_text
from govbrief.briefs.common.gongwen import Finding
from govbrief.briefs.common.submission_words import submission_finding
from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.briefs.common.tables import enforcement_table, hazard_table, sector_table
from govbrief.briefs.registry import BY_ID
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Settings
from govbrief.formatting import fmt_date_range_zh, fmt_date_zh, fmt_full_date_zh, fmt_percent
from govbrief.metrics.debt_result import DEBT_TARGET, DebtMetrics
from govbrief.metrics.ranking import CompositeRanking
from govbrief.metrics.result import SafetyMetrics
from govbrief.render.document import BriefContext, ChartSpec, Paragraph, PeriodInfo, Table

KIND = BY_ID["monthly"]
XUN_WORD = "本旬"  # the 旬 tables' word for the period, said of a month as 本月


@dataclass(frozen=True)
class MonthlyInputs:
    """What the 月通报 is written from, besides the month's safety and debt figures."""

    settings: Settings
    period: Period
    submissions: Sequence[SubmissionInfo]  # the month's 政府债务化解月报表
    issued_on: date
    ranking: CompositeRanking
    ranking_values: pd.DataFrame  # county_ranking.dimension_values of the month
    correction: str | None = None


def build_monthly_document(safety: SafetyMetrics, debt: DebtMetrics, inputs: MonthlyInputs) -> BriefContext:
    """Every part of the 月通报 as plain, formatted data."""
    period, settings = inputs.period, inputs.settings
    if period.kind is not PeriodKind.MONTH or safety.period != period or debt.month != period:
        raise ValueError(f"a 月通报 needs the metrics of the month {period.key}")
    findings = monthly_findings(safety, debt, inputs)
    names = {u.code: u.name for u in settings.units}
    annex_list, annexes = gongwen.annexes(monthly_annexes(safety, debt, inputs))
    return BriefContext(
        kind="monthly",
        kind_zh=KIND.name_zh,
        title=f"{settings.city.name}安全生产和政府债务化解{KIND.name_zh}",
        issue_label=f"第{period.issue_number()}期",
        period=PeriodInfo(key=period.key, label_zh=period.label_zh, range_zh=period.range_zh),
        city=settings.city.name,
        office=settings.issuer,
        issued_on_zh=fmt_full_date_zh(inputs.issued_on),
        correction=inputs.correction,
        completeness=_completeness(safety, debt, inputs),
        doc_title=f"{period.label_zh}全市安全生产和政府债务化解情况通报",
        opening=[
            gongwen.paragraph(
                "按照“旬简报、月通报、季总结”工作调度机制，现将"
                f"{period.index}月份全市安全生产和政府债务化解工作情况通报如下。"
            )
        ],
        sections=[
            gongwen.section(1, "总体情况", _overview(safety, debt, inputs)),
            gongwen.section(
                2,
                "县市区综合排名" if inputs.ranking.has_composite else "县市区分项排名",
                [gongwen.paragraph(county_ranking.ranking_paragraph(inputs.ranking, names, len(settings.units)))],
                table=county_ranking.body_table(inputs.ranking, names),
            ),
            gongwen.section(3, "主要问题", _problems(findings)),
            gongwen.section(4, "督办事项", supervision_paragraphs(debt, inputs)),
            gongwen.section(5, "下步工作", gongwen.numbered(monthly_measures(safety, debt, inputs, findings))),
        ],
        annex_list=annex_list,
        contact=gongwen.contact_line(settings),
        annexes=annexes,
        distribution=gongwen.distribution(settings, inputs.issued_on),
        charts=[],  # the body stays within its pages; the 化债进度 chart is the 季总结's
    )


PROGRESS_CHART = "chart1"


def _overview(safety: SafetyMetrics, debt: DebtMetrics, inputs: MonthlyInputs) -> list[Paragraph]:
    settings = inputs.settings
    tolerance = settings.thresholds.lag_tolerance_pp
    paragraphs = [
        gongwen.paragraph(f"截至{fmt_date_zh(inputs.period.end)}，全年序时进度为{fmt_percent(debt.time_progress)}。"),
        gongwen.paragraph(safety_text.month_overview(safety, safety_text.period_missing(safety)), "（一）安全生产。"),
        gongwen.paragraph(debt_text.debt_overview(debt, tolerance), "（二）政府债务化解。"),
    ]
    if tasks := debt_text.key_task_overview(debt, settings.document.development_campaign):
        paragraphs.append(gongwen.paragraph(tasks, "（三）重点工作。"))
    return paragraphs


def monthly_findings(safety: SafetyMetrics, debt: DebtMetrics, inputs: MonthlyInputs) -> list[Finding]:
    """主要问题, by theme: deaths against the quotas, sectors, hazards, 化债 progress and quality, the
    red lines, the returns."""
    settings = inputs.settings
    names = {u.code: u.name for u in settings.units}
    found = (
        safety_text.quota_finding(safety),
        safety_text.sector_finding(safety, settings.document.seasons, inputs.issued_on),
        safety_text.hazard_finding(safety),
        debt_text.progress_finding(debt, settings.thresholds.lag_tolerance_pp),
        debt_text.red_line_finding(debt),
        submission_finding(inputs.submissions, names, f"{inputs.period.index}月政府债务化解月报表"),
    )
    return [f for f in found if f is not None]


def _problems(findings: Sequence[Finding]) -> list[Paragraph]:
    if not findings:
        return [gongwen.paragraph("本月各项监测指标未发现需要通报的问题。")]
    return gongwen.numbered([(f.title, f.text) for f in findings])


def supervision_paragraphs(debt: DebtMetrics, inputs: MonthlyInputs) -> list[Paragraph]:
    """四、督办事项: the rule, then by rung who and why, 专项督办, 解除督办, and what missing returns mean."""
    rules = inputs.settings.escalation
    items = debt_text.escalation_paragraphs(debt.escalations, debt, rules)
    if special := debt_text.special_supervision(debt_text.red_line_events(debt)):
        items.append(("专项督办。", special))
    if lifted := debt_text.recovery_words(debt, rules):
        items.append(("解除督办。", lifted))
    intro = debt_text.ladder_rule(rules) + ("本月督办事项如下：" if items else "本月无新增和保留的督办事项。")
    paragraphs = [gongwen.paragraph(intro)]
    paragraphs += [
        gongwen.paragraph(text, f"（{gongwen.numeral(n)}）{lead}") for n, (lead, text) in enumerate(items, 1)
    ]
    if note := debt_text.unreported_escalation_note(debt):
        paragraphs.append(gongwen.paragraph(note))
    return paragraphs


def monthly_measures(
    safety: SafetyMetrics, debt: DebtMetrics, inputs: MonthlyInputs, findings: Sequence[Finding]
) -> list[tuple[str, str]]:
    """下步工作: the red lines first, then 化债, deaths, the season, hazards, key tasks, the returns."""
    settings = inputs.settings
    units = {f.theme: f.units for f in findings}
    names = {u.code: u.name for u in settings.units}
    first, _ = inputs.period.month_to_date()
    cases = [a for a in safety.major_accidents if a.occurred_on >= first]
    risen = [
        s
        for s, _ in safety_text.risen_sectors(safety.sector_records("ytd"), safety.sector_records("ytd_last_year"), "")
    ]
    status = {s.unit_code: s.status for s in inputs.submissions}
    by_status = {k: [names[c] for c, v in status.items() if v == k] for k in ("refused", "missing", "late")}
    items = [
        measures.debt_risk_measure(debt_text.red_line_events(debt)),
        _debt_task_measure(debt) if debt_text.unreported(debt) != [u.name for u in debt.units] else None,
        measures.deaths_measure(units.get("quota", ()), cases, names),
        measures.season_measure(settings.document.seasons, inputs.issued_on, settings.document.safety_campaign, risen),
        measures.hazard_measure(units.get("hazard", ())),
        measures.key_task_measure(debt_text.lagging_tasks(debt)),
        measures.reporting_measure(by_status["refused"], by_status["missing"], by_status["late"]),
    ]
    return [item for item in items if item is not None]


def _debt_task_measure(debt: DebtMetrics) -> tuple[str, str]:
    behind = [e.unit_code for e in debt.escalations if e.target == DEBT_TARGET and e.streak > 0]
    left = [
        (debt.unit_name(code), (debt.value("debt_task", code) or 0.0) - (debt.value("resolved_ytd", code) or 0.0))
        for code in behind
    ]
    rollover = [a.unit_name for a in debt_text.rollover_leaners(debt)]
    return measures.debt_task_measure(left, rollover)


def monthly_annexes(
    safety: SafetyMetrics, debt: DebtMetrics, inputs: MonthlyInputs
) -> list[tuple[str, str, Table, Sequence[str]]]:
    """附件1…8: the ranking's figures, hazards, death quotas, debt, channels, key tasks, sectors, enforcement."""
    period = inputs.period
    ytd = f"（{period.year}年{fmt_date_range_zh(*period.year_to_date())}）"
    month_end = f"（截至{fmt_date_zh(period.end)}）"
    return [
        (
            "各县市区综合排名及主要指标表" if inputs.ranking.has_composite else "各县市区分项排名及主要指标表",
            month_end,
            county_ranking.annex_table(inputs.ranking, safety, debt, inputs.ranking_values),
            (),
        ),
        ("各县市区隐患排查整治情况表", ytd, hazard_table(safety), ()),
        ("各县市区死亡控制指标使用情况表", month_end, debt_tables.quota_table(safety), ()),
        ("各县市区政府债务化解情况表", month_end, debt_tables.debt_table(debt), ()),
        ("“六个一批”分渠道化债情况表", month_end, debt_tables.channel_table(debt), ()),
        ("各县市区重点工作推进情况表", month_end, debt_tables.key_task_table(debt), ()),
        (f"{period.index}月重点行业领域事故情况表", "", relabelled(sector_table(safety), XUN_WORD, "本月"), ()),
        ("各县市区安全监管执法情况表", ytd, relabelled(enforcement_table(safety), XUN_WORD, "本月"), ()),
    ]


def relabelled(table: Table, old: str, new: str) -> Table:
    """A 旬 table's headers and note as they read over a month (本旬 → 本月)."""
    columns = [[key, header.replace(old, new)] for key, header in table["columns"]]
    return Table(
        columns=columns,
        rows=table["rows"],
        total=table["total"],
        lights=table["lights"],
        note=table["note"].replace(old, new),
    )


def progress_chart(debt: DebtMetrics) -> ChartSpec:
    """Each unit's 化债进度 as a bar, the month's 序时进度 as a line; units without a return left out
    (a bar of 0 would read as nothing resolved) and named in the alt text."""
    shown = [u for u in debt.units if debt.value("resolve_progress", u.code) is not None]
    values = [round((debt.value("resolve_progress", u.code) or 0.0) * 100, 1) for u in shown]
    time_line = round(debt.time_progress * 100, 1)
    pairs = "，".join(f"{u.name}{v}%" for u, v in zip(shown, values, strict=True))
    missing = [u.name for u in debt.units if u not in shown]
    tail = f"；{'、'.join(missing)}未报送" if missing else ""
    return ChartSpec(
        cid=PROGRESS_CHART,
        title=f"各县市区化债进度（序时进度{fmt_percent(debt.time_progress)}）",
        kind="bar",
        categories=[u.name for u in shown],
        series=[{"name": "化债进度", "values": values}],
        lines=[{"name": "序时进度", "values": [time_line] * len(shown)}],
        y_label="完成进度（%）",
        alt=f"各县市区化债进度（柱）与序时进度{fmt_percent(debt.time_progress)}（线）：{pairs}{tail}。",
    )


def _completeness(safety: SafetyMetrics, debt: DebtMetrics, inputs: MonthlyInputs) -> str | None:
    """Said at the top when most units' returns of the month are missing."""
    total = len(inputs.settings.units)
    share = inputs.settings.document.mostly_missing_share
    safety_missing = len(safety_text.period_missing(safety).names)
    debt_missing = len(debt_text.unreported(debt))
    parts = []
    if total and safety_missing / total >= share:
        parts.append(f"安全生产旬报表有{safety_missing}个县市区未报齐")
    if total and debt_missing / total >= share:
        parts.append(f"政府债务化解月报表有{debt_missing}个县市区未报送")
    if not parts:
        return None
    return f"本期{total}个县市区中，{'，'.join(parts)}，相关全市数据不完整，待补报后更新。"


__all__ = ["MonthlyInputs", "build_monthly_document", "monthly_findings", "progress_chart"]
