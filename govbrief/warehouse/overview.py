"""Every slot of many kinds and periods at once: the raw facts behind `govbrief status`.

Three queries whatever the number of periods: the slots with their current
file, that file's problems, and every receipt (for revisions after the deadline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from govbrief.model import Status
from govbrief.problems import Problem
from govbrief.warehouse.queries import _problem  # one row → Problem mapping
from govbrief.warehouse.schema import SLOT, received_files, return_slots, validation_results

SlotKey = tuple[str, str, str]  # return_kind, period_key, unit_code


@dataclass(frozen=True)
class SlotSummary:
    """One slot's current file, its problems and the times every file for the slot arrived."""

    return_kind: str
    period_key: str
    unit_code: str
    status: Status  # of the current (latest received) file
    sha256: str
    original_name: str
    received_at: datetime  # when the current file arrived
    revisions: int  # distinct files received for the slot; 2 = the unit corrected its return once
    receipts: tuple[datetime, ...]  # arrival of every distinct file for the slot, oldest first
    problems: tuple[Problem, ...]  # of the current file

    @property
    def key(self) -> SlotKey:
        return self.return_kind, self.period_key, self.unit_code


def _within(table: sa.Table, return_kinds: Sequence[str], period_keys: Sequence[str]) -> list[sa.ColumnElement[bool]]:
    return [table.c.return_kind.in_(list(return_kinds)), table.c.period_key.in_(list(period_keys))]


def _same_slot(left: sa.Table, right: sa.Table) -> list[sa.ColumnElement[bool]]:
    return [left.c[name] == right.c[name] for name in SLOT]


def slot_overview(
    connection: sa.Connection, return_kinds: Sequence[str], period_keys: Sequence[str]
) -> dict[SlotKey, SlotSummary]:
    """(return_kind, period_key, unit_code) → the slot's summary, for every slot that has a file."""
    if not return_kinds or not period_keys:
        return {}
    problems = _current_problems(connection, return_kinds, period_keys)
    receipts = _receipts(connection, return_kinds, period_keys)
    slots, files = return_slots, received_files
    query = (
        sa.select(slots, files.c.original_name)
        .select_from(slots.join(files, sa.and_(*_same_slot(slots, files), slots.c.sha256 == files.c.sha256)))
        .where(*_within(slots, return_kinds, period_keys))
    )
    summaries = {}
    for row in connection.execute(query):
        key: SlotKey = (row.return_kind, row.period_key, row.unit_code)
        summaries[key] = SlotSummary(
            return_kind=row.return_kind,
            period_key=row.period_key,
            unit_code=row.unit_code,
            status=row.status,
            sha256=row.sha256,
            original_name=row.original_name,
            received_at=row.received_at,
            revisions=row.revisions,
            receipts=tuple(receipts.get(key, ())),
            problems=tuple(problems.get(key, ())),
        )
    return summaries


def _current_problems(
    connection: sa.Connection, return_kinds: Sequence[str], period_keys: Sequence[str]
) -> dict[SlotKey, list[Problem]]:
    results, slots = validation_results, return_slots
    query = (
        sa.select(results)
        .join(slots, sa.and_(*_same_slot(results, slots), results.c.file_sha256 == slots.c.sha256))
        .where(*_within(results, return_kinds, period_keys))
        .order_by(results.c.id)
    )
    found: dict[SlotKey, list[Problem]] = {}
    for row in connection.execute(query):
        found.setdefault((row.return_kind, row.period_key, row.unit_code), []).append(_problem(row))
    return found


def _receipts(
    connection: sa.Connection, return_kinds: Sequence[str], period_keys: Sequence[str]
) -> dict[SlotKey, list[datetime]]:
    files = received_files
    query = (
        sa.select(*files.c[SLOT], files.c.received_at)
        .where(*_within(files, return_kinds, period_keys))
        .order_by(files.c.received_at, files.c.sha256)
    )
    found: dict[SlotKey, list[datetime]] = {}
    for row in connection.execute(query):
        found.setdefault((row.return_kind, row.period_key, row.unit_code), []).append(row.received_at)
    return found


def newest_periods(connection: sa.Connection, return_kinds: Sequence[str]) -> dict[str, str]:
    """return kind → the newest period any unit has a return stored for (keys of one kind sort by time)."""
    query = (
        sa.select(return_slots.c.return_kind, sa.func.max(return_slots.c.period_key))
        .where(return_slots.c.return_kind.in_(list(return_kinds)))
        .group_by(return_slots.c.return_kind)
    )
    return {kind: newest for kind, newest in connection.execute(query)}
