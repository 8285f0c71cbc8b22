"""SafetyMetrics: everything the briefs need from the safety returns, as tidy frames.

Frames (the city appears as unit_code CITY in each):
- `values`: index (unit_code, window), one column per indicator id of the
  catalogue; float, NaN where a value does not exist (no fix rate when nothing
  was found, no quota use outside "ytd" or without a quota, no 逾期未整改
  figure for a unit that sent no hazard rows in the window).
- `sectors`: index (unit_code, window, sector), columns count and deaths (int).
And `major_accidents`: the year's 较大及以上 accidents up to the period's end,
graded from their figures, as records (there are few, and every brief names them).
`coverage`: index (unit_code, window), columns expected and missing — the 旬 of the window
and how many have no accepted return; a unit missing the 旬 itself has no figures for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal, cast

import pandas as pd

from govbrief.calendar.periods import Period
from govbrief.config import Band, Unit
from govbrief.metrics.change import Change, change
from govbrief.metrics.windows import MOM_BASE, YOY_BASE, Window

CITY = "city"
CITY_NAME_ZH = "全市"
AlertLevel = Literal["red", "orange", "yellow"]
LEVEL_ORDER: dict[str, int] = {"red": 0, "orange": 1, "yellow": 2}


@dataclass(frozen=True)
class MetricAlert:
    """One problem found in the numbers, for 存在问题 and the immediate-alert mail."""

    level: AlertLevel
    indicator: str
    unit_code: str  # CITY for the whole city
    unit_name: str
    text: str  # one Chinese sentence
    subject: str = ""  # what the alert is about, e.g. “11·12”较大道路交通事故


@dataclass(frozen=True)
class MajorAccident:
    """A 较大及以上 accident with the grade its figures give (and the grade the return stated)."""

    unit_code: str
    accident_id: str
    occurred_on: date
    sector: str
    grade: str
    stated_grade: str | None
    deaths: int
    serious_injuries: int
    direct_loss_wan: float
    summary: str
    in_period: bool  # happened in the 旬 itself (not only earlier this year)


@dataclass(frozen=True)
class SafetyMetrics:
    """The computed safety indicators of one 旬, per unit and for the city, and their alerts."""

    period: Period
    units: tuple[Unit, ...]
    values: pd.DataFrame
    sectors: pd.DataFrame
    major_accidents: tuple[MajorAccident, ...]
    quotas: Mapping[str, float | None]  # annual death quota per unit code, CITY included
    time_progress: float
    coverage: pd.DataFrame | None = None  # (unit_code, window) → expected and missing 旬; None: all sent
    lights: pd.DataFrame | None = None  # unit_code (city first) × judged figure → light ("" none)
    bands: Mapping[str, Band] = field(default_factory=dict)  # the bands the lights were judged by
    alerts: tuple[MetricAlert, ...] = ()

    def light(self, figure: str, unit_code: str = CITY) -> str:
        """The light decided for one figure (govbrief.metrics.lights); "" when none was judged."""
        if self.lights is None or unit_code not in self.lights.index or figure not in self.lights.columns:
            return ""
        return str(self.lights.loc[unit_code, figure])

    def missing(self, unit_code: str = CITY, window: Window = "period") -> int:
        """How many 旬 of the window have no accepted return (for the city: unit-旬 over every unit)."""
        if self.coverage is None:
            return 0
        return int(cast(int, self.coverage.loc[(unit_code, window), "missing"]))

    def complete(self, unit_code: str = CITY, window: Window = "period") -> bool:
        """Whether every return the figure needs was sent and accepted: only then is it judged."""
        return self.missing(unit_code, window) == 0

    def missing_units(self, window: Window = "period") -> list[str]:
        """The codes of the units with a return of the window missing, in configured order."""
        return [unit.code for unit in self.units if not self.complete(unit.code, window)]

    def value(self, indicator: str, window: Window = "ytd", unit_code: str = CITY) -> float | None:
        """One figure; None where it does not exist."""
        raw = float(cast(float, self.values.loc[(unit_code, window), indicator]))
        return None if math.isnan(raw) else raw

    @cached_property
    def _names(self) -> dict[str, str]:
        return {CITY: CITY_NAME_ZH, **{unit.code: unit.name for unit in self.units}}

    def window_table(self, window: Window) -> pd.DataFrame:
        """All indicators in one window, index unit_code: the city first, then the units in order."""
        frame = cast(pd.DataFrame, self.values.xs(window, level="window"))
        return frame.reindex(list(self._names))

    def window_records(self, window: Window) -> dict[str, dict[str, float]]:
        """`window_table` as plain dicts: unit_code → indicator → value (NaN where none)."""
        table = self.window_table(window).to_dict("index")
        return {str(code): {str(k): float(v) for k, v in row.items()} for code, row in table.items()}

    def sector_records(self, window: Window, unit_code: str = CITY) -> dict[str, dict[str, int]]:
        """Sector → {"count", "deaths"} in one window, glossary order."""
        table = self.sector_values(window, unit_code).to_dict("index")
        return {str(sector): {str(k): int(v) for k, v in row.items()} for sector, row in table.items()}

    def unit_values(self, window: Window) -> pd.DataFrame:
        """The units' indicators in one window (index unit_code, configured order, no city row)."""
        frame = cast(pd.DataFrame, self.values.xs(window, level="window"))
        return frame.reindex([u.code for u in self.units])

    def yoy(self, indicator: str, window: Window = "period", unit_code: str = CITY) -> Change:
        """同比 of an indicator in a window ("period", "month" or "ytd")."""
        base = YOY_BASE[window]
        return change(self.value(indicator, window, unit_code), self.value(indicator, base, unit_code))

    def mom(self, indicator: str, unit_code: str = CITY) -> Change:
        """环比 of an indicator: this 旬 against the previous one."""
        current = self.value(indicator, "period", unit_code)
        return change(current, self.value(indicator, MOM_BASE["period"], unit_code))

    def sector_values(self, window: Window, unit_code: str = CITY) -> pd.DataFrame:
        """Count and deaths per sector (index sector, glossary order)."""
        return cast(pd.DataFrame, self.sectors.xs((unit_code, window), level=("unit_code", "window")))

    def unit_name(self, unit_code: str) -> str:
        """A unit's name, or 全市 for the city."""
        return self._names.get(unit_code, unit_code)
