"""Scenic areas at their certified capacity: alerts by the configured band, up to the 旬简报."""

from __future__ import annotations

import pandas as pd
import pytest

from govbrief.briefs.ten_day.sections import build_ten_day_context
from govbrief.calendar.periods import Period
from govbrief.config import Band, Thresholds, load_settings
from govbrief.metrics import compute_safety
from govbrief.metrics.result import MetricAlert
from tests.unit.test_metrics_safety import CG, DH, THRESHOLDS, UNITS, X1, P, _meta

BANDED = Thresholds(
    lag_tolerance_pp=THRESHOLDS.lag_tolerance_pp,
    bands={**THRESHOLDS.bands, "scenic_peak_load": Band(direction="down", yellow=0.70, red=0.80)},
)


def scenic(unit_code: str, area: str, capacity: int, peak: int, period: Period = P) -> dict[str, object]:
    return {**_meta(unit_code, period), "scenic_area": area, "capacity": capacity, "peak_visitors": peak}


def alerts_for(*rows: dict[str, object], thresholds: Thresholds = BANDED) -> list[MetricAlert]:
    frames = {"scenic": pd.DataFrame(list(rows))} if rows else {}
    metrics = compute_safety(frames, P, UNITS, {}, thresholds)
    return [alert for alert in metrics.alerts if alert.indicator == "scenic_peak_load"]


@pytest.mark.parametrize(
    ("peak", "level"), [(6990, None), (7000, "yellow"), (7990, "yellow"), (8000, "red"), (8200, "red")]
)
def test_the_band_decides_the_level(peak: int, level: str | None) -> None:
    found = alerts_for(scenic(DH, "云峰山景区", 10000, peak))
    assert [alert.level for alert in found] == ([level] if level else [])


def test_the_red_sentence_names_unit_area_peak_and_share() -> None:
    (alert,) = alerts_for(scenic(DH, "云峰山景区", 10000, 8200))
    assert alert.unit_name == "东湖县" and alert.subject == "云峰山景区"
    assert "东湖县云峰山景区" in alert.text and "8200人" in alert.text
    assert "82.0%" in alert.text and "80.0%限流线" in alert.text


def test_only_this_periods_rows_and_positive_capacities_count() -> None:
    found = alerts_for(
        scenic(CG, "无核定景区", 0, 500),
        scenic(CG, "上旬景区", 10000, 9500, X1),
        scenic(DH, "云峰山景区", 10000, 7500),
    )
    assert [(alert.unit_code, alert.subject) for alert in found] == [(DH, "云峰山景区")]


def test_a_missing_or_empty_sheet_or_band_gives_no_alert() -> None:
    assert alerts_for() == []
    empty = compute_safety({"scenic": pd.DataFrame()}, P, UNITS, {}, BANDED)
    assert [a for a in empty.alerts if a.indicator == "scenic_peak_load"] == []
    assert alerts_for(scenic(DH, "云峰山景区", 10000, 9000), thresholds=THRESHOLDS) == []


def test_the_alert_reaches_the_ten_day_brief() -> None:
    settings = load_settings().model_copy(update={"units": UNITS, "thresholds": BANDED})
    frames = {"scenic": pd.DataFrame([scenic(DH, "云峰山景区", 10000, 8200)])}
    metrics = compute_safety(frames, P, UNITS, {}, BANDED)
    ctx = build_ten_day_context(metrics, settings=settings, period=P, submissions=[], issued_on=P.end)
    scenic_alerts = [a for a in ctx["alerts"] if a["indicator"] == "scenic_peak_load"]
    assert [(a["level"], a["unit"]) for a in scenic_alerts] == [("red", "东湖县")]
    assert "82.0%" in scenic_alerts[0]["text"]
