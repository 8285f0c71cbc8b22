"""The vectorised grading agrees with govbrief.metrics.grading, and accidents are named the office's way."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from govbrief.metrics.accidents import accident_name_zh, casualties_zh, grade_levels
from govbrief.metrics.grading import GRADES, grade_for_sector

SECTORS = ["道路交通", "森林火灾", "火灾", "其他"]
# Values at, just under and around every bound, plus blanks.
DEATHS = st.sampled_from([0, 1, 2, 3, 9, 10, 29, 30, 31])
INJURIES = st.sampled_from([0, 9, 10, 49, 50, 99, 100])
LOSS = st.sampled_from([0.0, 999.99, 1000.0, 4999.99, 5000.0, 9999.99, 10000.0, math.nan])
AREA = st.sampled_from([math.nan, 0.0, 0.99, 1.0, 99.99, 100.0, 999.99, 1000.0])
ROW = st.tuples(st.sampled_from(SECTORS), DEATHS, INJURIES, LOSS, AREA)


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=30))
def test_grade_levels_match_the_scalar_grading(rows: list[tuple[str, int, int, float, float]]) -> None:
    frame = pd.DataFrame(rows, columns=["sector", "deaths", "serious_injuries", "direct_loss_wan", "forest_burned_ha"])
    vectorised = [GRADES[level] for level in grade_levels(frame)]
    scalar = [grade_for_sector(s, d, i, loss, area) for s, d, i, loss, area in rows]
    assert vectorised == scalar


def test_a_blank_forest_area_is_not_the_top_grade() -> None:
    frame = pd.DataFrame(
        {"sector": ["森林火灾"], "deaths": [0], "serious_injuries": [0], "direct_loss_wan": [0.0],
         "forest_burned_ha": [math.nan]}
    )  # fmt: skip
    assert list(grade_levels(frame)) == [0]


def test_accident_names() -> None:
    assert accident_name_zh("较大", "道路交通") == "较大道路交通事故"
    assert accident_name_zh("较大", "火灾") == "较大火灾"
    assert accident_name_zh("重大", "森林火灾") == "重大森林火灾"
    assert accident_name_zh("较大", "其他") == "较大生产安全事故"


def test_casualties_leave_out_zero_figures() -> None:
    assert casualties_zh(3, 2) == "死亡3人、重伤2人"
    assert casualties_zh(3, 0) == "死亡3人"
    assert casualties_zh(0, 12) == "重伤12人"
    assert casualties_zh(0, 0) == ""
