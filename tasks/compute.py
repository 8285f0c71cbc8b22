"""Compute stage: metrics and the brief's context from the warehouse."""

from __future__ import annotations

from typing import Any

from prefect import task

from govbrief.briefs.ten_day.assemble import assemble_ten_day
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.render.context import BriefContext
from tasks.common import NO_CACHE, warehouse_for


@task(name="compute", cache_policy=NO_CACHE)
def compute_ten_day(settings: Settings, period: Period) -> tuple[BriefContext, dict[str, Any]]:
    """The 旬简报's context (for templates) and data (for --json and the archive)."""
    warehouse = warehouse_for(settings.warehouse_url)
    return assemble_ten_day(settings, warehouse, period, issued_on=settings.today())
