"""Accident, fire and forest-fire grades at every band boundary, and alert-band lights."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from govbrief.config import Band
from govbrief.metrics.grading import (
    GRADES,
    MAJOR_PLUS,
    SEVERE,
    band_light,
    grade_accident,
    grade_fire,
    grade_for_sector,
    grade_forest_fire,
    is_major_plus,
)

# (just below, at) each lower bound of 较大, 重大, 特别重大, with the grade reached at the bound.
DEATHS = [(2, 3, "较大"), (9, 10, "重大"), (29, 30, "特别重大")]
INJURIES = [(9, 10, "较大"), (49, 50, "重大"), (99, 100, "特别重大")]
LOSS_WAN = [(999.99, 1000.0, "较大"), (4999.99, 5000.0, "重大"), (9999.99, 10000.0, "特别重大")]
FOREST_HA = [(0.99, 1.0, "较大"), (99.99, 100.0, "重大"), (999.99, 1000.0, "特别重大")]


def below(grade: str) -> str:
    return GRADES[GRADES.index(grade) - 1]


@pytest.mark.parametrize(("under", "at", "grade"), DEATHS)
def test_accident_grade_by_deaths_changes_exactly_at_the_bound(under: int, at: int, grade: str) -> None:
    assert grade_accident(under, 0, 0.0) == below(grade)
    assert grade_accident(at, 0, 0.0) == grade


@pytest.mark.parametrize(("under", "at", "grade"), INJURIES)
def test_accident_grade_by_serious_injuries(under: int, at: int, grade: str) -> None:
    assert grade_accident(0, under, 0.0) == below(grade)
    assert grade_accident(0, at, 0.0) == grade


@pytest.mark.parametrize(("under", "at", "grade"), LOSS_WAN)
def test_accident_grade_by_direct_loss(under: float, at: float, grade: str) -> None:
    assert grade_accident(0, 0, under) == below(grade)
    assert grade_accident(0, 0, at) == grade


@pytest.mark.parametrize(("under", "at", "grade"), LOSS_WAN)
def test_fire_grade_uses_the_same_bands_with_property_loss(under: float, at: float, grade: str) -> None:
    assert grade_fire(0, 0, under) == below(grade)
    assert grade_fire(0, 0, at) == grade


@pytest.mark.parametrize(("under", "at", "grade"), FOREST_HA)
def test_forest_fire_grade_by_burned_area(under: float, at: float, grade: str) -> None:
    assert grade_forest_fire(under, 0, 0) == below(grade)
    assert grade_forest_fire(at, 0, 0) == grade


@pytest.mark.parametrize(("under", "at", "grade"), DEATHS)
def test_forest_fire_grade_by_deaths(under: int, at: int, grade: str) -> None:
    assert grade_forest_fire(0.0, under, 0) == below(grade)
    assert grade_forest_fire(0.0, at, 0) == grade


@pytest.mark.parametrize(("under", "at", "grade"), INJURIES)
def test_forest_fire_grade_by_injuries(under: int, at: int, grade: str) -> None:
    assert grade_forest_fire(0.0, 0, under) == below(grade)
    assert grade_forest_fire(0.0, 0, at) == grade


def test_the_highest_criterion_wins() -> None:
    assert grade_accident(3, 50, 10_000.0) == "特别重大"  # loss reaches the top band
    assert grade_accident(30, 0, 0.0) == "特别重大"
    assert grade_accident(1, 12, 200.0) == "较大"  # injuries alone
    assert grade_accident(2, 9, 5_000.0) == "重大"  # loss alone
    assert grade_forest_fire(0.5, 10, 0) == "重大"  # deaths beat a small area
    assert grade_forest_fire(150.0, 3, 0) == "重大"  # area beats deaths


def test_nothing_reached_is_general() -> None:
    assert grade_accident(0, 0, 0.0) == "一般"
    assert grade_forest_fire(0.0, 0, 0) == "一般"


def test_grade_for_sector_uses_forest_area_only_for_forest_fires() -> None:
    assert grade_for_sector("森林火灾", 0, 0, 0.0, forest_burned_ha=120.0) == "重大"
    # A forest fire is not graded by its money loss …
    assert grade_for_sector("森林火灾", 0, 0, 20_000.0, forest_burned_ha=0.5) == "一般"
    # … and other sectors ignore burned forest area.
    assert grade_for_sector("道路交通", 0, 0, 10.0, forest_burned_ha=5_000.0) == "一般"
    assert grade_for_sector("火灾", 0, 0, 1_000.0) == "较大"


@pytest.mark.parametrize("blank", [None, math.nan, float("nan"), pd.NA])
def test_blank_figures_reach_no_band(blank: object) -> None:
    assert grade_for_sector("森林火灾", 0, 0, 0.0, forest_burned_ha=blank) == "一般"  # type: ignore[arg-type]
    assert grade_accident(3, 0, blank) == "较大"  # type: ignore[arg-type]
    assert grade_accident(0, 0, blank) == "一般"  # type: ignore[arg-type]


def test_major_plus_and_severe_sets() -> None:
    assert [is_major_plus(g) for g in GRADES] == [False, True, True, True]
    assert frozenset({"较大", "重大", "特别重大"}) == MAJOR_PLUS
    assert frozenset({"重大", "特别重大"}) == SEVERE
    assert not is_major_plus("")


UP = Band(direction="up", yellow=0.95, red=0.90)
DOWN = Band(direction="down", yellow=1.20, orange=2.00, red=3.00)


@pytest.mark.parametrize(
    ("value", "light"),
    [
        (1.0, "green"),
        (0.95, "green"),
        (0.9495, "green"),  # prints as 95.0%: judged as printed, on the bound
        (0.9494, "yellow"),  # prints as 94.9%
        (0.90, "yellow"),
        (0.8994, "red"),
        (0.0, "red"),
    ],
)
def test_up_band_alerts_below_each_bound_as_printed(value: float, light: str) -> None:
    assert band_light(value, UP) == light


@pytest.mark.parametrize(
    ("value", "light"),
    [
        (0.0, "green"),
        (1.1994, "green"),  # prints as 119.9%
        (1.1995, "yellow"),  # prints as 120.0%: at the bound
        (1.20, "yellow"),
        (1.9994, "yellow"),
        (2.00, "orange"),
        (2.9994, "orange"),
        (3.00, "red"),
        (10.0, "red"),
    ],
)
def test_down_band_alerts_at_or_above_each_bound_as_printed(value: float, light: str) -> None:
    assert band_light(value, DOWN) == light


def test_band_with_only_red_skips_the_missing_bounds() -> None:
    quota = Band(direction="down", red=1.0)
    assert band_light(0.9994, quota) == "green"
    assert band_light(1.0, quota) == "red"


def test_points_are_judged_with_one_decimal() -> None:
    gap = Band(direction="up", yellow=0.0, red=-10.0)
    assert band_light(-0.04, gap, percent=False) == "green"  # prints as -0.0: on 序时进度
    assert band_light(-0.05, gap, percent=False) == "yellow"  # -0.1
    assert band_light(-10.04, gap, percent=False) == "yellow"  # -10.0
    assert band_light(-10.05, gap, percent=False) == "red"


@pytest.mark.parametrize("blank", [None, math.nan, pd.NA])
def test_unknown_value_has_no_light(blank: object) -> None:
    assert band_light(blank, UP) is None  # type: ignore[arg-type]
    assert band_light(blank, DOWN) is None  # type: ignore[arg-type]
