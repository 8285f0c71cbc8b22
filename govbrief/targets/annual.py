"""Annual targets per unit: config/targets/{year}.csv, one row per unit.

The CSV is edited by analysts in Excel, so it is read as UTF-8 with or without
a BOM and its Chinese headers are mapped to ids here. A year without a file
gives an empty table: briefs then show no quota use, and raise no quota alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from govbrief.config import Settings, Unit

TARGET_COLUMNS = {
    "县市区代码": "unit_code",
    "县市区": "unit_name",
    "死亡控制指标（人）": "death_quota",
    "年度化债任务（亿元）": "debt_task_yi",
    "综合财力（亿元）": "fiscal_capacity_yi",
    "地区生产总值（亿元）": "gdp_yi",
}


def targets_path(settings: Settings, year: int) -> Path:
    """Where the year's target table lives: {paths.targets}/{year}.csv."""
    return settings.paths.targets / f"{year}.csv"


def load_targets(settings: Settings, year: int) -> pd.DataFrame:
    """The year's targets with id columns (unit_code, death_quota, …); empty when the year has no file."""
    path = targets_path(settings, year)
    if not path.is_file():
        return pd.DataFrame({column: pd.Series(dtype="object") for column in TARGET_COLUMNS.values()})
    raw = pd.read_csv(path, dtype={"县市区代码": str}, encoding="utf-8-sig")
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw.rename(columns=TARGET_COLUMNS)


def death_quotas(settings: Settings, year: int) -> dict[str, float | None]:
    """Each configured unit's death control quota (人) for the year; None where there is none."""
    return quotas_from_targets(load_targets(settings, year), settings.units)


def quotas_from_targets(targets: pd.DataFrame, units: Sequence[Unit]) -> dict[str, float | None]:
    """Each unit's annual death control quota (人) from a target table, None where it has none."""
    known: dict[str, float] = {}
    if "death_quota" in targets.columns:
        quotas = pd.to_numeric(targets["death_quota"], errors="coerce")
        pairs = zip(targets["unit_code"], quotas, strict=True)
        known = {str(code): float(quota) for code, quota in pairs if pd.notna(quota)}
    return {unit.code: known.get(unit.code) for unit in units}
