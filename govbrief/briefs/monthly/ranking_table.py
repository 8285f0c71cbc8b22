"""The 月通报's county ranking (亮灯 per indicator group, 进位/退位) and the death-quota table.

Lights judge a figure against 序时进度 with the configured tolerance
(thresholds.lag_tolerance_pp): behind by more than the tolerance is red, behind
within it is yellow, on or ahead of time is green. The debt ratio keeps its own
configured band.
"""

from __future__ import annotations

from typing import cast

import pandas as pd

from govbrief.formatting import fmt_count, fmt_percent, round_half_up
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.ranking import ranked_order
from govbrief.metrics.result import CITY, SafetyMetrics
from govbrief.render.context import Light, Table

RANKED_BY = "resolve_progress"
RANKING_COLUMNS = [
    ["rank", "排名"],
    ["unit", "县市区"],
    ["rank_change", "较上月"],
    ["safety", "安全生产（死亡控制指标使用率）"],
    ["debt", "债务化解（化债进度）"],
    ["debt_ratio", "债务率"],
    ["tasks", "重点工作（滞后项数）"],
]
QUOTA_COLUMNS = [
    ["unit", "县市区"],
    ["quota", "全年控制指标（人）"],
    ["deaths", "累计死亡（人）"],
    ["used", "使用率"],
    ["gap", "与序时进度差（百分点）"],
]


def rank_change_zh(change: float | None) -> str:
    """进2位 / 退1位 / 持平 / — (no rank last month)."""
    if change is None:
        return "—"
    if change > 0:
        return f"进{int(change)}位"
    if change < 0:
        return f"退{int(-change)}位"
    return "持平"


def signed(number: str) -> str:
    """Plus sign: "+3.2" for a positive figure, as it is otherwise."""
    return f"+{number}" if float(number) > 0 else number


def behind_light(behind_pp: float | None, tolerance_pp: float) -> Light:
    """How far a figure is behind 序时进度 (percentage points, > 0 = behind) as a light."""
    if behind_pp is None:
        return ""
    if behind_pp > tolerance_pp:
        return "red"
    return "yellow" if behind_pp > 0 else "green"


def ranking_table(safety: SafetyMetrics, debt: DebtMetrics, tolerance_pp: float) -> Table:
    """Units ranked by 化债进度, with 进位/退位 and a light per indicator group."""
    progress = debt.values[RANKED_BY].reindex([unit.code for unit in debt.units])
    rows, lights = [], cast(dict[str, dict[str, Light]], {})
    for position, code in enumerate(ranked_order(progress, higher_is_better=True)):
        rank, change = debt.rank(RANKED_BY, code)
        cells, cell_lights = _ranking_cells(safety, debt, code, tolerance_pp)
        rows.append({"rank": fmt_count(rank) if rank else "", "rank_change": rank_change_zh(change), **cells})
        lights[str(position)] = cell_lights
    note = (
        f"按年度化债任务完成进度排名（序时进度{fmt_percent(debt.time_progress)}）；较上月“进”为进位、“退”为退位。"
        f"亮灯：落后序时进度超过{fmt_count(tolerance_pp)}个百分点为红灯，落后以内为黄灯，达到序时进度为绿灯；"
        "债务率按风险等级亮灯。"
    )
    return Table(columns=RANKING_COLUMNS, rows=rows, total=None, lights=lights, note=note)


def _ranking_cells(
    safety: SafetyMetrics, debt: DebtMetrics, code: str, tolerance_pp: float
) -> tuple[dict[str, str], dict[str, Light]]:
    """One unit's cells and their lights."""
    used = safety.value("death_quota_used", "ytd", code)
    gap = debt.value("resolve_gap_pp", code)
    ratio = debt.value("debt_ratio", code)
    lagging = _lagging_tasks(debt, code)
    cells = {
        "unit": debt.unit_name(code),
        "safety": fmt_percent(used),
        "debt": fmt_percent(debt.value(RANKED_BY, code)),
        "debt_ratio": fmt_percent(ratio),
        "tasks": fmt_count(lagging),
    }
    lights: dict[str, Light] = {
        "safety": behind_light(None if used is None else (used - safety.time_progress) * 100, tolerance_pp),
        "debt": behind_light(None if gap is None else -gap, tolerance_pp),
        "debt_ratio": debt.debt_ratio_lights.get(code) or "",
        "tasks": "red" if lagging else "green",
    }
    return cells, {key: light for key, light in lights.items() if light}


def _lagging_tasks(debt: DebtMetrics, code: str) -> int:
    """How many of a unit's key tasks lag behind 序时进度 at the month-end."""
    if debt.tasks.empty or code not in debt.tasks.index.get_level_values(0):
        return 0
    own = cast(pd.DataFrame, debt.tasks.xs(code, level=0))
    return int(own["lagging"].fillna(0).sum())


def quota_table(safety: SafetyMetrics, tolerance_pp: float) -> Table:
    """死亡控制指标使用 per unit against 序时进度, lit like the ranking."""
    rows, lights = [], cast(dict[str, dict[str, Light]], {})
    for position, unit in enumerate(safety.units):
        row, light = _quota_row(safety, unit.code, unit.name, tolerance_pp)
        rows.append(row)
        if light:
            lights[str(position)] = {"used": light}
    total, _ = _quota_row(safety, CITY, "全市", tolerance_pp)
    note = f"序时进度{fmt_percent(safety.time_progress)}；使用率为本年累计死亡人数占全年控制指标的比例。"
    return Table(columns=QUOTA_COLUMNS, rows=rows, total=total, lights=lights, note=note)


def _quota_row(safety: SafetyMetrics, code: str, name: str, tolerance_pp: float) -> tuple[dict[str, str], Light]:
    used = safety.value("death_quota_used", "ytd", code)
    ahead = None if used is None else (used - safety.time_progress) * 100
    row = {
        "unit": name,
        "quota": fmt_count(safety.quotas.get(code)),
        "deaths": fmt_count(safety.value("acc_deaths", "ytd", code)),
        "used": fmt_percent(used),
        "gap": "—" if ahead is None else signed(round_half_up(ahead, 1)),
    }
    return row, behind_light(ahead, tolerance_pp)
