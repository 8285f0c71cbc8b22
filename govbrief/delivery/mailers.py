"""Where messages go: an outbox folder of .eml files (the local default), a real SMTP
server, or a list in memory for tests. All share the Mailer protocol."""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Protocol

from govbrief.config import MailSettings, SmtpSettings

UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._@+-]")


class DeliveryError(Exception):
    """A message could not be handed to its transport."""


class Mailer(Protocol):
    """Sends one message; `transport` names the kind ("outbox", "smtp", …) for the delivery log."""

    transport: str

    def send(self, message: EmailMessage) -> None:
        """Hand the message over, or raise."""
        ...


class OutboxMailer:
    """Writes each message to `<folder>/<Message-ID>.eml`; resending the same Message-ID
    replaces the file, so a rerun leaves one copy."""

    transport: str = "outbox"

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        """Write the message atomically (temporary file, then rename)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{outbox_name(message)}.eml"
        with tempfile.NamedTemporaryFile(dir=self.folder, prefix=".", suffix=".tmp", delete=False) as tmp:
            tmp.write(message.as_bytes(policy=SMTP))
        os.replace(tmp.name, target)


def outbox_name(message: EmailMessage) -> str:
    """A file name from the Message-ID, without brackets or characters unsafe in paths."""
    message_id = str(message.get("Message-ID", "")).strip().strip("<>")
    if not message_id:
        raise DeliveryError("message has no Message-ID / 邮件缺少 Message-ID")
    return UNSAFE_FILENAME_CHARS.sub("_", message_id)


class SmtpMailer:
    """Sends through an SMTP server: implicit TLS, STARTTLS or plain, login when configured."""

    transport: str = "smtp"

    def __init__(self, settings: SmtpSettings, *, ssl_context: ssl.SSLContext | None = None):
        self.settings = settings
        self.ssl_context = ssl_context

    def send(self, message: EmailMessage) -> None:
        """Connect, secure, log in, send; any failure becomes a DeliveryError naming the server."""
        where = f"{self.settings.host}:{self.settings.port}"
        try:
            with self._connect() as server:
                if credentials := self.settings.credentials():
                    server.login(*credentials)
                server.send_message(message)
        except (smtplib.SMTPException, OSError, UnicodeEncodeError) as exc:
            raise DeliveryError(f"SMTP {where}: {exc} / 邮件发送失败") from exc

    def _connect(self) -> smtplib.SMTP:
        host, port, timeout = self.settings.host, self.settings.port, self.settings.timeout_seconds
        context = self.ssl_context or ssl.create_default_context()
        if self.settings.security == "ssl":
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        server = smtplib.SMTP(host, port, timeout=timeout)
        if self.settings.security == "starttls":
            try:
                server.starttls(context=context)
            except BaseException:
                server.close()
                raise
        return server


def mailer_from_settings(mail: MailSettings, *, ssl_context: ssl.SSLContext | None = None) -> Mailer:
    """The mailer the configuration names: the outbox folder or the SMTP server."""
    if mail.transport == "smtp":
        return SmtpMailer(mail.smtp, ssl_context=ssl_context)
    return OutboxMailer(mail.outbox)
