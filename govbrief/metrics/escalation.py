"""The escalation ladder (督办等级) as a pure function of a target's standing, month-end by month-end.

The speech's rule: "月度工作滞后的要说明情况，季度工作滞后的由分管市领导约谈，半年工作滞后的由常务副市长约谈".
The rungs and their triggers are configuration (config.Escalation; defaults in docs/domain.md
§4.7): a rung is reached when the streak of lagging month-ends is at least its `min_streak`, or
when the unit lags at all at the month-end its `or_at` names (March/June/September/December for
quarter_end, June/December for half_end). The ladder is cumulative: a rung once reached holds —
or climbs — while the lag persists, and is lifted only when the unit has been back at or above
序时进度 for `reset_after` consecutive month-ends. A month-end that is neither lagging (beyond the
tolerance) nor caught up (at or above 序时进度) holds the rung; so does one with no data: a unit
is never escalated, nor cleared, on missing figures.

Levels are numbers: 0 none, 1 the mildest rung, … len(levels) the heaviest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from govbrief.config import Escalation, EscalationTrigger

TRIGGER_EVERY: dict[EscalationTrigger, int] = {"quarter_end": 3, "half_end": 6}
REASON_ZH: dict[str, str] = {"streak": "", "quarter_end": "（季末仍滞后）", "half_end": "（半年末仍滞后）"}


@dataclass(frozen=True)
class Step:
    """One (unit, target) at one month-end: its rung and why."""

    level: int
    streak: int  # consecutive lagging month-ends up to this one
    reason: str  # "streak", "quarter_end", "half_end", or "held" (reached earlier, not caught up since)


@dataclass(frozen=True)
class EscalationEntry:
    """One (unit, target) on the escalation list of a month, with the streak behind it."""

    unit_code: str
    target: str
    level: int
    level_name_zh: str
    streak: int
    reason: str  # "streak", "quarter_end", "half_end" or "held"
    previous_level: int = 0  # the rung at the month-end before (0: none)
    peak_streak: int = 0  # the longest lagging streak behind the rung (for a held rung)

    @property
    def climbed(self) -> bool:
        """A heavier rung than the month before (升级), not a first one."""
        return 0 < self.previous_level < self.level

    @property
    def streak_zh(self) -> str:
        """连续6个月滞后 (with the calendar reason when that set the level); for a rung held while the
        gap is back within the tolerance, 尚未追上序时进度（此前连续6个月滞后）."""
        if self.reason == "held":
            if self.streak:
                return f"连续{self.streak}个月滞后"
            return f"尚未追上序时进度（此前连续{self.peak_streak}个月滞后）"
        return f"连续{self.streak}个月滞后{REASON_ZH[self.reason]}"


@dataclass(frozen=True)
class Recovery:
    """A (unit, target) whose rung was lifted this month-end: it caught up with 序时进度."""

    unit_code: str
    target: str
    previous_level: int
    previous_streak: int  # the longest lagging streak behind the rung it held


def is_trigger_month(month: int, trigger: EscalationTrigger) -> bool:
    """Whether month number `month` is the last month of a quarter / half-year."""
    every = TRIGGER_EVERY.get(trigger)
    return every is not None and month % every == 0


def reached(streak: int, lagging: bool, month: int, rules: Escalation) -> tuple[int, str]:
    """The heaviest rung the streak or the calendar reaches at this month-end alone, and why."""
    level, why = 0, ""
    for number, rung in enumerate(rules.levels, start=1):
        if streak >= rung.min_streak:
            level, why = number, "streak"
        elif lagging and is_trigger_month(month, rung.or_at):
            level, why = number, rung.or_at
    return level, why


def steps(lagging: Sequence[bool], caught_up: Sequence[bool], months: Sequence[int], rules: Escalation) -> list[Step]:
    """The rung at each month-end of one target's history (months in order, one year)."""
    out: list[Step] = []
    level, streak, caught = 0, 0, 0
    for lag, up, month in zip(lagging, caught_up, months, strict=True):
        streak = streak + 1 if lag else 0
        caught = caught + 1 if up else 0
        if caught >= rules.reset_after:
            level = 0
        new_level, why = reached(streak, lag, month, rules)
        if new_level > level:
            level = new_level
            reason = why
        else:
            reason = why if new_level == level and level else "held"
        out.append(Step(level, streak, reason if level else ""))
    return out


def ladder(
    history: Sequence[bool], rules: Escalation, first_month: int = 1, caught_up: Sequence[bool] | None = None
) -> list[str | None]:
    """The rung's name (None when none) at each month-end of one history starting at `first_month`.
    Without `caught_up`, a month-end that does not lag counts as caught up."""
    months = list(range(first_month, first_month + len(history)))
    ups = list(caught_up) if caught_up is not None else [not lag for lag in history]
    return [rules.levels[s.level - 1].name_zh if s.level else None for s in steps(history, ups, months, rules)]


def escalation_levels(lagging: pd.DataFrame, caught_up: pd.DataFrame, rules: Escalation) -> pd.DataFrame:
    """The ladder level (0 none) of every cell of a standing history whose columns are month numbers."""
    months = [int(m) for m in lagging.columns]
    ups = caught_up.reindex(index=lagging.index, columns=lagging.columns).fillna(False).astype(bool)
    rows = [
        [s.level for s in steps(list(lag_row), list(up_row), months, rules)]
        for lag_row, up_row in zip(lagging.to_numpy(), ups.to_numpy(), strict=True)
    ]
    return pd.DataFrame(rows, index=lagging.index, columns=lagging.columns, dtype="int64")


def escalations(
    lagging: pd.DataFrame, caught_up: pd.DataFrame, rules: Escalation
) -> tuple[list[EscalationEntry], list[Recovery]]:
    """The escalation list and the recoveries at the last month of a (unit_code, target) history."""
    if lagging.shape[1] == 0:
        return [], []
    months = [int(m) for m in lagging.columns]
    ups = caught_up.reindex(index=lagging.index, columns=lagging.columns).fillna(False).astype(bool)
    entries: list[EscalationEntry] = []
    recoveries: list[Recovery] = []
    for key, lag_row, up_row in zip(lagging.index, lagging.to_numpy(), ups.to_numpy(), strict=True):
        history = steps(list(lag_row), list(up_row), months, rules)
        now, before = history[-1], history[-2] if len(history) > 1 else Step(0, 0, "")
        peak = _peak_streak(history)
        unit_code, target = str(key[0]), str(key[1])
        if now.level:
            name = rules.levels[now.level - 1].name_zh
            entries.append(
                EscalationEntry(unit_code, target, now.level, name, now.streak, now.reason, before.level, peak)
            )
        elif before.level:
            recoveries.append(Recovery(unit_code, target, before.level, _peak_streak(history[:-1])))
    entries.sort(key=lambda e: (-e.level, -e.streak, -e.peak_streak))
    return entries, recoveries


def _peak_streak(history: Sequence[Step]) -> int:
    """The longest lagging streak since the rung was last lifted (the run behind the current rung)."""
    peak = 0
    for step in reversed(history):
        if not step.level:
            break
        peak = max(peak, step.streak)
    return peak
