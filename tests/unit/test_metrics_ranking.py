"""Direction-aware ranks: ties share the best rank and skip the next; units without a value are unranked."""

from __future__ import annotations

import math

import pandas as pd

from govbrief.metrics.ranking import rank_units, ranked_order

RATES = pd.Series({"a": 0.90, "b": 0.98, "c": math.nan, "d": 0.98, "e": 0.95})


def test_higher_is_better_ranks_with_shared_ties() -> None:
    ranks = rank_units(RATES, higher_is_better=True)
    assert ranks.drop("c").to_dict() == {"a": 4.0, "b": 1.0, "d": 1.0, "e": 3.0}
    assert math.isnan(ranks["c"])


def test_lower_is_better_reverses_the_order() -> None:
    ranks = rank_units(pd.Series({"x": 3.0, "y": 1.0, "z": 3.0}), higher_is_better=False)
    assert ranks.to_dict() == {"x": 2.0, "y": 1.0, "z": 2.0}


def test_ranked_order_keeps_ties_and_unranked_in_their_original_order() -> None:
    assert ranked_order(RATES, higher_is_better=True) == ["b", "d", "e", "a", "c"]
    assert ranked_order(RATES, higher_is_better=False) == ["a", "e", "b", "d", "c"]
