"""The debt, channel, key-task and death-quota 附件 tables of a 月通报 or 季总结.

Cells are formatted once here; their lights are the ones decided with the figures (DebtMetrics.light,
SafetyMetrics.light) — a table never judges a figure again. A unit whose return is missing says
未报送 where its figures would be, never 0.
"""

from __future__ import annotations

from govbrief.formatting import fmt_amount, fmt_count, fmt_percent, printed_percent, round_half_up
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.result import CITY, SafetyMetrics
from govbrief.render.document import Light, Table

DEBT_COLUMNS = [
    ["unit", "县市区"],
    ["legal_balance", "法定债务余额（亿元）"],
    ["limit_usage", "限额使用率"],
    ["debt_ratio", "债务率"],
    ["hidden_balance", "隐性债务余额（亿元）"],
    ["hidden_new", "本年新增隐性债务（亿元）"],
    ["resolved_ytd", "本年化债（亿元）"],
    ["progress", "化债进度"],
    ["gap", "与序时进度差（百分点）"],
    ["due", "本年到期应偿（亿元）"],
    ["paid_rate", "按期偿付率"],
]
# cell key → the figure whose light colours it
DEBT_LIGHTS = {
    "debt_ratio": "debt_ratio",
    "hidden_new": "hidden_new",
    "hidden_balance": "hidden_balance",
    "gap": "resolve_gap_pp",
    "paid_rate": "paid_on_time_rate",
    "legal_balance": "debt_legal_balance",
}
CHANNEL_COLUMNS = [
    ["channel", "化债渠道"],
    ["amount", "本月（亿元）"],
    ["amount_ytd", "本年累计（亿元）"],
    ["share", "占比"],
]
TASK_COLUMNS = [
    ["unit", "县市区"],
    ["task", "重点工作"],
    ["target", "年度目标"],
    ["done", "累计完成"],
    ["completion", "完成率"],
    ["gap", "与序时进度差（百分点）"],
]
QUOTA_COLUMNS = [
    ["unit", "县市区"],
    ["quota", "全年控制指标（人）"],
    ["deaths", "累计死亡（人）"],
    ["used", "使用率"],
    ["gap", "与序时进度差（百分点）"],
]
MISSING = "未报送"
DASH = "—"


def signed(value: float | None) -> str:
    """+3.2 / -0.4 / 0.0 / — : a gap in percentage points as printed."""
    if value is None:
        return DASH
    text = round_half_up(value, 1)
    return f"+{text}" if float(text) > 0 else text


LIT: dict[str, Light] = {"yellow": "yellow", "orange": "orange", "red": "red"}  # green cells stay plain


def _lit(cells: dict[str, str]) -> dict[str, Light]:
    return {key: LIT[light] for key, light in cells.items() if light in LIT}


def debt_table(debt: DebtMetrics) -> Table:
    """Units × balances, 债务率, hidden debt, 化债 and its gap, payments; lit as the alerts decided."""
    rows, lights = [], {}
    for position, unit in enumerate(debt.units):
        rows.append(_debt_row(debt, unit.code, unit.name))
        lights[str(position)] = _lit({key: debt.light(figure, unit.code) for key, figure in DEBT_LIGHTS.items()})
    missing = [u.name for u in debt.units if not debt.reported(u.code)]
    total = _debt_row(debt, CITY, "全市") if not missing else None
    note = f"序时进度{fmt_percent(debt.time_progress)}；债务率为法定债务余额占综合财力的比例。"
    if missing:
        note += f"{'、'.join(missing)}本月报表未报送，不计全市合计。"
    return Table(columns=DEBT_COLUMNS, rows=rows, total=total, lights=lights, note=note)


def _debt_row(debt: DebtMetrics, code: str, name: str) -> dict[str, str]:
    if code != CITY and not debt.reported(code):
        return {"unit": name, **{key: (MISSING if key == "legal_balance" else DASH) for key, _ in DEBT_COLUMNS[1:]}}
    v = debt.value
    return {
        "unit": name,
        "legal_balance": fmt_amount(v("debt_legal_balance", code)),
        "limit_usage": fmt_percent(v("debt_limit_usage", code)),
        "debt_ratio": fmt_percent(v("debt_ratio", code)),
        "hidden_balance": fmt_amount(v("hidden_balance", code)),
        "hidden_new": fmt_amount(v("hidden_new_ytd", code)),
        "resolved_ytd": fmt_amount(v("resolved_ytd", code)),
        "progress": fmt_percent(v("resolve_progress", code)),
        "gap": signed(v("resolve_gap_pp", code)),
        "due": fmt_amount(v("due_ytd", code)),
        "paid_rate": fmt_percent(v("paid_on_time_rate_ytd", code)),
    }


def channel_table(debt: DebtMetrics) -> Table:
    """The city's 化债 by channel (“六个一批”): this month, this year, and the share of the year's."""
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
        "share": fmt_percent(1.0) if debt.value("resolved_ytd") else DASH,
    }
    note = "" if debt.value("resolved_ytd") is not None else "部分县市区报表未报送，全市分渠道数据不完整，暂不汇总。"
    return Table(columns=CHANNEL_COLUMNS, rows=rows, total=total, lights={}, note=note)


def key_task_table(debt: DebtMetrics) -> Table:
    """Every unit's key tasks: target, done, completion and its gap; lagging beyond the tolerance in red."""
    rows: list[dict[str, str]] = []
    lights: dict[str, dict[str, Light]] = {}
    for code, task in debt.tasks.index:
        if code == CITY:
            continue
        if debt.task(str(code), str(task), "lagging") == 1.0:
            lights[str(len(rows))] = {"completion": "red"}
        rows.append(_task_row(debt, str(code), str(task)))
    note = f"序时进度{fmt_percent(debt.time_progress)}；红色为落后序时进度超过容差的事项。"
    return Table(columns=TASK_COLUMNS, rows=rows, total=None, lights=lights, note=note)


def _task_row(debt: DebtMetrics, code: str, task: str) -> dict[str, str]:
    done = debt.task(code, task, "done_ytd")
    return {
        "unit": debt.unit_name(code),
        "task": task,
        "target": _quantity(debt.task(code, task, "target")),
        "done": MISSING if done is None else _quantity(done),
        "completion": fmt_percent(debt.task(code, task, "completion")),
        "gap": signed(debt.task(code, task, "gap_pp")),
    }


def _quantity(value: float | None) -> str:
    """A task quantity: whole numbers as such, otherwise two decimals."""
    return fmt_count(value) if value is None or float(value).is_integer() else fmt_amount(value)


def quota_table(safety: SafetyMetrics) -> Table:
    """死亡控制指标使用 per unit against 序时进度, lit as decided with the figure."""
    rows, lights = [], {}
    for position, unit in enumerate(safety.units):
        rows.append(_quota_row(safety, unit.code, unit.name))
        light = safety.light("death_quota_used", unit.code)
        if light in ("yellow", "orange", "red"):
            lights[str(position)] = _lit({"used": light})
    note = (
        f"序时进度{fmt_percent(safety.time_progress)}；使用率为本年累计死亡人数占全年控制指标的比例，"
        "高于序时进度即为超进度。"
    )
    return Table(columns=QUOTA_COLUMNS, rows=rows, total=_quota_row(safety, CITY, "全市"), lights=lights, note=note)


def _quota_row(safety: SafetyMetrics, code: str, name: str) -> dict[str, str]:
    if not safety.complete(code, "ytd"):
        return {
            "unit": name,
            "quota": fmt_count(safety.quotas.get(code)),
            "deaths": "未报齐",
            "used": DASH,
            "gap": DASH,
        }
    used = safety.value("death_quota_used", "ytd", code)
    gap = None if used is None else printed_percent(used) - printed_percent(safety.time_progress)
    return {
        "unit": name,
        "quota": fmt_count(safety.quotas.get(code)),
        "deaths": fmt_count(safety.value("acc_deaths", "ytd", code)),
        "used": fmt_percent(used),
        "gap": signed(gap),
    }
