"""Validate and load stages: check and read archived files, validate them as one batch, write the warehouse."""

from __future__ import annotations

from prefect import task

from govbrief.config import Settings
from govbrief.glossary import load_glossary
from govbrief.intake.ingest import Intake, fresh_files, one_per_slot, read_returns, validate_outcomes
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.quality.report import quality_summary, write_quality_report
from tasks.artifacts import publish_quality_artifacts
from tasks.common import NO_CACHE, warehouse_for


@task(name="validate", cache_policy=NO_CACHE)
def validate_returns(
    settings: Settings, files: list[ReceivedFile], reread: frozenset[str] = frozenset()
) -> list[ReturnOutcome]:
    """Read and validate the latest file of every slot not already loaded with that content.

    Files whose sha256 is in `reread` are read again although loaded: a killed run loaded
    them but may not have followed them up (notices to clerks, immediate alerts)."""
    warehouse = warehouse_for(settings)
    known: dict[tuple[str, str, str], str] = {}
    for kind in sorted({f.return_kind for f in files}):
        slots = warehouse.known_slots(kind, sorted({f.period_key for f in files}))
        known.update({(kind, period, unit): sha for (period, unit), sha in slots.items() if sha not in reread})
    glossary = load_glossary()
    outcomes = one_per_slot(read_returns(fresh_files(files, known), glossary, Intake.of(settings)))
    validate_outcomes(outcomes, glossary, warehouse, settings.paths.targets)
    return outcomes


@task(name="load", cache_policy=NO_CACHE)
def load_returns(settings: Settings, files: list[ReceivedFile], outcomes: list[ReturnOutcome], run_id: str) -> None:
    """Record every received file and write the outcomes in one transaction."""
    warehouse = warehouse_for(settings)
    identified = {(o.file.sha256, o.file.period_key): o.file for o in outcomes}  # reading may name the unit
    warehouse.record_files([identified.get((f.sha256, f.period_key), f) for f in files])
    warehouse.save_outcomes(outcomes, run_id=run_id)


@task(name="report-quality", cache_policy=NO_CACHE)
def report_quality(settings: Settings, outcomes: list[ReturnOutcome], run_label: str) -> str | None:
    """The run's validation outcome as a static HTML page and as Prefect artifacts."""
    if not outcomes:
        return None
    names = {u.code: u.name for u in settings.units}
    folder = settings.state_dir / "quality"
    path = write_quality_report(outcomes, folder, run_label=run_label, generated_at=settings.now(), unit_names=names)
    publish_quality_artifacts(quality_summary(outcomes, unit_names=names), path)
    return str(path)
