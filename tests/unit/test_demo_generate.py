"""The demo generator: deterministic, plausible, with exactly the awkward cases the briefs need."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from govbrief.calendar.periods import Period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings, load_settings
from govbrief.demo import LATE_UNIT, REFUSED_UNIT, SafetyReturn, build_safety_returns, demo_periods
from govbrief.demo import generate_safety_returns as generate
from govbrief.glossary import load_glossary
from govbrief.metrics.grading import grade_for_sector
from govbrief.readers import read_return

GLOSSARY = load_glossary()
SECTORS = set(GLOSSARY.sectors["safety"])
TARGET = Period.parse("2026-11-x2")
COUNT_COLUMNS = [c.id for c in GLOSSARY.sheet("hazards").columns if c.type == "int"]
SCENIC_UNITS = {"西山县", "南岭县", "清溪县"}


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GOVBRIEF_DROP_DIR", str(tmp_path / "drop"))
    return load_settings()


@pytest.fixture(scope="module")
def demo() -> list[SafetyReturn]:
    """The whole demo (January last year to the target 旬), in memory."""
    return build_safety_returns(load_settings(), demo_periods(TARGET), awkward_period=TARGET)


def is_refused(one: SafetyReturn) -> bool:
    return one.unit.code == REFUSED_UNIT and one.period == TARGET


def computed_grade(row: dict[str, object]) -> str:
    figures = (row["deaths"], row["serious_injuries"], row["direct_loss_wan"], row["forest_burned_ha"] or 0.0)
    return grade_for_sector(str(row["sector"]), *figures)  # type: ignore[arg-type]


def accidents(returns: list[SafetyReturn]) -> list[tuple[SafetyReturn, dict[str, object]]]:
    return [(one, row) for one in returns for row in one.sheets["accidents"]]


def test_demo_periods_reach_back_to_january_last_year() -> None:
    periods = demo_periods(TARGET)
    assert periods[0] == Period.parse("2025-01-x1") and periods[-1] == TARGET
    assert TARGET.same_period_last_year() in periods
    assert len(periods) == 36 + TARGET.index


# ----- determinism -----------------------------------------------------------------------


def test_same_seed_same_returns_other_seed_other_returns(settings: Settings) -> None:
    periods = [TARGET.previous(), TARGET]
    first = build_safety_returns(settings, periods, seed=11, awkward_period=TARGET)
    assert build_safety_returns(settings, periods, seed=11, awkward_period=TARGET) == first
    assert build_safety_returns(settings, periods, seed=12, awkward_period=TARGET) != first


def _digests(paths: list[Path]) -> dict[str, tuple[str, float]]:
    return {p.name + p.parent.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime) for p in paths}


def test_written_files_are_byte_identical_across_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    for run in ("a", "b"):
        monkeypatch.setenv("GOVBRIEF_DROP_DIR", str(tmp_path / run))
        runs.append(_digests(generate(load_settings(), [TARGET], seed=5, awkward_period=TARGET)))
    assert runs[0] == runs[1] and len(runs[0]) == 9


# ----- plausibility ----------------------------------------------------------------------


def test_accident_counts_and_figures_are_plausible(demo: list[SafetyReturn]) -> None:
    assert all(len(one.sheets["accidents"]) <= 3 for one in demo)
    for one, row in accidents(demo):
        assert one.period.contains(row["occurred_on"])  # type: ignore[arg-type]
        assert row["county"] == one.unit.name
        assert row["sector"] in SECTORS or is_refused(one)
        loss = row["direct_loss_wan"]
        assert isinstance(loss, float) and 0 < loss < 1000 and round(loss, 2) == loss
        assert row["summary"] and str(row["summary"]).endswith("。")
        if row["grade"] == "一般":
            assert 0 <= row["deaths"] <= 2 and 0 <= row["serious_injuries"] <= 3  # type: ignore[operator]


def test_accident_ids_are_unique_within_county_and_year(demo: list[SafetyReturn]) -> None:
    ids = [(one.unit.code, one.period.year, row["accident_id"]) for one, row in accidents(demo)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z]{2}-\d{4}-\d{3}", str(i)) for _, _, i in ids)
    assert any(i == "DH-2026-001" for _, _, i in ids)


def test_stated_grade_matches_the_figures_and_some_are_blank(demo: list[SafetyReturn]) -> None:
    stated = [row for _, row in accidents(demo) if row["grade"] is not None]
    blank = [row for _, row in accidents(demo) if row["grade"] is None]
    assert stated and blank
    assert all(row["grade"] == computed_grade(row) for row in stated)


def test_area_figures_only_for_fires_and_plausible(demo: list[SafetyReturn]) -> None:
    sectors = Counter(row["sector"] for _, row in accidents(demo))
    assert sectors["道路交通"] == max(sectors.values())
    assert sectors["火灾"] > 0 and sectors["森林火灾"] > 0
    for _, row in accidents(demo):
        forest, burned = row["forest_burned_ha"], row["burned_area_m2"]
        assert (forest is not None) == (row["sector"] == "森林火灾")
        assert (burned is not None) == (row["sector"] == "火灾")
        assert forest is None or 0 < forest < 1  # type: ignore[operator]
        assert burned is None or 0 < burned < 5000  # type: ignore[operator]


def test_exactly_one_major_accident_in_dong_hu_in_the_year_to_date(demo: list[SafetyReturn]) -> None:
    majors = [(one, row) for one, row in accidents(demo) if row["grade"] == "较大"]
    computed = [row for _, row in accidents(demo) if computed_grade(row) != "一般"]
    assert len(majors) == 1 and len(computed) == 1
    [(one, row)] = majors
    assert (one.unit.name, one.period, row["sector"], row["deaths"]) == (
        "东湖县",
        TARGET.previous(),
        "道路交通",
        3,
    )


def test_hazard_counts_and_cumulative_fixed_within_found(demo: list[SafetyReturn]) -> None:
    totals: dict[tuple[str, int, str], Counter[str]] = defaultdict(Counter)
    exceeds_in_a_ten_day = False
    for one in demo:
        for row in one.sheets["hazards"]:
            assert all(row[c] >= 0 for c in COUNT_COLUMNS) or is_refused(one)  # type: ignore[operator]
            assert row["overdue_open"] <= 2  # type: ignore[operator]
            exceeds_in_a_ten_day |= row["general_fixed"] > row["general_found"]  # type: ignore[operator]
            running = totals[(one.unit.code, one.period.year, str(row["sector"]))]
            running.update({c: int(row[c]) for c in COUNT_COLUMNS})  # type: ignore[call-overload]
            assert running["general_fixed"] <= running["general_found"]
            assert running["major_fixed"] <= running["major_found"]
    assert exceeds_in_a_ten_day  # a 旬 may close earlier finds


def test_one_enforcement_row_per_return(demo: list[SafetyReturn]) -> None:
    assert all(len(one.sheets["enforcement"]) == 1 for one in demo)
    row = demo[0].sheets["enforcement"][0]
    assert row["penalties"] <= row["cases_opened"]  # type: ignore[operator]


def test_scenic_areas_only_where_they_exist_and_below_the_stop_line(demo: list[SafetyReturn]) -> None:
    loads = []
    for one in demo:
        rows = one.sheets.get("scenic")
        assert (rows is not None) == (one.unit.name in SCENIC_UNITS)
        assert rows is None or 1 <= len(rows) <= 2
        loads += [row["peak_visitors"] / row["capacity"] for row in rows or []]  # type: ignore[operator]
    busy = [load for load in loads if load >= 0.7]
    assert len(busy) == 1 and busy[0] < 0.8 and min(loads) > 0


def test_returns_arrive_on_the_first_or_second_working_day_in_office_hours(demo: list[SafetyReturn]) -> None:
    calendar = WorkCalendar()
    for one in demo:
        days = 4 if one.unit.code == LATE_UNIT and one.period == TARGET else None
        allowed = [calendar.nth_workday_after(one.period.end, n) for n in ([days] if days else [1, 2])]
        assert one.submitted_at.date() in allowed
        assert 9 <= one.submitted_at.hour < 17 and one.submitted_at.utcoffset() == timedelta(hours=8)


# ----- the awkward 旬 and the files -----------------------------------------------------


def test_awkward_period_refused_return_is_bad_and_only_it(demo: list[SafetyReturn]) -> None:
    bad = {
        one.unit.code
        for one in demo
        if any(row["sector"] not in SECTORS for row in one.sheets["accidents"])
        or any(row[c] < 0 for row in one.sheets["hazards"] for c in COUNT_COLUMNS)  # type: ignore[operator]
    }
    assert bad == {REFUSED_UNIT}
    [refused] = [one for one in demo if is_refused(one)]
    assert "交通运输" in [row["sector"] for row in refused.sheets["accidents"]]


def test_written_files_follow_the_source_pattern_and_carry_submission_times(settings: Settings) -> None:
    paths = generate(settings, [TARGET.previous(), TARGET], awkward_period=TARGET)
    assert len(paths) == 2 * len(settings.units)
    pattern = settings.default_source.pattern
    kind = GLOSSARY.returns["safety"]
    returns = build_safety_returns(settings, [TARGET.previous(), TARGET], awkward_period=TARGET)
    for one in returns:
        glob = pattern.format(period_key=one.period.key, unit_name=one.unit.name, return_zh=kind.name_zh)
        named = [p for p in settings.paths.drop.glob(glob) if one.unit.name in p.name]
        [found] = named  # the shared drop finds it, and its name says whose it is
        assert found in paths
        assert found.stat().st_mtime == one.submitted_at.timestamp()
        assert found.name == f"{one.unit.name}安全生产旬报表.xlsx"
    refused = settings.paths.drop / TARGET.key / "西山县安全生产旬报表.xlsx"
    assert "negative_count" in [p.rule for p in read_return(refused, kind).problems]
