"""Immediate alerts: red events of the returns accepted in this run go to leaders at once."""

from __future__ import annotations

from prefect import task

from govbrief.alerts import alert_events, send_alerts, urgent_events
from govbrief.alerts.events import scenic_limit_from
from govbrief.config import Settings
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.model import AlertSummary, ReturnOutcome
from tasks.common import NO_CACHE, warehouse_for


@task(name="send-immediate-alerts", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)
def send_immediate_alerts(settings: Settings, outcomes: list[ReturnOutcome]) -> AlertSummary:
    """较大及以上事故, 新增隐性债务, 未按期偿付, 景区达80%: one email per event to each leader, once."""
    names = {unit.code: unit.name for unit in settings.units}
    warehouse = warehouse_for(settings)
    found = alert_events(outcomes, names, scenic_limit=scenic_limit_from(settings.thresholds))
    events, old = urgent_events(warehouse, settings, found)
    report = send_alerts(warehouse, mailer_from_settings(settings.mail), settings, events, today=settings.today())
    return {
        "events": [event.text_zh for event in events],
        "not_urgent": [event.text_zh for event in old],  # older periods: in the briefs, not mailed at once
        **report.labels(),
    }
