"""Delivering briefs by email: message building and pluggable mailers."""

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
