"""Validate and load stages: read archived files, check them as one batch, write the warehouse."""

from __future__ import annotations

from prefect import task

from govbrief.config import Settings
from govbrief.gather import latest_per_slot
from govbrief.glossary import load_glossary
from govbrief.ingest import read_returns, validate_outcomes
from govbrief.model import ReceivedFile, ReturnOutcome
from tasks.common import NO_CACHE, warehouse_for


@task(name="validate", cache_policy=NO_CACHE)
def validate_returns(settings: Settings, files: list[ReceivedFile]) -> list[ReturnOutcome]:
    """Read and validate the latest file of every slot not already loaded with that content."""
    warehouse = warehouse_for(settings.warehouse_url)
    latest = latest_per_slot(files)
    kinds = {f.return_kind for f in latest}
    known: dict[tuple[str, str], str] = {}
    for kind in kinds:
        known.update(warehouse.known_slots(kind, sorted({f.period_key for f in latest})))
    fresh = [f for f in latest if known.get((f.period_key, f.unit_code)) != f.sha256]
    glossary = load_glossary()
    outcomes = read_returns(fresh, glossary)
    validate_outcomes(outcomes, glossary, warehouse)
    return outcomes


@task(name="load", cache_policy=NO_CACHE)
def load_returns(
    settings: Settings, files: list[ReceivedFile], outcomes: list[ReturnOutcome], run_id: str
) -> None:
    """Record every received file and write the outcomes in one transaction."""
    warehouse = warehouse_for(settings.warehouse_url)
    warehouse.record_files(files)
    warehouse.save_outcomes(outcomes, run_id=run_id)
