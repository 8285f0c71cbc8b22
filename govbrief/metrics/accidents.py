"""Accident indicators (docs/domain.md §4.2): counts, deaths, grades, sectors.

The grade is recomputed from the figures (govbrief.metrics.grading's bounds), never
taken from the return's stated grade. `grade_levels` is the vectorised twin of
`grading.grade_for_sector`; a test keeps the two in agreement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govbrief.metrics.grading import (
    DEATH_BOUNDS,
    FOREST_FIRE,
    FOREST_HA_BOUNDS,
    GRADES,
    INJURY_BOUNDS,
    LOSS_BOUNDS_WAN,
)

ACCIDENT_SUMS = {
    "acc_deaths": "deaths",
    "acc_serious_injuries": "serious_injuries",
    "acc_direct_loss": "direct_loss_wan",
    "acc_major_plus": "is_major_plus",
    "acc_severe": "is_severe",
}
# What the windowed indicators read from a graded accident row.
ACCIDENT_COLUMNS = ["unit_code", "sector", *ACCIDENT_SUMS.values()]
# Sectors whose own name already says what happened (较大火灾, not 较大火灾事故).
SELF_NAMED_SECTORS = ("火灾", "森林火灾")
GENERIC_SECTOR = "其他"
MAJOR_PLUS_LEVEL = GRADES.index("较大")
SEVERE_LEVEL = GRADES.index("重大")


def _levels(values: pd.Series, bounds: tuple[float, ...]) -> np.ndarray:
    """How many bounds each value reaches; a blank figure reaches none."""
    filled = pd.to_numeric(values, errors="coerce").fillna(0).to_numpy(dtype="float64")
    return np.searchsorted(np.asarray(bounds, dtype="float64"), filled, side="right")


def grade_levels(accidents: pd.DataFrame) -> np.ndarray:
    """Grade level per row (0 一般 … 3 特别重大), the highest any criterion reaches."""
    forest = (accidents["sector"] == FOREST_FIRE).to_numpy(dtype=bool)
    area_or_loss = np.where(
        forest,
        _levels(accidents["forest_burned_ha"], FOREST_HA_BOUNDS),
        _levels(accidents["direct_loss_wan"], LOSS_BOUNDS_WAN),
    )
    levels: np.ndarray = np.maximum.reduce(
        [
            _levels(accidents["deaths"], DEATH_BOUNDS),
            _levels(accidents["serious_injuries"], INJURY_BOUNDS),
            area_or_loss,
        ]
    )
    return levels


def with_grades(accidents: pd.DataFrame) -> pd.DataFrame:
    """The accidents with their computed grade, and 较大及以上 / 重特大 flags."""
    levels = grade_levels(accidents)
    return accidents.assign(
        computed_grade=np.asarray(GRADES, dtype=object)[levels],
        is_major_plus=(levels >= MAJOR_PLUS_LEVEL).astype("int64"),
        is_severe=(levels >= SEVERE_LEVEL).astype("int64"),
    )


def accident_indicators(windowed: pd.DataFrame) -> pd.DataFrame:
    """acc_* per (unit_code, window) from accidents already attributed to windows."""
    grouped = windowed.groupby(["unit_code", "window"])
    sums = grouped[list(ACCIDENT_SUMS.values())].sum()
    sums = sums.rename(columns={v: k for k, v in ACCIDENT_SUMS.items()})
    return sums.assign(acc_count=grouped.size()).astype("float64")


def sector_breakdown(windowed: pd.DataFrame) -> pd.DataFrame:
    """Accident count and deaths per (unit_code, window, sector)."""
    grouped = windowed.groupby(["unit_code", "window", "sector"])
    return pd.DataFrame({"count": grouped.size(), "deaths": grouped["deaths"].sum()}).astype("int64")


def accident_name_zh(grade: str, sector: str) -> str:
    """How a brief names an accident: 较大道路交通事故, 较大火灾, 一般生产安全事故."""
    if sector in SELF_NAMED_SECTORS:
        return f"{grade}{sector}"
    if sector == GENERIC_SECTOR or not sector:
        return f"{grade}生产安全事故"
    return f"{grade}{sector}事故"


def casualties_zh(deaths: int, serious_injuries: int) -> str:
    """死亡3人、重伤2人 (the figures that are not zero; "" when both are)."""
    parts = [f"{label}{count}人" for label, count in (("死亡", deaths), ("重伤", serious_injuries)) if count]
    return "、".join(parts)
