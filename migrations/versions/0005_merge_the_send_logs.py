"""Merge deliveries, notices and alert_notices into one send_log, keeping every row.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

A frozen snapshot like 0001: it does not import govbrief.warehouse. Every row of the three
logs becomes a send_log row with the same recipient, transport, Message-ID, status, attempts
and times, so nothing sent is sent again and nothing pending is forgotten:

- deliveries    → channel 'brief',    item '<kind>/<period>/v<version>' (from its brief), brief_id kept;
- notices       → channel 'returned', item '<return kind>/<period>/<unit>/<sha256>';
- alert_notices → channel 'alert',    item '<event key>', subject '<title>'.

The downgrade copies them back (ops notices, new with this revision, have nowhere to go).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
ATTEMPT = "transport, message_id, status, attempts, sent_at, error, updated_at"
STATUS_CHECK = "status IN ('pending', 'sent', 'failed')"


def upgrade() -> None:
    op.create_table(
        "send_log",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("brief_id", BIG_ID, nullable=True),
        sa.Column("return_kind", sa.String(40), nullable=True),
        sa.Column("period_key", sa.String(16), nullable=True),
        sa.Column("unit_code", sa.String(20), nullable=True),
        sa.Column("file_sha256", sa.String(64), nullable=True),
        sa.Column("alert_kind", sa.String(20), nullable=True),
        sa.Column("transport", sa.String(40), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(STATUS_CHECK, name="ck_send_log_status"),
        sa.CheckConstraint("channel IN ('brief', 'returned', 'alert', 'ops')", name="ck_send_log_channel"),
        sa.ForeignKeyConstraint(["brief_id"], ["briefs.id"], name="fk_send_log_brief_id_briefs"),
        sa.PrimaryKeyConstraint("id", name="pk_send_log"),
        sa.UniqueConstraint("channel", "item", "recipient", name="uq_send_log_channel_item_recipient"),
    )
    op.create_index("ix_send_log_brief_id", "send_log", ["brief_id"])
    op.execute(
        "INSERT INTO send_log (channel, item, recipient, subject, brief_id, " + ATTEMPT + ") "
        "SELECT 'brief', b.kind || '/' || b.period_key || '/v' || CAST(b.version AS TEXT), d.recipient, "
        "b.subject, d.brief_id, d.transport, d.message_id, d.status, d.attempts, d.sent_at, d.error, d.updated_at "
        "FROM deliveries d JOIN briefs b ON b.id = d.brief_id ORDER BY d.id"
    )
    op.execute(
        "INSERT INTO send_log (channel, item, recipient, subject, return_kind, period_key, unit_code, "
        "file_sha256, " + ATTEMPT + ") "
        "SELECT 'returned', return_kind || '/' || period_key || '/' || unit_code || '/' || file_sha256, recipient, "
        "'', return_kind, period_key, unit_code, file_sha256, " + ATTEMPT + " FROM notices ORDER BY id"
    )
    op.execute(
        "INSERT INTO send_log (channel, item, recipient, subject, return_kind, period_key, unit_code, "
        "file_sha256, alert_kind, " + ATTEMPT + ") "
        "SELECT 'alert', event_key, recipient, title, return_kind, period_key, unit_code, file_sha256, alert_kind, "
        + ATTEMPT
        + " FROM alert_notices ORDER BY id"
    )
    op.drop_table("alert_notices")
    op.drop_table("notices")
    op.drop_table("deliveries")


def downgrade() -> None:
    _create_old_tables()
    op.execute(
        "INSERT INTO deliveries (brief_id, recipient, " + ATTEMPT + ") "
        "SELECT brief_id, recipient, " + ATTEMPT + " FROM send_log WHERE channel = 'brief' ORDER BY id"
    )
    op.execute(
        "INSERT INTO notices (kind, return_kind, period_key, unit_code, file_sha256, recipient, " + ATTEMPT + ") "
        "SELECT 'returned', return_kind, period_key, unit_code, file_sha256, recipient, " + ATTEMPT + " "
        "FROM send_log WHERE channel = 'returned' ORDER BY id"
    )
    op.execute(
        "INSERT INTO alert_notices (event_key, recipient, alert_kind, return_kind, period_key, unit_code, "
        "file_sha256, title, " + ATTEMPT + ") "
        "SELECT item, recipient, alert_kind, return_kind, period_key, unit_code, file_sha256, subject, "
        + ATTEMPT
        + " FROM send_log WHERE channel = 'alert' ORDER BY id"
    )
    op.drop_index("ix_send_log_brief_id", table_name="send_log")
    op.drop_table("send_log")


def _attempt_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("transport", sa.String(40), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    ]


def _create_old_tables() -> None:
    """The three logs as revisions 0001-0003 left them."""
    op.create_table(
        "deliveries",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("brief_id", BIG_ID, nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        *_attempt_columns(),
        sa.CheckConstraint(STATUS_CHECK, name="ck_deliveries_status"),
        sa.ForeignKeyConstraint(["brief_id"], ["briefs.id"], name="fk_deliveries_brief_id_briefs"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("brief_id", "recipient", name="uq_deliveries_brief_id_recipient"),
    )
    slot = ["return_kind", "period_key", "unit_code"]
    op.create_table(
        "notices",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("return_kind", sa.String(40), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        *_attempt_columns(),
        sa.CheckConstraint(STATUS_CHECK, name="ck_notices_status"),
        sa.ForeignKeyConstraint(
            [*slot, "file_sha256"],
            [f"received_files.{c}" for c in (*slot, "sha256")],
            name="fk_notices_received_file",
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
        *_attempt_columns(),
        sa.CheckConstraint(STATUS_CHECK, name="ck_alert_notices_status"),
        sa.PrimaryKeyConstraint("id", name="pk_alert_notices"),
        sa.UniqueConstraint("event_key", "recipient", name="uq_alert_notices_event_key_recipient"),
    )
