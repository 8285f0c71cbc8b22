"""Send each message at most once: the one mechanism behind brief deliveries, 退回重报 notices,
【紧急】 alerts and ops notices, around the warehouse's send log (govbrief.warehouse.send_log).

The log is written before the send (pending) and after it (sent or failed). A message already
sent is skipped (unless forced); one left pending or failed is sent again with the Message-ID it
was first given, so a mail client or the outbox that got it before sees the same message. One
message failing — the mail server, a template — is reported and does not stop the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

from govbrief.delivery.mailers import Mailer
from govbrief.model import SendSummary
from govbrief.warehouse import SendAbout, SendKey, Warehouse

FALLBACK_DOMAIN = "govbrief.local"


@dataclass
class SendReport:
    """Which messages went out in this run, which had gone before, which could not be sent."""

    sent: list[SendKey] = field(default_factory=list)
    skipped: list[SendKey] = field(default_factory=list)  # sent in an earlier run
    failed: dict[SendKey, str] = field(default_factory=dict)

    def labels(self) -> SendSummary:
        """The report as plain data for summaries: each message by its label."""
        return {
            "sent": [key.label() for key in self.sent],
            "skipped": [key.label() for key in self.skipped],
            "failed": {key.label(): reason for key, reason in self.failed.items()},
        }


@dataclass(frozen=True)
class Outgoing:
    """One message to send at most once: its log key, what the log records of it, and how to build
    it once its Message-ID is known."""

    key: SendKey
    about: SendAbout
    build: Callable[[str], EmailMessage]


def message_id(key: SendKey, sender: str, salt: int = 0) -> str:
    """Deterministic per channel, item and recipient; `salt` makes a deliberate resend a new message."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or FALLBACK_DOMAIN
    digest = hashlib.sha256(f"{key.channel}|{key.item}|{key.recipient.lower()}|{salt}".encode()).hexdigest()[:24]
    return f"<gb.{key.channel}.{digest}@{domain}>"


def send_all(
    warehouse: Warehouse,
    mailer: Mailer,
    outgoing: Iterable[Outgoing],
    *,
    sender: str,
    force: bool = False,
    report: SendReport | None = None,
) -> SendReport:
    """Send every message not yet sent (all of them again when `force`), recording each in the send log."""
    report = report if report is not None else SendReport()
    for message in outgoing:
        send_once(warehouse, mailer, message, report, sender=sender, force=force)
    return report


def send_once(
    warehouse: Warehouse, mailer: Mailer, outgoing: Outgoing, report: SendReport, *, sender: str, force: bool = False
) -> None:
    """Send one message unless it was sent before, recording the attempt and the outcome."""
    key = outgoing.key
    record = warehouse.send_record(key)
    if record is not None and record.status == "sent" and not force:
        report.skipped.append(key)
        return
    if record is None:
        mid = message_id(key, sender)
    elif record.status == "sent":  # forced: a new message, not a copy of the one they have
        mid = message_id(key, sender, salt=record.attempts)
    else:
        mid = record.message_id
    warehouse.mark_send_pending(key, outgoing.about, transport=mailer.transport, message_id=mid)
    try:
        mailer.send(outgoing.build(mid))
    except Exception as exc:  # one message failing must not stop the others
        reason = str(exc) or type(exc).__name__
        warehouse.mark_sent(key, "failed", reason)
        report.failed[key] = reason
        return
    warehouse.mark_sent(key, "sent")
    report.sent.append(key)
