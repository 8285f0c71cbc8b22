"""Grading functions: accident and fire grades, forest fires, alert bands.

Accidents follow 国务院令第493号 (2007): the grade is the highest that any
criterion reaches, and "以上" includes the boundary (3 deaths is 较大).
Fires use the same bands with 直接财产损失; forest fires (森林防火条例 Art. 40)
grade by burned forest area or the same death and injury bands.
"""

from __future__ import annotations

from typing import Literal

from govbrief.config import Band
from govbrief.formatting import printed, printed_percent

Grade = Literal["一般", "较大", "重大", "特别重大"]
Light = Literal["green", "yellow", "orange", "red"]

GRADES: tuple[Grade, ...] = ("一般", "较大", "重大", "特别重大")
MAJOR_PLUS: frozenset[str] = frozenset(GRADES[1:])  # 较大及以上
SEVERE: frozenset[str] = frozenset(GRADES[2:])  # 重特大

# Lower bounds of 较大, 重大, 特别重大 per criterion.
DEATH_BOUNDS = (3, 10, 30)
INJURY_BOUNDS = (10, 50, 100)
LOSS_BOUNDS_WAN = (1_000.0, 5_000.0, 10_000.0)  # 1000万, 5000万, 1亿元
FOREST_HA_BOUNDS = (1.0, 100.0, 1_000.0)

FOREST_FIRE = "森林火灾"


def _is_unknown(value: object) -> bool:
    """None, NaN or pandas' NA: a figure nobody filled in."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN is the only number unequal to itself
    except TypeError:  # pandas' NA refuses to become a bool
        return True


def _level(value: float | None, bounds: tuple[float, ...]) -> int:
    """How many bounds `value` reaches (0 = 一般); an unknown figure reaches none."""
    if value is None or _is_unknown(value):
        return 0
    return sum(1 for bound in bounds if value >= bound)


def grade_accident(deaths: int, serious_injuries: int, direct_loss_wan: float) -> Grade:
    """Production-safety accident grade from deaths, serious injuries and direct loss (万元)."""
    level = max(
        _level(deaths, DEATH_BOUNDS),
        _level(serious_injuries, INJURY_BOUNDS),
        _level(direct_loss_wan, LOSS_BOUNDS_WAN),
    )
    return GRADES[level]


def grade_fire(deaths: int, serious_injuries: int, property_loss_wan: float) -> Grade:
    """Fire grade: the same bands, with 直接财产损失 as the loss."""
    return grade_accident(deaths, serious_injuries, property_loss_wan)


def grade_forest_fire(burned_forest_ha: float, deaths: int, serious_injuries: int) -> Grade:
    """Forest-fire grade from burned forest area (公顷), deaths and serious injuries."""
    level = max(
        _level(burned_forest_ha, FOREST_HA_BOUNDS),
        _level(deaths, DEATH_BOUNDS),
        _level(serious_injuries, INJURY_BOUNDS),
    )
    return GRADES[level]


def grade_for_sector(
    sector: str,
    deaths: int,
    serious_injuries: int,
    direct_loss_wan: float,
    forest_burned_ha: float = 0.0,
) -> Grade:
    """The grade a return's row should state, choosing the rule by its 行业领域."""
    if sector == FOREST_FIRE:
        return grade_forest_fire(forest_burned_ha, deaths, serious_injuries)
    return grade_accident(deaths, serious_injuries, direct_loss_wan)


def is_major_plus(grade: str) -> bool:
    """较大及以上."""
    return grade in MAJOR_PLUS


def band_light(value: float | None, band: Band, *, percent: bool = True) -> Light | None:
    """The light of `value` under `band`, both judged as printed: a ratio as a percent with one
    decimal (`percent`), else the value itself with one decimal (percentage points). A fix rate of
    94.96% prints as 95.0% and is judged as 95.0%. None when the value is unknown."""
    if value is None or _is_unknown(value):
        return None
    shown = printed_percent(value) if percent else printed(value, 1)
    for light in ("red", "orange", "yellow"):
        bound = getattr(band, light)
        if bound is None:
            continue
        limit = printed_percent(bound) if percent else printed(bound, 1)
        if (shown < limit) if band.direction == "up" else (shown >= limit):
            return light
    return "green"
