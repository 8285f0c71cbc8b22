"""The slot overview on SQLite and PostgreSQL: every slot of many kinds and periods at once."""

from __future__ import annotations

from datetime import timedelta

from govbrief.warehouse import Warehouse
from tests.warehouse.builders import FIRST_ARRIVAL, accident, outcome, problem, received, refused


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
