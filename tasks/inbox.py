"""Inbox tasks: look at the drop locations, count what arrived, mark and close correction reruns,
retry unsent immediate alerts."""

from __future__ import annotations

from typing import Any

from prefect import task

from govbrief.alerts import send_alerts
from govbrief.config import Settings
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.inbox.alert_retry import retry_plan, unsent_alerts
from govbrief.inbox.stale_briefs import finish_mark, mark_stale, open_marks, stale_briefs
from govbrief.inbox.watch import InboxScan, arrivals, scan_inbox
from govbrief.model import ReturnOutcome
from govbrief.warehouse.correction_marks import CorrectionMark, MarkStatus
from tasks.common import NO_CACHE, warehouse_for


@task(name="scan-inbox", retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE)
def scan_drop_locations(settings: Settings) -> InboxScan:
    """Which periods of the drop locations hold content not taken in yet (a flaky share is retried)."""
    return scan_inbox(settings, warehouse_for(settings), settings.today())


@task(name="describe-arrivals", cache_policy=NO_CACHE)
def describe_arrivals(settings: Settings, outcomes: list[ReturnOutcome]) -> dict[str, list[str]]:
    """Before loading: which returns fill an empty slot, which replace one, which are refused."""
    return arrivals(warehouse_for(settings), outcomes)


@task(name="mark-stale-briefs", cache_policy=NO_CACHE)
def mark_stale_briefs(settings: Settings) -> tuple[list[CorrectionMark], list[CorrectionMark]]:
    """(marks made now, every open mark): delivered briefs a newly accepted return made stale."""
    warehouse = warehouse_for(settings)
    today = settings.today()
    new = mark_stale(warehouse, stale_briefs(warehouse, today), mode=settings.inbox.correction_rerun)
    return new, open_marks(warehouse, today)


@task(name="close-correction-mark", cache_policy=NO_CACHE)
def close_mark(settings: Settings, mark: CorrectionMark, status: MarkStatus, outcome: dict[str, Any]) -> None:
    """Record how a correction rerun ended."""
    finish_mark(warehouse_for(settings), mark.mark_id, status, outcome)


@task(name="retry-unsent-alerts", retries=1, retry_delay_seconds=30, cache_policy=NO_CACHE)
def retry_unsent_alerts(settings: Settings) -> dict[str, Any]:
    """【紧急】 alerts that failed (or died mid-send) go out again; withdrawn events do not."""
    warehouse = warehouse_for(settings)
    unsent = unsent_alerts(warehouse, now=warehouse.clock.now())
    if not unsent:
        return {"retried": [], "sent": [], "failed": {}, "withdrawn": []}
    plan = retry_plan(warehouse, unsent, {unit.code: unit.name for unit in settings.units})
    report = send_alerts(warehouse, mailer_from_settings(settings.mail), settings, plan.events, today=settings.today())
    return {
        "retried": [event.event_key for event in plan.events],
        "sent": report.labels()["sent"],
        "failed": report.labels()["failed"],
        "withdrawn": plan.withdrawn,
    }
