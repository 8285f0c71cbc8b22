"""Read archived returns into canonical frames and validate them as one batch.

Validation runs once over the whole batch (all units, all periods): Great
Expectations costs about the same for 300 rows as for 100,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from govbrief.glossary import Glossary
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.periods import parse_period
from govbrief.readers.workbook import read_return
from govbrief.warehouse import Warehouse


def read_returns(files: Sequence[ReceivedFile], glossary: Glossary) -> list[ReturnOutcome]:
    """Parse each archived file (never the original in the drop folder)."""
    outcomes = []
    for f in files:
        result = read_return(
            Path(f.archive_path), glossary.returns[f.return_kind], display_name=f.original_name
        )
        outcomes.append(ReturnOutcome(file=f, frames=result.frames, problems=list(result.problems)))
    return outcomes


def batch_frames(outcomes: Sequence[ReturnOutcome]) -> dict[str, pd.DataFrame]:
    """One frame per sheet over every readable return, with the columns validation needs
    to name the file and period of each row."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for outcome in outcomes:
        period = parse_period(outcome.file.period_key)
        for sheet_id, frame in outcome.frames.items():
            parts.setdefault(sheet_id, []).append(
                frame.assign(
                    _sha=outcome.file.sha256,
                    _file=outcome.file.original_name,
                    unit_code=outcome.file.unit_code,
                    period_start=pd.Timestamp(period.start),
                    period_end=pd.Timestamp(period.end),
                )
            )
    return {sheet: pd.concat(frames, ignore_index=True) for sheet, frames in parts.items()}


# Rules over the year (cumulative fixed ≤ found, accident ids unique in the year)
# need the rows already accepted from the same units' earlier returns.
YEAR_RULE_SHEETS = ("accidents", "hazards")
CONTEXT = "context:"


def validate_outcomes(
    outcomes: Sequence[ReturnOutcome], glossary: Glossary, warehouse: Warehouse | None = None
) -> None:
    """Run the expectation suites over the batch and attach each file's problems to it."""
    from govbrief.quality import validate_frames  # GX is slow to import: only when validating

    readable = [o for o in outcomes if o.frames]
    if not readable:
        return
    frames = batch_frames(readable)
    if warehouse is not None:
        frames = _with_context(frames, context_rows(warehouse, readable, glossary))
    found = validate_frames(frames, sectors=glossary.sectors["safety"])
    for outcome in readable:
        outcome.problems.extend(found.get(outcome.file.sha256, []))


def context_rows(
    warehouse: Warehouse, outcomes: Sequence[ReturnOutcome], glossary: Glossary
) -> dict[str, pd.DataFrame]:
    """Accepted rows of the batch's units and years from returns the batch does not replace;
    they inform year-wide rules and are never reported on themselves."""
    replaced = {(o.file.period_key, o.file.unit_code) for o in outcomes}
    units = sorted({o.file.unit_code for o in outcomes})
    periods = [parse_period(o.file.period_key) for o in outcomes]
    since, until = date(min(p.year for p in periods), 1, 1), max(p.end for p in periods)
    context = {}
    for sheet_id in YEAR_RULE_SHEETS:
        rows = warehouse.load_observations(sheet_id, since, until, unit_codes=units)
        slots = zip(rows["period_key"], rows["unit_code"], strict=True)
        rows = rows[pd.Series([slot not in replaced for slot in slots], index=rows.index, dtype=bool)]
        context[sheet_id] = rows.assign(
            _sha=CONTEXT + rows["file_sha256"],
            _file="(accepted earlier / 已接收)",
            _sheet=glossary.sheet(sheet_id).name_zh,
            _row=rows["row_no"],
        ).drop(columns=["file_sha256", "row_no", "period_key"])
    return context


def _with_context(
    frames: dict[str, pd.DataFrame], context: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    merged = dict(frames)
    for sheet_id, rows in context.items():
        if sheet_id in merged and not rows.empty:
            merged[sheet_id] = pd.concat([merged[sheet_id], rows], ignore_index=True)
    return merged
