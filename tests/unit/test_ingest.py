"""Validation of a new return sees the same unit's earlier accepted rows of the year."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from govbrief.glossary import load_glossary
from govbrief.intake.ingest import validate_outcomes
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.warehouse import Warehouse, connect

GLOSSARY = load_glossary()


def received(period_key: str, sha: str) -> ReceivedFile:
    return ReceivedFile(
        sha256=sha * 64,
        unit_code="439902",
        return_kind="safety",
        period_key=period_key,
        original_name=f"东湖县安全生产旬报表-{period_key}.xlsx",
        origin="drop",
        size=1,
        received_at=datetime(2026, 11, 21, tzinfo=UTC),
        archive_path="/archive/x",
    )


def frame(sheet_id: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    sheet = GLOSSARY.sheet(sheet_id)
    columns = [c.id for c in sheet.columns]
    data = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)
    return data.assign(_row=range(3, 3 + len(rows)), _sheet=sheet.name_zh)


def accident(accident_id: str, day: str) -> dict[str, object]:
    return {
        "county": "东湖县",
        "accident_id": accident_id,
        "occurred_on": pd.Timestamp(day),
        "sector": "道路交通",
        "deaths": 0,
        "serious_injuries": 1,
        "direct_loss_wan": 2.5,
        "forest_burned_ha": float("nan"),
        "burned_area_m2": float("nan"),
    }


def hazards(found: int, fixed: int) -> dict[str, object]:
    counts = {"units_checked": 10, "major_found": 0, "major_fixed": 0, "major_supervised": 0, "overdue_open": 0}
    return {"county": "东湖县", "sector": "道路交通", "general_found": found, "general_fixed": fixed, **counts}


def outcome(period_key: str, sha: str, accidents: list[dict[str, object]], hazard: dict[str, object]) -> ReturnOutcome:
    frames = {
        "accidents": frame("accidents", accidents).astype({"deaths": "int64", "serious_injuries": "int64"}),
        "hazards": frame("hazards", [hazard]).astype({c: "int64" for c in hazard if c not in ("county", "sector")}),
        "enforcement": frame("enforcement", []),
    }
    return ReturnOutcome(file=received(period_key, sha), frames=frames)


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    w = connect(f"sqlite:///{tmp_path / 'w.db'}")
    first = outcome("2026-11-x1", "a", [accident("DH-2026-001", "2026-11-03")], hazards(found=10, fixed=2))
    validate_outcomes([first], GLOSSARY, w)
    assert first.problems == []
    w.save_outcomes([first], run_id="r1")
    return w


def test_fixing_earlier_hazards_is_allowed_across_returns(warehouse: Warehouse) -> None:
    # This 旬 fixes 7 with 1 found: allowed, because 8 were still open from the 上旬 return.
    second = outcome("2026-11-x2", "b", [accident("DH-2026-002", "2026-11-12")], hazards(found=1, fixed=7))
    validate_outcomes([second], GLOSSARY, warehouse)
    assert second.problems == []


def test_fixing_more_than_ever_found_is_refused(warehouse: Warehouse) -> None:
    second = outcome("2026-11-x2", "b", [], hazards(found=1, fixed=10))
    validate_outcomes([second], GLOSSARY, warehouse)
    assert [(p.rule, p.severity, p.row) for p in second.problems] == [("fixed_exceeds_found", "error", 3)]


def test_an_accident_id_reused_from_an_earlier_return_is_refused(warehouse: Warehouse) -> None:
    second = outcome("2026-11-x2", "b", [accident("DH-2026-001", "2026-11-12")], hazards(found=1, fixed=1))
    validate_outcomes([second], GLOSSARY, warehouse)
    assert [(p.rule, p.file, p.row) for p in second.problems] == [
        ("duplicate_accident_id", "东湖县安全生产旬报表-2026-11-x2.xlsx", 3)
    ]


def test_a_corrected_return_replaces_rather_than_collides_with_the_original(warehouse: Warehouse) -> None:
    correction = outcome("2026-11-x1", "c", [accident("DH-2026-001", "2026-11-03")], hazards(found=10, fixed=3))
    validate_outcomes([correction], GLOSSARY, warehouse)
    assert correction.problems == []
