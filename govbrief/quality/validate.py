"""validate_frames: the batch's canonical frames in, each file's problems out.

Each sheet's frame (many files concatenated) gets its derived columns, is
validated once against its suite, and every failing row becomes a Problem
located by file, sheet, Excel row and the column's Chinese header.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from govbrief.glossary import load_glossary
from govbrief.problems import Problem
from govbrief.quality.derive import derive_columns
from govbrief.quality.engine import Failure, run_suite
from govbrief.quality.suites import SuiteSpec, load_suite_specs


def validate_frames(
    frames: Mapping[str, pd.DataFrame], *, sectors: Sequence[str]
) -> dict[str, list[Problem]]:
    """File sha256 → its problems sorted by file, sheet, row; files without problems are left out."""
    specs = load_suite_specs()
    found: dict[str, list[Problem]] = defaultdict(list)
    for sheet_id, frame in frames.items():
        if frame.empty:
            continue  # nothing to check, and GX would still cost a validation run
        if sheet_id not in specs:
            raise KeyError(f"no suite validates sheet {sheet_id!r}")
        for sha, problem in _sheet_problems(sheet_id, specs[sheet_id], frame, sectors):
            found[sha].append(problem)
    return {sha: sorted(_without_superseded(problems), key=_order) for sha, problems in found.items()}


def _sheet_problems(
    sheet_id: str, spec: SuiteSpec, frame: pd.DataFrame, sectors: Sequence[str]
) -> Iterator[tuple[str, Problem]]:
    derived = derive_columns(sheet_id, frame)
    failures = run_suite(sheet_id, spec, derived, {"sectors": list(sectors)})
    if not failures:
        return
    positions = {key: i for i, key in enumerate(zip(derived["_sha"], derived["_row"], strict=True))}
    for failure in failures:
        for entry in failure.rows:
            row = derived.iloc[positions[(entry["_sha"], entry["_row"])]]
            yield str(entry["_sha"]), _problem(sheet_id, failure, entry, row)


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
