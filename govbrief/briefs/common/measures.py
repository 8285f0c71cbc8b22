"""下步工作: concrete, seasonal, and naming who acts — written from what the brief found.

Each measure answers a finding (the units the finding named act on it), red-line events (a missed
payment, new hidden debt) get an action for now, the seasons in configuration that cover the issue
date add their own measures, and nothing is promised that the data does not hold (no made-up
deadline or quota).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from govbrief.briefs.common.gongwen import listed, units_zh
from govbrief.config import Season
from govbrief.formatting import fmt_amount, fmt_day_tag
from govbrief.metrics.accidents import accident_name_zh
from govbrief.metrics.result import MajorAccident

MAX_SEASONS = 3


@dataclass(frozen=True)
class DebtEvents:
    """Red-line debt events a brief reports: who missed a payment, who took on new hidden debt."""

    missed: tuple[str, ...] = ()  # unit names
    new_hidden: tuple[str, ...] = ()
    overdue: tuple[str, ...] = ()  # an overdue balance outstanding, whether or not missed this month

    def __bool__(self) -> bool:
        return bool(self.missed or self.new_hidden or self.overdue)


def deaths_measure(
    units: Sequence[str], cases: Sequence[MajorAccident], names: dict[str, str]
) -> tuple[str, str] | None:
    """严控事故死亡: the units over their death pace act; a 较大 accident is investigated."""
    parts = []
    if units:
        parts.append(f"{units_zh(list(units))}主要负责同志要亲自研究部署，逐起复盘今年亡人事故，明确整改措施和责任人")
    for accident in cases:
        tag = f"“{fmt_day_tag(accident.occurred_on)}”{accident_name_zh(accident.grade, accident.sector)}"
        parts.append(
            f"{names.get(accident.unit_code, '')}要配合做好{tag}调查处理，市安委会办公室要督促依法依规追责问责"
        )
    if not parts:
        return None
    return ("严控事故死亡" if units else "抓好事故调查处理", "；".join(parts) + "。")


def season_measure(seasons: Sequence[Season], day: date, campaign: str, risen: Sequence[str]) -> tuple[str, str] | None:
    """The seasons covering `day`: those touching a sector that rose first; their measures under the
    speech's campaign (安全生产十五条硬措施)."""
    active = [s for s in seasons if s.covers(day)]
    if not active:
        return None
    active.sort(key=lambda s: not (set(s.sectors) & set(risen)))
    chosen = active[:MAX_SEASONS]
    title = f"抓好{listed([s.name for s in chosen[:2]])}安全防范"
    lead = f"对照{campaign}，" if campaign else ""
    return (title, lead + "；".join(s.measure for s in chosen) + "。")


def hazard_measure(units: Sequence[str]) -> tuple[str, str] | None:
    """限期整改隐患: overdue and open major hazards are supervised one by one."""
    if not units:
        return None
    return (
        "限期整改隐患",
        f"{units_zh(list(units))}要对逾期未整改隐患和未整改重大隐患逐项挂牌督办，明确整改责任人和时限，"
        "整改到位后由市安委会办公室逐项核查销号。",
    )


def reporting_and_debt_measure(
    refused: Sequence[str], late: Sequence[str], absent: Sequence[str], debt: DebtEvents
) -> tuple[str, str]:
    """Returns to put right, and the debt red line: an action now for an event, else the standing duty."""
    parts = []
    if refused:
        parts.append(f"{units_zh(list(refused))}要按退回意见更正后立即重报")
    if absent:
        parts.append(f"{units_zh(list(absent))}要立即补报")
    if late:
        parts.append(f"{units_zh(list(late))}要严格按时报送")
    if debt.missed or debt.overdue:
        who = units_zh(list(dict.fromkeys([*debt.missed, *debt.overdue])))
        parts.append(f"{who}要立即筹措资金清偿逾期本息，清偿到位后书面报告市政府")
    if debt.new_hidden:
        parts.append(f"{units_zh(list(debt.new_hidden))}要查清新增隐性债务来源，立即停止违规举债并制定化解方案")
    if not (debt.missed or debt.overdue):
        parts.append("各县市区要做好到期债务偿付资金调度，坚决遏制新增隐性债务，守住不暴雷底线")
    title = (
        "立即处置债务风险" if debt else ("规范报送、守住债务底线" if (refused or absent or late) else "守住债务底线")
    )
    return (title, "；".join(parts) + "。")


def debt_risk_measure(events: DebtEvents) -> tuple[str, str] | None:
    """立即处置债务风险事项: who clears an overdue payment now, who stops new hidden debt."""
    parts = []
    if events.missed or events.overdue:
        who = units_zh(list(dict.fromkeys([*events.missed, *events.overdue])))
        parts.append(
            f"{who}要立即筹措资金清偿逾期本息，政府主要负责同志亲自调度，清偿到位后书面报告市政府；"
            "同时逐笔梳理年内剩余到期债务，制定偿付计划，坚决防止再次逾期"
        )
    if events.new_hidden:
        parts.append(
            f"{units_zh(list(events.new_hidden))}要查清新增隐性债务的项目、举债主体和资金来源，立即停止违规举债，"
            "制定化解方案，依规追究相关人员责任"
        )
    if not parts:
        return None
    return ("立即处置债务风险事项", "。".join(parts) + "。")


def debt_task_measure(behind: Sequence[tuple[str, float]], rollover: Sequence[str]) -> tuple[str, str]:
    """确保完成年度化债任务: each unit behind with what is left, the units leaning on 借新还旧及展期,
    and the standing duty. `behind` is (unit name, 亿元 still to resolve this year)."""
    parts = [
        f"{name}要对剩余{fmt_amount(left)}亿元任务逐项明确化解渠道和时间节点，尽快追上序时进度" for name, left in behind
    ]
    if rollover:
        parts.append(
            f"{units_zh(list(rollover))}要压降借新还旧及展期比重，更多依靠财政资金偿还、资产处置等方式实质性化债"
        )
    parts.append("各县市区要落实“六个一批”化债措施，确保全面完成年度化债任务")
    return ("确保完成年度化债任务", "。".join(parts) + "。")


def key_task_measure(lagging: Sequence[str]) -> tuple[str, str] | None:
    """加快重点工作进度: the (unit, task) pairs behind beyond the tolerance, named together."""
    if not lagging:
        return None
    return (
        "加快重点工作进度",
        f"{listed(list(lagging))}等滞后序时进度的事项，要倒排工期、挂图作战，确保完成全年目标。",
    )


def reporting_measure(refused: Sequence[str], absent: Sequence[str], late: Sequence[str]) -> tuple[str, str] | None:
    """规范报表报送: who resubmits, who sends at once, who keeps the deadline."""
    parts = []
    if refused:
        parts.append(f"{units_zh(list(refused))}要按退回意见更正后立即重报")
    if absent:
        parts.append(f"{units_zh(list(absent))}要立即补报")
    if late:
        parts.append(f"{units_zh(list(late))}要严格按时报送")
    if not parts:
        return None
    return ("规范报表报送", "；".join(parts) + "。")
