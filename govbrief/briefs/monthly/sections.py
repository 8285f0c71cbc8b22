"""The 月通报: SafetyMetrics of the month + DebtMetrics → the plain-data BriefContext.

Everything the 旬简报 says, over the month (the safety builders are reused as
they are: compute_safety over a month period gives the month's windows), plus
the `monthly` sections (docs/domain.md §5.3): the county ranking with lights and 进位/退位,
death-quota use vs 序时进度, the debt section, key tasks, the 督办 list with the
streak behind each entry, and the 化债进度 chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from govbrief.briefs.common.next_steps import next_steps
from govbrief.briefs.common.sentences import overview_sentences, quota_sentence
from govbrief.briefs.common.submissions import SubmissionInfo, submission_rows, submission_summary
from govbrief.briefs.common.tables import enforcement_table, hazard_table, sector_table
from govbrief.briefs.monthly.debt_sections import channel_table, debt_sentences, debt_table, key_task_table
from govbrief.briefs.monthly.ranking_table import quota_table, ranking_table
from govbrief.briefs.registry import BY_ID
from govbrief.briefs.ten_day.sections import accident_chart, major_accident_rows
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Settings
from govbrief.formatting import fmt_full_date_zh
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.escalation import EscalationEntry
from govbrief.metrics.lights import sort_alerts
from govbrief.metrics.result import SafetyMetrics
from govbrief.render.context import (
    Alert,
    BriefContext,
    ChartSpec,
    EscalationItem,
    MonthlySections,
    Overview,
    PeriodInfo,
    Table,
)

TITLE = "安全生产和政府债务化解月通报"
KIND_ZH = BY_ID["monthly"].name_zh
DEBT_NOTE = "债务和重点工作数据为各县市区报送的政府债务化解月报表、重点工作进度月报表。"
# Who acts at each rung of the ladder (config.Escalation names the rungs).
ACTIONS_ZH = {
    "书面说明": "向市政府作出书面说明",
    "分管市领导约谈": "由分管市领导约谈主要负责同志",
    "常务副市长约谈": "由常务副市长约谈主要负责同志",
}
# The 旬 tables speak of 本旬; over a month the same column is 本月.
XUN_WORD, MONTH_WORD = "本旬", "本月"


@dataclass(frozen=True)
class Heading:
    """What tells the briefs built on the month's figures apart: kind, names and the period's word."""

    kind: Literal["monthly", "quarterly"]
    kind_zh: str
    title: str
    period_word: str  # 本月 / 本季: replaces 本旬 in the safety tables


MONTHLY = Heading("monthly", KIND_ZH, TITLE, MONTH_WORD)


def build_monthly_context(
    safety: SafetyMetrics,
    debt: DebtMetrics,
    *,
    settings: Settings,
    period: Period,
    submissions: Sequence[SubmissionInfo],
    issued_on: date,
    correction: str | None = None,
) -> BriefContext:
    """Every section of the 月通报 as plain, formatted data."""
    if period.kind is not PeriodKind.MONTH or safety.period != period or debt.month != period:
        raise ValueError(f"a 月通报 needs the metrics of the month {period.key}")
    return supervision_context(
        MONTHLY,
        safety,
        debt,
        settings=settings,
        submissions=submissions,
        issued_on=issued_on,
        correction=correction,
        sentences=overview_sentences(safety),
    )


def supervision_context(
    heading: Heading,
    safety: SafetyMetrics,
    debt: DebtMetrics,
    *,
    settings: Settings,
    submissions: Sequence[SubmissionInfo],
    issued_on: date,
    correction: str | None,
    sentences: list[str],
) -> BriefContext:
    """The 月通报's sections for the safety metrics' period and the debt metrics' month-end
    (a month, or a quarter and its last month); `quarterly` is left None."""
    period = safety.period
    alerts = sort_alerts([*safety.alerts, *debt.alerts])
    rows = submission_rows(safety.units, submissions)
    return BriefContext(
        kind=heading.kind,
        kind_zh=heading.kind_zh,
        title=heading.title,
        issue_label=f"第{period.issue_number()}期",
        period=PeriodInfo(key=period.key, label_zh=period.label_zh, range_zh=period.range_zh),
        city=settings.city.name,
        office=settings.city.office,
        issued_on_zh=fmt_full_date_zh(issued_on),
        correction=correction,
        overview=Overview(sentences=sentences, major_accidents=major_accident_rows(safety)),
        sector_table=period_wording(sector_table(safety), heading.period_word),
        hazard_table=period_wording(hazard_table(safety), heading.period_word),
        enforcement_table=period_wording(enforcement_table(safety), heading.period_word),
        debt_alerts=[a.text for a in debt.alerts if a.level == "red"],
        debt_note=DEBT_NOTE,
        submissions=rows,
        submission_summary=submission_summary(rows),
        alerts=[Alert(level=a.level, indicator=a.indicator, unit=a.unit_name, text=a.text) for a in alerts],
        next_steps=next_steps(alerts, settings.thresholds) + escalation_steps(debt),
        charts=[accident_chart(safety), progress_chart(debt)],
        monthly=monthly_sections(safety, debt, settings),
        quarterly=None,
    )


def monthly_sections(safety: SafetyMetrics, debt: DebtMetrics, settings: Settings) -> MonthlySections:
    """The sections only the 月通报 has."""
    tolerance = settings.thresholds.lag_tolerance_pp
    quota = quota_sentence(safety)
    return MonthlySections(
        ranking_table=ranking_table(safety, debt, tolerance),
        quota_sentences=[quota] if quota else [],
        quota_table=quota_table(safety, tolerance),
        debt_sentences=debt_sentences(debt),
        debt_table=debt_table(debt, tolerance),
        channel_table=channel_table(debt),
        key_task_table=key_task_table(debt),
        escalations=escalation_items(debt),
        recoveries=recovery_lines(debt),
    )


def period_wording(table: Table, word: str) -> Table:
    """A 旬 table's headers and note as they read over a longer period (本月, 本季)."""
    return relabelled(table, XUN_WORD, word)


def relabelled(table: Table, old: str, new: str) -> Table:
    """A table with `old` replaced by `new` in its headers and note."""
    columns = [[key, header.replace(old, new)] for key, header in table["columns"]]
    return Table(
        columns=columns,
        rows=table["rows"],
        total=table["total"],
        lights=table["lights"],
        note=table["note"].replace(old, new),
    )


def escalation_items(debt: DebtMetrics) -> list[EscalationItem]:
    """The 督办 list: who explains in writing, who is talked to and by whom, and why."""
    return [escalation_item(debt, entry) for entry in debt.escalations]


def escalation_item(debt: DebtMetrics, entry: EscalationEntry) -> EscalationItem:
    """One line of a 督办 or 约谈 list."""
    return EscalationItem(
        unit=debt.unit_name(entry.unit_code),
        target=debt.target_name(entry.target),
        level=entry.level_name_zh,
        action=ACTIONS_ZH.get(entry.level_name_zh, entry.level_name_zh),
        streak_zh=entry.streak_zh,
    )


def recovery_lines(debt: DebtMetrics) -> list[str]:
    """临江市年度化债任务已追上序时进度（此前连续2个月滞后）。"""
    return [
        f"{debt.unit_name(r.unit_code)}{debt.target_name(r.target)}已追上序时进度（此前连续{r.previous_streak}个月滞后）。"
        for r in debt.recoveries
    ]


def escalation_steps(debt: DebtMetrics, entries: Sequence[EscalationEntry] | None = None) -> list[str]:
    """One 下步工作 bullet per rung that has someone on it (on the month's 督办 list unless `entries`)."""
    chosen = debt.escalations if entries is None else entries
    steps = []
    for level, action in ACTIONS_ZH.items():
        names = list(dict.fromkeys(debt.unit_name(e.unit_code) for e in chosen if e.level_name_zh == level))
        if names:
            steps.append(f"{'、'.join(names)}{action}，说明滞后原因和整改措施，限期追赶序时进度。")
    return steps


def progress_chart(debt: DebtMetrics) -> ChartSpec:
    """chart2: each unit's 化债进度 as bars, the month's 序时进度 as a line over them (percent)."""
    names = [unit.name for unit in debt.units]
    progress = [round((debt.value("resolve_progress", u.code) or 0.0) * 100, 1) for u in debt.units]
    time_line = round(debt.time_progress * 100, 1)
    pairs = [f"{name}{value}%" for name, value in zip(names, progress, strict=True)]
    return ChartSpec(
        cid="chart2",
        title=f"各县市区年度化债任务完成进度（序时进度{time_line}%）",
        kind="bar",
        categories=names,
        series=[{"name": "化债进度", "values": progress}],
        lines=[{"name": "序时进度", "values": [time_line] * len(names)}],
        y_label="完成进度（%）",
        alt=f"各县市区化债进度（柱），序时进度{time_line}%（折线）：" + "，".join(pairs) + "。",
    )
