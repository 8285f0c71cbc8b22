"""Direction-aware ranks among units.

Tie rule: units with equal values share the best rank of their group and the
next rank is skipped (competition ranking, "1224"), as league tables do.
Units without a value (e.g. no fix rate because nothing was found) get no rank
and sort after the ranked ones, keeping their configured order.
"""

from __future__ import annotations

import pandas as pd


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
