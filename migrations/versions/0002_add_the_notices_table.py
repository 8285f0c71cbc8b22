"""Add the notices table: 退回重报 emails to county clerks, one per received file and recipient.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

A frozen snapshot like 0001: it does not import govbrief.warehouse.schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
SLOT = ["return_kind", "period_key", "unit_code"]
RECEIVED_FILE_KEY = [f"received_files.{c}" for c in (*SLOT, "sha256")]


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("return_kind", sa.String(40), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("transport", sa.String(40), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_notices_status"),
        sa.ForeignKeyConstraint(
            [*SLOT, "file_sha256"], RECEIVED_FILE_KEY, name="fk_notices_received_file"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
        sa.UniqueConstraint(
            "kind",
            "file_sha256",
            "unit_code",
            "period_key",
            "recipient",
            name="uq_notices_kind_file_sha256_unit_code_period_key_recipient",
        ),
    )


def downgrade() -> None:
    op.drop_table("notices")
