"""Reading slots and accepted rows back out of the warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa

from govbrief.glossary import load_glossary
from govbrief.problems import Problem
from govbrief.warehouse.frames import meta_frame, records_frame
from govbrief.warehouse.records import SlotStatus
from govbrief.warehouse.schema import observations, received_files, return_slots, validation_results


def known_slots(connection: sa.Connection, return_kind: str, period_keys: Sequence[str]) -> dict[tuple[str, str], str]:
    """(period_key, unit_code) → the sha256 of the file already processed for that slot."""
    query = sa.select(return_slots.c.period_key, return_slots.c.unit_code, return_slots.c.sha256).where(
        return_slots.c.return_kind == return_kind, return_slots.c.period_key.in_(list(period_keys))
    )
    return {(row.period_key, row.unit_code): row.sha256 for row in connection.execute(query)}


def slot_statuses(connection: sa.Connection, return_kind: str, period_key: str) -> dict[str, SlotStatus]:
    """unit_code → the state of its return for the period, with the problems of the file that counts."""
    slots, files = return_slots, received_files
    joined = slots.join(
        files,
        sa.and_(*(slots.c[name] == files.c[name] for name in ("return_kind", "period_key", "unit_code", "sha256"))),
    )
    query = (
        sa.select(slots, files.c.original_name)
        .select_from(joined)
        .where(slots.c.return_kind == return_kind, slots.c.period_key == period_key)
        .order_by(slots.c.unit_code)
    )
    problems = _current_problems(connection, return_kind, period_key)
    return {
        row.unit_code: SlotStatus(
            unit_code=row.unit_code,
            status=row.status,
            sha256=row.sha256,
            original_name=row.original_name,
            received_at=row.received_at,
            revisions=row.revisions,
            updated_at=row.updated_at,
            problems=problems.get(row.unit_code, []),
        )
        for row in connection.execute(query)
    }


def _current_problems(connection: sa.Connection, return_kind: str, period_key: str) -> dict[str, list[Problem]]:
    results, slots = validation_results, return_slots
    query = (
        sa.select(results)
        .join(
            slots,
            sa.and_(
                *(results.c[name] == slots.c[name] for name in ("return_kind", "period_key", "unit_code")),
                results.c.file_sha256 == slots.c.sha256,
            ),
        )
        .where(results.c.return_kind == return_kind, results.c.period_key == period_key)
        .order_by(results.c.id)
    )
    problems: dict[str, list[Problem]] = {}
    for row in connection.execute(query):
        problems.setdefault(row.unit_code, []).append(_problem(row))
    return problems


def _problem(row: sa.Row[Any]) -> Problem:
    return Problem(
        severity=row.severity,
        rule=row.rule,
        message_zh=row.message_zh,
        message_en=row.message_en,
        file=row.file_name,
        sheet=row.sheet,
        row=row.row_no,
        column=row.column_name,
        value=row.value,
    )


def load_observations(
    connection: sa.Connection,
    sheet_id: str,
    start: date,
    end: date,
    unit_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Accepted rows of a sheet for periods ending in [start, end], typed by the glossary."""
    sheet = load_glossary().sheet(sheet_id)
    table = observations
    query = (
        sa.select(table)
        .where(table.c.sheet_id == sheet_id, table.c.period_end.between(start, end))
        .order_by(table.c.period_end, table.c.unit_code, table.c.return_kind, table.c.row_no, table.c.id)
    )
    if unit_codes is not None:
        query = query.where(table.c.unit_code.in_(list(unit_codes)))
    rows = [row._asdict() for row in connection.execute(query)]
    data = records_frame(sheet, [row["record"] for row in rows])
    return pd.concat([data, meta_frame(rows)], axis=1)
