"""Writing received files and validated returns: one slot per unit, period and kind.

The latest received file of a slot is the one that counts. Writes replace
(delete then insert) so a rerun leaves the same rows, and a corrected return
replaces the figures of the one it corrects instead of adding to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from govbrief.calendar.periods import parse_period
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.problems import Problem
from govbrief.warehouse.engine import dialect_insert
from govbrief.warehouse.frame_records import frame_records
from govbrief.warehouse.schema import SLOT, observations, received_files, return_slots, validation_results

SlotKey = tuple[str, str, str]  # return_kind, period_key, unit_code


def slot_key(file: ReceivedFile) -> SlotKey:
    """The slot a file fills."""
    return file.return_kind, file.period_key, file.unit_code


def record_files(connection: sa.Connection, files: Iterable[ReceivedFile], now: datetime) -> None:
    """Store receipts; a file already stored for its slot is left as first seen."""
    unique = {(*slot_key(f), f.sha256): f for f in files}
    rows = [_file_row(f, now) for f in unique.values()]
    if rows:
        connection.execute(dialect_insert(connection, received_files).on_conflict_do_nothing(), rows)


def _file_row(file: ReceivedFile, now: datetime) -> dict[str, Any]:
    return {
        "return_kind": file.return_kind,
        "period_key": file.period_key,
        "unit_code": file.unit_code,
        "sha256": file.sha256,
        "original_name": file.original_name,
        "origin": file.origin,
        "size": file.size,
        "received_at": file.received_at,
        "archive_path": file.archive_path,
        "first_seen_at": now,
    }


def save_outcomes(connection: sa.Connection, outcomes: Sequence[ReturnOutcome], *, run_id: str, now: datetime) -> None:
    """Store files, problems, slot states and accepted rows; the caller owns the transaction."""
    if not outcomes:
        return
    by_file = {(*slot_key(o.file), o.file.sha256): o for o in outcomes}
    record_files(connection, (o.file for o in by_file.values()), now)
    replace_problems(connection, list(by_file.values()), run_id)
    latest = latest_per_slot(by_file.values())
    current = _current_received_at(connection, latest.keys())
    winners = [o for key, o in latest.items() if key not in current or current[key] <= o.file.received_at]
    revisions = _revision_counts(connection, latest.keys())
    _upsert_slots(connection, winners, revisions, run_id, now)
    taken = {slot_key(o.file) for o in winners}
    _refresh_revisions(connection, [key for key in latest if key not in taken], revisions)
    replace_observations(connection, winners)


def latest_per_slot(outcomes: Iterable[ReturnOutcome]) -> dict[SlotKey, ReturnOutcome]:
    """For each slot, the outcome of the most recently received file (ties broken by hash)."""
    latest: dict[SlotKey, ReturnOutcome] = {}
    for outcome in outcomes:
        key = slot_key(outcome.file)
        held = latest.get(key)
        if held is None or _recency(outcome) > _recency(held):
            latest[key] = outcome
    return latest


def _recency(outcome: ReturnOutcome) -> tuple[datetime, str]:
    return outcome.file.received_at, outcome.file.sha256


def replace_problems(connection: sa.Connection, outcomes: Sequence[ReturnOutcome], run_id: str) -> None:
    """Each file's problems from this run replace the ones stored for it before."""
    if not outcomes:
        return
    table = validation_results
    connection.execute(
        sa.delete(table).where(*_slot_matches(table), table.c.file_sha256 == sa.bindparam("b_sha256")),
        [{**_slot_params(slot_key(o.file)), "b_sha256": o.file.sha256} for o in outcomes],
    )
    rows = [_problem_row(o.file, p, run_id) for o in outcomes for p in o.problems]
    if rows:
        connection.execute(sa.insert(table), rows)


def _problem_row(file: ReceivedFile, problem: Problem, run_id: str) -> dict[str, Any]:
    return {
        "return_kind": file.return_kind,
        "period_key": file.period_key,
        "unit_code": file.unit_code,
        "file_sha256": file.sha256,
        "severity": problem.severity,
        "rule": problem.rule,
        "file_name": problem.file,
        "sheet": problem.sheet,
        "row_no": problem.row,
        "column_name": problem.column,
        "value": problem.value,
        "message_zh": problem.message_zh,
        "message_en": problem.message_en,
        "run_id": run_id,
    }


def _slot_matches(table: sa.Table) -> list[sa.ColumnElement[bool]]:
    return [table.c[name] == sa.bindparam(f"b_{name}") for name in SLOT]


def _slot_params(key: SlotKey) -> dict[str, str]:
    return {f"b_{name}": value for name, value in zip(SLOT, key, strict=True)}


def _slots_query(table: sa.Table, keys: Iterable[SlotKey], *columns: sa.ColumnElement[Any]) -> sa.Select[Any]:
    """Rows of `table` for the kinds and periods of `keys` (a superset; callers filter by key)."""
    keys = list(keys)
    return sa.select(table.c.return_kind, table.c.period_key, table.c.unit_code, *columns).where(
        table.c.return_kind.in_({k[0] for k in keys}), table.c.period_key.in_({k[1] for k in keys})
    )


def _current_received_at(connection: sa.Connection, keys: Iterable[SlotKey]) -> dict[SlotKey, datetime]:
    wanted = set(keys)
    rows = connection.execute(_slots_query(return_slots, wanted, return_slots.c.received_at))
    return {(r[0], r[1], r[2]): r[3] for r in rows if (r[0], r[1], r[2]) in wanted}


def _revision_counts(connection: sa.Connection, keys: Iterable[SlotKey]) -> dict[SlotKey, int]:
    wanted = set(keys)
    query = _slots_query(received_files, wanted, sa.func.count()).group_by(*received_files.c[SLOT])
    return {(r[0], r[1], r[2]): int(r[3]) for r in connection.execute(query) if (r[0], r[1], r[2]) in wanted}


def _upsert_slots(
    connection: sa.Connection,
    winners: Sequence[ReturnOutcome],
    revisions: dict[SlotKey, int],
    run_id: str,
    now: datetime,
) -> None:
    if not winners:
        return
    rows = [
        {
            **dict(zip(SLOT, slot_key(o.file), strict=True)),
            "sha256": o.file.sha256,
            "status": o.status,
            "received_at": o.file.received_at,
            "revisions": revisions[slot_key(o.file)],
            "updated_at": now,
            "run_id": run_id,
        }
        for o in winners
    ]
    insert = dialect_insert(connection, return_slots)
    updated = {name: insert.excluded[name] for name in rows[0] if name not in SLOT}
    connection.execute(insert.on_conflict_do_update(index_elements=list(SLOT), set_=updated), rows)


def _refresh_revisions(connection: sa.Connection, keys: Sequence[SlotKey], revisions: dict[SlotKey, int]) -> None:
    """A late-arriving older file still counts as a revision of a slot it does not take over."""
    if keys:
        statement = (
            sa.update(return_slots).where(*_slot_matches(return_slots)).values(revisions=sa.bindparam("b_revisions"))
        )
        connection.execute(statement, [{**_slot_params(k), "b_revisions": revisions[k]} for k in keys])


def replace_observations(connection: sa.Connection, winners: Sequence[ReturnOutcome]) -> None:
    """The slot's rows become the accepted file's rows; a refused file leaves the slot empty."""
    if not winners:
        return
    connection.execute(
        sa.delete(observations).where(*_slot_matches(observations)),
        [_slot_params(slot_key(o.file)) for o in winners],
    )
    rows = [row for o in winners if o.status == "accepted" for row in observation_rows(o)]
    if rows:
        connection.execute(sa.insert(observations), rows)


def observation_rows(outcome: ReturnOutcome) -> list[dict[str, Any]]:
    """One insert row per canonical row of every frame of an accepted return."""
    file = outcome.file
    period = parse_period(file.period_key)
    common = {
        "return_kind": file.return_kind,
        "period_key": file.period_key,
        "unit_code": file.unit_code,
        "period_start": period.start,
        "period_end": period.end,
        "file_sha256": file.sha256,
    }
    return [
        {**common, "sheet_id": sheet_id, "row_no": row_no, "record": record}
        for sheet_id, frame in outcome.frames.items()
        for row_no, record in frame_records(frame)
    ]
