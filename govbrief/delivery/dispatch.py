"""Deliver a brief version to its recipients, exactly once each.

Each recipient gets a personal message (leaders do not see each other's
addresses). The delivery log in the warehouse is written before and after each
send: a recipient whose delivery is recorded as sent is skipped on a rerun
unless forced. A crash between the send and the record leaves a 'pending' row;
the rerun sends again with the same Message-ID, so mail clients and the outbox
see one message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import partial
from typing import Literal

from govbrief.config import Recipient
from govbrief.delivery.mailers import Mailer
from govbrief.delivery.message import build_message
from govbrief.delivery.once import SendLog, SendReport, send_once
from govbrief.render.rendered_brief import RenderedBrief
from govbrief.warehouse import BriefRecord, Warehouse

Outcome = Literal["sent", "skipped", "failed"]


# Who got the brief in this run, who already had it, who could not be reached (by address).
DeliveryReport = SendReport[str]


def message_id(brief: BriefRecord, recipient: str, sender: str, attempt: int = 0) -> str:
    """Deterministic per brief version and recipient, so a resend is recognisably the same."""
    domain = sender.rsplit("@", 1)[-1].strip(" >") or "govbrief.local"
    who = hashlib.sha256(recipient.lower().encode()).hexdigest()[:10]
    suffix = f".r{attempt}" if attempt else ""
    return f"<gb.{brief.kind}.{brief.period_key}.v{brief.version}.{who}{suffix}@{domain}>"


def deliver(
    warehouse: Warehouse,
    mailer: Mailer,
    brief: BriefRecord,
    rendered: RenderedBrief,
    recipients: Sequence[Recipient],
    *,
    sender: str,
    force: bool = False,
) -> DeliveryReport:
    """Send `rendered` to every recipient that has not yet received this version."""
    report = DeliveryReport()
    for recipient in recipients:
        status = warehouse.delivery_status(brief.id, recipient.email)
        attempt = 1 if (force and status == "sent") else 0  # a forced resend is a new message
        mid = message_id(brief, recipient.email, sender, attempt)
        send_once(
            report,
            recipient.email,
            already_sent=status == "sent" and not force,
            log=_delivery_log(warehouse, brief, recipient.email, mailer.transport, mid),
            mailer=mailer,
            message=partial(_message, rendered, sender, recipient, mid),
        )
    return report


def _delivery_log(warehouse: Warehouse, brief: BriefRecord, recipient: str, transport: str, mid: str) -> SendLog:
    return SendLog(
        mark_pending=partial(warehouse.mark_delivery_pending, brief.id, recipient, transport, mid),
        mark=partial(warehouse.mark_delivery, brief.id, recipient),
    )


def _message(rendered: RenderedBrief, sender: str, recipient: Recipient, mid: str):  # type: ignore[no-untyped-def]
    return build_message(
        subject=rendered.subject,
        sender=sender,
        to=[f"{recipient.name} <{recipient.email}>"],
        html=rendered.html,
        text=rendered.text,
        inline_images=rendered.images,
        attachments=rendered.attachments,
        message_id=mid,
    )
