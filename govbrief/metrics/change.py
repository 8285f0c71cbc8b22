"""Percent change (同比, 环比) with the office's zero-base rules.

- base 0 and current > 0: no percent ("—" in tables), flagged 新增;
- base 0 and current 0: 持平;
- otherwise (current − base) / base, in percent, e.g. -25.0 — judged as printed (one decimal,
  四舍五入): a change that prints as 0.0% is 持平, never 上升0.0% and never flagged.
A missing current or base gives no change at all ("—").

`pp_change` does the same for a difference of two percentages in percentage points, taken
between the percentages as printed (84.5% − 83.3% is 1.2 个百分点 whatever the decimals behind).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from govbrief.formatting import DASH, fmt_pct, fmt_signed_pct, is_missing, printed, printed_percent, round_half_up

Trend = Literal["up", "down", "flat", "new", "unknown"]


@dataclass(frozen=True)
class Change:
    """A change from `base` to `current`: percent (None when it has none) and its Chinese words."""

    pct: float | None  # in percent: -25.0 means down a quarter
    trend: Trend

    @property
    def label_zh(self) -> str:
        """For sentences: 上升25.0% / 下降33.3% / 持平 / 新增 / —."""
        if self.trend == "up":
            return f"上升{fmt_pct(self.pct)}"
        if self.trend == "down":
            return f"下降{fmt_pct(abs(self.pct or 0.0))}"
        return {"flat": "持平", "new": "新增", "unknown": DASH}[self.trend]

    @property
    def cell_zh(self) -> str:
        """For table cells: +25.0% / -33.3% / 持平 / — (新增 is explained in the table note)."""
        if self.trend in ("up", "down"):
            return fmt_signed_pct(self.pct)
        return "持平" if self.trend == "flat" else DASH

    @property
    def rose(self) -> bool:
        """Higher than the base, including a rise from zero (新增)."""
        return self.trend in ("up", "new")


def change(current: float | None, base: float | None) -> Change:
    """The change from `base` to `current` under the zero-base rules."""
    if current is None or base is None or is_missing(current) or is_missing(base):
        return Change(None, "unknown")
    if base == 0:
        return Change(None, "flat" if current == 0 else "new")
    pct = (current - base) / abs(base) * 100
    if printed(pct, 1) == 0:
        return Change(0.0, "flat")
    return Change(pct, "up" if pct > 0 else "down")


@dataclass(frozen=True)
class PointChange:
    """A change between two percentages, in percentage points as printed."""

    pp: float | None  # 1.2 means up 1.2 percentage points
    trend: Trend

    @property
    def label_zh(self) -> str:
        """上升1.2个百分点 / 下降0.7个百分点 / 持平 / —."""
        if self.trend in ("up", "down"):
            return f"{'上升' if self.trend == 'up' else '下降'}{round_half_up(abs(self.pp or 0.0), 1)}个百分点"
        return "持平" if self.trend == "flat" else DASH


def pp_change(current: float | None, base: float | None) -> PointChange:
    """The change from ratio `base` to ratio `current` (0.845 is 84.5%) in printed percentage points."""
    if current is None or base is None or is_missing(current) or is_missing(base):
        return PointChange(None, "unknown")
    pp = printed(printed_percent(current) - printed_percent(base), 1)
    if pp == 0:
        return PointChange(0.0, "flat")
    return PointChange(pp, "up" if pp > 0 else "down")
