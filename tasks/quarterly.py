"""The 季总结's own task: its figures (the 月通报's over the quarter, trends, 约谈 lists, follow-ups,
debt risk bands). Rendering and delivery are the same tasks as every brief's."""

from __future__ import annotations

from typing import Any

from prefect import task

from govbrief.briefs.quarterly.assemble import assemble_quarterly
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.render.context import BriefContext
from tasks.common import NO_CACHE, warehouse_for


@task(name="compute-quarterly", cache_policy=NO_CACHE)
def compute_quarterly(settings: Settings, quarter: Period) -> tuple[BriefContext, dict[str, Any]]:
    """The 季总结's context (for templates) and data (for --json and the archive)."""
    warehouse = warehouse_for(settings.warehouse_url)
    return assemble_quarterly(settings, warehouse, quarter, issued_on=settings.today())
