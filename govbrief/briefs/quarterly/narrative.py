"""The 季总结's 成效、问题、措施: sentences chosen and filled from the quarter's numbers.

Each candidate sentence appears only when its numbers say so; nothing is written
per period by hand. A part with no candidate gets one plain sentence that says so.
"""

from __future__ import annotations

from govbrief.briefs.common.sentences import major_particulars
from govbrief.briefs.monthly.sections import escalation_steps
from govbrief.briefs.quarterly.supervision import band_moves
from govbrief.formatting import fmt_amount, fmt_percent, join_names, round_half_up
from govbrief.metrics.quarterly_result import QuarterlyMetrics
from govbrief.metrics.result import SafetyMetrics

NO_ACHIEVEMENT = "本季度各项工作总体平稳推进。"
NO_PROBLEM = "本季度未发现突出问题。"
STEADY_MEASURE = "持续压实安全生产和政府债务化解责任，紧盯序时进度按月调度、按季通报，确保完成全年目标任务。"


def achievements(metrics: QuarterlyMetrics) -> list[str]:
    """成效: falling accidents, no 较大 accident, 化债 ahead of time, no new debt, catch-ups, safer bands."""
    count, deaths = metrics.trends.trend("acc_count"), metrics.trends.trend("acc_deaths")
    lines = []
    if not (count.yoy.rose or deaths.yoy.rose) and "down" in (count.yoy.trend, deaths.yoy.trend):
        lines.append(f"事故总量得到控制，本季度事故起数同比{count.yoy.label_zh}、死亡人数同比{deaths.yoy.label_zh}。")
    if metrics.trends.trend("acc_major_plus").quarter == 0:
        lines.append("本季度未发生较大及以上生产安全事故。")
    debt = metrics.now.debt
    gap = debt.value("resolve_gap_pp")
    if gap is not None and gap >= 0:
        lines.append(
            f"化债工作快于序时进度，今年以来全市化解隐性债务{fmt_amount(debt.value('resolved_ytd'))}亿元，"
            f"完成年度任务的{fmt_percent(debt.value('resolve_progress'))}，"
            f"快于序时进度{round_half_up(gap, 1)}个百分点。"
        )
    if metrics.trends.trend("hidden_new").quarter == 0 and not debt.value("overdue_balance"):
        lines.append("本季度未新增隐性债务，到期债务按期偿付，守住了不发生债务风险的底线。")
    caught = _names(metrics, [f.unit_code for f in metrics.follow_ups if f.status == "caught_up"])
    if caught:
        lines.append(f"上季度约谈的{caught}已追上序时进度。")
    if safer := band_moves(metrics, "down"):
        lines.append(f"{safer}债务风险等级下降。")
    return lines or [NO_ACHIEVEMENT]


def problems(metrics: QuarterlyMetrics, safety: SafetyMetrics) -> list[str]:
    """问题: rising accidents, 较大 accidents, 约谈, unresolved follow-ups, new or overdue debt, riskier bands."""
    count, deaths = metrics.trends.trend("acc_count"), metrics.trends.trend("acc_deaths")
    lines = []
    rises = [f"{label}同比{t.yoy.label_zh}" for label, t in (("事故起数", count), ("死亡人数", deaths)) if t.yoy.rose]
    if rises:
        lines.append(f"本季度{'、'.join(rises)}，安全生产形势不容乐观。")
    majors = [a for a in safety.major_accidents if a.in_period]
    if majors:
        listed = "；".join(major_particulars(safety, a) for a in majors)
        lines.append(f"本季度发生较大及以上事故{len(majors)}起（{listed}）。")
    if metrics.interviews:
        names = _names(metrics, [e.unit_code for e in metrics.interviews])
        lines.append(f"{names}重点指标滞后于序时进度，本季度被约谈。")
    unresolved = [f for f in metrics.follow_ups if f.status in ("still_lagging", "escalated")]
    if unresolved:
        lines.append(
            f"上季度约谈的{_names(metrics, [f.unit_code for f in unresolved])}整改成效不明显，仍滞后于序时进度。"
        )
    lines += _debt_problems(metrics)
    return lines or [NO_PROBLEM]


def _debt_problems(metrics: QuarterlyMetrics) -> list[str]:
    debt = metrics.now.debt
    lines = []
    new = metrics.trends.trend("hidden_new").quarter
    if new > 0:
        lines.append(f"本季度全市新增隐性债务{fmt_amount(new)}亿元，遏制增量任务艰巨。")
    overdue = debt.value("overdue_balance") or 0.0
    if overdue > 0:
        lines.append(f"截至本季末全市逾期债务余额{fmt_amount(overdue)}亿元，存在偿付风险。")
    if riskier := band_moves(metrics, "up"):
        lines.append(f"{riskier}债务风险等级上升。")
    return lines


def measures(metrics: QuarterlyMetrics) -> list[str]:
    """措施: who is talked to and by whom, follow-up of unresolved 约谈, rising accidents and bands."""
    lines = escalation_steps(metrics.now.debt, metrics.interviews)
    unresolved = [f.unit_code for f in metrics.follow_ups if f.status in ("still_lagging", "escalated")]
    if unresolved:
        lines.append(f"对{_names(metrics, unresolved)}约谈后整改情况跟踪督办，按月通报进展，直至追上序时进度。")
    if metrics.trends.trend("acc_count").yoy.rose or metrics.trends.trend("acc_deaths").yoy.rose:
        lines.append("深入分析事故上升原因，紧盯道路交通、建筑施工等重点行业领域，强化隐患排查整治和打非治违。")
    if riskier := band_moves(metrics, "up"):
        lines.append(f"{riskier}要严控新增债务，落实化债举措，推动债务率回落。")
    return [*lines, STEADY_MEASURE]


def _names(metrics: QuarterlyMetrics, codes: list[str]) -> str:
    """Unit names without repeats, in the order given."""
    return join_names([metrics.now.debt.unit_name(code) for code in dict.fromkeys(codes)])
