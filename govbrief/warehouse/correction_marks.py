"""Correction marks: a delivered brief that a late or corrected return made stale, and what was done.

A rerun whose figures come out unchanged stores no new version, so the brief would look stale
forever without a record of it. Each mark is a row of the runs table (flow "correction-rerun",
the brief's kind and period, beside the brief runs' own rows): a correction rerun that is
pending, done, rerun_failed or superseded. Its id names the brief and the set of new files, so
one arrival is marked once, and a later arrival for the same brief makes a new mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from govbrief.warehouse.engine import dialect_insert
from govbrief.warehouse.schema import briefs, runs
from govbrief.warehouse.send_log import delivered_brief_ids

MARK_FLOW = "correction-rerun"
# Not "failed": brief runs share the runs table, and a later completed run of the brief supersedes its
# "failed" rows; a correction rerun that failed must stay open until a rerun of its own succeeds.
MarkStatus = Literal["pending", "done", "rerun_failed", "superseded"]
OPEN_STATUSES: tuple[MarkStatus, ...] = ("pending", "rerun_failed")


@dataclass(frozen=True)
class DeliveredBrief:
    """The latest version of a brief that reached at least one recipient."""

    id: int
    kind: str
    period_key: str
    version: int
    source_files: frozenset[str]


@dataclass(frozen=True)
class NewMark:
    """A mark to record: for which brief, prompted by which returns."""

    mark_id: str
    kind: str
    period_key: str
    details: dict[str, Any]  # files, units, delivered_version, mode


@dataclass(frozen=True)
class CorrectionMark:
    """One correction rerun: for which brief, prompted by which returns, and where it stands."""

    mark_id: str
    kind: str
    period_key: str
    status: MarkStatus
    marked_at: datetime
    finished_at: datetime | None
    details: dict[str, Any]  # files, units, delivered_version, and how it ended

    @property
    def units(self) -> list[str]:
        return list(self.details.get("units", []))

    @property
    def files(self) -> list[str]:
        return list(self.details.get("files", []))

    @property
    def attempts(self) -> int:
        """Reruns tried so far."""
        return int(self.details.get("attempts", 0))


def delivered_briefs(connection: sa.Connection, window: Mapping[str, Sequence[str]]) -> list[DeliveredBrief]:
    """The latest delivered version of every brief in the window (kind → period keys), in one query."""
    in_window = sa.or_(
        *(sa.and_(briefs.c.kind == kind, briefs.c.period_key.in_(list(keys))) for kind, keys in window.items())
    )
    query = (
        sa.select(briefs.c.id, briefs.c.kind, briefs.c.period_key, briefs.c.version, briefs.c.source_files)
        .where(in_window, briefs.c.id.in_(delivered_brief_ids()))
        .order_by(briefs.c.kind, briefs.c.period_key, briefs.c.version)
    )
    latest: dict[tuple[str, str], DeliveredBrief] = {}
    for row in connection.execute(query):
        latest[(row.kind, row.period_key)] = DeliveredBrief(
            row.id, row.kind, row.period_key, row.version, frozenset(row.source_files or ())
        )
    return list(latest.values())


def add_marks(connection: sa.Connection, marks: Sequence[NewMark], now: datetime) -> list[CorrectionMark]:
    """Record each mark not recorded yet, superseding an older open mark of the same brief; the new ones."""
    candidates = {mark.mark_id: mark for mark in marks}
    if not candidates:
        return []
    existing = set(connection.scalars(sa.select(runs.c.run_id).where(runs.c.run_id.in_(list(candidates)))))
    added = []
    for mark in (m for mark_id, m in candidates.items() if mark_id not in existing):
        connection.execute(
            sa.update(runs)
            .where(
                runs.c.flow == MARK_FLOW,
                runs.c.kind == mark.kind,
                runs.c.period_key == mark.period_key,
                runs.c.status.in_(OPEN_STATUSES),
            )
            .values(status="superseded", finished_at=now)
        )
        row = _row(mark, now)
        connection.execute(dialect_insert(connection, runs).on_conflict_do_nothing(), row)
        added.append(_mark(row))
    return added


def correction_marks(connection: sa.Connection, statuses: Sequence[MarkStatus] = OPEN_STATUSES) -> list[CorrectionMark]:
    """Marks in these statuses (pending and failed by default), oldest first."""
    query = (
        sa.select(runs)
        .where(runs.c.flow == MARK_FLOW, runs.c.status.in_(list(statuses)))
        .order_by(runs.c.started_at, runs.c.run_id)
    )
    return [_mark(dict(row._mapping)) for row in connection.execute(query)]


def finish_mark(
    connection: sa.Connection, mark_id: str, status: MarkStatus, outcome: Mapping[str, Any], now: datetime
) -> None:
    """Close a mark: 'done' or 'rerun_failed', with what the rerun said (version, error…)."""
    row = connection.execute(sa.select(runs.c.summary).where(runs.c.run_id == mark_id)).one_or_none()
    if row is None:
        raise LookupError(f"no correction mark {mark_id!r}")
    details = {**(row.summary or {}), **outcome}
    connection.execute(
        sa.update(runs).where(runs.c.run_id == mark_id).values(status=status, summary=details, finished_at=now)
    )


def _row(mark: NewMark, now: datetime) -> dict[str, Any]:
    return {
        "run_id": mark.mark_id,
        "flow": MARK_FLOW,
        "kind": mark.kind,
        "period_key": mark.period_key,
        "started_at": now,
        "finished_at": None,
        "status": "pending",
        "summary": mark.details,
    }


def _mark(row: Mapping[str, Any]) -> CorrectionMark:
    return CorrectionMark(
        mark_id=row["run_id"],
        kind=row["kind"],
        period_key=row["period_key"],
        status=row["status"],
        marked_at=row["started_at"],
        finished_at=row["finished_at"],
        details=dict(row["summary"] or {}),
    )
