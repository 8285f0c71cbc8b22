"""Failure notices: a run that failed or crashed is mailed to every recipient with the ops role, once.

Once per flow run for the briefs; once per flow and city day for the pollers (the inbox
poll and the alert check run every few minutes: a broken poll would otherwise mail ops 288
times a day), and the notice says so. "Once" is the send log's (channel "ops"), the same
mechanism as every other message. When the warehouse itself is what broke, the notice is
still sent — without the log, since there is none to write to: better twice than never.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from functools import partial

from govbrief.config import Recipient, Settings
from govbrief.delivery.mailers import Mailer
from govbrief.delivery.message import templated_message
from govbrief.delivery.once import Outgoing, SendReport, message_id, send_all
from govbrief.warehouse import SendAbout, SendKey, Warehouse

OPS_ROLE = "ops"
SUBJECT_PREFIX = "【运行失败】"
TEMPLATE = "ops_failure"  # reports_templates/ops_failure.html.j2 and ops_failure.txt.j2
DEFAULT_PERIOD_ZH = "未指定（最近已结束的一期）"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FailureNotice:
    """What ops need to know about one failed run, as plain data."""

    flow_name: str
    flow_run_id: str
    flow_run_name: str
    period: str | None
    state: str
    error: str
    daily_on: date | None = None  # a poller's notice: once for this flow on this city day

    @property
    def item(self) -> str:
        """The send log's item: one notice per run, or per poller and day."""
        if self.daily_on is not None:
            return f"poll-failed/{self.flow_name}/{self.daily_on.isoformat()}"
        return f"run-failed/{self.flow_run_id}"

    @property
    def period_label(self) -> str:
        return self.period or DEFAULT_PERIOD_ZH

    @property
    def subject(self) -> str:
        return f"{SUBJECT_PREFIX}{self.flow_name} {self.period_label}: {self.state}"

    def context(self) -> dict[str, object]:
        """The plain data the ops_failure.* templates place."""
        return {
            "subject": self.subject,
            "flow_name": self.flow_name,
            "flow_run_name": self.flow_run_name,
            "flow_run_id": self.flow_run_id,
            "period_label": self.period_label,
            "state": self.state,
            "error": self.error,
            "daily": self.daily_on is not None,
        }


def ops_recipients(settings: Settings) -> tuple[Recipient, ...]:
    """Everyone with the ops role."""
    return tuple(r for r in settings.recipients if OPS_ROLE in r.roles)


def send_failure_notice(
    notice: FailureNotice, settings: Settings, mailer: Mailer, warehouse: Warehouse | None
) -> SendReport:
    """Mail the notice to each ops recipient who has not had it; without a warehouse, to all of them."""
    recipients = ops_recipients(settings)
    if warehouse is None:
        return _send_unlogged(notice, settings, mailer, recipients)
    outgoing = [
        Outgoing(
            SendKey("ops", notice.item, r.email),
            SendAbout(subject=notice.subject, period_key=notice.period),
            partial(notice_message, notice, settings, r),
        )
        for r in recipients
    ]
    return send_all(warehouse, mailer, outgoing, sender=settings.mail.sender)


def notice_message(notice: FailureNotice, settings: Settings, recipient: Recipient, mid: str) -> EmailMessage:
    """The notice email to one ops recipient."""
    return templated_message(
        TEMPLATE,
        notice.context(),
        sender=settings.mail.sender,
        to=[f"{recipient.name} <{recipient.email}>"],
        message_id=mid,
        headers={"X-Govbrief-Flow-Run": notice.flow_run_id},
    )


def _send_unlogged(
    notice: FailureNotice, settings: Settings, mailer: Mailer, recipients: Sequence[Recipient]
) -> SendReport:
    report = SendReport()
    for recipient in recipients:
        key = SendKey("ops", notice.item, recipient.email)
        try:
            mailer.send(notice_message(notice, settings, recipient, message_id(key, settings.mail.sender)))
        except Exception as exc:  # one recipient failing must not stop the others
            report.failed[key] = str(exc) or type(exc).__name__
        else:
            report.sent.append(key)
    return report
