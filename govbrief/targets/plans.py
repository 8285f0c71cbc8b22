"""What the debt and key-task rules need from the city's target table (config/targets/<year>.csv).

Two kinds of optional columns, next to the annual targets:
- 年初隐性债务余额（亿元）: each unit's hidden debt on 1 January, where January's
  roll-forward starts when last December's return is not at hand;
- 重点工作：<task>（<measure>）: one column per key task of the year, holding each
  unit's annual target. The year's task list is exactly these columns, so a
  task and its targets cannot drift apart.
A table or column that is absent, or a blank cell, means "not configured".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

UNIT_HEADER = "县市区代码"
OPENING_HIDDEN_HEADER = "年初隐性债务余额（亿元）"
KEY_TASK_PREFIX = "重点工作："
KEY_TASK_HEADER = re.compile(r"^重点工作：(?P<task>.+?)(?:（(?P<measure>[^（）]+)）)?$")

# (unit code, year) → hidden debt (亿元) on 1 January of that year.
OpeningHidden = dict[tuple[str, int], float]


class PlanTableError(ValueError):
    """A target-table cell the debt or key-task rules need is not a number of 0 or more."""


@dataclass(frozen=True)
class KeyTask:
    """One key task of a year: its name as counties write it, its measure, each unit's annual target."""

    name: str
    measure: str
    targets: dict[str, float]


def key_task_header(task: str, measure: str) -> str:
    """The target-table header of a key task: 重点工作：高标准农田建设（万亩）."""
    return f"{KEY_TASK_PREFIX}{task}（{measure}）" if measure else f"{KEY_TASK_PREFIX}{task}"


def load_key_tasks(targets_dir: Path, year: int) -> tuple[KeyTask, ...]:
    """The year's key tasks in table order, with their targets; () when the year has none."""
    table = _table(targets_dir, year)
    tasks: list[KeyTask] = []
    for header in table.columns:
        if match := KEY_TASK_HEADER.match(header):
            targets = _amounts(table, header, targets_dir / f"{year}.csv")
            tasks.append(KeyTask(match["task"].strip(), (match["measure"] or "").strip(), targets))
    return tuple(tasks)


def key_task_names(targets_dir: Path, years: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Year → the names of its key tasks, for the unknown_task rule."""
    return {year: tuple(task.name for task in load_key_tasks(targets_dir, year)) for year in sorted(set(years))}


def load_opening_hidden(targets_dir: Path, years: Iterable[int]) -> OpeningHidden:
    """(unit code, year) → hidden debt on 1 January, for every year given that configures it."""
    opening: OpeningHidden = {}
    for year in sorted(set(years)):
        amounts = unit_amounts(targets_dir, year, OPENING_HIDDEN_HEADER)
        opening.update({(code, year): amount for code, amount in amounts.items()})
    return opening


def unit_amounts(targets_dir: Path, year: int, header: str) -> dict[str, float]:
    """Unit code → the year's amount under `header` (e.g. 年度化债任务（亿元）); {} without that column."""
    table = _table(targets_dir, year)
    if _header(header) not in table.columns:
        return {}
    return _amounts(table, _header(header), targets_dir / f"{year}.csv")


def _table(targets_dir: Path, year: int) -> pd.DataFrame:
    path = targets_dir / f"{year}.csv"
    if not path.is_file():
        return pd.DataFrame()
    table = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    table.columns = [_header(str(c)) for c in table.columns]
    return table if UNIT_HEADER in table.columns else pd.DataFrame()


def _header(text: str) -> str:
    # Analysts type half-width brackets, colons and stray spaces in Excel; headers match without them.
    return text.strip().replace("(", "（").replace(")", "）").replace(":", "：").replace(" ", "")


def _amounts(table: pd.DataFrame, header: str, path: Path) -> dict[str, float]:
    """Unit code → the column's amount, blank cells left out."""
    amounts: dict[str, float] = {}
    for row, (code, text) in enumerate(zip(table[UNIT_HEADER], table[header], strict=True), start=2):
        if code.strip() and text.strip():
            amounts[code.strip()] = _amount(text, path, row, header)
    return amounts


def _amount(text: str, path: Path, row: int, header: str) -> float:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise PlanTableError(f"{path.name} row {row}, {header}: {text!r} is not a number of 0 or more")
    return value
