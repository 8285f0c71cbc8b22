"""Brief versions and runs."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from govbrief.warehouse import BriefRecord, Warehouse

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
