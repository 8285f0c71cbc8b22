"""Derived columns for the monthly returns (债务化解, 重点工作): links from each month to the one before.

A row's previous month is the row of the same unit (and task) whose period ends the
day before this row's period starts; rows of earlier accepted returns arrive in the
same frame (the caller's context rows), so the links never query anything.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from datetime import timedelta

import numpy as np
import pandas as pd

from govbrief.glossary import load_glossary

# How alike (difflib ratio) a written task must be to a listed one to be suggested.
TASK_SUGGESTION_CUTOFF = 0.5
# Two decimals: an amount more than this many hundredths off a whole hundredth has more.
CENTS_TOLERANCE = 1e-6


def add_debt_roll_forward(frame: pd.DataFrame, opening_hidden: Mapping[tuple[str, int], float]) -> pd.DataFrame:
    """The debt sheet with resolved_total, hidden_previous/expected, roll_forward_gap and *_cents_off."""
    sheet = load_glossary().sheet("debt")
    resolved = [c for c in sheet.column_ids if c.startswith("resolved_")]
    frame["resolved_total"] = frame[resolved].fillna(0.0).sum(axis=1).round(2)
    frame["hidden_previous"] = _previous_balance(frame, opening_hidden)
    expected = frame["hidden_previous"] + frame["hidden_new"].fillna(0.0) - frame["resolved_total"]
    frame["hidden_expected"] = expected.round(2)
    frame["roll_forward_gap"] = (frame["hidden_balance"] - expected).abs().round(6)
    for column in sheet.columns:
        if column.type == "number":
            hundredths = frame[column.id] * 100
            frame[f"{column.id}_cents_off"] = (hundredths - hundredths.round()).abs()
    return frame


def _previous_balance(frame: pd.DataFrame, opening_hidden: Mapping[tuple[str, int], float]) -> pd.Series:
    """Each row's hidden balance a month earlier: the unit's previous row, else 1 January's stock."""
    units = frame["unit_code"].astype("str")
    balances = dict(zip(zip(units, frame["period_end"], strict=True), frame["hidden_balance"], strict=True))
    previous: list[float] = []
    for unit, start in zip(units, frame["period_start"], strict=True):
        before = (unit, start - timedelta(days=1))
        if before in balances:
            previous.append(balances[before])
        elif start.month == 1 and start.day == 1:
            previous.append(opening_hidden.get((unit, start.year), np.nan))
        else:
            previous.append(np.nan)
    return pd.Series(previous, index=frame.index, dtype="float64")


def add_key_task_links(frame: pd.DataFrame, key_tasks: Mapping[int, Sequence[str]]) -> pd.DataFrame:
    """The key-task sheet with task_known, task_hint_zh/_en, done_ytd_previous and done_ytd_drop."""
    tasks = frame["task"].astype("str").str.strip().where(frame["task"].notna(), "")
    years = frame["period_end"].dt.year
    listed = [tuple(key_tasks.get(int(year), ())) for year in years]
    frame["task_known"] = [not names or task in names for task, names in zip(tasks, listed, strict=True)]
    hints = [_closest(task, names) for task, names in zip(tasks, listed, strict=True)]
    frame["task_hint_zh"] = [f"，是否应为“{hint}”？" if hint else "" for hint in hints]
    frame["task_hint_en"] = [f"; did you mean “{hint}”?" if hint else "" for hint in hints]
    frame["done_ytd_previous"] = _previous_ytd(frame, tasks)
    frame["done_ytd_drop"] = frame["done_ytd_previous"] - frame["done_ytd"]
    return frame


def _closest(task: str, names: Sequence[str]) -> str:
    if not names or task in names:
        return ""
    matches = difflib.get_close_matches(task, list(names), n=1, cutoff=TASK_SUGGESTION_CUTOFF)
    return matches[0] if matches else ""


def _previous_ytd(frame: pd.DataFrame, tasks: pd.Series) -> pd.Series:
    """The same unit's done_ytd for the same task at the end of the month before, within the year."""
    units = frame["unit_code"].astype("str")
    keys = zip(units, tasks, frame["period_end"], strict=True)
    done = dict(zip(keys, frame["done_ytd"], strict=True))
    previous = [
        done.get((unit, task, start - timedelta(days=1)), np.nan) if start.month > 1 else np.nan
        for unit, task, start in zip(units, tasks, frame["period_start"], strict=True)
    ]
    return pd.Series(previous, index=frame.index, dtype="float64")
