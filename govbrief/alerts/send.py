"""Send each red event once to every leader: a short 【紧急】 email as soon as the return is accepted.

Once per event and leader, through the one send log (channel "alert", the event key as its
item): a rerun, or a corrected return repeating the event, sends nothing again; a failed
alert is retried with the same Message-ID.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import Any

from govbrief.alerts.events import AlertEvent, recent_events
from govbrief.calendar.periods import parse_period
from govbrief.config import Recipient, Role, Settings
from govbrief.delivery.mailers import Mailer
from govbrief.delivery.message import templated_message
from govbrief.delivery.once import Outgoing, SendReport, send_all
from govbrief.formatting import fmt_full_date_zh
from govbrief.warehouse import SendAbout, SendKey, Warehouse

ALERT_ROLES: tuple[Role, ...] = ("leader",)
TEMPLATE = "alert"  # reports_templates/alert.html.j2 and alert.txt.j2
SUBJECT_PREFIX = "【紧急】"
KIND_ZH = {
    "accident": "较大及以上事故",
    "hidden_debt": "新增隐性债务",
    "missed_payment": "债务未按期偿付",
    "scenic": "景区超限",
}


# Which alerts went out in this run, which had gone before, which could not be sent.
AlertReport = SendReport


@dataclass(frozen=True)
class AlertJob:
    """One event to one leader."""

    event: AlertEvent
    recipient: Recipient
    settings: Settings
    today: date
    templates_dir: Path | None = None

    @property
    def key(self) -> SendKey:
        return SendKey("alert", self.event.event_key, self.recipient.email)

    @property
    def about(self) -> SendAbout:
        event = self.event
        return SendAbout(
            subject=event.title_zh,
            return_kind=event.return_kind,
            period_key=event.period_key,
            unit_code=event.unit_code,
            file_sha256=event.file_sha256,
            alert_kind=event.kind,
        )


def alert_recipients(settings: Settings, roles: Sequence[Role] = ALERT_ROLES) -> tuple[Recipient, ...]:
    """Who gets immediate alerts: every configured recipient with one of `roles` (leaders by default)."""
    return tuple(r for r in settings.recipients if set(r.roles) & set(roles))


def urgent_events(
    warehouse: Warehouse, settings: Settings, events: Sequence[AlertEvent]
) -> tuple[list[AlertEvent], list[AlertEvent]]:
    """(urgent, not urgent): events in the newest `[alerts] recent_periods` periods the warehouse holds
    for their return kind are news; older ones (a backlog, a backfill, a late correction) are not."""
    newest = warehouse.newest_periods(sorted({event.return_kind for event in events})) if events else {}
    return recent_events(events, newest, settings.alerts.recent_periods)


def send_alerts(
    warehouse: Warehouse,
    mailer: Mailer,
    settings: Settings,
    events: Sequence[AlertEvent],
    *,
    today: date,
    roles: Sequence[Role] = ALERT_ROLES,
    templates_dir: Path | None = None,
) -> AlertReport:
    """Mail every event not yet sent to every alert recipient; one failure does not stop the others."""
    jobs = [
        AlertJob(event, recipient, settings, today, templates_dir)
        for event in events
        for recipient in alert_recipients(settings, roles)
    ]
    outgoing = [Outgoing(job.key, job.about, partial(alert_message, job)) for job in jobs]
    return send_all(warehouse, mailer, outgoing, sender=settings.mail.sender)


def alert_subject(event: AlertEvent) -> str:
    """【紧急】东湖县发生较大道路交通事故."""
    return f"{SUBJECT_PREFIX}{event.title_zh}"


def alert_context(job: AlertJob) -> dict[str, Any]:
    """The plain data the alert.* templates place (every value already formatted)."""
    event = job.event
    return {
        "subject": alert_subject(event),
        "recipient_name": job.recipient.name,
        "title": event.title_zh,
        "text": event.text_zh,
        "kind_zh": KIND_ZH[event.kind],
        "unit": event.unit_name,
        "period_label_zh": parse_period(event.period_key).label_zh,
        "office": job.settings.city.office,
        "sent_on_zh": fmt_full_date_zh(job.today),
    }


def alert_message(job: AlertJob, message_id: str) -> EmailMessage:
    """The alert email: HTML and plain text from reports_templates/alert.*.j2, to one recipient."""
    return templated_message(
        TEMPLATE,
        alert_context(job),
        sender=job.settings.mail.sender,
        to=[f"{job.recipient.name} <{job.recipient.email}>"],
        message_id=message_id,
        headers={"Importance": "high", "X-Priority": "1"},
        templates_dir=job.templates_dir,
    )
