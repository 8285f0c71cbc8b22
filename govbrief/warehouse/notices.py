"""Notices to county clerks (退回重报): who was told about which received file, and how it went.

Mirrors the deliveries log: a row is marked pending before the send and sent
or failed after it, so a rerun skips what was sent and retries what was not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa

from govbrief.warehouse.schema import notices
from govbrief.warehouse.send_log import SendStatus, attempt_status, record_attempt, record_outcome

NoticeStatus = SendStatus
NoticeKind = Literal["returned"]


@dataclass(frozen=True)
class NoticeKey:
    """What a notice is about and who it goes to: one received file, one recipient."""

    kind: NoticeKind
    file_sha256: str
    unit_code: str
    period_key: str
    recipient: str

    def label(self) -> str:
        """A short human-readable name for logs and reports."""
        return f"{self.unit_code} {self.period_key} {self.file_sha256[:12]} → {self.recipient}"


@dataclass(frozen=True)
class NoticeRecord:
    """One notice as stored: its key, its message and how the last attempt ended."""

    kind: NoticeKind
    file_sha256: str
    unit_code: str
    period_key: str
    recipient: str
    return_kind: str
    transport: str
    message_id: str
    status: NoticeStatus
    attempts: int
    sent_at: datetime | None
    error: str | None
    updated_at: datetime

    @property
    def key(self) -> NoticeKey:
        return NoticeKey(self.kind, self.file_sha256, self.unit_code, self.period_key, self.recipient)


RECORD_COLUMNS = [notices.c[name] for name in NoticeRecord.__dataclass_fields__]


def notice_status(connection: sa.Connection, key: NoticeKey) -> NoticeStatus | None:
    """'pending', 'sent' or 'failed' for this notice; None if it was never attempted."""
    return attempt_status(connection, notices, asdict(key))


def mark_notice_pending(
    connection: sa.Connection,
    key: NoticeKey,
    *,
    return_kind: str,
    transport: str,
    message_id: str,
    now: datetime,
) -> None:
    """Record an attempt about to be made; a repeated attempt counts up on the same row."""
    values = {"return_kind": return_kind, "transport": transport, "message_id": message_id}
    record_attempt(connection, notices, asdict(key), values, now)


def mark_notice(
    connection: sa.Connection, key: NoticeKey, status: NoticeStatus, error: str | None, now: datetime
) -> None:
    """Record how an attempt ended ('sent' stamps sent_at); it must have been marked pending first."""
    record_outcome(connection, notices, asdict(key), status, error, now)


def notice_records(
    connection: sa.Connection, *, unit_code: str | None = None, period_key: str | None = None
) -> list[NoticeRecord]:
    """Stored notices, optionally of one unit and/or period, oldest first."""
    query = sa.select(*RECORD_COLUMNS).order_by(notices.c.id)
    if unit_code is not None:
        query = query.where(notices.c.unit_code == unit_code)
    if period_key is not None:
        query = query.where(notices.c.period_key == period_key)
    return [NoticeRecord(**row._asdict()) for row in connection.execute(query)]
