"""Create the warehouse tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

A frozen snapshot: it does not import govbrief.warehouse.schema, so later
changes to the schema go into new revisions (tests compare the two).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
SLOT = ["return_kind", "period_key", "unit_code"]
RECEIVED_FILE_KEY = [f"received_files.{c}" for c in (*SLOT, "sha256")]


def slot_columns() -> list[sa.Column]:
    return [
        sa.Column("return_kind", sa.String(40), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "received_files",
        *slot_columns(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("archive_path", sa.Text(), nullable=False),
        sa.Column("first_seen_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint(*SLOT, "sha256", name="pk_received_files"),
    )
    op.create_index("ix_received_files_sha256", "received_files", ["sha256"])

    op.create_table(
        "return_slots",
        *slot_columns(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.CheckConstraint("status IN ('accepted', 'refused')", name="ck_return_slots_status"),
        sa.ForeignKeyConstraint(
            [*SLOT, "sha256"], RECEIVED_FILE_KEY, name="fk_return_slots_received_file"
        ),
        sa.PrimaryKeyConstraint(*SLOT, name="pk_return_slots"),
    )

    op.create_table(
        "observations",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        *slot_columns(),
        sa.Column("sheet_id", sa.String(40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("record", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(
            [*SLOT, "file_sha256"], RECEIVED_FILE_KEY, name="fk_observations_received_file"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_observations"),
    )
    op.create_index(
        "ix_observations_sheet_period_unit", "observations", ["sheet_id", "period_end", "unit_code"]
    )
    op.create_index("ix_observations_slot", "observations", SLOT)

    op.create_table(
        "validation_results",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        *slot_columns(),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=True),
        sa.Column("column_name", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.CheckConstraint("severity IN ('error', 'warning')", name="ck_validation_results_severity"),
        sa.ForeignKeyConstraint(
            [*SLOT, "file_sha256"], RECEIVED_FILE_KEY, name="fk_validation_results_received_file"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_validation_results"),
    )
    op.create_index(
        "ix_validation_results_file", "validation_results", [*SLOT, "file_sha256"]
    )

    op.create_table(
        "briefs",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", JSON_DOCUMENT, nullable=False),
        sa.Column("source_files", JSON_DOCUMENT, nullable=False),
        sa.Column("is_correction", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_briefs"),
        sa.UniqueConstraint("kind", "period_key", "version", name="uq_briefs_kind_period_key_version"),
    )

    op.create_table(
        "deliveries",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("brief_id", BIG_ID, nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("transport", sa.String(40), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_deliveries_status"),
        sa.ForeignKeyConstraint(["brief_id"], ["briefs.id"], name="fk_deliveries_brief_id_briefs"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("brief_id", "recipient", name="uq_deliveries_brief_id_recipient"),
    )

    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("flow", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("summary", JSON_DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_runs"),
    )


def downgrade() -> None:
    for table in (
        "runs",
        "deliveries",
        "briefs",
        "validation_results",
        "observations",
        "return_slots",
        "received_files",
    ):
        op.drop_table(table)
