"""The 月通报's own task: its figures (safety over the month, debt, key tasks, escalation).

Rendering, 更正 versions and delivery are the same tasks as every brief's
(tasks/render.py, tasks/deliver.py): they take the brief kind from the context.
"""

from __future__ import annotations

from typing import Any

from prefect import task

from govbrief.briefs.monthly.assemble import assemble_monthly
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.render.context import BriefContext
from tasks.common import NO_CACHE, warehouse_for


@task(name="compute-monthly", cache_policy=NO_CACHE)
def compute_monthly(settings: Settings, month: Period) -> tuple[BriefContext, dict[str, Any]]:
    """The 月通报's context (for templates) and data (for --json and the archive)."""
    warehouse = warehouse_for(settings.warehouse_url)
    return assemble_monthly(settings, warehouse, month, issued_on=settings.today())
