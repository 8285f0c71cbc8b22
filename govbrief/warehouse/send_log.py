"""The one send log: every message govbrief mails — a brief version, a 退回重报 notice to a clerk,
a 【紧急】 alert to a leader, a failure notice to ops — one row per (channel, item, recipient).

A row is marked pending before the send and sent or failed after it, so a rerun skips what
was sent and retries what was not; a crash in between leaves 'pending', and the retry reuses
the row and its Message-ID. The item names what is sent, readably:

- brief:    ten_day/2026-11-x2/v1 (one brief version; brief_id points at it)
- returned: safety/2026-11-x2/439903/<sha256> (one refused file)
- alert:    accident:439902:A-1 (one event, whichever file reported it)
- ops:      run-failed/<flow run id>, or poll-failed/inbox-poll/2026-12-04 (once a day)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from govbrief.warehouse.engine import dialect_insert
from govbrief.warehouse.schema import send_log

Channel = Literal["brief", "returned", "alert", "ops"]
SendStatus = Literal["pending", "sent", "failed"]
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SendKey:
    """One message: what it is about (channel and item) and who it goes to."""

    channel: Channel
    item: str
    recipient: str

    def label(self) -> str:
        """A short human-readable name for logs and reports (a file's sha256 cut to 12 digits)."""
        return f"{_SHA256.sub(lambda found: found.group()[:12], self.item)} → {self.recipient}"


@dataclass(frozen=True)
class SendAbout:
    """What the row records of the message besides its key: the subject and what it refers to."""

    subject: str = ""
    brief_id: int | None = None
    return_kind: str | None = None
    period_key: str | None = None
    unit_code: str | None = None
    file_sha256: str | None = None
    alert_kind: str | None = None


@dataclass(frozen=True)
class SendRecord:
    """One row of the send log as stored."""

    channel: Channel
    item: str
    recipient: str
    subject: str
    brief_id: int | None
    return_kind: str | None
    period_key: str | None
    unit_code: str | None
    file_sha256: str | None
    alert_kind: str | None
    transport: str
    message_id: str
    status: SendStatus
    attempts: int
    sent_at: datetime | None
    error: str | None
    updated_at: datetime

    @property
    def key(self) -> SendKey:
        return SendKey(self.channel, self.item, self.recipient)


RECORD_COLUMNS = [send_log.c[f.name] for f in fields(SendRecord)]
FILTERS = ("channel", "item", "recipient", "brief_id", "unit_code", "period_key")


def _matches(key: SendKey) -> list[sa.ColumnElement[bool]]:
    return [send_log.c[name] == value for name, value in asdict(key).items()]


def send_record(connection: sa.Connection, key: SendKey) -> SendRecord | None:
    """The row of this message, or None if it was never attempted."""
    row = connection.execute(sa.select(*RECORD_COLUMNS).where(*_matches(key))).one_or_none()
    return None if row is None else SendRecord(**row._asdict())


def mark_pending(
    connection: sa.Connection, key: SendKey, about: SendAbout, *, transport: str, message_id: str, now: datetime
) -> None:
    """Record an attempt about to be made; a repeated attempt updates the same row and counts up."""
    attempt = {**asdict(about), "transport": transport, "message_id": message_id}
    attempt.update(status="pending", error=None, updated_at=now)
    statement = dialect_insert(connection, send_log).on_conflict_do_update(
        index_elements=["channel", "item", "recipient"], set_={**attempt, "attempts": send_log.c.attempts + 1}
    )
    connection.execute(statement, {**asdict(key), **attempt, "attempts": 1})


def mark_outcome(connection: sa.Connection, key: SendKey, status: SendStatus, error: str | None, now: datetime) -> None:
    """Record how an attempt ended ('sent' stamps sent_at); it must have been marked pending first."""
    values: dict[str, Any] = {"status": status, "error": error, "updated_at": now}
    if status == "sent":
        values["sent_at"] = now
    if connection.execute(sa.update(send_log).where(*_matches(key)).values(**values)).rowcount == 0:
        raise LookupError(f"no pending send_log row for {key.label()}: mark it pending first")


def send_records(connection: sa.Connection, **where: Any) -> list[SendRecord]:
    """Stored rows, oldest first, filtered by any of FILTERS (channel, item, recipient, brief_id…)."""
    unknown = set(where) - set(FILTERS)
    if unknown:
        raise TypeError(f"send_records filters by {', '.join(FILTERS)}, not {', '.join(sorted(unknown))}")
    query = sa.select(*RECORD_COLUMNS).order_by(send_log.c.id)
    query = query.where(*(send_log.c[name] == value for name, value in where.items() if value is not None))
    return [SendRecord(**row._asdict()) for row in connection.execute(query)]


def unsent(connection: sa.Connection, channel: Channel, *, stale_before: datetime) -> list[SendRecord]:
    """Rows of a channel that failed, or are still pending since before `stale_before` (their run died)."""
    stuck = sa.or_(
        send_log.c.status == "failed",
        sa.and_(send_log.c.status == "pending", send_log.c.updated_at < stale_before),
    )
    query = sa.select(*RECORD_COLUMNS).where(send_log.c.channel == channel, stuck).order_by(send_log.c.id)
    return [SendRecord(**row._asdict()) for row in connection.execute(query)]


def delivered_brief_ids() -> sa.Select[tuple[int | None]]:
    """A subquery: the ids of brief versions at least one recipient has."""
    return sa.select(send_log.c.brief_id).where(
        send_log.c.channel == "brief", send_log.c.status == "sent", send_log.c.brief_id.is_not(None)
    )
