"""The escalation ladder (督办等级) as a pure function of a lag history.

Rules come from configuration (config.Escalation); read literally, as
docs/domain.md §4.7 states them: a rung is reached when the streak of lagging
month-ends is at least its `min_streak`, or when the unit lags at all at the
month-end its `or_at` names (March/June/September/December for quarter_end,
June/December for half_end). The highest rung reached wins. The level is judged
afresh at each month-end, so it follows the streak and the calendar: a unit that
lags from March to August is 分管 in March (quarter end), 书面说明 in April,
分管 in May (streak 3), 常务 in June (half-year end), 分管 in July, 常务 in August.

Levels are numbers: 0 none, 1 the mildest rung, … len(levels) the heaviest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govbrief.config import Escalation, EscalationTrigger
from govbrief.metrics.progress import lag_streaks, recovered

TRIGGER_EVERY: dict[EscalationTrigger, int] = {"quarter_end": 3, "half_end": 6}
REASON_ZH: dict[str, str] = {"streak": "", "quarter_end": "（季末仍滞后）", "half_end": "（半年末仍滞后）"}


@dataclass(frozen=True)
class EscalationEntry:
    """One (unit, target) on the escalation list of a month, with the streak behind it."""

    unit_code: str
    target: str
    level: int
    level_name_zh: str
    streak: int
    reason: str  # "streak", or the trigger ("quarter_end", "half_end") that lifted it to this level

    @property
    def streak_zh(self) -> str:
        """连续6个月滞后 (with the calendar reason when that set the level)."""
        return f"连续{self.streak}个月滞后{REASON_ZH[self.reason]}"


@dataclass(frozen=True)
class Recovery:
    """A (unit, target) that lagged last month-end and no longer does."""

    unit_code: str
    target: str
    previous_streak: int


def is_trigger_month(month: int, trigger: EscalationTrigger) -> bool:
    """Whether month number `month` is the last month of a quarter / half-year."""
    every = TRIGGER_EVERY.get(trigger)
    return every is not None and month % every == 0


def escalation_levels(streaks: pd.DataFrame, rules: Escalation) -> pd.DataFrame:
    """The ladder level (0 none) of every cell of a streak frame whose columns are month numbers."""
    months = [int(m) for m in streaks.columns]
    lagging_now = streaks.to_numpy() >= 1
    levels = np.zeros(streaks.shape, dtype="int64")
    for number, rung in enumerate(rules.levels, start=1):
        at_trigger = np.array([is_trigger_month(m, rung.or_at) for m in months], dtype=bool)
        reached = (streaks.to_numpy() >= rung.min_streak) | (lagging_now & at_trigger)
        levels = np.where(reached, np.maximum(levels, number), levels)
    return pd.DataFrame(levels, index=streaks.index, columns=streaks.columns)


def ladder(history: Sequence[bool], rules: Escalation, first_month: int = 1) -> list[str | None]:
    """The rung's name (None when none) at each month-end of one lag history starting at `first_month`."""
    months = list(range(first_month, first_month + len(history)))
    frame = pd.DataFrame([list(history)], columns=months)
    levels = escalation_levels(lag_streaks(frame), rules).iloc[0]
    return [rules.levels[int(n) - 1].name_zh if n else None for n in levels]


def escalations(history: pd.DataFrame, rules: Escalation) -> tuple[list[EscalationEntry], list[Recovery]]:
    """The escalation list and the recoveries at the last month of a (unit_code, target) lag history."""
    if history.shape[1] == 0:
        return [], []
    streaks = lag_streaks(history)
    levels = escalation_levels(streaks, rules).iloc[:, -1]
    now = streaks.iloc[:, -1]
    entries = [_entry(key, int(levels[key]), int(now[key]), rules) for key in levels.index[levels.to_numpy() > 0]]
    entries.sort(key=lambda e: (-e.level, -e.streak))
    gone = recovered(history)
    before = streaks.iloc[:, -2] if history.shape[1] > 1 else now
    recoveries = [Recovery(str(key[0]), str(key[1]), int(before[key])) for key in gone.index[gone.to_numpy()]]
    return entries, recoveries


def _entry(key: tuple[str, str], level: int, streak: int, rules: Escalation) -> EscalationEntry:
    rung = rules.levels[level - 1]
    reason = "streak" if streak >= rung.min_streak else rung.or_at
    return EscalationEntry(str(key[0]), str(key[1]), level, rung.name_zh, streak, reason or "streak")
