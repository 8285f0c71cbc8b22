"""Render stage: HTML, text and charts; stored as a brief version in the warehouse and on disk."""

from __future__ import annotations

from typing import Any

from prefect import task

from govbrief.briefs.context import BriefContext
from govbrief.briefs.publish import render_brief, write_brief_files
from govbrief.briefs.stored import StoredBrief
from govbrief.config import Settings
from tasks.common import NO_CACHE, warehouse_for


@task(name="render", cache_policy=NO_CACHE)
def render_and_store(settings: Settings, context: BriefContext, data: dict[str, Any]) -> StoredBrief:
    """Render the brief; a rerun with the same content keeps the existing version."""
    rendered = render_brief(context, html_template="ten_day.html.j2", text_template="ten_day.txt.j2")
    warehouse = warehouse_for(settings.warehouse_url)
    record = warehouse.save_brief(
        kind=rendered.kind,
        period_key=rendered.period_key,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        data=data,
        source_files=data.get("source_files", []),
        content_hash=rendered.content_hash,
    )
    folder = settings.briefs_dir / record.kind / record.period_key / f"v{record.version}"
    files = write_brief_files(rendered, folder, data)
    return StoredBrief(record=record, rendered=rendered, files=files)
