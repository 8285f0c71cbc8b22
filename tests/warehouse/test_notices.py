"""The notices log and the slot overview, on SQLite and PostgreSQL; the 0002 migration on old databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from govbrief.warehouse import NoticeKey, Warehouse, connect, upgrade
from govbrief.warehouse.engine import create_warehouse_engine
from govbrief.warehouse.migrate import alembic_config, current_revision
from tests.warehouse.builders import FIRST_ARRIVAL, accident, outcome, problem, received, refused

PREVIOUS_HEAD = "0001"
CLERK = "clerk.donghu@shifan.example.gov.cn"


def key_for(sha256: str, recipient: str = CLERK) -> NoticeKey:
    return NoticeKey("returned", sha256, "439902", "2026-11-x2", recipient)


def test_the_notices_revision_upgrades_a_database_made_at_the_previous_head(warehouse_url: str) -> None:
    upgrade(warehouse_url, PREVIOUS_HEAD)
    engine = create_warehouse_engine(warehouse_url)
    try:
        Warehouse(engine).save_outcomes([refused(received())], run_id="before-0002")
        assert "notices" not in sa.inspect(engine).get_table_names()
        assert current_revision(engine) == PREVIOUS_HEAD
    finally:
        engine.dispose()
    with connect(warehouse_url) as upgraded:
        assert current_revision(upgraded.engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert upgraded.known_slots("safety", ["2026-11-x2"]) == {("2026-11-x2", "439902"): received().sha256}
        upgraded.mark_notice_pending(key_for(received().sha256), return_kind="safety", transport="t", message_id="<m>")
        assert upgraded.notice_status(key_for(received().sha256)) == "pending"


def test_a_notice_goes_pending_failed_pending_sent_on_one_row(warehouse: Warehouse) -> None:
    warehouse.save_outcomes([refused(received())], run_id="r1")
    key = key_for(received().sha256)
    assert warehouse.notice_status(key) is None
    warehouse.mark_notice_pending(key, return_kind="safety", transport="smtp", message_id="<m1@x>")
    warehouse.mark_notice(key, "failed", error="451 try later")
    (failed,) = warehouse.notice_records()
    assert (failed.status, failed.attempts, failed.error, failed.sent_at) == ("failed", 1, "451 try later", None)
    warehouse.mark_notice_pending(key, return_kind="safety", transport="smtp", message_id="<m1@x>")
    warehouse.mark_notice(key, "sent")
    (sent,) = warehouse.notice_records()
    assert (sent.status, sent.attempts, sent.error, sent.key) == ("sent", 2, None, key)
    assert sent.sent_at is not None and sent.sent_at.utcoffset() == timedelta(0)


def test_each_file_and_recipient_has_its_own_notice(warehouse: Warehouse) -> None:
    first, second = refused(received(content="v1")), refused(received(content="v2"))
    warehouse.save_outcomes([first, second], run_id="r1")
    keys = [key_for(first.file.sha256), key_for(second.file.sha256), key_for(first.file.sha256, "deputy@x.cn")]
    for key in keys:
        warehouse.mark_notice_pending(key, return_kind="safety", transport="t", message_id="<m>")
    warehouse.mark_notice(keys[1], "sent")
    assert [r.key for r in warehouse.notice_records(unit_code="439902", period_key="2026-11-x2")] == keys
    assert [warehouse.notice_status(k) for k in keys] == ["pending", "sent", "pending"]
    assert warehouse.notice_records(unit_code="439903") == []


def test_a_notice_is_about_a_received_file(warehouse: Warehouse) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        warehouse.mark_notice_pending(key_for("0" * 64), return_kind="safety", transport="t", message_id="<m>")
    with pytest.raises(LookupError):
        warehouse.mark_notice(key_for("0" * 64), "sent")


def test_the_overview_covers_many_periods_with_receipts_and_current_problems(warehouse: Warehouse) -> None:
    later = FIRST_ARRIVAL + timedelta(days=3)
    warehouse.save_outcomes([outcome(received(content="v1"), problems=[problem("warning")])], run_id="r1")
    warehouse.save_outcomes([refused(received(content="v2", at=later))], run_id="r2")
    other_period = outcome(received("439903", period="2026-11-x1"), accident("A-1", "2026-11-02"))
    other_kind = outcome(received("439903", period="2026-11-x2", kind="debt"))
    warehouse.save_outcomes([other_period, other_kind], run_id="r3")
    overview = warehouse.slot_overview(["safety"], ["2026-11-x1", "2026-11-x2"])
    assert sorted(overview) == [("safety", "2026-11-x1", "439903"), ("safety", "2026-11-x2", "439902")]
    corrected = overview[("safety", "2026-11-x2", "439902")]
    assert (corrected.status, corrected.revisions, corrected.receipts) == ("refused", 2, (FIRST_ARRIVAL, later))
    assert corrected.sha256 == received(content="v2").sha256 and corrected.received_at == later
    assert [p.rule for p in corrected.problems] == ["unknown_sector"]  # not the first file's warning
    assert overview[("safety", "2026-11-x1", "439903")].original_name == "西山县安全生产旬报表.xlsx"
    assert warehouse.slot_overview([], ["2026-11-x2"]) == {}
