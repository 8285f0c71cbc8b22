"""The one send log on SQLite and PostgreSQL: one row per message and recipient, attempts counted,
the last outcome kept; and the 0005 migration, which merged the three old logs keeping every row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from govbrief.warehouse import SendAbout, SendKey, Warehouse, connect, upgrade
from govbrief.warehouse.engine import create_warehouse_engine
from govbrief.warehouse.migrate import alembic_config, migration_lock
from govbrief.warehouse.schema import send_log
from tests.warehouse.builders import received, refused

MAYOR = "mayor@shifan.example.gov.cn"
CLERK = "clerk.donghu@shifan.example.gov.cn"
ALERT = SendKey("alert", "accident:439902:A-2", MAYOR)
ABOUT = SendAbout("东湖县发生较大道路交通事故", None, "safety", "2026-11-x2", "439902", "a" * 64, "accident")


def test_an_unknown_message_has_no_row(warehouse: Warehouse) -> None:
    assert warehouse.send_record(ALERT) is None


def test_a_message_goes_pending_failed_pending_sent_on_one_row(warehouse: Warehouse) -> None:
    warehouse.mark_send_pending(ALERT, ABOUT, transport="smtp", message_id="<m1@x>")
    assert warehouse.send_record(ALERT).status == "pending"  # type: ignore[union-attr]
    warehouse.mark_sent(ALERT, "failed", error="451 try later")
    failed = warehouse.send_record(ALERT)
    assert failed is not None and (failed.status, failed.attempts, failed.error, failed.sent_at) == (
        "failed",
        1,
        "451 try later",
        None,
    )
    warehouse.mark_send_pending(ALERT, ABOUT, transport="smtp", message_id="<m1@x>")
    warehouse.mark_sent(ALERT, "sent")
    [sent] = warehouse.send_records()
    assert (sent.status, sent.attempts, sent.error, sent.key) == ("sent", 2, None, ALERT)
    assert sent.sent_at is not None and sent.sent_at.utcoffset() == timedelta(0)
    assert (sent.subject, sent.alert_kind, sent.unit_code) == ("东湖县发生较大道路交通事故", "accident", "439902")


def test_each_channel_item_and_recipient_is_its_own_row(warehouse: Warehouse) -> None:
    keys = [
        ALERT,
        SendKey("alert", "accident:439902:A-7", MAYOR),
        SendKey("alert", ALERT.item, "deputy@shifan.example.gov.cn"),
        SendKey("returned", f"safety/2026-11-x2/439902/{'b' * 64}", CLERK),
        SendKey("ops", "run-failed/abc", "ops@shifan.example.gov.cn"),
    ]
    for key in keys:
        warehouse.mark_send_pending(key, SendAbout(unit_code="439902"), transport="t", message_id="<m>")
    warehouse.mark_sent(keys[1], "sent")
    assert [r.key for r in warehouse.send_records()] == keys
    assert [r.key for r in warehouse.send_records(channel="alert", recipient=MAYOR)] == keys[:2]
    assert [r.key for r in warehouse.send_records(channel="returned", unit_code="439902")] == [keys[3]]
    assert [warehouse.send_record(k).status for k in keys[:2]] == ["pending", "sent"]  # type: ignore[union-attr]
    with pytest.raises(TypeError, match="filters by"):
        warehouse.send_records(status="sent")


def test_the_database_refuses_a_second_row_for_the_same_message(warehouse: Warehouse) -> None:
    warehouse.mark_send_pending(ALERT, ABOUT, transport="smtp", message_id="<m1@x>")
    duplicate = {
        "channel": "alert",
        "item": ALERT.item,
        "recipient": MAYOR,
        "subject": "",
        "transport": "smtp",
        "message_id": "<m9@x>",
        "status": "pending",
        "attempts": 1,
        "updated_at": warehouse.clock.now(),
    }
    with pytest.raises(sa.exc.IntegrityError), warehouse.engine.begin() as connection:
        connection.execute(sa.insert(send_log), duplicate)


def test_an_outcome_cannot_be_recorded_before_the_attempt(warehouse: Warehouse) -> None:
    with pytest.raises(LookupError, match="mark it pending first"):
        warehouse.mark_sent(ALERT, "sent")


def test_unsent_are_the_failed_and_the_long_pending_of_a_channel(warehouse: Warehouse) -> None:
    stuck, failed, fine = (SendKey("alert", f"accident:439902:A-{n}", MAYOR) for n in (1, 2, 3))
    for key in (stuck, failed, fine):
        warehouse.mark_send_pending(key, ABOUT, transport="t", message_id="<m>")
    warehouse.mark_sent(failed, "failed", "421")
    warehouse.mark_sent(fine, "sent")
    now = datetime.now(UTC)
    assert [r.key for r in warehouse.unsent("alert", stale_before=now - timedelta(minutes=10))] == [failed]
    assert [r.key for r in warehouse.unsent("alert", stale_before=now + timedelta(seconds=1))] == [stuck, failed]
    assert warehouse.unsent("returned", stale_before=now + timedelta(seconds=1)) == []


# ----- the 0005 migration: three logs → one, every row kept ------------------------------------
OLD_ROWS: dict[str, list[dict[str, Any]]] = {
    "deliveries": [
        {"recipient": MAYOR, "message_id": "<d1>", "status": "sent", "attempts": 1, "error": None},
        {"recipient": "deputy@x.cn", "message_id": "<d2>", "status": "failed", "attempts": 3, "error": "550"},
    ],
    "notices": [
        {"kind": "returned", "recipient": CLERK, "message_id": "<n1>", "status": "pending", "attempts": 1},
    ],
    "alert_notices": [
        {
            "event_key": "accident:439902:A-2",
            "recipient": MAYOR,
            "alert_kind": "accident",
            "title": "东湖县发生较大道路交通事故",
            "message_id": "<a1>",
            "status": "sent",
            "attempts": 2,
        },
    ],
}


def _old_database(url: str) -> None:
    """A warehouse at revision 0004 whose three logs hold rows of every status."""
    upgrade(url, "0004")
    engine = create_warehouse_engine(url)
    now = datetime(2026, 11, 21, 1, 30, tzinfo=UTC)
    file = refused(received()).file
    try:
        Warehouse(engine).save_outcomes([refused(received())], run_id="before-0005")
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO briefs (kind, period_key, version, content_hash, created_at, subject, html, text, "
                    "data, source_files, is_correction, note) "
                    "VALUES ('ten_day', '2026-11-x2', 2, 'h', :now, '旬简报第32期', '', '', '{}', '[]', false, '')"
                ),
                {"now": now},
            )
            brief_id = connection.exec_driver_sql("SELECT id FROM briefs").scalar_one()
            common = {"transport": "smtp", "sent_at": None, "error": None, "updated_at": now}
            slot = {"return_kind": "safety", "period_key": "2026-11-x2", "unit_code": "439902"}
            for row in OLD_ROWS["deliveries"]:
                connection.execute(_table(connection, "deliveries").insert(), {**common, **row, "brief_id": brief_id})
            for row in OLD_ROWS["notices"]:
                values = {**common, **slot, **row, "file_sha256": file.sha256}
                connection.execute(_table(connection, "notices").insert(), values)
            for row in OLD_ROWS["alert_notices"]:
                values = {**common, **slot, **row, "file_sha256": file.sha256}
                connection.execute(_table(connection, "alert_notices").insert(), values)
    finally:
        engine.dispose()


def _table(connection: sa.Connection, name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=connection)


def test_the_merge_keeps_every_row_of_every_log(warehouse_url: str) -> None:
    _old_database(warehouse_url)
    with connect(warehouse_url) as merged:
        names = set(sa.inspect(merged.engine).get_table_names())
        assert {"deliveries", "notices", "alert_notices"}.isdisjoint(names) and "send_log" in names
        records = merged.send_records()
    sha = refused(received()).file.sha256
    assert [(r.channel, r.item, r.recipient, r.message_id, r.status, r.attempts, r.error) for r in records] == [
        ("brief", "ten_day/2026-11-x2/v2", MAYOR, "<d1>", "sent", 1, None),
        ("brief", "ten_day/2026-11-x2/v2", "deputy@x.cn", "<d2>", "failed", 3, "550"),
        ("returned", f"safety/2026-11-x2/439902/{sha}", CLERK, "<n1>", "pending", 1, None),
        ("alert", "accident:439902:A-2", MAYOR, "<a1>", "sent", 2, None),
    ]
    assert records[0].subject == "旬简报第32期" and records[0].brief_id is not None
    assert (records[2].unit_code, records[2].file_sha256) == ("439902", sha)
    assert (records[3].subject, records[3].alert_kind) == ("东湖县发生较大道路交通事故", "accident")


def test_the_merge_can_be_undone_keeping_the_rows(warehouse_url: str) -> None:
    _old_database(warehouse_url)
    upgrade(warehouse_url)
    engine = create_warehouse_engine(warehouse_url)
    try:
        config = alembic_config()
        with migration_lock(engine) as connection:  # as ops would: alembic downgrade 0004
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        with engine.connect() as connection:
            counts = {
                name: connection.execute(sa.select(sa.func.count()).select_from(_table(connection, name))).scalar_one()
                for name in OLD_ROWS
            }
    finally:
        engine.dispose()
    assert counts == {name: len(rows) for name, rows in OLD_ROWS.items()}
