"""Reading slots and accepted rows back out of the warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from govbrief.glossary import load_glossary
from govbrief.problems import Problem
from govbrief.warehouse.frame_records import meta_frame, records_frame
from govbrief.warehouse.schema import observations, received_files, return_slots


def known_slots(connection: sa.Connection, return_kind: str, period_keys: Sequence[str]) -> dict[tuple[str, str], str]:
    """(period_key, unit_code) → the sha256 of the file already processed for that slot."""
    query = sa.select(return_slots.c.period_key, return_slots.c.unit_code, return_slots.c.sha256).where(
        return_slots.c.return_kind == return_kind, return_slots.c.period_key.in_(list(period_keys))
    )
    return {(row.period_key, row.unit_code): row.sha256 for row in connection.execute(query)}


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


@dataclass(frozen=True)
class Receipt:
    """One file recorded for a return kind and period: where it was found, its size, time and content."""

    period_key: str
    origin: str
    size: int
    received_at: datetime
    sha256: str


def receipts(connection: sa.Connection, return_kind: str, period_keys: Sequence[str]) -> list[Receipt]:
    """Every file recorded for these periods of a return kind."""
    table = received_files
    query = sa.select(table.c.period_key, table.c.origin, table.c.size, table.c.received_at, table.c.sha256).where(
        table.c.return_kind == return_kind, table.c.period_key.in_(list(period_keys))
    )
    return [
        Receipt(row.period_key, row.origin, int(row.size), row.received_at, row.sha256)
        for row in connection.execute(query)
    ]
