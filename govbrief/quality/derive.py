"""Columns the suites check that no county writes: computed in pandas before validation.

- every sheet: ``year_start`` (1 January of the return's year) and the glossary's
  optional columns a file left out (as empty), so every suite finds its columns;
- accidents: ``grade_computed`` (the grade the figures imply) and ``grade_stated``
  (the stated grade, trimmed, blank → missing);
- hazards: year-to-date ``*_found_ytd`` / ``*_fixed_ytd`` per (unit, sector, year),
  and the unit's open stock carried from last year (``general_carried`` /
  ``major_carried``, 上年结转), which ``*_found_ytd`` include.

- debt: ``resolved_total`` (Σ resolved_* channels), ``hidden_previous`` (the unit's
  hidden_balance at the end of the month before: its previous month's row in the
  frame, or for January without last December's row the configured 年初隐性债务余额),
  ``hidden_expected`` (previous + new − resolved), ``roll_forward_gap`` (|stated −
  expected|, missing when the previous balance is unknown) and, for every amount,
  ``<column>_cents_off`` (how far it is from a whole number of 0.01 亿元);
- key_tasks: ``task_known`` (the task is in the year's list, or the year has no list),
  ``task_hint_zh`` / ``task_hint_en`` (the closest listed task, as a message suffix),
  ``done_ytd_previous`` (the same task's done_ytd a month earlier, same year) and
  ``done_ytd_drop`` (previous − this, missing without a previous month).

The carried stock is known per unit, not per sector, so each sector of the unit
may use all of it: the per-sector rule then never refuses a consistent return.
The cumulative sums and month-on-month links only see the rows in the frame: the
caller passes the earlier accepted returns of a unit along with the new one (for the
debt roll-forward, the month before the batch's first month, even across New Year).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from govbrief.glossary import Column, load_glossary
from govbrief.metrics.grading import grade_for_sector
from govbrief.quality.derive_monthly import add_debt_roll_forward, add_key_task_links
from govbrief.targets.carried_stock import CarriedStock

# Suffixes clerks add to a grade ("一般事故") that do not change it.
GRADE_SUFFIXES: tuple[str, ...] = ("事故", "火灾")
HAZARD_COUNTS: tuple[str, ...] = ("general_found", "general_fixed", "major_found", "major_fixed")


def derive_columns(
    sheet_id: str,
    frame: pd.DataFrame,
    *,
    carried_stock: CarriedStock | None = None,
    opening_hidden: Mapping[tuple[str, int], float] | None = None,
    key_tasks: Mapping[int, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """A copy of `frame` (one sheet, many files) with the derived columns its suite checks.

    `opening_hidden`: (unit code, year) → hidden debt on 1 January; `key_tasks`: year →
    the key-task names of that year (govbrief.targets.plans loads both)."""
    derived = _with_all_columns(sheet_id, frame.reset_index(drop=True))
    derived["year_start"] = year_start(derived["period_end"])
    if sheet_id == "accidents":
        return _add_accident_grades(derived)
    if sheet_id == "hazards":
        return _add_hazard_ytd(derived, carried_stock or {})
    if sheet_id == "debt":
        return add_debt_roll_forward(derived, opening_hidden or {})
    if sheet_id == "key_tasks":
        return add_key_task_links(derived, key_tasks or {})
    return derived


def year_start(period_end: pd.Series) -> pd.Series:
    """1 January of each date's year, in the same datetime unit."""
    starts: pd.Series = period_end.dt.to_period("Y").dt.start_time
    return starts.astype(period_end.dtype)


def _with_all_columns(sheet_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    for column in load_glossary().sheet(sheet_id).columns:
        if column.id not in frame.columns:
            frame[column.id] = _empty(column, len(frame))
    return frame


def _empty(column: Column, length: int) -> pd.Series:
    dtype = {"text": "str", "date": "datetime64[us]"}.get(column.type, "float64")
    return pd.Series([None] * length, dtype=dtype)


def _add_accident_grades(frame: pd.DataFrame) -> pd.DataFrame:
    keys = list(
        zip(
            frame["sector"].fillna(""),
            frame["deaths"].fillna(0),
            frame["serious_injuries"].fillna(0),
            frame["direct_loss_wan"].fillna(0.0),
            frame["forest_burned_ha"].fillna(0.0),
            strict=True,
        )
    )
    # Most accidents share a handful of (sector, figures) combinations: grade each once.
    grades = {key: grade_for_sector(*key) for key in set(keys)}
    frame["grade_computed"] = pd.Series([grades[key] for key in keys], index=frame.index, dtype="str")
    frame["grade_stated"] = _normalised_grade(frame["grade"])
    return frame


def _normalised_grade(stated: pd.Series) -> pd.Series:
    text = stated.astype("str").str.strip()
    for suffix in GRADE_SUFFIXES:
        text = text.str.removesuffix(suffix)
    return text.where(stated.notna() & (text != ""))


def _add_hazard_ytd(frame: pd.DataFrame, carried_stock: CarriedStock) -> pd.DataFrame:
    ordered = frame.sort_values("period_end", kind="stable")
    keys = [ordered["unit_code"], ordered["sector"], ordered["period_end"].dt.year]
    ytd = ordered.groupby(keys, dropna=False, sort=False)[list(HAZARD_COUNTS)].cumsum()
    for column in HAZARD_COUNTS:
        frame[f"{column}_ytd"] = ytd[column]  # aligned on the index, so back in frame order
    frame["general_carried"], frame["major_carried"] = _carried(frame, carried_stock)
    frame["general_found_ytd"] += frame["general_carried"]
    frame["major_found_ytd"] += frame["major_carried"]
    return frame


def _carried(frame: pd.DataFrame, carried_stock: CarriedStock) -> tuple[pd.Series, pd.Series]:
    """Each row's unit stock for its year, (general, major); 0 where none is configured."""
    slots = zip(frame["unit_code"].astype("str"), frame["period_end"].dt.year, strict=True)
    stock = [carried_stock.get((unit, int(year)), (0, 0)) for unit, year in slots]
    general, major = ([s[i] for s in stock] for i in (0, 1))
    return pd.Series(general, index=frame.index, dtype="int64"), pd.Series(major, index=frame.index, dtype="int64")
