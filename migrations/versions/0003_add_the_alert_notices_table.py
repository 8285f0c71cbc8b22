"""Add the alert_notices table: immediate alerts to leaders, one per event and recipient.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

A frozen snapshot like 0001: it does not import govbrief.warehouse.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_notices",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("event_key", sa.String(200), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("alert_kind", sa.String(20), nullable=False),
        sa.Column("return_kind", sa.String(40), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("transport", sa.String(40), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_alert_notices_status"),
        sa.PrimaryKeyConstraint("id", name="pk_alert_notices"),
        sa.UniqueConstraint("event_key", "recipient", name="uq_alert_notices_event_key_recipient"),
    )


def downgrade() -> None:
    op.drop_table("alert_notices")
