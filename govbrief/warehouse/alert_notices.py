"""Immediate alerts to leaders: which event went to whom, and how the last attempt ended.

The mechanism of the 退回重报 notices (pending before the send, sent or failed
after it; a rerun skips what was sent and retries what was not), keyed by the
event instead of the received file: a corrected return that repeats an
accident is the same event, and one return can hold several events for the
same leader, which the notices table's per-file key cannot tell apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa

from govbrief.warehouse.notices import NoticeStatus
from govbrief.warehouse.schema import BigId, UtcDateTime, metadata
from govbrief.warehouse.send_log import attempt_status, record_attempt, record_outcome

alert_notices = sa.Table(
    "alert_notices",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("event_key", sa.String(200), nullable=False),  # accident:439902:A-1, scenic:439902:东湖:2026-11-x2…
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("alert_kind", sa.String(20), nullable=False),
    sa.Column("return_kind", sa.String(40), nullable=False),
    sa.Column("period_key", sa.String(16), nullable=False),
    sa.Column("unit_code", sa.String(20), nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),  # the file that reported it at the last attempt
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("transport", sa.String(40), nullable=False),
    sa.Column("message_id", sa.Text, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("sent_at", UtcDateTime, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    # Once per event and recipient: a rerun or a corrected return finds the row instead of mailing again.
    sa.UniqueConstraint("event_key", "recipient"),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
)


@dataclass(frozen=True)
class AlertNoticeKey:
    """One event, one recipient."""

    event_key: str
    recipient: str

    def label(self) -> str:
        """A short human-readable name for logs and reports."""
        return f"{self.event_key} → {self.recipient}"


@dataclass(frozen=True)
class AlertAttempt:
    """What an attempt sends: the event's particulars and the message."""

    alert_kind: str
    return_kind: str
    period_key: str
    unit_code: str
    file_sha256: str
    title: str
    transport: str
    message_id: str


@dataclass(frozen=True)
class AlertNoticeRecord:
    """One alert notice as stored."""

    event_key: str
    recipient: str
    alert_kind: str
    unit_code: str
    period_key: str
    file_sha256: str
    title: str
    message_id: str
    status: NoticeStatus
    attempts: int
    sent_at: datetime | None
    error: str | None


RECORD_COLUMNS = [alert_notices.c[name] for name in AlertNoticeRecord.__dataclass_fields__]


def alert_status(connection: sa.Connection, key: AlertNoticeKey) -> NoticeStatus | None:
    """'pending', 'sent' or 'failed' for this event and recipient; None if never attempted."""
    return attempt_status(connection, alert_notices, asdict(key))


def mark_alert_pending(connection: sa.Connection, key: AlertNoticeKey, attempt: AlertAttempt, now: datetime) -> None:
    """Record an attempt about to be made; a repeated attempt counts up on the same row."""
    record_attempt(connection, alert_notices, asdict(key), asdict(attempt), now)


def mark_alert(
    connection: sa.Connection, key: AlertNoticeKey, status: NoticeStatus, error: str | None, now: datetime
) -> None:
    """Record how an attempt ended ('sent' stamps sent_at); it must have been marked pending first."""
    record_outcome(connection, alert_notices, asdict(key), status, error, now)


def alert_records(connection: sa.Connection, *, event_key: str | None = None) -> list[AlertNoticeRecord]:
    """Stored alert notices, optionally of one event, oldest first."""
    query = sa.select(*RECORD_COLUMNS).order_by(alert_notices.c.id)
    if event_key is not None:
        query = query.where(alert_notices.c.event_key == event_key)
    return [AlertNoticeRecord(**row._asdict()) for row in connection.execute(query)]
