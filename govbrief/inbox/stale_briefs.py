"""Briefs a late or corrected return has made stale, and the marks that track their correction rerun.

A brief is stale when a version of it went out and its period now has an
accepted return (a correction, or a unit's late first return) that the latest
delivered version was not made from. That is derived from the briefs,
the send log and the return slots alone.

What was done about it needs a record, because a rerun whose figures come out
unchanged stores no new version and the brief would look stale forever. Each
mark is a row of the warehouse's `runs` table (flow "correction-rerun", the
brief's kind and period, beside the brief runs' own rows): a correction rerun
that is pending, done, rerun_failed or superseded. Its id names the brief and the set of new files, so one arrival is
marked once, and a later arrival for the same brief makes a new mark.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa

from govbrief.briefs.registry import BRIEFS, BY_ID
from govbrief.calendar.periods import Period, history_needed, parse_period
from govbrief.warehouse import Warehouse
from govbrief.warehouse.engine import dialect_insert, write_transaction
from govbrief.warehouse.schema import briefs, runs
from govbrief.warehouse.send_log import delivered_brief_ids

MARK_FLOW = "correction-rerun"
# Not "failed": brief runs share the runs table, and a later completed run of the brief supersedes its
# "failed" rows; a correction rerun that failed must stay open until a rerun of its own succeeds.
MarkStatus = Literal["pending", "done", "rerun_failed", "superseded"]
OPEN_STATUSES: tuple[MarkStatus, ...] = ("pending", "rerun_failed")
# An automatic rerun that keeps failing is left to an analyst instead of rerunning every poll.
MAX_AUTO_ATTEMPTS = 3


@dataclass(frozen=True)
class DeliveredBrief:
    """The latest version of a brief that reached at least one recipient."""

    id: int
    kind: str
    period_key: str
    version: int
    source_files: frozenset[str]


@dataclass(frozen=True)
class StaleBrief:
    """A delivered brief whose period has accepted returns its delivered version was not made from."""

    kind: str
    period_key: str
    delivered_version: int
    new_files: tuple[str, ...]  # sha256, sorted
    units: tuple[str, ...]  # unit codes that sent them, sorted

    @property
    def mark_id(self) -> str:
        """The same brief and the same new files always give the same mark."""
        digest = hashlib.sha256(f"{self.kind}|{self.period_key}|{','.join(self.new_files)}".encode()).hexdigest()
        return f"correction:{digest[:40]}"


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

    @property
    def due_for_auto_rerun(self) -> bool:
        """Pending, or failed fewer times than an automatic rerun is tried."""
        return self.status == "pending" or (self.status == "rerun_failed" and self.attempts < MAX_AUTO_ATTEMPTS)

    @property
    def command(self) -> str:
        """What an analyst runs to rerun the brief and close the mark."""
        return f"govbrief inbox --rerun {self.period_key}"


def brief_window(today: date) -> dict[str, list[str]]:
    """brief kind → the period keys a correction rerun is still considered for (this year and last)."""
    return {brief.id: [p.key for p in history_needed(Period.containing(brief.period_kind, today))] for brief in BRIEFS}


def delivered_briefs(warehouse: Warehouse, window: Mapping[str, Sequence[str]]) -> list[DeliveredBrief]:
    """The latest delivered version of every brief in the window, in one query."""
    sent = delivered_brief_ids()
    in_window = sa.or_(
        *(sa.and_(briefs.c.kind == kind, briefs.c.period_key.in_(list(keys))) for kind, keys in window.items())
    )
    query = (
        sa.select(briefs.c.id, briefs.c.kind, briefs.c.period_key, briefs.c.version, briefs.c.source_files)
        .where(in_window, briefs.c.id.in_(sent))
        .order_by(briefs.c.kind, briefs.c.period_key, briefs.c.version)
    )
    latest: dict[tuple[str, str], DeliveredBrief] = {}
    with warehouse.engine.connect() as connection:
        for row in connection.execute(query):
            latest[(row.kind, row.period_key)] = DeliveredBrief(
                row.id, row.kind, row.period_key, row.version, frozenset(row.source_files or ())
            )
    return list(latest.values())


def stale_briefs(warehouse: Warehouse, today: date) -> list[StaleBrief]:
    """Delivered briefs whose period has accepted returns the delivered version was not made from."""
    delivered = delivered_briefs(warehouse, brief_window(today))
    inside = {(b.kind, b.period_key): BY_ID[b.kind].returns_inside(parse_period(b.period_key)) for b in delivered}
    kinds = sorted({kind for periods in inside.values() for kind in periods})
    keys = sorted({p.key for periods in inside.values() for ps in periods.values() for p in ps})
    slots = warehouse.slot_overview(kinds, keys)
    stale: list[StaleBrief] = []
    for brief in delivered:
        wanted = {(kind, p.key) for kind, ps in inside[(brief.kind, brief.period_key)].items() for p in ps}
        fresh = [
            slot
            for slot in slots.values()
            if (slot.return_kind, slot.period_key) in wanted
            and slot.status == "accepted"
            and slot.sha256 not in brief.source_files
        ]
        if fresh:
            files = tuple(sorted({s.sha256 for s in fresh}))
            units = tuple(sorted({s.unit_code for s in fresh}))
            stale.append(StaleBrief(brief.kind, brief.period_key, brief.version, files, units))
    return stale


def mark_stale(warehouse: Warehouse, stale: Iterable[StaleBrief], *, mode: str) -> list[CorrectionMark]:
    """Record a pending mark for each stale brief not marked for these files yet; an older
    pending mark of the same brief is superseded. Returns the new marks."""
    candidates = {brief.mark_id: brief for brief in stale}
    if not candidates:
        return []
    now = warehouse.clock()
    with write_transaction(warehouse.engine) as connection:
        existing = set(connection.scalars(sa.select(runs.c.run_id).where(runs.c.run_id.in_(list(candidates)))))
        new = [brief for mark_id, brief in candidates.items() if mark_id not in existing]
        for brief in new:
            _supersede(connection, brief, now)
            connection.execute(dialect_insert(connection, runs).on_conflict_do_nothing(), _mark_row(brief, mode, now))
    return [_mark(_mark_row(brief, mode, now)) for brief in new]


def _supersede(connection: sa.Connection, brief: StaleBrief, now: datetime) -> None:
    connection.execute(
        sa.update(runs)
        .where(
            runs.c.flow == MARK_FLOW,
            runs.c.kind == brief.kind,
            runs.c.period_key == brief.period_key,
            runs.c.status.in_(OPEN_STATUSES),
        )
        .values(status="superseded", finished_at=now)
    )


def _mark_row(brief: StaleBrief, mode: str, now: datetime) -> dict[str, Any]:
    details = {
        "files": list(brief.new_files),
        "units": list(brief.units),
        "delivered_version": brief.delivered_version,
        "mode": mode,
    }
    return {
        "run_id": brief.mark_id,
        "flow": MARK_FLOW,
        "kind": brief.kind,
        "period_key": brief.period_key,
        "started_at": now,
        "finished_at": None,
        "status": "pending",
        "summary": details,
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


def correction_marks(warehouse: Warehouse, statuses: Sequence[MarkStatus] = OPEN_STATUSES) -> list[CorrectionMark]:
    """Marks in these statuses (pending and failed by default), oldest first."""
    query = (
        sa.select(runs)
        .where(runs.c.flow == MARK_FLOW, runs.c.status.in_(list(statuses)))
        .order_by(runs.c.started_at, runs.c.run_id)
    )
    with warehouse.engine.connect() as connection:
        return [_mark(dict(row._mapping)) for row in connection.execute(query)]


def finish_mark(warehouse: Warehouse, mark_id: str, status: MarkStatus, outcome: Mapping[str, Any]) -> None:
    """Close a mark: 'done' or 'rerun_failed', with what the rerun said (version, error…)."""
    with write_transaction(warehouse.engine) as connection:
        row = connection.execute(sa.select(runs.c.summary).where(runs.c.run_id == mark_id)).one_or_none()
        if row is None:
            raise LookupError(f"no correction mark {mark_id!r}")
        details = {**(row.summary or {}), **outcome}
        connection.execute(
            sa.update(runs)
            .where(runs.c.run_id == mark_id)
            .values(status=status, summary=details, finished_at=warehouse.clock())
        )


def open_marks(warehouse: Warehouse, today: date) -> list[CorrectionMark]:
    """Pending and failed marks, after closing the pending ones a later delivered version already
    covers (an analyst ran the brief by hand and its 更正 went out)."""
    marks = correction_marks(warehouse)
    if not marks:
        return []
    delivered = {(b.kind, b.period_key): b for b in delivered_briefs(warehouse, brief_window(today))}
    still_open: list[CorrectionMark] = []
    for mark in marks:
        brief = delivered.get((mark.kind, mark.period_key))
        # A failed rerun stays open even so: its version may have reached some recipients only.
        if mark.status == "pending" and brief is not None and set(mark.files) <= brief.source_files:
            finish_mark(warehouse, mark.mark_id, "done", {"resolved_by_version": brief.version})
        else:
            still_open.append(mark)
    return still_open
