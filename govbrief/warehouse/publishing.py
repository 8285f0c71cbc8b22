"""Brief versions and runs: what was said, and when (to whom: the send log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from govbrief.warehouse.engine import dialect_insert
from govbrief.warehouse.records import BriefBody, BriefRecord
from govbrief.warehouse.schema import briefs, runs

BRIEF_RECORD_COLUMNS = [briefs.c[name] for name in BriefRecord.__dataclass_fields__]


def latest_brief(connection: sa.Connection, kind: str, period_key: str) -> BriefRecord | None:
    """The highest version of a brief, or None if none was stored."""
    versions = brief_versions(connection, kind, period_key)
    return versions[-1] if versions else None


def brief_versions(connection: sa.Connection, kind: str, period_key: str) -> list[BriefRecord]:
    """Every stored version of a brief, oldest first."""
    query = (
        sa.select(*BRIEF_RECORD_COLUMNS)
        .where(briefs.c.kind == kind, briefs.c.period_key == period_key)
        .order_by(briefs.c.version)
    )
    return [BriefRecord(**row._asdict()) for row in connection.execute(query)]


def brief_body(connection: sa.Connection, brief_id: int) -> BriefBody:
    """The subject, bodies, metrics and sources of one brief version."""
    columns = [briefs.c[name] for name in BriefBody.__dataclass_fields__]
    row = connection.execute(sa.select(*columns).where(briefs.c.id == brief_id)).one_or_none()
    if row is None:
        raise LookupError(f"no brief with id {brief_id}")
    return BriefBody(**row._asdict())


def insert_brief_version(connection: sa.Connection, values: dict[str, Any]) -> BriefRecord:
    """Store a brief unless the latest version already has the same content hash."""
    latest = latest_brief(connection, values["kind"], values["period_key"])
    if latest is not None and latest.content_hash == values["content_hash"]:
        return latest
    row = {**values, "version": latest.version + 1 if latest else 1}
    brief_id = connection.execute(sa.insert(briefs).returning(briefs.c.id), row).scalar_one()
    return BriefRecord(**{name: row[name] for name in BriefRecord.__dataclass_fields__ if name != "id"}, id=brief_id)


def start_run(connection: sa.Connection, run_id: str, flow: str, kind: str, period_key: str, now: datetime) -> None:
    """Record that a run began; starting the same run id again (a retry) restarts its row."""
    insert = dialect_insert(connection, runs)
    values = {"flow": flow, "kind": kind, "period_key": period_key, "started_at": now}
    reset = {**values, "finished_at": None, "status": "running", "summary": {}}
    connection.execute(insert.on_conflict_do_update(index_elements=["run_id"], set_=reset), {"run_id": run_id, **reset})


def finish_run(connection: sa.Connection, run_id: str, status: str, summary: dict[str, Any], now: datetime) -> None:
    """Record how a run ended, with a small JSON summary."""
    statement = sa.update(runs).where(runs.c.run_id == run_id).values(status=status, summary=summary, finished_at=now)
    if connection.execute(statement).rowcount == 0:
        raise LookupError(f"no run {run_id!r}: start_run first")


def run_summary(connection: sa.Connection, run_id: str) -> dict[str, Any] | None:
    """A run's row as plain data, or None."""
    row = connection.execute(sa.select(runs).where(runs.c.run_id == run_id)).one_or_none()
    return None if row is None else dict(row._asdict())
