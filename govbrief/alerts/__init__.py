"""Immediate alerts: red events found in accepted returns, mailed to leaders once per event."""

from govbrief.alerts.events import AlertEvent, alert_events
from govbrief.alerts.send import AlertReport, alert_recipients, send_alerts, urgent_events

__all__ = ["AlertEvent", "AlertReport", "alert_events", "alert_recipients", "send_alerts", "urgent_events"]
