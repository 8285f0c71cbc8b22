"""Add the run_locks table: one run at a time per brief and period.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

A frozen snapshot like 0001: it does not import govbrief.warehouse.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "run_locks",
        sa.Column("lock_key", sa.String(120), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("acquired_at", TIMESTAMP, nullable=False),
        sa.Column("heartbeat_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("lock_key", name="pk_run_locks"),
    )


def downgrade() -> None:
    op.drop_table("run_locks")
