"""The 季总结's supervision figures: the quarter's 约谈 lists, last quarter's 约谈 followed up,
debt risk band changes and the units that caught up with 序时进度.

A quarter is judged at its month-ends through the monthly machinery: a QuarterEnd
holds the DebtMetrics of the quarter's last month (its lag history covers every
month-end of that year so far) and each target's gap to 序时进度 at that month-end.
The ladder is cumulative (govbrief.metrics.escalation); a quarter's list keeps, per unit and
target, the highest rung any of its month-ends reached, with the streak of the latest
month-end that reached it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pandas as pd

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Escalation
from govbrief.metrics.debt_result import DEBT_TARGET, QUOTA_TARGET, DebtMetrics, task_target
from govbrief.metrics.escalation import EscalationEntry, escalations
from govbrief.metrics.grading import Light

FollowUpStatus = Literal["caught_up", "improving", "still_lagging", "escalated"]
BandMove = Literal["up", "down", "same", "unknown"]
LIGHT_ORDER: dict[str, int] = {"green": 0, "yellow": 1, "orange": 2, "red": 3}
INTERVIEW_LEVEL = 2  # the rungs from the second up are talks (约谈); the first is a written explanation
GAP_INDEX = ["unit_code", "target"]


@dataclass(frozen=True)
class QuarterEnd:
    """The supervision state at a quarter's last month-end."""

    quarter: Period
    debt: DebtMetrics
    gaps: pd.Series  # (unit_code, target) → completion − 序时进度 in pp (quota: 序时进度 − use); < 0 behind

    def gap(self, unit_code: str, target: str) -> float | None:
        """A target's gap in percentage points; None when unknown."""
        value = self.gaps.get((unit_code, target))
        return None if value is None or pd.isna(value) else float(value)

    def lagging(self, unit_code: str, target: str) -> bool:
        """Whether the target lags at this month-end (unknown targets do not)."""
        return _last(self.debt.lag_history, (unit_code, target))

    def caught_up(self, unit_code: str, target: str) -> bool:
        """Whether the target is at or above 序时进度 at this month-end (unknown targets are not)."""
        return _last(self.debt.caught_up_history, (unit_code, target))


def _last(history: pd.DataFrame, key: tuple[str, str]) -> bool:
    return key in history.index and bool(history.loc[[key]].to_numpy()[0, -1])


@dataclass(frozen=True)
class FollowUpEntry:
    """One of last quarter's 约谈 and where it stands at this quarter's end."""

    unit_code: str
    target: str
    level_then: EscalationEntry  # last quarter's highest rung
    level_now: EscalationEntry | None  # this quarter's highest rung, None if it reached none
    status: FollowUpStatus
    gap_then: float | None
    gap_now: float | None


@dataclass(frozen=True)
class BandChange:
    """One unit's debt-ratio band at last quarter's end and at this one."""

    unit_code: str
    ratio_then: float | None
    ratio_now: float | None
    light_then: Light | None
    light_now: Light | None

    @property
    def move(self) -> BandMove:
        """up: a riskier band than last quarter; down: a safer one."""
        if self.light_then is None or self.light_now is None:
            return "unknown"
        step = LIGHT_ORDER[self.light_now] - LIGHT_ORDER[self.light_then]
        return "up" if step > 0 else "down" if step < 0 else "same"


def quarter_end(quarter: Period, debt: DebtMetrics, quota_use: Mapping[str, float | None]) -> QuarterEnd:
    """A QuarterEnd from the DebtMetrics of the quarter's last month and each unit's death-quota use then."""
    if quarter.kind is not PeriodKind.QUARTER or debt.month.end != quarter.end:
        raise ValueError(f"the quarter end of {quarter.key} needs the metrics of its last month")
    return QuarterEnd(quarter=quarter, debt=debt, gaps=target_gaps(debt, quota_use))


def target_gaps(debt: DebtMetrics, quota_use: Mapping[str, float | None]) -> pd.Series:
    """Gap to 序时进度 (pp, < 0 behind) per (unit_code, target): 化债, each key task, the death quota."""
    codes = [unit.code for unit in debt.units]
    gaps: dict[tuple[str, str], float] = {(c, DEBT_TARGET): _float(debt.value("resolve_gap_pp", c)) for c in codes}
    for key, gap in debt.tasks["gap_pp"].items():
        code, task = cast(tuple[str, str], key)
        gaps[(str(code), task_target(str(task)))] = float(gap)
    for code in codes:
        use = quota_use.get(code)
        gaps[(code, QUOTA_TARGET)] = np.nan if use is None else round((debt.time_progress - use) * 100, 9)
    return pd.Series(gaps, dtype="float64").rename_axis(GAP_INDEX)


def _float(value: float | None) -> float:
    return np.nan if value is None else value


def quarter_months(quarter: Period) -> list[int]:
    """The month numbers of a quarter (or a half-year)."""
    last = quarter.end.month
    return list(range(quarter.start.month, last + 1))


def peak_escalations(
    debt: DebtMetrics, rules: Escalation, months: Sequence[int], min_level: int
) -> list[EscalationEntry]:
    """Per (unit, target): the highest rung of at least `min_level` reached at any of `months`
    (columns of the lag history), with the streak of the latest month-end that reached it."""
    history, caught = debt.lag_history, debt.caught_up_history
    best: dict[tuple[str, str], EscalationEntry] = {}
    for month in months:
        if month not in history.columns:
            continue
        entries, _ = escalations(history.loc[:, :month], caught.loc[:, :month], rules)
        for entry in entries:
            key = (entry.unit_code, entry.target)
            if entry.level >= min_level and (key not in best or entry.level >= best[key].level):
                best[key] = entry
    return sorted(best.values(), key=lambda e: (-e.level, -e.streak))


def quarter_interviews(end: QuarterEnd, rules: Escalation) -> list[EscalationEntry]:
    """本季约谈: who reached a 约谈 rung at any month-end of the quarter, the highest rung each."""
    return peak_escalations(end.debt, rules, quarter_months(end.quarter), INTERVIEW_LEVEL)


def half_year_interviews(end: QuarterEnd, rules: Escalation) -> list[EscalationEntry] | None:
    """The half-year's top-rung (常务副市长约谈) list in Q2 and Q4; None in Q1 and Q3."""
    if end.quarter.index % 2:
        return None
    half = Period.containing(PeriodKind.HALF, end.quarter.end)
    return peak_escalations(end.debt, rules, quarter_months(half), len(rules.levels))


def follow_ups(before: QuarterEnd, now: QuarterEnd, rules: Escalation) -> list[FollowUpEntry]:
    """Each of last quarter's 约谈 against this quarter's end: caught up, improving, still lagging, escalated."""
    current = {(e.unit_code, e.target): e for e in quarter_interviews(now, rules)}
    return [
        _follow_up(then, current.get((then.unit_code, then.target)), before, now)
        for then in quarter_interviews(before, rules)
    ]


def _follow_up(
    then: EscalationEntry, level_now: EscalationEntry | None, before: QuarterEnd, now: QuarterEnd
) -> FollowUpEntry:
    key = (then.unit_code, then.target)
    gap_then, gap_now = before.gap(*key), now.gap(*key)
    status: FollowUpStatus
    if now.caught_up(*key):
        status = "caught_up"
    elif level_now is not None and level_now.level > then.level:
        status = "escalated"
    elif gap_then is not None and gap_now is not None and gap_now > gap_then:
        status = "improving"
    else:
        status = "still_lagging"
    return FollowUpEntry(then.unit_code, then.target, then, level_now, status, gap_then, gap_now)


def band_changes(before: DebtMetrics, now: DebtMetrics) -> list[BandChange]:
    """Every unit's debt-ratio band at last quarter's end and this quarter's end, in configured order."""
    return [
        BandChange(
            unit_code=unit.code,
            ratio_then=before.value("debt_ratio", unit.code) if unit.code in before.values.index else None,
            ratio_now=now.value("debt_ratio", unit.code),
            light_then=before.debt_ratio_lights.get(unit.code),
            light_now=now.debt_ratio_lights.get(unit.code),
        )
        for unit in now.units
    ]


def ranks_since(now: DebtMetrics, before: DebtMetrics) -> pd.DataFrame:
    """`now.ranks` with previous_rank and rank_change taken against another month-end (last quarter's)."""
    previous = before.ranks["rank"].reindex(now.ranks.index)
    return now.ranks.assign(previous_rank=previous, rank_change=previous - now.ranks["rank"])


def caught_up(end: QuarterEnd, before: QuarterEnd | None) -> list[tuple[str, str]]:
    """(unit, target) that lagged at last quarter's end or a month-end of this quarter, and is at or
    above 序时进度 at this quarter's end (追上: not merely back within the tolerance), in history order."""
    history = end.debt.lag_history
    earlier = [m for m in quarter_months(end.quarter)[:-1] if m in history.columns]
    lagged = history[earlier].any(axis=1) if earlier else pd.Series(False, index=history.index)
    caught = []
    for key, was_behind in lagged.items():
        unit_code, target = cast(tuple[str, str], key)
        behind_before = was_behind or (before is not None and before.lagging(unit_code, target))
        if behind_before and end.caught_up(unit_code, target):
            caught.append((unit_code, target))
    return caught
