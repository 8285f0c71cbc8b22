"""The 月通报's own tasks: compute, render-and-store and deliver for the monthly brief.

They mirror tasks/compute.py, render.py and deliver.py, whose tasks are bound to
the 旬简报's templates and recipients.
"""

from __future__ import annotations

from typing import Any, Final

from prefect import task

from govbrief.briefs.assemble_monthly import assemble_monthly
from govbrief.briefs.context import BriefContext
from govbrief.briefs.publish import RenderedBrief, render_brief, write_brief_files
from govbrief.briefs.stored import StoredBrief
from govbrief.config import Settings
from govbrief.delivery.dispatch import deliver
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.periods import Period
from tasks.common import NO_CACHE, warehouse_for

BRIEF_KIND: Final = "monthly"


@task(name="compute-monthly", cache_policy=NO_CACHE)
def compute_monthly(settings: Settings, month: Period) -> tuple[BriefContext, dict[str, Any]]:
    """The 月通报's context (for templates) and data (for --json and the archive)."""
    warehouse = warehouse_for(settings.warehouse_url)
    return assemble_monthly(settings, warehouse, month, issued_on=settings.today())


@task(name="render-monthly", cache_policy=NO_CACHE)
def render_monthly(settings: Settings, context: BriefContext, data: dict[str, Any]) -> StoredBrief:
    """Render the 月通报 (HTML, text, PDF, DOCX); a rerun with the same content keeps the existing version."""
    rendered = render_brief(context, html_template="monthly.html.j2", text_template="monthly.txt.j2")
    return store_brief(settings, rendered, data)


def store_brief(settings: Settings, rendered: RenderedBrief, data: dict[str, Any]) -> StoredBrief:
    """Save a rendered brief as a version in the warehouse and write its files."""
    record = warehouse_for(settings.warehouse_url).save_brief(
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
    return StoredBrief(record=record, rendered=rendered, files=write_brief_files(rendered, folder, data))


@task(name="deliver-monthly", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)
def deliver_monthly(settings: Settings, brief: StoredBrief, force: bool = False) -> dict[str, Any]:
    """Send to every recipient whose briefs include the 月通报; already-sent recipients are skipped."""
    report = deliver(
        warehouse_for(settings.warehouse_url),
        mailer_from_settings(settings.mail),
        brief.record,
        brief.rendered,
        settings.recipients_for(BRIEF_KIND),
        sender=settings.mail.sender,
        force=force,
    )
    destination = str(settings.mail.outbox) if settings.mail.transport == "outbox" else settings.mail.smtp.host
    return {
        "transport": settings.mail.transport,
        "destination": destination,
        "sent": report.sent,
        "skipped": report.skipped,
        "failed": report.failed,
    }
