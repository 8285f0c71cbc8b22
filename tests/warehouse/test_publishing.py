"""Brief versions, deliveries and runs."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from govbrief.warehouse import BriefRecord, Warehouse
from govbrief.warehouse.schema import deliveries

METRICS: dict[str, Any] = {"deaths": 3, "accidents": 2, "lagging": ["东湖县"], "ratio": 0.125}


def save(warehouse: Warehouse, content_hash: str, period_key: str = "2026-11-x2", **extra: Any) -> BriefRecord:
    return warehouse.save_brief(
        kind="ten_day",
        period_key=period_key,
        subject=f"示范市安全生产旬简报（{period_key}）",
        html=f"<p>{content_hash}</p>",
        text=content_hash,
        data=METRICS,
        source_files=["a" * 64, "b" * 64],
        content_hash=content_hash,
        **extra,
    )


def test_first_brief_is_version_one_with_its_content(warehouse: Warehouse) -> None:
    first = save(warehouse, "h1")
    assert (first.version, first.content_hash, first.is_correction) == (1, "h1", False)
    assert first.created_at.tzinfo is not None
    body = warehouse.brief_body(first.id)
    assert (body.subject, body.html, body.data) == (first.subject, "<p>h1</p>", METRICS)
    assert body.source_files == ["a" * 64, "b" * 64]


def test_rerun_with_the_same_content_makes_no_new_version(warehouse: Warehouse) -> None:
    first = save(warehouse, "h1")
    assert save(warehouse, "h1") == first
    assert warehouse.brief_versions("ten_day", "2026-11-x2") == [first]


def test_changed_content_makes_the_next_version(warehouse: Warehouse) -> None:
    first = save(warehouse, "h1")
    correction = save(warehouse, "h2", is_correction=True, note="东湖县更正了事故数")
    assert (correction.version, correction.is_correction, correction.note) == (2, True, "东湖县更正了事故数")
    assert correction.id != first.id
    assert warehouse.latest_brief("ten_day", "2026-11-x2") == correction
    assert [v.version for v in warehouse.brief_versions("ten_day", "2026-11-x2")] == [1, 2]
    # Going back to the first content is a change too: only the latest version is compared.
    assert save(warehouse, "h1").version == 3


def test_versions_count_per_kind_and_period(warehouse: Warehouse) -> None:
    save(warehouse, "h1")
    save(warehouse, "h2")
    assert save(warehouse, "h2", period_key="2026-11-x3").version == 1
    assert warehouse.latest_brief("month", "2026-11") is None


def test_writers_racing_for_the_same_brief_agree_on_one_version(warehouse: Warehouse) -> None:
    start = threading.Barrier(4)

    def racer(_: int) -> BriefRecord:
        start.wait()
        return save(warehouse, "same")

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(racer, range(4)))
    assert {r.id for r in results} == {results[0].id}
    assert [v.version for v in warehouse.brief_versions("ten_day", "2026-11-x2")] == [1]


def test_delivery_goes_from_pending_to_sent(warehouse: Warehouse) -> None:
    brief = save(warehouse, "h1")
    assert warehouse.delivery_status(brief.id, "mayor@example.gov.cn") is None

    warehouse.mark_delivery_pending(brief.id, "mayor@example.gov.cn", "smtp", "<m1@govbrief>")
    assert warehouse.delivery_status(brief.id, "mayor@example.gov.cn") == "pending"
    warehouse.mark_delivery(brief.id, "mayor@example.gov.cn", "sent")

    [delivery] = warehouse.deliveries_for(brief.id)
    assert (delivery.status, delivery.attempts, delivery.message_id) == ("sent", 1, "<m1@govbrief>")
    assert delivery.sent_at is not None and delivery.error is None


def test_a_retried_delivery_stays_one_row_per_recipient(warehouse: Warehouse) -> None:
    brief = save(warehouse, "h1")
    warehouse.mark_delivery_pending(brief.id, "mayor@example.gov.cn", "smtp", "<m1@govbrief>")
    warehouse.mark_delivery(brief.id, "mayor@example.gov.cn", "failed", error="451 try again later")
    assert warehouse.deliveries_for(brief.id)[0].error == "451 try again later"

    warehouse.mark_delivery_pending(brief.id, "mayor@example.gov.cn", "smtp", "<m2@govbrief>")
    warehouse.mark_delivery_pending(brief.id, "deputy@example.gov.cn", "outbox", "<m3@govbrief>")
    warehouse.mark_delivery(brief.id, "mayor@example.gov.cn", "sent")

    by_recipient = {d.recipient: d for d in warehouse.deliveries_for(brief.id)}
    assert set(by_recipient) == {"mayor@example.gov.cn", "deputy@example.gov.cn"}
    mayor = by_recipient["mayor@example.gov.cn"]
    assert (mayor.status, mayor.attempts, mayor.message_id, mayor.error) == ("sent", 2, "<m2@govbrief>", None)
    assert by_recipient["deputy@example.gov.cn"].status == "pending"


def test_the_database_refuses_a_second_row_for_the_same_recipient(warehouse: Warehouse) -> None:
    brief = save(warehouse, "h1")
    warehouse.mark_delivery_pending(brief.id, "mayor@example.gov.cn", "smtp", "<m1@govbrief>")
    duplicate = {
        "brief_id": brief.id,
        "recipient": "mayor@example.gov.cn",
        "transport": "smtp",
        "message_id": "<m9@govbrief>",
        "status": "pending",
        "attempts": 1,
        "updated_at": warehouse.clock(),
    }
    with pytest.raises(sa.exc.IntegrityError), warehouse.engine.begin() as connection:
        connection.execute(sa.insert(deliveries), duplicate)


def test_marking_an_unknown_delivery_is_an_error(warehouse: Warehouse) -> None:
    brief = save(warehouse, "h1")
    with pytest.raises(LookupError, match="mark it pending first"):
        warehouse.mark_delivery(brief.id, "nobody@example.gov.cn", "sent")


def test_a_run_records_its_start_end_and_summary(warehouse: Warehouse) -> None:
    run_id = warehouse.start_run(flow="brief", kind="ten_day", period_key="2026-11-x2")
    assert warehouse.run(run_id) is not None and warehouse.run(run_id)["status"] == "running"  # type: ignore[index]

    warehouse.finish_run(run_id, status="completed", summary={"accepted": 8, "refused": 1, "late": ["439904"]})

    run = warehouse.run(run_id)
    assert run is not None
    assert run["status"] == "completed" and run["summary"] == {
        "accepted": 8,
        "refused": 1,
        "late": ["439904"],
    }
    assert run["finished_at"] >= run["started_at"]
    assert warehouse.start_run(flow="brief", kind="ten_day", period_key="2026-11-x2", run_id="fixed") == "fixed"
