"""Read archived returns into canonical frames and validate them as one batch.

Validation runs once over the whole batch (all units, all periods): Great
Expectations costs about the same for 300 rows as for 100,000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from govbrief.calendar.periods import PeriodKind, parse_period
from govbrief.config import Settings, Unit
from govbrief.glossary import Glossary
from govbrief.intake.gather import latest_per_slot
from govbrief.intake.guard import Inspection, IntakeLimits, inspect_content, oversized
from govbrief.intake.identify import identify_period, identify_unit
from govbrief.intake.raw_archive import read_archived
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.problems import Problem
from govbrief.readers.workbook import read_return
from govbrief.warehouse import Warehouse


@dataclass(frozen=True)
class Intake:
    """What reading a return needs to know about the city."""

    units: Sequence[Unit]
    city_name: str = ""  # never mistaken for a unit (示范市 ends like a county-level 市)
    limits: IntakeLimits = field(default_factory=IntakeLimits)

    @classmethod
    def of(cls, settings: Settings) -> Intake:
        return cls(units=settings.units, city_name=settings.city.name)


def read_returns(files: Sequence[ReceivedFile], glossary: Glossary, intake: Intake) -> list[ReturnOutcome]:
    """Check, parse and attribute each archived file (never the original in the drop folder)."""
    return [read_one(f, glossary, intake) for f in files]


def read_one(file: ReceivedFile, glossary: Glossary, intake: Intake) -> ReturnOutcome:
    """Guards on the raw bytes first; then the reader; then who sent it, from all the evidence."""
    kind = glossary.returns[file.return_kind]
    file = _with_period(file, kind.cadence, titles=())  # a refused file still says which period it was for
    problems = list(file.problems)
    if problems or not file.archive_path:
        return ReturnOutcome(file=file, problems=problems)
    inspection = inspect_archived(file, intake.limits)
    problems.extend(inspection.problems)
    if inspection.file_format is None:
        return ReturnOutcome(file=file, problems=problems)
    result = read_return(
        Path(file.archive_path), kind, display_name=file.original_name, file_format=inspection.file_format
    )
    match = identify_unit(
        intake.units,
        file_name=file.original_name,
        folders=file.folders,
        county_values=result.county_values,
        title_texts=result.title_texts,
        ignore=(intake.city_name,),
    )
    problems.extend(match.problems)
    if match.unit is not None and match.unit.code != file.unit_code:
        file = replace(file, unit_code=match.unit.code)
    file = _with_period(file, kind.cadence, titles=result.title_texts)
    if not file.period_key:  # check-returns without --period: the file must say which period
        problems.append(unknown_period(file.original_name))
    return ReturnOutcome(file=file, frames=result.frames, problems=[*problems, *result.problems])


def _with_period(file: ReceivedFile, cadence: str, titles: Sequence[str]) -> ReceivedFile:
    """The file's period from its name, folders and titles, when the source did not say."""
    if file.period_key:
        return file
    kind = PeriodKind(cadence)
    period = identify_period(file_name=file.original_name, folders=file.folders, title_texts=titles, kind=kind)
    return replace(file, period_key=period.key) if period else file


def unknown_period(name: str) -> Problem:
    return Problem(
        "error",
        "unknown_period",
        "无法确定报表所属期次，请在文件名或标题中写明（如“2026年11月中旬”），或用 --period 指定",
        "cannot tell which period the return covers: name it in the file name or title "
        "(e.g. 2026年11月中旬) or pass --period",
        file=name,
    )


def fresh_files(files: Sequence[ReceivedFile], known: Mapping[tuple[str, str, str], str]) -> list[ReceivedFile]:
    """The latest file of each slot unless that very content is already loaded; files whose
    unit is not yet known are always read (their content names the unit)."""
    return [
        f
        for f in latest_per_slot(files)
        if not f.unit_code or known.get((f.return_kind, f.period_key, f.unit_code)) != f.sha256
    ]


def one_per_slot(outcomes: Sequence[ReturnOutcome]) -> list[ReturnOutcome]:
    """After reading named the units, keep the latest return per slot (never sum two)."""
    latest = {id(o.file): o for o in outcomes}
    keep = {id(f) for f in latest_per_slot(o.file for o in outcomes)}
    return [o for key, o in latest.items() if key in keep]


def inspect_archived(file: ReceivedFile, limits: IntakeLimits) -> Inspection:
    """The guards, without loading a file larger than any real return into memory."""
    if too_big := oversized(file.original_name, file.size, limits):
        return Inspection(file_format=None, problems=[too_big])
    return inspect_content(file.original_name, read_archived(file), limits)


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


# Rules over time (cumulative fixed ≤ found, accident ids unique in the year, the
# hidden-debt roll-forward from last month, key-task totals never falling) need the
# rows already accepted from the same units' earlier returns.
YEAR_RULE_SHEETS = ("accidents", "hazards", "debt", "key_tasks")
CONTEXT = "context:"


def validate_outcomes(
    outcomes: Sequence[ReturnOutcome],
    glossary: Glossary,
    warehouse: Warehouse | None = None,
    targets_dir: Path | None = None,
) -> None:
    """Run the expectation suites over the batch and attach each file's problems to it."""
    from govbrief.quality import validate_frames  # GX is slow to import: only when validating
    from govbrief.targets.carried_stock import carried_stock_for_years
    from govbrief.targets.plans import key_task_names, load_opening_hidden

    readable = [o for o in outcomes if o.frames and o.file.unit_code and o.file.period_key]
    if not readable:
        return
    frames = batch_frames(readable)
    if warehouse is not None:
        frames = _with_context(frames, context_rows(warehouse, readable, glossary))
    plan: dict[str, Any] = {}
    if targets_dir is not None:  # the city's own tables: carried hazards, opening debt, key tasks
        years = {parse_period(o.file.period_key).year for o in readable}
        plan = {
            "carried_stock": carried_stock_for_years(targets_dir, years),
            "opening_hidden": load_opening_hidden(targets_dir, years),
            "key_tasks": key_task_names(targets_dir, years),
        }
    found = validate_frames(frames, sectors=glossary.sectors["safety"], **plan)
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
    # from December of the year before: January's roll-forward starts from it
    since, until = date(min(p.year for p in periods) - 1, 12, 1), max(p.end for p in periods)
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


def _with_context(frames: dict[str, pd.DataFrame], context: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    merged = dict(frames)
    for sheet_id, rows in context.items():
        if sheet_id in merged and not rows.empty:
            merged[sheet_id] = pd.concat([merged[sheet_id], rows], ignore_index=True)
    return merged
