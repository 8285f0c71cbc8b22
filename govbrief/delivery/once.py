"""Send one message at most once per key: the loop shared by brief deliveries, 退回重报 notices
and 【紧急】 alerts, around their send logs in the warehouse (govbrief.warehouse.send_log).

The log is written before the send (pending) and after it (sent or failed). One message
failing — the mail server, a template — is reported and does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Generic, TypeVar

from govbrief.delivery.mailers import Mailer
from govbrief.warehouse.send_log import SendStatus

K = TypeVar("K")


@dataclass
class SendReport(Generic[K]):
    """Which messages went out in this run, which had gone before, which could not be sent."""

    sent: list[K] = field(default_factory=list)
    skipped: list[K] = field(default_factory=list)  # sent in an earlier run
    failed: dict[K, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SendLog:
    """How one message's attempt is recorded: before the send, and how it ended."""

    mark_pending: Callable[[], None]
    mark: Callable[[SendStatus, str | None], None]


def send_once(
    report: SendReport[K],
    key: K,
    *,
    already_sent: bool,
    log: SendLog,
    mailer: Mailer,
    message: Callable[[], EmailMessage],
) -> None:
    """Send `message()` unless it `already_sent`, recording the attempt in `log` and the result in `report`."""
    if already_sent:
        report.skipped.append(key)
        return
    log.mark_pending()
    try:
        mailer.send(message())
    except Exception as exc:  # one message failing must not stop the others
        reason = str(exc) or type(exc).__name__
        log.mark("failed", reason)
        report.failed[key] = reason
        return
    log.mark("sent", None)
    report.sent.append(key)
