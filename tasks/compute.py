"""Compute stage: a brief's figures and context from the warehouse, by the registry's assembler."""

from __future__ import annotations

from typing import Any

from prefect import task

from govbrief.briefs.registry import brief_kind
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.render.context import BriefContext
from tasks.common import NO_CACHE, warehouse_for


@task(name="compute", task_run_name="compute {kind}", cache_policy=NO_CACHE)
def compute_brief(settings: Settings, kind: str, period: Period) -> tuple[BriefContext, dict[str, Any]]:
    """The brief's context (for templates) and data (for --json and the archive)."""
    assemble = brief_kind(kind).assemble()
    return assemble(settings, warehouse_for(settings), period, issued_on=settings.today())
