"""Deliver stage: send the brief version to its recipients, once each."""

from __future__ import annotations

from prefect import task

from govbrief.briefs.versions import StoredBrief
from govbrief.config import Settings
from govbrief.delivery.dispatch import deliver
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.delivery.refusal_notices import send_returned_notices
from govbrief.model import DeliverySummary, ReturnOutcome, SendSummary
from tasks.common import NO_CACHE, warehouse_for


@task(name="deliver", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)
def deliver_brief(settings: Settings, brief: StoredBrief, force: bool = False) -> DeliverySummary:
    """Send to every recipient of this brief's kind; already-sent recipients are skipped."""
    report = deliver(
        warehouse_for(settings),
        mailer_from_settings(settings.mail),
        brief.record,
        brief.rendered,
        settings.recipients_for(brief.record.kind),  # type: ignore[arg-type]
        sender=settings.mail.sender,
        force=force,
    )
    destination = str(settings.mail.outbox) if settings.mail.transport == "outbox" else settings.mail.smtp.host
    return {
        "transport": settings.mail.transport,
        "destination": destination,
        "sent": [key.recipient for key in report.sent],
        "skipped": [key.recipient for key in report.skipped],
        "failed": {key.recipient: reason for key, reason in report.failed.items()},
    }


@task(name="notify-clerks", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)
def notify_clerks(settings: Settings, outcomes: list[ReturnOutcome]) -> SendSummary:
    """退回重报: each refused file's clerk gets one email listing its problems."""
    refused = [o for o in outcomes if o.status == "refused"]
    report = send_returned_notices(
        warehouse_for(settings),
        mailer_from_settings(settings.mail),
        settings,
        refused,
        today=settings.today(),
    )
    return report.labels()
