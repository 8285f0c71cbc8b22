"""Small builders for received files and return outcomes, as a reader and validator would hand them over."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd

from govbrief.glossary import load_glossary
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.problems import Problem

BEIJING = timezone(timedelta(hours=8))
FIRST_ARRIVAL = datetime(2026, 11, 21, 9, 30, tzinfo=BEIJING)
UNIT_NAMES = {"439902": "东湖县", "439903": "西山县", "439904": "南岭县"}


def received(
    unit: str = "439902",
    period: str = "2026-11-x2",
    *,
    content: str = "v1",
    at: datetime = FIRST_ARRIVAL,
    kind: str = "safety",
) -> ReceivedFile:
    """A file as intake records it; `content` stands for the bytes (same content, same hash)."""
    sha = hashlib.sha256(f"{unit}|{content}".encode()).hexdigest()
    name = f"{UNIT_NAMES.get(unit, unit)}安全生产旬报表.xlsx"
    return ReceivedFile(
        sha256=sha,
        unit_code=unit,
        return_kind=kind,
        period_key=period,
        original_name=name,
        origin=f"/drop/{unit}/{name}",
        size=10_000 + len(content),
        received_at=at,
        archive_path=f"/archive/{sha[:2]}/{sha}",
    )


def accident(accident_id: str, occurred_on: str, **figures: Any) -> dict[str, Any]:
    """One 事故明细 row; figures default to a road accident with no casualties."""
    row: dict[str, Any] = {
        "accident_id": accident_id,
        "occurred_on": occurred_on,
        "sector": "道路交通",
        "deaths": 0,
        "serious_injuries": 0,
        "direct_loss_wan": 0.0,
        "forest_burned_ha": None,
        "burned_area_m2": None,
        "grade": None,
        "summary": None,
    }
    return row | figures


def accidents_frame(unit: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A canonical 事故明细 frame with the dtypes a reader produces, plus `_row` and `_sheet`."""
    columns = load_glossary().sheet("accidents").column_ids
    frame = pd.DataFrame([{"county": UNIT_NAMES.get(unit, unit)} | row for row in rows], columns=list(columns))
    frame = frame.astype(
        {
            "deaths": "int64",
            "serious_injuries": "int64",
            "direct_loss_wan": "float64",
            "forest_burned_ha": "float64",
            "burned_area_m2": "float64",
        }
    )
    frame["occurred_on"] = pd.to_datetime(frame["occurred_on"])
    frame["_row"] = range(4, 4 + len(frame))  # data starts under a title row and a header
    frame["_sheet"] = "事故明细"
    return frame


def enforcement_frame(unit: str, units_inspected: int, fines_wan: float) -> pd.DataFrame:
    """A one-row 执法检查 frame."""
    return pd.DataFrame(
        {
            "county": [UNIT_NAMES.get(unit, unit)],
            "units_inspected": [units_inspected],
            "cases_opened": [1],
            "penalties": [1],
            "fines_wan": [fines_wan],
            "suspensions": [0],
            "closures": [0],
            "illegal_cases": [0],
            "_row": [3],
            "_sheet": ["执法检查"],
        }
    )


def problem(severity: str = "warning", row: int | None = 5, rule: str = "blank_count") -> Problem:
    """A problem located in the accidents sheet."""
    return Problem(
        severity=severity,  # type: ignore[arg-type]
        rule=rule,
        message_zh="死亡人数为空，按0处理",
        message_en="deaths is blank, read as 0",
        file="东湖县安全生产旬报表.xlsx",
        sheet="事故明细",
        row=row,
        column="死亡人数",
        value="",
    )


def outcome(file: ReceivedFile, *accidents: dict[str, Any], problems: list[Problem] | None = None) -> ReturnOutcome:
    """An outcome with an accidents frame and a one-row enforcement frame."""
    frames = {
        "accidents": accidents_frame(file.unit_code, list(accidents)),
        "enforcement": enforcement_frame(file.unit_code, units_inspected=12, fines_wan=3.5),
    }
    return ReturnOutcome(file=file, frames=frames, problems=list(problems or []))


def refused(file: ReceivedFile) -> ReturnOutcome:
    """An outcome whose errors refuse it (the frames it had still attached)."""
    return outcome(file, accident("A-9", "2026-11-15", deaths=1), problems=[problem("error", rule="unknown_sector")])
