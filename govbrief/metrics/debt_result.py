"""DebtMetrics: the debt and supervision numbers of one month, as tidy frames.

Frames (the city appears as unit_code CITY where it has a figure):
- `values`: index unit_code, one column per id of VALUE_IDS; float, NaN where a
  value does not exist (no return for the month, no target, nothing due).
- `channels`: index (unit_code, channel id), columns amount (this month),
  amount_ytd, share (of resolved_ytd) and share_previous (last month's, NaN in January).
- `tasks`: index (unit_code, task), columns target, done_ytd, completion, gap_pp, lagging.
- `ranks`: index (indicator, unit_code) over the units, columns rank, previous_rank,
  rank_change (positive = 进位, negative = 退位; NaN without last month's rank).
- `lag_history`: index (unit_code, target), one bool column per month-end of the year so far:
  lagging beyond the tolerance. `caught_up_history`, the same shape: at or above 序时进度.
Targets of the lag history: "debt" (年度化债任务), "death_quota" (死亡控制指标) and
"task:<name>" for each key task.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

import pandas as pd

from govbrief.calendar.periods import Period
from govbrief.config import Unit
from govbrief.metrics.escalation import EscalationEntry, Recovery
from govbrief.metrics.grading import Light
from govbrief.metrics.progress import lag_streaks
from govbrief.metrics.result import CITY, CITY_NAME_ZH, MetricAlert
from govbrief.targets.plans import KeyTask

DEBT_TARGET = "debt"
QUOTA_TARGET = "death_quota"
TASK_PREFIX = "task:"
TARGET_NAMES_ZH = {DEBT_TARGET: "年度化债任务", QUOTA_TARGET: "死亡控制指标"}

VALUE_IDS: tuple[str, ...] = (
    "debt_legal_balance",
    "debt_limit",
    "debt_limit_usage",
    "hidden_balance",
    "hidden_balance_previous",
    "hidden_new",
    "hidden_new_ytd",
    "resolved",
    "resolved_ytd",
    "debt_task",
    "resolve_progress",
    "resolve_gap_pp",
    "due",
    "paid_on_time",
    "paid_on_time_rate",
    "due_ytd",
    "paid_on_time_ytd",
    "paid_on_time_rate_ytd",
    "overdue_balance",
    "fiscal_capacity",
    "debt_ratio",
)


def key_task_targets(tasks: Iterable[KeyTask]) -> dict[tuple[str, str], float]:
    """(unit_code, task name) → annual target, from the target table's 重点工作 columns."""
    return {(code, task.name): target for task in tasks for code, target in task.targets.items()}


def task_target(task: str) -> str:
    """The lag-history target id of a key task."""
    return f"{TASK_PREFIX}{task}"


@dataclass(frozen=True)
class DebtTargets:
    """The city's annual targets for one year: 年度化债任务 and 综合财力 (亿元) per unit code,
    and each key task's target per (unit_code, task)."""

    debt_task: Mapping[str, float | None]
    fiscal_capacity: Mapping[str, float | None]
    task_targets: Mapping[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def from_table(
        cls, table: pd.DataFrame, task_targets: Mapping[tuple[str, str], float] | None = None
    ) -> DebtTargets:
        """From the target table of govbrief.targets.annual.load_targets (debt_task_yi, fiscal_capacity_yi)."""
        codes = table["unit_code"].astype(str) if "unit_code" in table.columns else pd.Series(dtype=str)
        return cls(
            debt_task=_column(table, codes, "debt_task_yi"),
            fiscal_capacity=_column(table, codes, "fiscal_capacity_yi"),
            task_targets=dict(task_targets or {}),
        )


def _column(table: pd.DataFrame, codes: pd.Series, column: str) -> dict[str, float | None]:
    if column not in table.columns:
        return {}
    numbers = pd.to_numeric(table[column], errors="coerce")
    return {code: (None if pd.isna(v) else float(v)) for code, v in zip(codes, numbers, strict=True)}


@dataclass(frozen=True)
class DebtMetrics:
    """The computed debt, key-task and escalation figures of one month, and their alerts."""

    month: Period
    units: tuple[Unit, ...]
    channel_names: tuple[tuple[str, str], ...]  # (id, name_zh), configured order
    time_progress: float
    values: pd.DataFrame
    channels: pd.DataFrame
    tasks: pd.DataFrame
    ranks: pd.DataFrame
    lag_history: pd.DataFrame
    caught_up_history: pd.DataFrame
    debt_ratio_lights: Mapping[str, Light | None]
    escalations: tuple[EscalationEntry, ...] = ()
    recoveries: tuple[Recovery, ...] = ()
    alerts: tuple[MetricAlert, ...] = ()

    @cached_property
    def _names(self) -> dict[str, str]:
        return {CITY: CITY_NAME_ZH, **{unit.code: unit.name for unit in self.units}}

    def unit_name(self, unit_code: str) -> str:
        """A unit's name, or 全市 for the city."""
        return self._names.get(unit_code, unit_code)

    def value(self, indicator: str, unit_code: str = CITY) -> float | None:
        """One figure; None where it does not exist."""
        return _number(self.values.loc[unit_code, indicator])

    def light(self, figure: str, unit_code: str = CITY) -> str:
        """The light decided for one figure with the alerts (govbrief.metrics.debt_lights): the alert's
        level, green when the figure exists and raised none, "" when it does not exist."""
        for alert in self.alerts:
            if alert.unit_code == unit_code and alert.indicator == figure:
                return alert.level
        if figure == "debt_ratio":
            return self.debt_ratio_lights.get(unit_code) or ""
        known = figure in self.values.columns and self.value(figure, unit_code) is not None
        return "green" if known else ""

    def reported(self, unit_code: str) -> bool:
        """Whether the unit's return of the month is in (its month figures exist)."""
        return self.value("debt_legal_balance", unit_code) is not None

    def hidden_rose(self, unit_code: str = CITY) -> bool | None:
        """Whether the hidden-debt balance rose on last month-end's; None without both figures."""
        now, before = self.value("hidden_balance", unit_code), self.value("hidden_balance_previous", unit_code)
        return None if now is None or before is None else round(now - before, 6) > 0

    def channel(self, channel_id: str, column: str = "amount_ytd", unit_code: str = CITY) -> float | None:
        """One channel figure: amount, amount_ytd, share or share_previous."""
        return _number(self.channels.loc[(unit_code, channel_id), column])

    def task(self, unit_code: str, task: str, column: str = "completion") -> float | None:
        """One key-task figure: target, done_ytd, completion, gap_pp or lagging (1.0/0.0)."""
        return _number(self.tasks.loc[(unit_code, task), column])

    def rank(self, indicator: str, unit_code: str) -> tuple[float | None, float | None]:
        """(rank, rank change) of a unit on a ranked indicator; None where there is none."""
        key = (indicator, unit_code)
        return _number(self.ranks.loc[key, "rank"]), _number(self.ranks.loc[key, "rank_change"])

    @cached_property
    def lag_streaks(self) -> pd.DataFrame:
        """Consecutive lagging month-ends per (unit_code, target), same shape as lag_history."""
        return lag_streaks(self.lag_history)

    def streak(self, unit_code: str, target: str) -> int:
        """The streak of a (unit, target) at this month-end (0 when not lagging or unknown)."""
        key = (unit_code, target)
        if key not in self.lag_streaks.index:
            return 0
        return int(self.lag_streaks.loc[[key]].to_numpy()[0, -1])

    def target_name(self, target: str) -> str:
        """年度化债任务, 死亡控制指标 or the key task's own name."""
        return TARGET_NAMES_ZH.get(target, target.removeprefix(TASK_PREFIX))

    def to_json(self) -> dict[str, Any]:
        """The month's numbers as plain JSON data (None for NaN) for the brief data file."""
        return {
            "month": {"key": self.month.key, "label_zh": self.month.label_zh},
            "time_progress": self.time_progress,
            "channels": [{"id": cid, "name_zh": name} for cid, name in self.channel_names],
            "values": {code: self._values_json(code) for code in self._names},
            "channel_values": _records(self.channels, ("unit_code", "channel")),
            "tasks": _records(self.tasks, ("unit_code", "task")),
            "ranks": _records(self.ranks, ("indicator", "unit_code")),
            "escalations": [self._escalation_json(e) for e in self.escalations],
            "recoveries": [
                {**vars(r), "unit": self.unit_name(r.unit_code), "target_name_zh": self.target_name(r.target)}
                for r in self.recoveries
            ],
            "alerts": [vars(a) for a in self.alerts],
        }

    def _values_json(self, code: str) -> dict[str, Any]:
        row = {str(k): _number(v) for k, v in self.values.loc[code].items()} if code in self.values.index else {}
        extra = {"debt_ratio_light": self.debt_ratio_lights.get(code), "hidden_rose": self.hidden_rose(code)}
        return {"name": self.unit_name(code), **row, **extra}

    def _escalation_json(self, entry: EscalationEntry) -> dict[str, Any]:
        return {
            **vars(entry),
            "unit": self.unit_name(entry.unit_code),
            "target_name_zh": self.target_name(entry.target),
            "streak_zh": entry.streak_zh,
        }


def _number(value: object) -> float | None:
    """A cell as float; None for NaN/NA."""
    if value is None or value is pd.NA:
        return None
    number = float(cast(float, value))
    return None if math.isnan(number) else number


def _records(frame: pd.DataFrame, names: Sequence[str]) -> list[dict[str, Any]]:
    """A two-level-indexed frame as a list of flat dicts (NaN → None)."""
    out = []
    for key, row in frame.iterrows():
        labels = dict(zip(names, cast(tuple[str, str], key), strict=True))
        out.append({**labels, **{str(k): _number(v) for k, v in row.items()}})
    return out
