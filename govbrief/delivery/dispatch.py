"""Deliver a brief version to its recipients, exactly once each.

Each recipient gets a personal message (leaders do not see each other's addresses), sent
through the one send log (govbrief.delivery.once): a recipient who has this version is
skipped on a rerun unless forced; a crash between the send and the record leaves a 'pending'
row, and the rerun sends again with the same Message-ID, so mail clients and the outbox see
one message.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from functools import partial

from govbrief.config import Recipient
from govbrief.delivery.mailers import Mailer
from govbrief.delivery.message import build_message
from govbrief.delivery.once import Outgoing, SendReport, send_all
from govbrief.render.rendered_brief import RenderedBrief
from govbrief.warehouse import BriefRecord, SendAbout, SendKey, Warehouse


def brief_item(brief: BriefRecord) -> str:
    """The send log's item for a brief version: ten_day/2026-11-x2/v1."""
    return f"{brief.kind}/{brief.period_key}/v{brief.version}"


def deliver(
    warehouse: Warehouse,
    mailer: Mailer,
    brief: BriefRecord,
    rendered: RenderedBrief,
    recipients: Sequence[Recipient],
    *,
    sender: str,
    force: bool = False,
) -> SendReport:
    """Send `rendered` to every recipient that has not yet received this version."""
    about = SendAbout(subject=rendered.subject, brief_id=brief.id, period_key=brief.period_key)
    outgoing = [
        Outgoing(
            SendKey("brief", brief_item(brief), recipient.email), about, partial(_message, rendered, sender, recipient)
        )
        for recipient in recipients
    ]
    return send_all(warehouse, mailer, outgoing, sender=sender, force=force)


def _message(rendered: RenderedBrief, sender: str, recipient: Recipient, message_id: str) -> EmailMessage:
    return build_message(
        subject=rendered.subject,
        sender=sender,
        to=[f"{recipient.name} <{recipient.email}>"],
        html=rendered.html,
        text=rendered.text,
        inline_images=rendered.images,
        attachments=rendered.attachments,
        message_id=message_id,
    )
