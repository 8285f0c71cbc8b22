"""Gather stage: the shared drop folder in one task, units with their own source one task each;
every task has its own retries."""

from __future__ import annotations

from prefect import task

from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.glossary import load_glossary
from govbrief.intake.gather import gather_shared, gather_unit, split_units
from govbrief.model import ReceivedFile
from tasks import stage_progress as progress
from tasks.common import NO_CACHE


@task(
    name="gather-drop",
    task_run_name="gather drop folder",
    retries=2,
    retry_delay_seconds=[2, 10],
    cache_policy=NO_CACHE,
)
def gather_drop(settings: Settings, return_kind: str, periods: list[Period]) -> list[ReceivedFile]:
    """List and archive the city's shared drop folder for every period."""
    shared, _ = split_units(settings)
    received = gather_shared(settings, shared, load_glossary().returns[return_kind], periods)
    progress.advance()
    return received


@task(name="gather", task_run_name="gather {label}", retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE)
def gather_returns(
    settings: Settings, unit_codes: list[str], return_kind: str, periods: list[Period], label: str
) -> list[ReceivedFile]:
    """Find and archive these units' returns from their own sources (a flaky one is retried)."""
    kind = load_glossary().returns[return_kind]
    received: list[ReceivedFile] = []
    for code in unit_codes:
        received.extend(gather_unit(settings, settings.unit(code), kind, periods))
        progress.advance()
    return received
