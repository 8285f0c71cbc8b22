"""The demo's 重点工作进度月报表: every unit's progress on the year's key tasks, month by month.

The tasks and each unit's annual targets come from the target table
(config/targets/<year>.csv, 重点工作：<task>（<measure>） columns); a unit with a
blank target has no such task and does not report it. Progress follows 序时进度
within a few points, never falls, and is whole for counted measures (个, 人).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from govbrief.calendar.periods import Period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings, Unit
from govbrief.demo.debt_returns import MonthlyReturn, submission_time, write_monthly_return
from govbrief.demo.randomness import rng_for
from govbrief.targets.plans import KeyTask, load_key_tasks

RETURN_ID = "key_tasks"
COUNTED_MEASURES = frozenset({"个", "人", "家", "项", "户", "套"})
SHARE_AROUND_TIME_PROGRESS = (-0.03, 0.05)


def _scale(task: KeyTask) -> int:
    """Steps per measure: whole numbers for counted measures, hundredths otherwise."""
    return 1 if task.measure in COUNTED_MEASURES else 100


def _task_row(
    rng: random.Random, unit: Unit, task: KeyTask, period: Period, done: dict[tuple[int, str], int]
) -> dict[str, object]:
    """One task's row for the month; `done` holds each (year, task)'s cumulative steps so far."""
    scale, key = _scale(task), (period.year, task.name)
    target_steps = round(task.targets[unit.code] * scale)
    share = period.time_progress() + rng.uniform(*SHARE_AROUND_TIME_PROGRESS)
    before = done.get(key, 0)
    done[key] = max(before, min(round(target_steps * share), round(target_steps * 1.1)))
    this_month, ytd = _amount(done[key] - before, scale), _amount(done[key], scale)
    row: dict[str, object] = {"county": unit.name, "task": task.name, "unit": task.measure}
    return row | {"done_this_month": this_month, "done_ytd": ytd}


def _amount(steps: int, scale: int) -> int | float:
    return steps if scale == 1 else steps / scale


def build_key_task_returns(settings: Settings, months: Sequence[Period], *, seed: int = 2026) -> list[MonthlyReturn]:
    """Every unit's key-task return for every month in `months` (from a January, no gaps), in memory."""
    ordered = sorted(set(months))
    calendar, zone = WorkCalendar.from_settings(settings), ZoneInfo(settings.city.timezone)
    tasks = {year: load_key_tasks(settings.paths.targets, year) for year in {p.year for p in ordered}}
    returns: list[MonthlyReturn] = []
    for unit in settings.units:
        done: dict[tuple[int, str], int] = {}
        for period in ordered:
            rng = rng_for(seed, unit.code, period.key, RETURN_ID)
            mine = [task for task in tasks[period.year] if unit.code in task.targets]
            rows = [_task_row(rng, unit, task, period, done) for task in mine]
            returns.append(MonthlyReturn(unit, period, rows, submission_time(rng, period, calendar, zone)))
    return returns


def generate_key_task_returns(settings: Settings, months: list[Period], *, seed: int = 2026) -> list[Path]:
    """Write every unit's clean-template key-task return for every month into the drop folder."""
    generated = build_key_task_returns(settings, months, seed=seed)
    return [write_monthly_return(settings, RETURN_ID, one) for one in generated]
