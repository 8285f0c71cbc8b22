"""The once-only send log shared by brief deliveries, 退回重报 notices and 【紧急】 alerts.

Each of those tables has one row per (what, recipient) — its key columns — and
the same attempt columns: transport, message_id, status, attempts, sent_at,
error, updated_at. A row is marked pending before the send and sent or failed
after it, so a rerun skips what was sent and retries what was not; a crash in
between leaves 'pending', and the retry reuses the row and its Message-ID.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from govbrief.warehouse.engine import dialect_insert

SendStatus = Literal["pending", "sent", "failed"]


def _matches(table: sa.Table, key: Mapping[str, Any]) -> list[sa.ColumnElement[bool]]:
    return [table.c[name] == value for name, value in key.items()]


def attempt_status(connection: sa.Connection, table: sa.Table, key: Mapping[str, Any]) -> SendStatus | None:
    """'pending', 'sent' or 'failed' for the row with this key; None if it was never attempted."""
    status: SendStatus | None = connection.execute(
        sa.select(table.c.status).where(*_matches(table, key))
    ).scalar_one_or_none()
    return status


def record_attempt(
    connection: sa.Connection, table: sa.Table, key: Mapping[str, Any], values: Mapping[str, Any], now: datetime
) -> None:
    """Record an attempt about to be made (`values`: transport, message_id and the table's own
    particulars); a repeated attempt updates the same row and counts up."""
    attempt = {**values, "status": "pending", "error": None, "updated_at": now}
    statement = dialect_insert(connection, table).on_conflict_do_update(
        index_elements=list(key), set_={**attempt, "attempts": table.c.attempts + 1}
    )
    connection.execute(statement, {**key, **attempt, "attempts": 1})


def record_outcome(
    connection: sa.Connection,
    table: sa.Table,
    key: Mapping[str, Any],
    status: SendStatus,
    error: str | None,
    now: datetime,
) -> None:
    """Record how an attempt ended ('sent' stamps sent_at); it must have been recorded first."""
    values: dict[str, Any] = {"status": status, "error": error, "updated_at": now}
    if status == "sent":
        values["sent_at"] = now
    if connection.execute(sa.update(table).where(*_matches(table, key)).values(**values)).rowcount == 0:
        shown = ", ".join(f"{name}={value}" for name, value in key.items())
        raise LookupError(f"no pending {table.name} row ({shown}): mark it pending first")
