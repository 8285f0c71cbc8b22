"""Gather stage: one task per batch of units, each with its own retries."""

from __future__ import annotations

from prefect import task

from govbrief import progress
from govbrief.config import Settings
from govbrief.gather import gather_unit
from govbrief.glossary import load_glossary
from govbrief.model import ReceivedFile
from govbrief.periods import Period
from tasks.common import NO_CACHE


@task(
    name="gather",
    task_run_name="gather {label}",
    retries=2,
    retry_delay_seconds=[2, 10],
    cache_policy=NO_CACHE,
)
def gather_returns(
    settings: Settings, unit_codes: list[str], return_kind: str, periods: list[Period], label: str
) -> list[ReceivedFile]:
    """Find and archive the units' returns for every period (a flaky share is retried)."""
    kind = load_glossary().returns[return_kind]
    received: list[ReceivedFile] = []
    for code in unit_codes:
        received.extend(gather_unit(settings, settings.unit(code), kind, periods))
        progress.advance()
    return received
