"""Render stage: the brief rendered and stored as a version (new, unchanged or 更正: the core decides)."""

from __future__ import annotations

from typing import Any

from prefect import task

from govbrief.briefs.versions import StoredBrief, publish_version
from govbrief.config import Settings
from govbrief.render.context import BriefContext
from tasks.common import NO_CACHE, warehouse_for


@task(name="render", cache_policy=NO_CACHE)
def render_and_store(settings: Settings, context: BriefContext, data: dict[str, Any]) -> StoredBrief:
    """Render the brief; a rerun with the same content keeps the existing version."""
    return publish_version(settings, warehouse_for(settings), context, data)
