"""The one mail fake: keeps every message it is given, and fails the ones a test says should fail."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from govbrief.delivery.mailers import DeliveryError

Refuse = Callable[[EmailMessage], str | None]


class RecordingMailer:
    """A Mailer that records messages instead of sending them.

    `refuse(message)` returns the server's reply for a message that must fail (None to accept
    it): a recipient's mailbox is full, the server is down for the first attempts… Refused
    messages are counted in `refused`, never in `messages`."""

    transport: str = "recording"

    def __init__(self, refuse: Refuse | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: list[EmailMessage] = []
        self.refuse = refuse

    def send(self, message: EmailMessage) -> None:
        reply = self.refuse(message) if self.refuse else None
        if reply is not None:
            self.refused.append(message)
            raise DeliveryError(reply)
        self.messages.append(message)


def refusing(address: str, reply: str = "550 mailbox unavailable") -> Refuse:
    """Fail every message to `address` (the others go through)."""
    return lambda message: f"{reply}: {address}" if address in str(message["To"]) else None


def down(reply: str = "421 service not available") -> Refuse:
    """Fail every message: the server is down."""
    return lambda message: reply
