"""县市区综合排名 in a 月通报 or 季总结: the dimension values per unit from the month's figures, the
ranking (govbrief.metrics.ranking), and how the brief shows it — a narrow body table that fits a
phone, the weights printed under it, the values in an annex.

A unit whose figure for a weighted dimension is unknown (a return missing) has no composite rank:
it is listed last, with the reason, never ranked on a partial picture.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from govbrief.briefs.common.gongwen import listed, units_zh
from govbrief.formatting import fmt_count, fmt_percent
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.ranking import DIMENSION_ZH, DIMENSIONS, CompositeRanking, composite_ranking
from govbrief.metrics.result import SafetyMetrics
from govbrief.render.document import Table

# What each dimension ranks, in the words of the note under the table.
MEASURE_ZH = {
    "safety": "死亡控制指标使用率由低到高",
    "debt": "年度化债任务完成率由高到低",
    "risk": "债务率由低到高",
    "key_tasks": "重点工作平均完成率由高到低",
}
UNRANKED = "—"
BIG_MOVE = 3  # places gained or lost in a month that the paragraph names


def dimension_values(safety: SafetyMetrics, debt: DebtMetrics) -> pd.DataFrame:
    """Per unit (configured order): the figure each dimension ranks on, NaN where it is unknown."""
    codes = [unit.code for unit in debt.units]
    rows = {}
    for code in codes:
        rows[code] = {
            "safety": _known(safety.value("death_quota_used", "ytd", code) if safety.complete(code, "ytd") else None),
            "debt": _known(debt.value("resolve_progress", code)),
            "risk": _known(debt.value("debt_ratio", code)),
            "key_tasks": _mean_completion(debt, code),
        }
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(DIMENSIONS)).astype("float64")


def _known(value: float | None) -> float:
    return np.nan if value is None else value


def _mean_completion(debt: DebtMetrics, code: str) -> float:
    """The mean completion of the unit's key tasks; NaN when it has none or one is unknown."""
    tasks = [task for unit, task in debt.tasks.index if unit == code]
    done = [debt.task(code, str(task)) for task in tasks]
    if not done or any(d is None for d in done):
        return np.nan
    return float(np.mean([d for d in done if d is not None]))


def county_ranking(
    now: tuple[SafetyMetrics, DebtMetrics],
    before: tuple[SafetyMetrics, DebtMetrics] | None,
    weights: Mapping[str, float],
) -> CompositeRanking:
    """The ranking at this month-end, with the change on the month-end before (None: no change)."""
    previous = dimension_values(*before) if before is not None else None
    return composite_ranking(dimension_values(*now), previous, weights)


def rank_change_zh(change: float) -> str:
    """进2位 / 退1位 / 持平 / — (no rank before)."""
    if np.isnan(change):
        return "—"
    if change > 0:
        return f"进{int(change)}位"
    if change < 0:
        return f"退{int(-change)}位"
    return "持平"


def _rank_cell(rank: float) -> str:
    return UNRANKED if np.isnan(rank) else fmt_count(rank)


def _dimensions(ranking: CompositeRanking) -> list[str]:
    """The dimensions shown: the weighted ones, or every dimension some unit has a figure for."""
    if ranking.has_composite:
        return [d for d in ranking.weights if d not in ranking.dropped]
    return [d for d in DIMENSIONS if ranking.table[f"{d}_rank"].notna().any()]


def body_table(ranking: CompositeRanking, names: Mapping[str, str]) -> Table:
    """The ranking as the body shows it, narrow enough for a phone: 名次, 县市区, each dimension's
    名次, 较上月 — or, without weights, the units in each dimension's order."""
    if not ranking.has_composite:
        return _per_dimension_table(ranking, names)
    dimensions = _dimensions(ranking)
    columns = [["rank", "名次"], ["unit", "县市区"], *([d, DIMENSION_ZH[d]] for d in dimensions), ["change", "较上月"]]
    rows = []
    for code in ranking.order():
        row = ranking.row(code)
        cells = {"rank": _rank_cell(row["rank"]), "unit": names[code], "change": rank_change_zh(row["change"])}
        cells |= {d: _rank_cell(row[f"{d}_rank"]) for d in dimensions}
        rows.append(cells)
    return Table(columns=columns, rows=rows, total=None, lights={}, note=weights_note(ranking))


def _per_dimension_table(ranking: CompositeRanking, names: Mapping[str, str]) -> Table:
    """名次 × dimension: the unit at that place in each, with its move (北坪县（进4位）)."""
    dimensions = _dimensions(ranking)
    columns = [["rank", "名次"], *([d, DIMENSION_ZH[d]] for d in dimensions)]
    rows: list[dict[str, str]] = [{"rank": fmt_count(n)} for n in range(1, len(ranking.table) + 1)]
    for d in dimensions:
        ranks, moves = ranking.table[f"{d}_rank"], ranking.table[f"{d}_previous"] - ranking.table[f"{d}_rank"]
        for place, row in enumerate(rows, start=1):
            at = [str(c) for c in ranks.index if ranks[c] == place]
            row[d] = "、".join(_placed(names[c], moves[c]) for c in at) + ("（并列）" if len(at) > 1 else "")
            row[d] = row[d] or ("" if place <= ranks.notna().sum() else UNRANKED)
    return Table(columns=columns, rows=rows, total=None, lights={}, note=weights_note(ranking))


def _placed(name: str, move: float) -> str:
    return name if np.isnan(move) or move == 0 else f"{name}（{rank_change_zh(move)}）"


def weights_note(ranking: CompositeRanking) -> str:
    """The rule under the table: what each dimension ranks on and, with weights, how they combine."""
    dimensions = _dimensions(ranking)
    measures = "，".join(f"{DIMENSION_ZH[d]}按{MEASURE_ZH[d]}排列" for d in dimensions)
    if not ranking.has_composite:
        return (
            f"{measures}；市政府未确定各维度权重，故不排综合名次，仅列分项名次；名次相同的并列，"
            "未报送或无数据的不排名。分项名次靠前不等于工作达标，不作为表扬依据。"
        )
    weights = "、".join(f"{DIMENSION_ZH[d]}{fmt_count(w * 100)}%" for d, w in ranking.weights.items())
    dropped = listed([DIMENSION_ZH[d] for d in ranking.dropped])
    left_out = f"本期{dropped}各县市区均无数据，不计入综合得分；" if dropped else ""
    return (
        f"{measures}；综合得分为各项名次按权重（{weights}）加权之和，得分越低名次越前，得分相同的并列；"
        f"{left_out}有一项未报送或无数据的不参加综合排名。"
    )


def ranking_paragraph(ranking: CompositeRanking, names: Mapping[str, str], unit_count: int) -> str:
    """本期从…对9个县市区综合排名…: the basis, who leads and who trails, who is not ranked and why."""
    dimensions = listed([DIMENSION_ZH[d] for d in _dimensions(ranking)])
    table = ranking.table
    column = "rank" if ranking.has_composite else None
    if column is None:
        head = f"本期从{dimensions}等方面对{unit_count}个县市区分项排名（见下表，各项指标数值见附件1）。"
        last = [names[c] for c in table.index if all(_is_last(table, d, str(c)) for d in _dimensions(ranking))]
        return head + (f"{units_zh(last)}各项均居末位。" if last else "")
    head = (
        f"本期从{dimensions}{len(ranking.weights)}个方面对{unit_count}个县市区综合排名（见下表，各项指标数值见附件1）。"
    )
    ranked = table[column].dropna()
    if ranked.empty:
        return head + "因各县市区报表未报齐，本期不排综合名次。"
    first = [names[str(c)] for c in ranked.index if ranked[c] == ranked.min()]
    last = [names[str(c)] for c in ranked.index if ranked[c] == ranked.max()]
    parts = [f"{units_zh(first)}居首位", f"{units_zh(last)}居末位"] if len(ranked) > 1 else []
    changes = {str(c): ranking.row(str(c))["change"] for c in ranked.index}
    moved = [f"{names[c]}{rank_change_zh(n)}" for c, n in changes.items() if not np.isnan(n) and abs(n) >= BIG_MOVE]
    if moved:
        parts.append("较上月" + "、".join(moved))
    out = [names[str(c)] for c in table.index if np.isnan(ranking.row(str(c))["rank"])]
    if out:
        parts.append(f"{units_zh(out)}有指标未报送，不参加本期综合排名")
    return head + ("，".join(parts) + "。" if parts else "")


def _unknown_word(safety: SafetyMetrics, debt: DebtMetrics, dimension: str, code: str) -> str:
    """Why a dimension's figure is missing: the return is not in (未报送), or there is nothing to rank."""
    if dimension == "safety":
        return "未报齐" if not safety.complete(code, "ytd") else UNRANKED
    return "未报送" if not debt.reported(code) else UNRANKED


def _is_last(table: pd.DataFrame, dimension: str, code: str) -> bool:
    ranks = table[f"{dimension}_rank"]
    return bool(ranks.notna().sum() > 1 and float(ranks[code]) == ranks.max())


def annex_table(ranking: CompositeRanking, safety: SafetyMetrics, debt: DebtMetrics, values: pd.DataFrame) -> Table:
    """附件1: every unit's composite place and score, and each dimension's figure and rank."""
    dimensions = list(DIMENSIONS)
    columns = [["rank", "名次"], ["unit", "县市区"]]
    if ranking.has_composite:
        columns.append(["score", "综合得分"])
    columns += [[d, f"{DIMENSION_ZH[d]}（名次）"] for d in dimensions]
    rows = []
    for code in ranking.order():
        row = ranking.row(code)
        rank = row["rank"] if ranking.has_composite else np.nan
        cells = {"rank": _rank_cell(rank), "unit": debt.unit_name(code)}
        if ranking.has_composite:
            cells["score"] = UNRANKED if np.isnan(row["score"]) else f"{row['score']:.2f}"
        for d in dimensions:
            value = float(values[d][code])
            shown = _unknown_word(safety, debt, d, code) if np.isnan(value) else fmt_percent(float(value))
            cells[d] = shown if np.isnan(row[f"{d}_rank"]) else f"{shown}（{fmt_count(row[f'{d}_rank'])}）"
        rows.append(cells)
    note = (
        f"序时进度{fmt_percent(debt.time_progress)}。安全生产为死亡控制指标使用率，化债进度为年度化债任务完成率，"
        "债务风险为债务率，重点工作为各项重点工作完成率的平均值；括号内为该项名次。"
    )
    return Table(columns=columns, rows=rows, total=None, lights={}, note=note)
