"""Direction-aware ranks among units, the composite ranking (县市区综合排名), and who may be commended.

Tie rule: units with equal values share the best rank of their group and the next rank is
skipped (competition ranking, "1224"), as league tables do. Values are ranked as printed (a
percentage with one decimal), so two units printed alike share a rank. Units without a value
(nothing found, a return missing) get no rank and sort after the ranked ones, keeping their
configured order.

The composite ranking weighs each dimension's rank by the configured weights ([ranking] weights:
safety = death-quota use, lower is better; debt = 化债进度, higher; risk = 债务率, lower;
key_tasks = the mean completion of the unit's key tasks, higher). The score is the weighted sum
of the ranks (lower is better); a unit missing a dimension has no composite rank. Without
weights there is no composite: each dimension is ranked on its own.

Commendation (通报表扬) is never a rank alone: a unit may be commended only when it is at or above
序时进度 on every target it is judged on, is on no escalation (督办/约谈) list, and has no red light.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govbrief.metrics.progress import printed_percents

DIMENSIONS: dict[str, bool] = {"safety": False, "debt": True, "risk": False, "key_tasks": True}  # higher is better
DIMENSION_ZH = {"safety": "安全生产", "debt": "化债进度", "risk": "债务风险", "key_tasks": "重点工作"}


def rank_units(values: pd.Series, higher_is_better: bool) -> pd.Series:
    """Rank (1 = best) of each value; equal values share a rank; NaN stays unranked (NaN)."""
    return values.rank(method="min", ascending=not higher_is_better, na_option="keep")


def ranked_order(values: pd.Series, higher_is_better: bool) -> list[str]:
    """The index labels from best to worst, ties and unranked in their original order."""
    ranks = rank_units(values, higher_is_better)
    positions = pd.Series(range(len(ranks)), index=ranks.index)
    frame = pd.DataFrame({"rank": ranks, "position": positions})
    ordered = frame.sort_values(["rank", "position"], na_position="last", kind="stable")
    return [str(label) for label in ordered.index]


@dataclass(frozen=True)
class CompositeRanking:
    """Per unit (index unit_code, configured order): each dimension's rank now and before, and — with
    weights — the composite score, rank, previous rank and change (> 0 进位, < 0 退位)."""

    weights: Mapping[str, float]
    table: pd.DataFrame
    # Weighted dimensions no unit has a figure for this month: left out of the score rather than
    # leaving every unit unranked.
    dropped: tuple[str, ...] = ()

    @property
    def has_composite(self) -> bool:
        return bool(self.weights)

    def row(self, unit_code: str) -> dict[str, float]:
        """One unit's ranks (and score, composite rank and change), NaN where there is none."""
        return {str(column): float(self.table[column][unit_code]) for column in self.table.columns}

    def order(self) -> list[str]:
        """Unit codes best first: by composite rank, else by the first dimension's rank."""
        column = "rank" if self.has_composite else f"{next(iter(DIMENSIONS))}_rank"
        return ranked_order(-self.table[column], higher_is_better=True)


def composite_ranking(now: pd.DataFrame, before: pd.DataFrame | None, weights: Mapping[str, float]) -> CompositeRanking:
    """The ranking from per-unit dimension values (columns of DIMENSIONS, ratios) now and at the
    month-end before (None: no change can be given)."""
    table = pd.DataFrame(index=now.index)
    for dimension, higher in DIMENSIONS.items():
        table[f"{dimension}_rank"] = _dimension_rank(now, dimension, higher)
        table[f"{dimension}_previous"] = _dimension_rank(before, dimension, higher) if before is not None else np.nan
    dropped = tuple(d for d in weights if table[f"{d}_rank"].isna().all())
    scored = {d: w for d, w in weights.items() if d not in dropped}
    if scored:
        table["score"] = _score(table, scored, "_rank")
        table["rank"] = rank_units(table["score"], higher_is_better=False)
        previous = _score(table, scored, "_previous")
        table["previous_rank"] = rank_units(previous, higher_is_better=False)
        table["change"] = table["previous_rank"] - table["rank"]
    return CompositeRanking(dict(weights) if scored else {}, table.astype("float64"), dropped if scored else ())


def _dimension_rank(values: pd.DataFrame | None, dimension: str, higher: bool) -> pd.Series:
    if values is None or dimension not in values.columns:
        return pd.Series(np.nan, index=values.index if values is not None else [], dtype="float64")
    return rank_units(printed_percents(values[dimension].astype("float64")), higher_is_better=higher)


def _score(table: pd.DataFrame, weights: Mapping[str, float], suffix: str) -> pd.Series:
    """Σ weight × rank, to two decimals (a score printed under the table); NaN when a rank is missing."""
    parts = [table[f"{dimension}{suffix}"] * weight for dimension, weight in weights.items()]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total.round(2)


def commendable(
    unit_code: str,
    caught_up: Mapping[str, bool],
    escalated: Collection[str],
    red: Collection[str],
) -> bool:
    """Whether a unit may be commended: at or above 序时进度 on every target it is judged on (and on at
    least one), on no escalation list, with no red light."""
    return bool(caught_up) and all(caught_up.values()) and unit_code not in escalated and unit_code not in red
