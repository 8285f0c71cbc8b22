"""The warehouse tables, as SQLAlchemy Core metadata.

Alembic revisions in migrations/versions are frozen copies of what these
tables looked like; a test compares the two so they never drift apart.
Accepted rows are stored as one JSON record per canonical row, so a new
dataset (debt, key tasks) needs a glossary entry, not a migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC (SQLite keeps no offset, so we normalise)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the warehouse stores timezone-aware times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JsonDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# SQLite only auto-increments an INTEGER PRIMARY KEY, not a BIGINT one.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SLOT = ("return_kind", "period_key", "unit_code")
FILE_KEY = (*SLOT, "file_sha256")
RECEIVED_FILE_KEY = tuple(f"received_files.{c}" for c in (*SLOT, "sha256"))


def _slot_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("return_kind", sa.String(40), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
    ]


received_files = sa.Table(
    "received_files",
    metadata,
    *_slot_columns(),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("original_name", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("archive_path", sa.Text, nullable=False),
    sa.Column("first_seen_at", UtcDateTime, nullable=False),
    # Keyed by slot and content: identical bytes sent for two periods are two receipts.
    sa.PrimaryKeyConstraint(*SLOT, "sha256"),
    sa.Index(None, "sha256"),
)

return_slots = sa.Table(
    "return_slots",
    metadata,
    *_slot_columns(),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("revisions", sa.Integer, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.PrimaryKeyConstraint(*SLOT),
    sa.ForeignKeyConstraint([*SLOT, "sha256"], RECEIVED_FILE_KEY, name="fk_return_slots_received_file"),
    sa.CheckConstraint("status IN ('accepted', 'refused')", name="status"),
)

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    *_slot_columns(),
    sa.Column("sheet_id", sa.String(40), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("row_no", sa.Integer, nullable=False),
    sa.Column("record", JsonDocument, nullable=False),
    sa.ForeignKeyConstraint(FILE_KEY, RECEIVED_FILE_KEY, name="fk_observations_received_file"),
    sa.Index("ix_observations_sheet_period_unit", "sheet_id", "period_end", "unit_code"),
    sa.Index("ix_observations_slot", *SLOT),
)

validation_results = sa.Table(
    "validation_results",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    *_slot_columns(),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("rule", sa.String(80), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sheet", sa.Text, nullable=False),
    sa.Column("row_no", sa.Integer, nullable=True),
    sa.Column("column_name", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("message_zh", sa.Text, nullable=False),
    sa.Column("message_en", sa.Text, nullable=False),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.ForeignKeyConstraint(FILE_KEY, RECEIVED_FILE_KEY, name="fk_validation_results_received_file"),
    sa.Index("ix_validation_results_file", *FILE_KEY),
    sa.CheckConstraint("severity IN ('error', 'warning')", name="severity"),
)

briefs = sa.Table(
    "briefs",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("period_key", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("data", JsonDocument, nullable=False),
    sa.Column("source_files", JsonDocument, nullable=False),
    sa.Column("is_correction", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.UniqueConstraint("kind", "period_key", "version"),
)


runs = sa.Table(
    "runs",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("flow", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("period_key", sa.String(16), nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("finished_at", UtcDateTime, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("summary", JsonDocument, nullable=False),
)

send_log = sa.Table(
    "send_log",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("item", sa.String(200), nullable=False),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("brief_id", BigId, sa.ForeignKey("briefs.id"), nullable=True),
    sa.Column("return_kind", sa.String(40), nullable=True),
    sa.Column("period_key", sa.String(16), nullable=True),
    sa.Column("unit_code", sa.String(20), nullable=True),
    sa.Column("file_sha256", sa.String(64), nullable=True),
    sa.Column("alert_kind", sa.String(20), nullable=True),
    sa.Column("transport", sa.String(40), nullable=False),
    sa.Column("message_id", sa.Text, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("sent_at", UtcDateTime, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    # Once per item and recipient: a rerun finds the row instead of mailing again.
    sa.UniqueConstraint("channel", "item", "recipient"),
    sa.Index(None, "brief_id"),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
    sa.CheckConstraint("channel IN ('brief', 'returned', 'alert', 'ops')", name="channel"),
)
