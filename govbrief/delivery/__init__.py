"""Sending mail: the one mail builder, the mailers (outbox folder, SMTP) and the once-only send loop
behind brief deliveries, 退回重报 notices, 【紧急】 alerts and ops notices."""

from govbrief.delivery.mailers import (
    DeliveryError,
    Mailer,
    OutboxMailer,
    SmtpMailer,
    mailer_from_settings,
)
from govbrief.delivery.message import build_message
from govbrief.model import Attachment

__all__ = [
    "Attachment",
    "DeliveryError",
    "Mailer",
    "OutboxMailer",
    "SmtpMailer",
    "build_message",
    "mailer_from_settings",
]
