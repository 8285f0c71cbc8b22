"""The debt, key-task and supervision parts of a 月通报 or 季总结, written from DebtMetrics: the city's
position in one paragraph, the findings grouped by theme (progress, the quality of resolution, the
red lines), the key tasks, and the 督办 list in the speech's words.

Missing is not zero: a unit whose return is missing is named as such and its figures are not
judged; a city figure that would be a partial total is not printed as 全市.
"""

from __future__ import annotations

from collections.abc import Sequence

from govbrief.briefs.common.gongwen import Finding, listed, units_zh
from govbrief.briefs.common.measures import DebtEvents
from govbrief.config import Escalation
from govbrief.formatting import fmt_amount, fmt_percent, printed_percent, round_half_up
from govbrief.metrics.change import pp_change
from govbrief.metrics.debt_result import DEBT_TARGET, DebtMetrics
from govbrief.metrics.escalation import EscalationEntry
from govbrief.metrics.result import CITY, MetricAlert

BAND_ZH = {"green": "绿色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
ROLLOVER = "refinance"


def _standing_zh(debt: DebtMetrics, entry: EscalationEntry) -> str:
    """Why a unit is on the list; a rung held over a month with no return says so rather than claiming
    the unit is still behind."""
    if entry.reason == "held" and not entry.streak and not debt.reported(entry.unit_code):
        return f"此前连续{entry.peak_streak}个月滞后，本月未报送，维持原督办等级"
    return entry.streak_zh


def unreported(debt: DebtMetrics) -> list[str]:
    """The names of the units whose debt return for the month is missing."""
    return [u.name for u in debt.units if not debt.reported(u.code)]


def gap_words(gap_pp: float | None, tolerance_pp: float) -> str:
    """快于序时进度2.1个百分点 / 低于序时进度0.2个百分点，在容差以内 / 低于序时进度8.7个百分点."""
    if gap_pp is None:
        return ""
    if gap_pp == 0:
        return "与序时进度持平"
    if gap_pp > 0:
        return f"快于序时进度{round_half_up(gap_pp, 1)}个百分点"
    within = "，在容差以内" if -gap_pp <= tolerance_pp else ""
    return f"低于序时进度{round_half_up(-gap_pp, 1)}个百分点{within}"


def debt_overview(debt: DebtMetrics, tolerance_pp: float) -> str:
    """The city's debt position at the month-end: balances, the band, hidden debt, 化债 against
    序时进度, the channels, the payments — or, with returns missing, what is known and who is missing."""
    month = debt.month
    missing = unreported(debt)
    if len(missing) == len(debt.units):
        return f"各县市区{month.index}月政府债务化解月报表均未报送，债务数据待报送后补充，本期不作化债进度评价。"
    if missing:
        return (
            f"{units_zh(missing)}{month.index}月政府债务化解月报表未报送，全市债务数据不完整，"
            f"本期只评价已报送的{len(debt.units) - len(missing)}个县市区（分县数据见附件）。"
        )
    v = debt.value
    band = debt.light("debt_ratio")
    band_words = f"，处于{BAND_ZH[band]}风险区间" if band in BAND_ZH else ""
    hidden_change = _hidden_change(debt)
    parts = [
        f"{month.index}月末，全市法定债务余额{fmt_amount(v('debt_legal_balance'))}亿元，"
        f"限额使用率{fmt_percent(v('debt_limit_usage'))}，债务率{fmt_percent(v('debt_ratio'))}{band_words}；"
        f"隐性债务余额{fmt_amount(v('hidden_balance'))}亿元{hidden_change}。",
        f"今年以来累计化解隐性债务{fmt_amount(v('resolved_ytd'))}亿元（其中{month.index}月"
        f"{fmt_amount(v('resolved'))}亿元），完成年度任务{fmt_amount(v('debt_task'))}亿元的"
        f"{fmt_percent(v('resolve_progress'))}，{gap_words(v('resolve_gap_pp'), tolerance_pp)}。",
    ]
    if channels := _channels(debt):
        parts.append(channels)
    parts.append(
        f"今年以来到期应偿本息{fmt_amount(v('due_ytd'))}亿元，按期偿付率{fmt_percent(v('paid_on_time_rate_ytd'))}"
        f"{_events_pointer(debt)}。"
    )
    return "".join(parts)


def _hidden_change(debt: DebtMetrics) -> str:
    now, before = debt.value("hidden_balance"), debt.value("hidden_balance_previous")
    if now is None or before is None:
        return ""
    delta = round(now - before, 2)
    if delta == 0:
        return "，与上月末持平"
    return f"，比上月末{'增加' if delta > 0 else '减少'}{fmt_amount(abs(delta))}亿元"


def _channels(debt: DebtMetrics) -> str:
    """从“六个一批”看，A、B、C分别占…，借新还旧及展期占…，比上月上升… (the three largest, then rollover)."""
    known = [(name, debt.channel(cid, "share")) for cid, name in debt.channel_names if cid != ROLLOVER]
    shares = sorted(((n, s) for n, s in known if s), key=lambda item: -item[1])[:3]
    if not shares:
        return ""
    text = f"从“六个一批”看，{listed([n for n, _ in shares])}分别占{listed([fmt_percent(s) for _, s in shares])}"
    rollover = dict(debt.channel_names).get(ROLLOVER)
    if rollover is not None and debt.channel(ROLLOVER, "share") is not None:
        moved = pp_change(debt.channel(ROLLOVER, "share"), debt.channel(ROLLOVER, "share_previous"))
        since = (
            ""
            if moved.trend == "unknown"
            else ("，与上月持平" if moved.trend == "flat" else f"，比上月{moved.label_zh}")
        )
        text += f"，{rollover}占{fmt_percent(debt.channel(ROLLOVER, 'share'))}{since}"
    return text + "。"


def _events_pointer(debt: DebtMetrics) -> str:
    events = red_line_events(debt)
    said = []
    if events.new_hidden:
        said.append("新增隐性债务")
    if events.missed or events.overdue:
        said.append("到期债务逾期")
    return f"；本月出现{'和'.join(said)}（见主要问题）" if said else "；本月未出现新增隐性债务和到期债务逾期"


def red_line_events(debt: DebtMetrics) -> DebtEvents:
    """Who crossed a red line this month: new hidden debt, a missed payment, an overdue balance."""

    def units_with(indicator: str) -> tuple[str, ...]:
        return tuple(
            debt.unit_name(a.unit_code) for a in debt.alerts if a.indicator == indicator and a.unit_code != CITY
        )

    missed = units_with("paid_on_time_rate")
    overdue = tuple(n for n in units_with("overdue_balance") if n not in missed)
    return DebtEvents(missed=missed, new_hidden=units_with("hidden_new"), overdue=overdue)


def progress_finding(debt: DebtMetrics, tolerance_pp: float) -> Finding | None:
    """化债进度和质量: the units behind 序时进度 beyond the tolerance (named with their figures and their
    band), those just behind in one clause, and the units leaning on 借新还旧及展期 more than the city
    with a share still rising."""
    behind = [u.code for u in debt.units if debt.reported(u.code) and (debt.value("resolve_gap_pp", u.code) or 0.0) < 0]
    behind.sort(key=lambda code: debt.value("resolve_gap_pp", code) or 0.0)
    far = [c for c in behind if -(debt.value("resolve_gap_pp", c) or 0.0) > tolerance_pp]
    near = [c for c in behind if c not in far]
    sentences = [_behind_words(debt, code, tolerance_pp) for code in far]
    if near:
        gaps = listed([round_half_up(-(debt.value("resolve_gap_pp", c) or 0.0), 1) for c in near])
        each = "分别" if len(near) > 1 else ""
        sentences.append(
            f"{units_zh([debt.unit_name(c) for c in near])}化债进度{each}低于序时进度{gaps}个百分点，在容差以内"
        )
    rollover = rollover_leaners(debt)
    sentences += [a.text.rstrip("。") for a in rollover]
    if not sentences:
        return None
    names = tuple(dict.fromkeys([debt.unit_name(c) for c in behind] + [a.unit_name for a in rollover]))
    return Finding("部分地区化债进度和质量不高", "；".join(sentences) + "。", names, theme="progress")


def rollover_leaners(debt: DebtMetrics) -> list[MetricAlert]:
    """Units whose 借新还旧及展期 share rose (the alert) and is above the city's."""
    city = debt.channel(ROLLOVER, "share") if (CITY, ROLLOVER) in debt.channels.index else None
    rising = [a for a in debt.alerts if a.indicator == f"resolved_by_channel.{ROLLOVER}" and a.unit_code != CITY]
    if city is None:
        return rising
    return [
        a
        for a in rising
        if printed_percent(debt.channel(ROLLOVER, "share", a.unit_code) or 0.0) > printed_percent(city)
    ]


def _behind_words(debt: DebtMetrics, code: str, tolerance_pp: float) -> str:
    v = debt.value
    text = (
        f"{debt.unit_name(code)}今年化解{fmt_amount(v('resolved_ytd', code))}亿元，完成年度任务"
        f"（{fmt_amount(v('debt_task', code))}亿元）的{fmt_percent(v('resolve_progress', code))}，"
        f"{gap_words(v('resolve_gap_pp', code), tolerance_pp)}"
    )
    light = debt.light("debt_ratio", code)
    if light in ("orange", "red"):
        text += f"，债务率{fmt_percent(v('debt_ratio', code))}，处于{BAND_ZH[light]}风险区间"
    return text


def red_line_finding(debt: DebtMetrics) -> Finding | None:
    """出现新增隐性债务和到期债务逾期: each event with its amounts, said once, against the speech's line."""
    sentences = []
    for alert in debt.alerts:
        if alert.unit_code == CITY:
            continue
        v = debt.value
        code, unit = alert.unit_code, alert.unit_name
        if alert.indicator == "hidden_new":
            sentences.append(
                f"{unit}{debt.month.index}月新增隐性债务{fmt_amount(v('hidden_new', code))}亿元，"
                f"隐性债务余额{fmt_amount(v('hidden_balance', code))}亿元，违反“坚决遏制增量”要求"
            )
        elif alert.indicator == "paid_on_time_rate":
            short = (v("due", code) or 0.0) - (v("paid_on_time", code) or 0.0)
            sentences.append(
                f"{unit}{debt.month.index}月到期应偿本息{fmt_amount(v('due', code))}亿元，仅按期偿付"
                f"{fmt_amount(v('paid_on_time', code))}亿元，{fmt_amount(short)}亿元逾期未还，已经突破“不暴雷”底线"
            )
        elif alert.indicator == "overdue_balance" and debt.unit_name(code) not in red_line_events(debt).missed:
            sentences.append(f"{unit}逾期债务余额{fmt_amount(v('overdue_balance', code))}亿元，尚未清偿")
    if not sentences:
        return None
    events = red_line_events(debt)
    return Finding(
        "出现新增隐性债务和到期债务逾期"
        if events.new_hidden and (events.missed or events.overdue)
        else ("出现新增隐性债务" if events.new_hidden else "出现到期债务逾期"),
        "；".join(sentences) + "。",
        tuple(dict.fromkeys([*events.new_hidden, *events.missed, *events.overdue])),
        theme="red_line",
    )


def key_task_overview(debt: DebtMetrics, campaign: str) -> str | None:
    """The city's key tasks against 序时进度, and who lags on which."""
    flags = _task_flags(debt)
    tasks = [task for code, task in flags if code == CITY]
    if not tasks:
        return None
    progress = debt.time_progress
    known = [(t, debt.task(CITY, t)) for t in tasks]
    shown = [(t, c) for t, c in known if c is not None]
    if not shown:
        return f"各县市区{debt.month.index}月重点工作进度月报表尚未报齐，完成情况待报送后补充。"
    names = listed([t for t, _ in shown])
    rates = listed([fmt_percent(c) for _, c in shown])
    slow = [
        (t, printed_percent(progress) - printed_percent(c))
        for t, c in shown
        if printed_percent(c) < printed_percent(progress)
    ]
    relation = (
        "均达到或快于序时进度"
        if not slow
        else "其中" + "、".join(f"{t}慢于序时进度{round_half_up(gap, 1)}个百分点" for t, gap in slow)
    )
    lead = f"{campaign}" if campaign else ""
    lagging = lagging_tasks(debt)
    tail = f"；{listed(lagging)}滞后序时进度超过容差" if lagging else "；各县市区均无超出容差的滞后事项"
    return f"{lead}全市{names}{len(shown)}项重点工作完成率分别为{rates}，{relation}{tail}。"


def lagging_tasks(debt: DebtMetrics) -> list[str]:
    """南岭县城镇新增就业: the units' key tasks lagging beyond the tolerance, in the frame's order."""
    return [
        f"{debt.unit_name(code)}{task}" for (code, task), late in _task_flags(debt).items() if code != CITY and late
    ]


def _task_flags(debt: DebtMetrics) -> dict[tuple[str, str], bool]:
    """(unit_code, task) -> lagging beyond the tolerance, in the frame's order."""
    return {
        (str(code), str(task)): debt.task(str(code), str(task), "lagging") == 1.0 for code, task in debt.tasks.index
    }


def escalation_paragraphs(
    entries: Sequence[EscalationEntry], debt: DebtMetrics, rules: Escalation
) -> list[tuple[str, str]]:
    """督办事项 by rung, heaviest first: (lead, text) — who, on what, the streak, and what the rung asks."""
    items = []
    for level in range(len(rules.levels), 0, -1):
        rung = rules.levels[level - 1]
        on = [e for e in entries if e.level == level]
        if not on:
            continue
        by_unit: dict[str, list[EscalationEntry]] = {}
        for entry in on:
            by_unit.setdefault(entry.unit_code, []).append(entry)
        described = []
        for code, unit_entries in by_unit.items():
            targets = "、".join(f"{debt.target_name(e.target)}{_standing_zh(debt, e)}" for e in unit_entries)
            climbed = next((e for e in unit_entries if e.climbed), None)
            note = (
                f"，由上月的{rules.levels[climbed.previous_level - 1].name_zh}升级为{rung.name_zh}" if climbed else ""
            )
            described.append(f"{debt.unit_name(code)}，{targets}{note}")
        action = rung.action_zh or rung.name_zh
        items.append((f"{action}。", "；".join(described) + "。"))
    return items


def behind_debt_units(debt: DebtMetrics) -> list[str]:
    """Units lagging on the 化债 task beyond the tolerance this month (for 下步工作)."""
    return [debt.unit_name(e.unit_code) for e in debt.escalations if e.target == DEBT_TARGET and e.streak > 0]


TRIGGER_ZH = {"quarter_end": "季末", "half_end": "半年末"}


def ladder_rule(rules: Escalation) -> str:
    """The ladder as configured, in the speech's terms — 督办等级按连续滞后月数逐级累进（1个月书面说明，
    3个月或季末仍滞后由分管市领导约谈…），追上序时进度前不降级 — so the reader sees why each unit is
    where it is."""
    rungs = []
    for level in rules.levels:
        when = f"{level.min_streak}个月"
        if level.or_at:
            when += f"或{TRIGGER_ZH[level.or_at]}仍滞后"
        rungs.append(f"{when}{level.name_zh.removesuffix('情况')}")
    lift = "追上序时进度前不降级" if rules.reset_after == 1 else f"连续{rules.reset_after}个月达到序时进度前不降级"
    return f"督办等级按连续滞后月数逐级累进（{'，'.join(rungs)}），{lift}。"


def special_supervision(events: DebtEvents) -> str | None:
    """专项督办: each red-line event is put on the city's own list until it is put right."""
    items = [f"{name}新增隐性债务" for name in events.new_hidden]
    items += [f"{name}到期债务逾期" for name in dict.fromkeys([*events.missed, *events.overdue])]
    if not items:
        return None
    return f"{'、'.join(items)}{len(items)}个事项列入市政府专项督办，整改到位后销号。"


def recovery_words(debt: DebtMetrics, rules: Escalation) -> str | None:
    """解除督办: who caught up, on what, after how long, and which rung is lifted."""
    if not debt.recoveries:
        return None
    said = [
        f"{debt.unit_name(r.unit_code)}{debt.target_name(r.target)}已追上序时进度"
        f"（此前连续{r.previous_streak}个月滞后），解除{rules.levels[r.previous_level - 1].name_zh}"
        for r in debt.recoveries
    ]
    return "；".join(said) + "。"


def unreported_escalation_note(debt: DebtMetrics) -> str | None:
    """Why nobody is escalated on the debt and key-task targets when their returns are missing."""
    missing = unreported(debt)
    if not missing:
        return None
    month = f"{debt.month.index}月"
    if len(missing) == len(debt.units):
        return (
            f"各县市区{month}政府债务化解月报表均未报送，本月不对年度化债任务和重点工作作滞后认定和督办升级，"
            "待报送后补充认定。"
        )
    return (
        f"{units_zh(missing)}{month}政府债务化解月报表未报送，本月不对其化债和重点工作作滞后认定，"
        "已有督办等级维持不变。"
    )
