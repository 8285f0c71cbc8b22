"""End-to-end fixtures: a real SMTP server on loopback and a config that points at it."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parents[2]


class Inbox:
    """Collects every message the SMTP server receives, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def smtp_config(tmp: Path, port: int) -> Path:
    """The shipped city config, with state in `tmp` and mail to the test SMTP server."""
    text = (REPO / "config" / "city.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^state = .*$", f'state = "{tmp / "state"}"', text)
    text = re.sub(r"(?m)^drop = .*$", f'drop = "{tmp / "state" / "drop"}"', text)
    text = re.sub(r"(?m)^targets = .*$", f'targets = "{REPO / "config" / "targets"}"', text)
    text = re.sub(r'(?m)^transport = "outbox".*$', 'transport = "smtp"', text)
    text = re.sub(r"(?m)^host = .*$", 'host = "127.0.0.1"', text)
    text = re.sub(r"(?m)^port = .*$", f"port = {port}", text)
    text = re.sub(r"(?m)^security = .*$", 'security = "none"', text)
    path = tmp / "city.toml"
    path.write_text(text, encoding="utf-8")
    return path
