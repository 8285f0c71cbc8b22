"""Saving validated returns: rows come back as stored, reruns change nothing, the latest file counts."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.glossary import load_glossary
from govbrief.warehouse import SlotSummary, Warehouse, connect
from govbrief.warehouse import outcomes as outcomes_module
from tests.warehouse.builders import (
    FIRST_ARRIVAL,
    accident,
    accidents_frame,
    outcome,
    problem,
    received,
    refused,
)

NOV_X2 = (date(2026, 11, 11), date(2026, 11, 20))
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def deaths_by_unit(warehouse: Warehouse, start: date, end: date) -> dict[str, int]:
    frame = warehouse.load_observations("accidents", start, end)
    return {str(k): int(v) for k, v in frame.groupby("unit_code")["deaths"].sum().items()}


def snapshot(warehouse: Warehouse) -> tuple[pd.DataFrame, dict[str, SlotSummary]]:
    """What a brief would read: the month's rows and the slot states."""
    return warehouse.load_observations("accidents", *NOVEMBER), warehouse.slot_statuses("safety", "2026-11-x2")


def test_saved_rows_load_back_with_glossary_dtypes(warehouse: Warehouse) -> None:
    file = received()
    rows = [
        accident("A-1", "2026-11-12", deaths=2, direct_loss_wan=35.5, summary="货车<追尾>，2人死亡"),
        accident("A-2", "2026-11-18", sector="森林火灾", forest_burned_ha=1.25, grade="较大"),
    ]
    warehouse.save_outcomes([outcome(file, *rows)], run_id="r1")

    loaded = warehouse.load_observations("accidents", *NOV_X2)

    sheet = load_glossary().sheet("accidents")
    assert list(loaded.columns[: len(sheet.columns)]) == list(sheet.column_ids)
    assert loaded["accident_id"].tolist() == ["A-1", "A-2"]
    assert loaded["deaths"].dtype == "int64" and loaded["deaths"].tolist() == [2, 0]
    assert loaded["direct_loss_wan"].dtype == "float64"
    assert loaded["forest_burned_ha"].isna().tolist() == [True, False]
    assert loaded["occurred_on"].dtype == "datetime64[ns]"
    assert loaded["occurred_on"].tolist() == [pd.Timestamp("2026-11-12"), pd.Timestamp("2026-11-18")]
    assert loaded["summary"].tolist()[0] == "货车<追尾>，2人死亡" and pd.isna(loaded["summary"].tolist()[1])
    assert loaded["grade"].tolist()[1] == "较大"
    assert loaded["row_no"].tolist() == [4, 5] and loaded["row_no"].dtype == "int64"
    assert set(loaded["unit_code"]) == {"439902"} and set(loaded["file_sha256"]) == {file.sha256}
    assert set(loaded["period_key"]) == {"2026-11-x2"}
    assert loaded["period_start"].dtype == "datetime64[ns]"
    assert set(loaded["period_end"]) == {pd.Timestamp("2026-11-20")}
    assert not any(str(c).startswith("_") for c in loaded.columns)


def test_one_row_sheets_are_stored_too(warehouse: Warehouse) -> None:
    warehouse.save_outcomes([outcome(received())], run_id="r1")
    enforcement = warehouse.load_observations("enforcement", *NOV_X2)
    assert enforcement["units_inspected"].tolist() == [12]
    assert warehouse.totals("enforcement", "fines_wan", *NOV_X2) == pytest.approx(3.5)


def test_load_selects_by_period_end_and_unit(warehouse: Warehouse) -> None:
    warehouse.save_outcomes(
        [
            outcome(received("439902", "2026-11-x1"), accident("A-1", "2026-11-03", deaths=1)),
            outcome(received("439902", "2026-11-x2", content="x2"), accident("A-2", "2026-11-12", deaths=2)),
            outcome(received("439903", "2026-11-x2"), accident("B-1", "2026-11-15", deaths=4)),
            outcome(received("439903", "2026-12-x1"), accident("B-2", "2026-12-02", deaths=8)),
        ],
        run_id="r1",
    )
    assert deaths_by_unit(warehouse, *NOV_X2) == {"439902": 2, "439903": 4}
    assert deaths_by_unit(warehouse, *NOVEMBER) == {"439902": 3, "439903": 4}
    only_east = warehouse.load_observations("accidents", *NOVEMBER, unit_codes=["439902"])
    assert only_east["accident_id"].tolist() == ["A-1", "A-2"]


def test_empty_result_still_has_every_typed_column(warehouse: Warehouse) -> None:
    loaded = warehouse.load_observations("hazards", *NOVEMBER)
    sheet = load_glossary().sheet("hazards")
    assert loaded.empty
    assert set(sheet.column_ids) | {"unit_code", "period_key", "period_start", "period_end"} <= set(loaded.columns)
    assert loaded["units_checked"].dtype == "int64"
    assert loaded["period_end"].dtype == "datetime64[ns]"


def test_rerunning_the_same_outcomes_leaves_identical_rows(warehouse: Warehouse) -> None:
    batch = [
        outcome(received("439902"), accident("A-1", "2026-11-12", deaths=2), problems=[problem()]),
        outcome(received("439903"), accident("B-1", "2026-11-13", serious_injuries=3)),
    ]
    warehouse.save_outcomes(batch, run_id="r1")
    first_rows, first_slots = snapshot(warehouse)

    warehouse.save_outcomes(batch, run_id="r2")

    again_rows, again_slots = snapshot(warehouse)
    pd.testing.assert_frame_equal(again_rows, first_rows)
    assert len(again_rows) == 2
    assert {u: (s.sha256, s.status, s.revisions, s.problems) for u, s in again_slots.items()} == {
        u: (s.sha256, s.status, s.revisions, s.problems) for u, s in first_slots.items()
    }
    assert again_slots["439902"].revisions == 1 and len(again_slots["439902"].problems) == 1


def test_a_corrected_return_replaces_the_figures_never_adds_to_them(warehouse: Warehouse) -> None:
    original = received(content="v1")
    corrected = received(content="v2", at=FIRST_ARRIVAL + timedelta(days=1))
    warehouse.save_outcomes([outcome(original, accident("A-1", "2026-11-12", deaths=2))], run_id="r1")

    warehouse.save_outcomes(
        [outcome(corrected, accident("A-1", "2026-11-12", deaths=3), accident("A-2", "2026-11-19"))],
        run_id="r2",
    )

    assert deaths_by_unit(warehouse, *NOV_X2) == {"439902": 3}
    assert len(warehouse.load_observations("enforcement", *NOV_X2)) == 1
    status = warehouse.slot_statuses("safety", "2026-11-x2")["439902"]
    assert (status.sha256, status.revisions) == (corrected.sha256, 2)
    assert warehouse.known_slots("safety", ["2026-11-x2"]) == {("2026-11-x2", "439902"): corrected.sha256}


def test_the_latest_received_file_wins_whatever_the_processing_order(warehouse: Warehouse) -> None:
    older = received(content="v1")
    newer = received(content="v2", at=FIRST_ARRIVAL + timedelta(hours=5))
    warehouse.save_outcomes([outcome(newer, accident("A-1", "2026-11-12", deaths=3))], run_id="r1")

    warehouse.save_outcomes([outcome(older, accident("A-1", "2026-11-12", deaths=2))], run_id="r2")

    assert deaths_by_unit(warehouse, *NOV_X2) == {"439902": 3}
    status = warehouse.slot_statuses("safety", "2026-11-x2")["439902"]
    assert (status.sha256, status.revisions) == (newer.sha256, 2)


def test_within_one_batch_the_latest_received_file_wins(warehouse: Warehouse) -> None:
    newer = received(content="v2", at=FIRST_ARRIVAL + timedelta(hours=5))
    warehouse.save_outcomes(
        [
            outcome(newer, accident("A-1", "2026-11-12", deaths=3)),
            outcome(received(content="v1"), accident("A-1", "2026-11-12", deaths=2)),
        ],
        run_id="r1",
    )
    assert deaths_by_unit(warehouse, *NOV_X2) == {"439902": 3}
    assert warehouse.slot_statuses("safety", "2026-11-x2")["439902"].revisions == 2


def test_a_refused_correction_leaves_the_unit_out_of_the_figures(warehouse: Warehouse) -> None:
    warehouse.save_outcomes(
        [
            outcome(received("439902"), accident("A-1", "2026-11-12", deaths=2)),
            outcome(received("439903"), accident("B-1", "2026-11-13", deaths=1)),
        ],
        run_id="r1",
    )
    bad = received("439902", content="v2", at=FIRST_ARRIVAL + timedelta(days=1))

    warehouse.save_outcomes([refused(bad)], run_id="r2")

    assert deaths_by_unit(warehouse, *NOV_X2) == {"439903": 1}
    assert warehouse.load_observations("enforcement", *NOV_X2)["unit_code"].tolist() == ["439903"]
    status = warehouse.slot_statuses("safety", "2026-11-x2")["439902"]
    assert (status.status, status.sha256) == ("refused", bad.sha256)
    assert [p.rule for p in status.problems] == ["unknown_sector"]


def test_slot_status_carries_the_current_files_problems(warehouse: Warehouse) -> None:
    first = received(content="v1")
    warehouse.save_outcomes([refused(first)], run_id="r1")
    fixed = received(content="v2", at=FIRST_ARRIVAL + timedelta(days=1))
    warnings = [problem("warning", row=4), problem("warning", row=None, rule="late_accident")]

    warehouse.save_outcomes([outcome(fixed, accident("A-1", "2026-11-12"), problems=warnings)], run_id="r2")

    status = warehouse.slot_statuses("safety", "2026-11-x2")["439902"]
    assert status.status == "accepted"
    assert list(status.problems) == warnings
    assert status.original_name == "东湖县安全生产旬报表.xlsx"
    assert status.received_at == fixed.received_at and status.received_at.utcoffset() == timedelta(0)


def test_identical_bytes_sent_for_two_periods_are_two_returns(warehouse: Warehouse) -> None:
    for_x1 = received(period="2026-11-x1", content="same bytes")
    for_x2 = received(period="2026-11-x2", content="same bytes")
    assert for_x1.sha256 == for_x2.sha256
    out_of_period = problem("error", rule="date_outside_period")

    warehouse.save_outcomes([outcome(for_x1, accident("A-1", "2026-11-05", deaths=1)), refused(for_x2)], run_id="r1")
    warehouse.save_outcomes([outcome(for_x2, problems=[out_of_period])], run_id="r2")

    assert warehouse.slot_statuses("safety", "2026-11-x1")["439902"].problems == ()
    assert warehouse.slot_statuses("safety", "2026-11-x2")["439902"].problems == (out_of_period,)
    assert deaths_by_unit(warehouse, *NOVEMBER) == {"439902": 1}


def test_record_files_is_idempotent_and_feeds_revisions(warehouse: Warehouse) -> None:
    original, correction = (
        received(content="v1"),
        received(content="v2", at=FIRST_ARRIVAL + timedelta(days=1)),
    )
    warehouse.record_files([original, original])
    warehouse.record_files([original, correction])

    warehouse.save_outcomes([outcome(correction)], run_id="r1")

    assert warehouse.slot_statuses("safety", "2026-11-x2")["439902"].revisions == 2


def test_a_failing_value_rolls_the_whole_batch_back(warehouse: Warehouse) -> None:
    warehouse.save_outcomes([outcome(received("439902"), accident("A-1", "2026-11-12", deaths=2))], run_id="r1")
    before_rows, before_slots = snapshot(warehouse)
    poisoned = outcome(received("439904"), accident("C-1", "2026-11-14"))
    poisoned.frames["accidents"]["summary"] = pd.Series([object()], dtype=object)  # no record holds it

    with pytest.raises(TypeError, match="cannot store"):
        warehouse.save_outcomes(
            [
                outcome(received("439902", content="v2", at=FIRST_ARRIVAL + timedelta(days=1))),
                outcome(received("439903"), accident("B-1", "2026-11-13", deaths=5)),
                poisoned,
            ],
            run_id="r2",
        )

    after_rows, after_slots = snapshot(warehouse)
    pd.testing.assert_frame_equal(after_rows, before_rows)
    assert after_slots == before_slots
    assert warehouse.known_slots("safety", ["2026-11-x2"]) == {("2026-11-x2", "439902"): received().sha256}


def test_a_database_failure_after_the_deletes_rolls_everything_back(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = received(content="v1")
    warehouse.save_outcomes([outcome(original, accident("A-1", "2026-11-12", deaths=2))], run_id="r1")
    before_rows, before_slots = snapshot(warehouse)
    real_replace = outcomes_module.replace_observations

    def replace_then_fail(connection, winners):  # type: ignore[no-untyped-def]
        real_replace(connection, winners)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(outcomes_module, "replace_observations", replace_then_fail)
    correction = received(content="v2", at=FIRST_ARRIVAL + timedelta(days=1))
    with pytest.raises(RuntimeError, match="connection lost"):
        warehouse.save_outcomes([refused(correction)], run_id="r2")

    after_rows, after_slots = snapshot(warehouse)
    pd.testing.assert_frame_equal(after_rows, before_rows)
    assert after_slots == before_slots
    assert after_slots["439902"].revisions == 1  # the correction's receipt went too


def test_a_year_of_returns_saves_in_one_batch(sqlite_url: str) -> None:
    # 9 units × 36 旬 = 324 files of 20 rows: a year's backfill in one batch.
    batch = [
        outcome(
            received(f"4399{unit:02d}", Period(2026, PeriodKind.TEN_DAY, xun).key, content=f"{unit}-{xun}"),
            *[accident(f"A-{xun}-{n}", "2026-01-01", deaths=n % 2) for n in range(19)],
        )
        for unit in range(1, 10)
        for xun in range(1, 37)
    ]
    with connect(sqlite_url) as warehouse:
        warehouse.save_outcomes(batch, run_id="year")
        year = warehouse.load_observations("accidents", date(2026, 1, 1), date(2026, 12, 31))
    assert len(year) == 324 * 19


def test_frames_ignore_underscore_columns_other_than_the_row_number(warehouse: Warehouse) -> None:
    frame = accidents_frame("439902", [accident("A-1", "2026-11-12")])
    frame["_source_cell"] = "B4"
    result = outcome(received())
    result.frames["accidents"] = frame
    warehouse.save_outcomes([result], run_id="r1")
    loaded = warehouse.load_observations("accidents", *NOV_X2)
    assert "_source_cell" not in loaded.columns and loaded["row_no"].tolist() == [4]
