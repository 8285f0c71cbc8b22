"""The 月通报's debt and key-task sections: sentences and tables from DebtMetrics.

Amounts are 亿元 with two decimals; progress and rates are percents; gaps are
percentage points against the month's 序时进度.
"""

from __future__ import annotations

from typing import cast

from govbrief.briefs.monthly.ranking_table import behind_light, signed
from govbrief.formatting import fmt_amount, fmt_count, fmt_percent, round_half_up
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.result import CITY
from govbrief.render.context import Light, Table

DEBT_COLUMNS = [
    ["unit", "县市区"],
    ["legal_balance", "法定债务余额（亿元）"],
    ["limit_usage", "限额使用率"],
    ["hidden_balance", "隐性债务余额（亿元）"],
    ["hidden_new", "本年新增隐性债务（亿元）"],
    ["resolved_ytd", "本年化债（亿元）"],
    ["progress", "化债进度"],
    ["gap", "与序时进度差（百分点）"],
    ["due", "本月到期应偿（亿元）"],
    ["paid", "本月按期偿付（亿元）"],
    ["debt_ratio", "债务率"],
]
TASK_COLUMNS = [
    ["unit", "县市区"],
    ["task", "重点工作"],
    ["target", "年度目标"],
    ["done", "累计完成"],
    ["completion", "完成率"],
    ["gap", "与序时进度差（百分点）"],
]


def _gap_text(gap_pp: float | None) -> str:
    return "—" if gap_pp is None else signed(round_half_up(gap_pp, 1))


def debt_sentences(debt: DebtMetrics) -> list[str]:
    """The city's debt paragraph: balances and limit, 化债进度 vs 序时进度, payments, hidden debt."""
    v = debt.value
    gap = v("resolve_gap_pp")
    relation = (
        "—" if gap is None else ("快于" if gap >= 0 else "慢于") + f"序时进度{round_half_up(abs(gap), 1)}个百分点"
    )
    sentences = [
        f"截至{debt.month.label_zh}末，全市法定债务余额{fmt_amount(v('debt_legal_balance'))}亿元，"
        f"债务限额{fmt_amount(v('debt_limit'))}亿元，限额使用率{fmt_percent(v('debt_limit_usage'))}；"
        f"隐性债务余额{fmt_amount(v('hidden_balance'))}亿元。",
        f"今年以来全市化解隐性债务{fmt_amount(v('resolved_ytd'))}亿元，完成年度化债任务"
        f"（{fmt_amount(v('debt_task'))}亿元）的{fmt_percent(v('resolve_progress'))}，"
        f"序时进度{fmt_percent(debt.time_progress)}，{relation}。",
        f"本月到期应偿本息{fmt_amount(v('due'))}亿元，按期偿付{fmt_amount(v('paid_on_time'))}亿元，"
        f"按期偿付率{fmt_percent(v('paid_on_time_rate'))}；逾期债务余额{fmt_amount(v('overdue_balance'))}亿元。",
    ]
    new = v("hidden_new_ytd") or 0.0
    sentences.append(f"本年新增隐性债务{fmt_amount(new)}亿元。" if new > 0 else "本年未新增隐性债务。")
    return sentences


def debt_table(debt: DebtMetrics, tolerance_pp: float) -> Table:
    """Units × balances, limit usage, 化债进度 and its gap, payments and the debt ratio, with lights."""
    rows, lights = [], cast(dict[str, dict[str, Light]], {})
    for position, unit in enumerate(debt.units):
        rows.append(_debt_row(debt, unit.code, unit.name))
        row_lights: dict[str, Light] = {"gap": behind_light(_behind(debt, unit.code), tolerance_pp)}
        row_lights["debt_ratio"] = debt.debt_ratio_lights.get(unit.code) or ""
        if (debt.value("hidden_new_ytd", unit.code) or 0) > 0:
            row_lights["hidden_new"] = "red"
        lights[str(position)] = {k: light for k, light in row_lights.items() if light}
    note = f"序时进度{fmt_percent(debt.time_progress)}；债务率为法定债务余额占综合财力的比例。"
    return Table(columns=DEBT_COLUMNS, rows=rows, total=_debt_row(debt, CITY, "全市"), lights=lights, note=note)


def _behind(debt: DebtMetrics, code: str) -> float | None:
    gap = debt.value("resolve_gap_pp", code)
    return None if gap is None else -gap


def _debt_row(debt: DebtMetrics, code: str, name: str) -> dict[str, str]:
    v = debt.value
    return {
        "unit": name,
        "legal_balance": fmt_amount(v("debt_legal_balance", code)),
        "limit_usage": fmt_percent(v("debt_limit_usage", code)),
        "hidden_balance": fmt_amount(v("hidden_balance", code)),
        "hidden_new": fmt_amount(v("hidden_new_ytd", code)),
        "resolved_ytd": fmt_amount(v("resolved_ytd", code)),
        "progress": fmt_percent(v("resolve_progress", code)),
        "gap": _gap_text(v("resolve_gap_pp", code)),
        "due": fmt_amount(v("due", code)),
        "paid": fmt_amount(v("paid_on_time", code)),
        "debt_ratio": fmt_percent(v("debt_ratio", code)),
    }


def channel_table(debt: DebtMetrics) -> Table:
    """The city's resolution by channel (“六个一批”): this month, this year and share of the year's."""
    rows = [
        {
            "channel": name,
            "amount": fmt_amount(debt.channel(cid, "amount")),
            "amount_ytd": fmt_amount(debt.channel(cid, "amount_ytd")),
            "share": fmt_percent(debt.channel(cid, "share")),
        }
        for cid, name in debt.channel_names
    ]
    total = {
        "channel": "合计",
        "amount": fmt_amount(debt.value("resolved")),
        "amount_ytd": fmt_amount(debt.value("resolved_ytd")),
        "share": fmt_percent(1.0) if debt.value("resolved_ytd") else "—",
    }
    columns = [
        ["channel", "化债渠道"],
        ["amount", "本月（亿元）"],
        ["amount_ytd", "本年累计（亿元）"],
        ["share", "占比"],
    ]
    return Table(columns=columns, rows=rows, total=total, lights={}, note="")


def key_task_table(debt: DebtMetrics) -> Table:
    """Every unit's key tasks: target, done, completion and its gap to 序时进度; lagging ones red."""
    rows: list[dict[str, str]] = []
    lights: dict[str, dict[str, Light]] = {}
    for key, row in debt.tasks.iterrows():
        code, task = cast(tuple[str, str], key)
        if code == CITY:
            continue
        if row["lagging"] == 1.0:
            lights[str(len(rows))] = {"completion": "red"}
        rows.append(_task_row(debt, str(code), str(task)))
    note = f"序时进度{fmt_percent(debt.time_progress)}；红色为落后序时进度超过容差的事项。"
    return Table(columns=TASK_COLUMNS, rows=rows, total=None, lights=lights, note=note)


def _task_row(debt: DebtMetrics, code: str, task: str) -> dict[str, str]:
    return {
        "unit": debt.unit_name(code),
        "task": task,
        "target": _quantity(debt.task(code, task, "target")),
        "done": _quantity(debt.task(code, task, "done_ytd")),
        "completion": fmt_percent(debt.task(code, task, "completion")),
        "gap": _gap_text(debt.task(code, task, "gap_pp")),
    }


def _quantity(value: float | None) -> str:
    """A task quantity: whole numbers as such, otherwise two decimals."""
    return fmt_count(value) if value is None or float(value).is_integer() else fmt_amount(value)
