"""Direction-aware ranks: ties share the best rank and skip the next; units without a value are unranked."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from govbrief.metrics.ranking import commendable, composite_ranking, printed_percents, rank_units, ranked_order

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


def test_units_printed_alike_share_a_rank() -> None:
    rates = pd.Series({"a": 0.9984, "b": 0.9976, "c": 0.9951})  # 99.8%, 99.8%, 99.5% as printed
    assert rank_units(printed_percents(rates), higher_is_better=True).to_dict() == {"a": 1.0, "b": 1.0, "c": 3.0}


# ----- the composite ranking ---------------------------------------------------------------------

VALUES = pd.DataFrame(
    {
        # safety: death-quota use (lower is better); debt: 化债进度; risk: 债务率 (lower); key_tasks: completion
        "safety": [0.50, 0.90, 0.70],
        "debt": [0.80, 0.90, 0.70],
        "risk": [1.50, 1.20, 1.80],
        "key_tasks": [0.85, 0.80, 0.90],
    },
    index=["a", "b", "c"],
)
WEIGHTS = {"safety": 0.4, "debt": 0.3, "risk": 0.15, "key_tasks": 0.15}


def test_the_composite_weighs_every_dimension_not_debt_alone() -> None:
    ranking = composite_ranking(VALUES, None, WEIGHTS)
    table = ranking.table
    # a: ranks 1, 2, 2, 2 → 0.4 + 0.6 + 0.3 + 0.3 = 1.6; b: 3, 1, 1, 3 → 1.2 + 0.3 + 0.15 + 0.45 = 2.1;
    # c: 2, 3, 3, 1 → 0.8 + 0.9 + 0.45 + 0.15 = 2.3
    assert table["score"].to_dict() == {"a": 1.6, "b": 2.1, "c": 2.3}
    assert table["rank"].to_dict() == {"a": 1.0, "b": 2.0, "c": 3.0}
    assert ranking.order() == ["a", "b", "c"]
    assert table["debt_rank"]["b"] == 1.0  # first on 化债进度 alone, second overall


def test_a_unit_missing_a_dimension_has_no_composite_rank() -> None:
    values = VALUES.copy()
    values.loc["b", "debt"] = float("nan")  # its debt return never came
    table = composite_ranking(values, None, WEIGHTS).table
    assert math.isnan(table.loc["b", "rank"]) and table.loc["a", "rank"] == 1.0


def test_the_change_is_against_the_month_before() -> None:
    before = VALUES.assign(safety=[0.90, 0.50, 0.70])  # b was first on safety last month
    table = composite_ranking(VALUES, before, WEIGHTS).table
    # before: a 3, 2, 2, 2 → 2.4; b 1, 1, 1, 3 → 1.3; c 2, 3, 3, 1 → 2.3
    assert table["previous_rank"].to_dict() == {"a": 3.0, "b": 1.0, "c": 2.0}
    assert table["change"].to_dict() == {"a": 2.0, "b": -1.0, "c": -1.0}  # 进2位, 退1位, 退1位


def test_without_weights_there_is_no_composite() -> None:
    ranking = composite_ranking(VALUES, None, {})
    assert not ranking.has_composite and "rank" not in ranking.table.columns
    assert ranking.order() == ["a", "c", "b"]  # by the first dimension (safety)


@pytest.mark.parametrize(
    ("caught_up", "escalated", "red", "expected"),
    [
        ({"debt": True, "death_quota": True}, set(), set(), True),
        ({"debt": True, "death_quota": False}, set(), set(), False),  # behind on one target
        ({"debt": True}, {"a"}, set(), False),  # on a 约谈 list
        ({"debt": True}, set(), {"a"}, False),  # a red light (a missed payment, the quota over)
        ({}, set(), set(), False),  # judged on nothing: nothing to commend
    ],
)
def test_only_a_unit_on_pace_on_every_target_and_on_no_list_may_be_commended(
    caught_up: dict[str, bool], escalated: set[str], red: set[str], expected: bool
) -> None:
    assert commendable("a", caught_up, escalated, red) is expected
