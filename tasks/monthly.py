"""The 月通报's own tasks: compute, render-and-store and deliver for the monthly brief.

They mirror tasks/compute.py, render.py and deliver.py, whose tasks are bound to
the 旬简报's templates, returns and recipients; the rerun and 更正 rules are
tasks/render.py's own functions.
"""

from __future__ import annotations

from typing import Any, Final

from prefect import task

from govbrief.briefs.assemble_monthly import assemble_monthly
from govbrief.briefs.context import BriefContext
from govbrief.briefs.publish import render_brief, write_brief_files
from govbrief.briefs.stored import StoredBrief
from govbrief.config import Settings
from govbrief.delivery.dispatch import deliver
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.periods import Period, PeriodKind, history_needed, parse_period
from govbrief.warehouse import Warehouse
from tasks.common import NO_CACHE, warehouse_for
from tasks.render import already_rendered, correction_for

BRIEF_KIND: Final = "monthly"
SAFETY_RETURN = "safety"
MONTHLY_RETURNS = ("debt", "key_tasks")


@task(name="compute-monthly", cache_policy=NO_CACHE)
def compute_monthly(settings: Settings, month: Period) -> tuple[BriefContext, dict[str, Any]]:
    """The 月通报's context (for templates) and data (for --json and the archive)."""
    warehouse = warehouse_for(settings.warehouse_url)
    return assemble_monthly(settings, warehouse, month, issued_on=settings.today())


@task(name="render-monthly", cache_policy=NO_CACHE)
def render_monthly(settings: Settings, context: BriefContext, data: dict[str, Any]) -> StoredBrief:
    """Render the 月通报 (HTML, text, PDF, DOCX); a rerun with the same content keeps the existing
    version, changed figures after it went out make a 更正 version (as for the 旬简报)."""
    warehouse = warehouse_for(settings.warehouse_url)
    if unchanged := already_rendered(settings, warehouse, context):
        return unchanged
    correction = correction_for(warehouse, context, data)
    context = {**context, "correction": correction}
    rendered = render_brief(context, html_template="monthly.html.j2", text_template="monthly.txt.j2")
    record = warehouse.save_brief(
        kind=rendered.kind,
        period_key=rendered.period_key,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        data=data,
        source_files=monthly_source_files(warehouse, parse_period(rendered.period_key)),
        content_hash=rendered.content_hash,
        is_correction=correction is not None,
        note=correction or "",
    )
    folder = settings.briefs_dir / record.kind / record.period_key / f"v{record.version}"
    return StoredBrief(record=record, rendered=rendered, files=write_brief_files(rendered, folder, data))


def monthly_source_files(warehouse: Warehouse, month: Period) -> list[str]:
    """sha256 of every accepted return the 月通报's figures come from: the 旬 and the monthly returns."""
    wanted = {
        SAFETY_RETURN: history_needed(Period.containing(PeriodKind.TEN_DAY, month.end)),
        **dict.fromkeys(MONTHLY_RETURNS, history_needed(month)),
    }
    accepted: set[str] = set()
    for kind, periods in wanted.items():
        slots = warehouse.slot_overview([kind], [p.key for p in periods])
        accepted.update(slot.sha256 for slot in slots.values() if slot.status == "accepted")
    return sorted(accepted)


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
