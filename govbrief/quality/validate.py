"""validate_frames: the batch's canonical frames in, each file's problems out.

Each sheet's frame (many files concatenated) gets its derived columns, is
validated once against its suite, and every failing row becomes a Problem
located by file, sheet, Excel row and the column's Chinese header. An unknown
sector's message suggests the closest listed one (交通运输 → 道路交通).
"""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govbrief.glossary import load_glossary
from govbrief.problems import Problem
from govbrief.quality.derive import derive_columns
from govbrief.quality.gx_runner import Failure, run_suite
from govbrief.quality.suites import EXPECTATIONS_DIR, SuiteSpec, load_suite_specs
from govbrief.targets.carried_stock import CarriedStock

# How alike (difflib ratio) a written sector must be to a listed one to be suggested:
# 0.5 still pairs 交通运输 with 道路交通 (two of four characters shared).
SUGGESTION_CUTOFF = 0.5


def validate_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    sectors: Sequence[str],
    carried_stock: CarriedStock | None = None,
    opening_hidden: Mapping[tuple[str, int], float] | None = None,
    key_tasks: Mapping[int, Sequence[str]] | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
) -> dict[str, list[Problem]]:
    """File sha256 → its problems sorted by file, sheet, row; files without problems are left out.

    `carried_stock` maps (unit code, year) to the open (general, major) hazards carried
    into that year (govbrief.targets.carried_stock); `opening_hidden` (unit code, year) → hidden
    debt on 1 January and `key_tasks` year → task names (govbrief.targets.plans);
    `expectations_dir` holds the suites."""
    specs = load_suite_specs(expectations_dir)
    found: dict[str, list[Problem]] = defaultdict(list)
    for sheet_id, frame in frames.items():
        if frame.empty:
            continue  # nothing to check, and GX would still cost a validation run
        if sheet_id not in specs:
            raise KeyError(f"no suite validates sheet {sheet_id!r}")
        derived = derive_columns(
            sheet_id, frame, carried_stock=carried_stock, opening_hidden=opening_hidden, key_tasks=key_tasks
        )
        for sha, problem in _sheet_problems(sheet_id, specs[sheet_id], derived, sectors):
            found[sha].append(problem)
    return {sha: sorted(_without_superseded(problems), key=_order) for sha, problems in found.items()}


def _sheet_problems(
    sheet_id: str, spec: SuiteSpec, derived: pd.DataFrame, sectors: Sequence[str]
) -> Iterator[tuple[str, Problem]]:
    failures = run_suite(sheet_id, spec, derived, {"sectors": list(sectors)})
    if not failures:
        return
    positions = {key: i for i, key in enumerate(zip(derived["_sha"], derived["_row"], strict=True))}
    for failure in failures:
        for entry in failure.rows:
            row = derived.iloc[positions[(entry["_sha"], entry["_row"])]]
            problem = _problem(sheet_id, failure, entry, row)
            yield str(entry["_sha"]), _with_sector_suggestion(problem, sectors)


def _problem(sheet_id: str, failure: Failure, entry: Mapping[str, Any], row: pd.Series) -> Problem:
    meta = failure.meta
    fields = _Fields({str(name): _as_text(value) for name, value in row.items()})
    fields["value"] = fields.get(meta["column"], "")
    return Problem(
        severity=meta["severity"],
        rule=meta["rule"],
        message_zh=meta["message_zh"].format_map(fields),
        message_en=meta["message_en"].format_map(fields),
        file=str(entry["_file"]),
        sheet=str(entry["_sheet"]),
        row=int(entry["_row"]),
        column=load_glossary().header(sheet_id, meta["column"]),
        value=fields["value"],
    )


def suggest_sector(written: str, sectors: Sequence[str]) -> str | None:
    """The listed sector closest to what a clerk wrote (交通运输 → 道路交通), or None if none is close."""
    matches = difflib.get_close_matches(written.strip(), list(sectors), n=1, cutoff=SUGGESTION_CUTOFF)
    return matches[0] if matches else None


def _with_sector_suggestion(problem: Problem, sectors: Sequence[str]) -> Problem:
    suggestion = suggest_sector(problem.value, sectors) if problem.rule == "unknown_sector" else None
    if suggestion is None:
        return problem
    return replace(
        problem,
        message_zh=f"{problem.message_zh}，是否应为“{suggestion}”？",
        message_en=f"{problem.message_en}; did you mean “{suggestion}”?",
    )


class _Fields(dict[str, str]):
    """Row values for message placeholders; an unknown {name} stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _as_text(value: Any) -> str:
    """A cell as a clerk would type it: 3 not 3.0, 2025-01-05 not a timestamp, blank for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, datetime | np.datetime64):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(sep=" ")
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if hasattr(value, "item"):  # numpy scalars
        return _as_text(value.item())
    return str(value)


def _without_superseded(problems: list[Problem]) -> list[Problem]:
    # A cell that breaks an error rule needs no warning on top (a date from last
    # year is not also "reported late").
    errors = {(p.sheet, p.row, p.column) for p in problems if p.severity == "error"}
    return [p for p in problems if p.severity == "error" or (p.sheet, p.row, p.column) not in errors]


def _order(problem: Problem) -> tuple[str, str, int, str, str]:
    return (
        problem.file,
        problem.sheet,
        -1 if problem.row is None else problem.row,
        problem.column,
        problem.rule,
    )
