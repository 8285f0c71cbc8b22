"""Send each red event once to every leader: a short 【紧急】 email as soon as the return is accepted.

The once-per-event log is the warehouse's alert_notices table (pending before
the send, sent or failed after): a rerun, or a corrected return repeating the
event, sends nothing again; a failed alert is retried with the same Message-ID.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import parseaddr
from functools import partial
from pathlib import Path
from typing import Any

from govbrief.alerts.events import AlertEvent, recent_events
from govbrief.calendar.periods import parse_period
from govbrief.config import Recipient, Role, Settings
from govbrief.delivery.mailers import Mailer
from govbrief.delivery.message import build_message
from govbrief.delivery.once import SendLog, SendReport, send_once
from govbrief.formatting import fmt_full_date_zh
from govbrief.render.templates import template_environment
from govbrief.warehouse import Warehouse
from govbrief.warehouse.alert_notices import AlertAttempt, AlertNoticeKey

ALERT_ROLES: tuple[Role, ...] = ("leader",)
HTML_TEMPLATE = "alert.html.j2"
TEXT_TEMPLATE = "alert.txt.j2"
SUBJECT_PREFIX = "【紧急】"
FALLBACK_DOMAIN = "govbrief.local"
KIND_ZH = {
    "accident": "较大及以上事故",
    "hidden_debt": "新增隐性债务",
    "missed_payment": "债务未按期偿付",
    "scenic": "景区超限",
}
_BLANK_RUNS = re.compile(r"\n{3,}")


# Which alerts went out in this run, which had gone before, which could not be sent.
AlertReport = SendReport[AlertNoticeKey]


@dataclass(frozen=True)
class AlertJob:
    """One event to one leader."""

    event: AlertEvent
    recipient: Recipient
    settings: Settings
    today: date
    templates_dir: Path | None = None

    @property
    def key(self) -> AlertNoticeKey:
        return AlertNoticeKey(self.event.event_key, self.recipient.email)


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
    report = AlertReport()
    for event in events:
        for recipient in alert_recipients(settings, roles):
            _send(warehouse, mailer, AlertJob(event, recipient, settings, today, templates_dir), report)
    return report


def _send(warehouse: Warehouse, mailer: Mailer, job: AlertJob, report: AlertReport) -> None:
    key = job.key
    mid = alert_message_id(key, job.settings.mail.sender)
    log = SendLog(
        mark_pending=partial(warehouse.mark_alert_pending, key, _attempt(job.event, mailer.transport, mid)),
        mark=partial(warehouse.mark_alert, key),
    )
    already_sent = warehouse.alert_status(key) == "sent"
    send_once(report, key, already_sent=already_sent, log=log, mailer=mailer, message=partial(alert_message, job, mid))


def _attempt(event: AlertEvent, transport: str, message_id: str) -> AlertAttempt:
    return AlertAttempt(
        alert_kind=event.kind,
        return_kind=event.return_kind,
        period_key=event.period_key,
        unit_code=event.unit_code,
        file_sha256=event.file_sha256,
        title=event.title_zh,
        transport=transport,
        message_id=message_id,
    )


def alert_message_id(key: AlertNoticeKey, sender: str) -> str:
    """Deterministic per event and recipient, so a retried alert is recognisably the same message."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or FALLBACK_DOMAIN
    digest = hashlib.sha256(f"{key.event_key}|{key.recipient.lower()}".encode()).hexdigest()[:24]
    return f"<gb.alert.{digest}@{domain}>"


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
    context = alert_context(job)
    environment = template_environment(job.templates_dir)
    html = environment.get_template(HTML_TEMPLATE).render(context)
    text = _BLANK_RUNS.sub("\n\n", environment.get_template(TEXT_TEMPLATE).render(context)).strip() + "\n"
    return build_message(
        subject=context["subject"],
        sender=job.settings.mail.sender,
        to=[f"{job.recipient.name} <{job.recipient.email}>"],
        html=html,
        text=text,
        inline_images={},
        message_id=message_id,
        headers={"Importance": "high", "X-Priority": "1"},
    )
