"""compute_safety on tiny hand-made frames: windows, attribution, sums, grades, stocks, quotas.

The row builders at the top are shared with the other safety tests (alerts, the 旬简报 context).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Band, Clerk, Thresholds, Unit
from govbrief.glossary import load_glossary
from govbrief.metrics import CITY, SafetyMetrics, compute_safety
from govbrief.metrics.windows import window_bounds

P = Period.ten_day(2026, 11, 2)  # 11月11日—11月20日
X1 = Period.ten_day(2026, 11, 1)
CG, DH, XS = "439901", "439902", "439903"
UNITS = tuple(
    Unit(code=code, name=name, clerk=Clerk(name=f"{name}填报员", email=f"clerk{code}@example.gov.cn"))
    for code, name in ((CG, "城关区"), (DH, "东湖县"), (XS, "西山县"))
)
THRESHOLDS = Thresholds(
    lag_tolerance_pp=5.0,
    bands={
        "hz_general_fix_rate": Band(direction="up", yellow=0.95, red=0.90),
        "hz_major_fix_rate": Band(direction="up", yellow=0.80, red=0.60),
        "death_quota_used": Band(direction="down", red=1.0),
    },
)


def _meta(unit_code: str, period: Period) -> dict[str, object]:
    return {
        "unit_code": unit_code,
        "county": next((u.name for u in UNITS if u.code == unit_code), unit_code),
        "period_key": period.key,
        "period_start": pd.Timestamp(period.start),
        "period_end": pd.Timestamp(period.end),
        "file_sha256": "0" * 64,
        "row_no": 1,
    }


def accident(
    unit_code: str,
    day: date | datetime,
    *,
    sector: str = "道路交通",
    deaths: int = 0,
    injuries: int = 0,
    loss: float = 10.0,
    forest_ha: float = math.nan,
    grade: str | None = "一般",
    summary: str = "两车相撞",
) -> dict[str, object]:
    """One 事故明细 row as the warehouse returns it."""
    day_only = day.date() if isinstance(day, datetime) else day
    return {
        "accident_id": f"{unit_code}-{day_only.isoformat()}-{deaths}-{injuries}",
        "occurred_on": pd.Timestamp(day),
        "sector": sector,
        "deaths": deaths,
        "serious_injuries": injuries,
        "direct_loss_wan": loss,
        "forest_burned_ha": forest_ha,
        "burned_area_m2": math.nan,
        "grade": grade,
        "summary": summary,
        **_meta(unit_code, Period.containing(PeriodKind.TEN_DAY, day_only)),
    }


def hazard(
    unit_code: str,
    period: Period,
    *,
    found: int = 0,
    fixed: int = 0,
    major_found: int = 0,
    major_fixed: int = 0,
    overdue: int = 0,
    checked: int = 10,
    sector: str = "道路交通",
) -> dict[str, object]:
    """One 隐患排查 row (one sector of one unit's 旬)."""
    return {
        "sector": sector,
        "units_checked": checked,
        "general_found": found,
        "general_fixed": fixed,
        "major_found": major_found,
        "major_fixed": major_fixed,
        "major_supervised": 0,
        "overdue_open": overdue,
        **_meta(unit_code, period),
    }


def enforcement(unit_code: str, period: Period, *, inspected: int = 10, fines: float = 1.5) -> dict[str, object]:
    """One 执法检查 row (a unit's 旬)."""
    return {
        "units_inspected": inspected,
        "cases_opened": 2,
        "penalties": 1,
        "fines_wan": fines,
        "suspensions": 1,
        "closures": 0,
        "illegal_cases": 3,
        **_meta(unit_code, period),
    }


INT_COLUMNS = {"deaths", "serious_injuries", "units_checked", "general_found", "general_fixed", "major_found"}


def frame(rows: Sequence[Mapping[str, object]], sheet: str) -> pd.DataFrame:
    """Rows → a frame with the sheet's columns, even when there are no rows."""
    columns = [*load_glossary().sheet(sheet).column_ids, "unit_code", "period_key", "period_start", "period_end"]
    df = pd.DataFrame(list(rows), columns=list(dict.fromkeys([*columns, *(rows[0] if rows else {})])))
    if sheet == "accidents":
        df["occurred_on"] = pd.to_datetime(df["occurred_on"])
    df["period_end"] = pd.to_datetime(df["period_end"])
    return df


def compute(
    accidents: Sequence[Mapping[str, object]] = (),
    hazards: Sequence[Mapping[str, object]] = (),
    enforcements: Sequence[Mapping[str, object]] = (),
    *,
    period: Period = P,
    quotas: Mapping[str, float | None] | None = None,
    thresholds: Thresholds = THRESHOLDS,
    units: Sequence[Unit] = UNITS,
    reported: Mapping[str, Sequence[str]] | None = None,
) -> SafetyMetrics:
    """compute_safety over frames built from these rows (every unit sent every 旬 unless `reported`)."""
    frames = {
        "accidents": frame(accidents, "accidents"),
        "hazards": frame(hazards, "hazards"),
        "enforcement": frame(enforcements, "enforcement"),
    }
    return compute_safety(frames, period, units, quotas or {}, thresholds, reported)


# ----- windows and attribution ---------------------------------------------------------------


def test_an_accident_belongs_to_the_window_of_the_day_it_happened() -> None:
    metrics = compute(
        [
            accident(DH, date(2026, 11, 10)),  # last day of 上旬: 环比 base, not this 旬
            accident(DH, date(2026, 11, 11)),
            accident(DH, datetime(2026, 11, 20, 18, 30)),  # late on the last day still counts
            accident(DH, date(2026, 11, 21)),  # after the period: nowhere
            accident(DH, date(2026, 1, 5)),  # January is in the year to date
        ]
    )
    counts = {w: metrics.value("acc_count", w, DH) for w in ("period", "period_previous", "month", "ytd")}
    assert counts == {"period": 2, "period_previous": 1, "month": 3, "ytd": 4}


def test_last_year_windows_are_the_same_period_a_year_earlier() -> None:
    metrics = compute(
        [
            accident(CG, date(2025, 11, 15)),  # same 旬 last year
            accident(CG, date(2025, 11, 3)),  # same month so far last year
            accident(CG, date(2025, 2, 1)),  # last year to date
            accident(CG, date(2025, 11, 25)),  # after last year's same point: not compared
        ]
    )
    assert metrics.value("acc_count", "period_last_year", CG) == 1
    assert metrics.value("acc_count", "month_last_year", CG) == 2
    assert metrics.value("acc_count", "ytd_last_year", CG) == 3
    assert metrics.value("acc_count", "ytd", CG) == 0


def test_a_leap_day_period_compares_with_the_same_period_of_the_year_before() -> None:
    bounds = window_bounds(Period.ten_day(2028, 2, 3))
    assert bounds["period"] == (date(2028, 2, 21), date(2028, 2, 29))
    assert bounds["period_last_year"] == (date(2027, 2, 21), date(2027, 2, 28))
    assert bounds["ytd_last_year"] == (date(2027, 1, 1), date(2027, 2, 28))
    assert bounds["month_last_year"] == (date(2027, 2, 1), date(2027, 2, 28))
    metrics = compute([accident(CG, date(2027, 2, 28))], period=Period.ten_day(2028, 2, 3))
    assert metrics.value("acc_count", "period_last_year", CG) == 1


def test_the_first_xun_of_a_year_compares_with_the_last_xun_of_the_year_before() -> None:
    metrics = compute([accident(CG, date(2025, 12, 31))], period=Period.ten_day(2026, 1, 1))
    assert metrics.value("acc_count", "period_previous", CG) == 1
    assert metrics.value("acc_count", "ytd", CG) == 0


# ----- accident figures ---------------------------------------------------------------------


def test_accident_sums_per_unit_and_city() -> None:
    metrics = compute(
        [
            accident(CG, date(2026, 11, 12), deaths=1, injuries=2, loss=12.5),
            accident(CG, date(2026, 11, 13), deaths=0, injuries=1, loss=30.25),
            accident(DH, date(2026, 11, 14), deaths=2, injuries=0, loss=100.0),
        ]
    )
    assert metrics.value("acc_deaths", "period", CG) == 1
    assert metrics.value("acc_serious_injuries", "period", CG) == 3
    assert metrics.value("acc_direct_loss", "period", CG) == pytest.approx(42.75)
    assert metrics.value("acc_count", "period", XS) == 0
    assert metrics.value("acc_count", "period") == 3
    assert metrics.value("acc_deaths", "period") == 3
    assert metrics.value("acc_direct_loss", "period") == pytest.approx(142.75)


def test_grades_come_from_the_figures_not_the_stated_grade() -> None:
    metrics = compute(
        [
            accident(DH, date(2026, 11, 12), deaths=3, grade="一般"),  # understated: 较大
            accident(CG, date(2026, 11, 12), deaths=1, grade="较大"),  # overstated: 一般
            accident(XS, date(2026, 11, 13), deaths=10, grade=None),  # 重大
            accident(XS, date(2026, 11, 14), sector="森林火灾", forest_ha=150.0, loss=0.0),  # 重大 by area
        ]
    )
    assert metrics.value("acc_major_plus", "period") == 3
    assert metrics.value("acc_severe", "period") == 2
    assert metrics.value("acc_major_plus", "period", CG) == 0
    graded = {(a.unit_code, a.grade, a.stated_grade) for a in metrics.major_accidents}
    assert graded == {(DH, "较大", "一般"), (XS, "重大", None), (XS, "重大", "一般")}


def test_major_accidents_list_the_year_so_far_and_flag_the_period() -> None:
    metrics = compute(
        [
            accident(DH, date(2026, 11, 12), deaths=3, summary="大客车侧翻"),
            accident(XS, date(2026, 3, 2), injuries=12),
            accident(CG, date(2025, 11, 12), deaths=5),  # last year: not listed
        ]
    )
    listed = [(a.unit_code, a.occurred_on, a.in_period, a.summary) for a in metrics.major_accidents]
    assert listed == [(XS, date(2026, 3, 2), False, "两车相撞"), (DH, date(2026, 11, 12), True, "大客车侧翻")]


def test_sector_breakdown_in_glossary_order_adds_up_to_the_total() -> None:
    metrics = compute(
        [
            accident(CG, date(2026, 11, 12), sector="火灾", deaths=1),
            accident(DH, date(2026, 11, 12), sector="火灾", deaths=2),
            accident(DH, date(2026, 6, 1), sector="建筑施工", deaths=1),
        ]
    )
    ytd = metrics.sector_records("ytd")
    assert list(ytd) == list(load_glossary().sectors["safety"])
    assert ytd["火灾"] == {"count": 2, "deaths": 3}
    assert ytd["建筑施工"] == {"count": 1, "deaths": 1}
    assert metrics.sector_records("period", DH)["火灾"] == {"count": 1, "deaths": 2}
    assert sum(row["count"] for row in ytd.values()) == metrics.value("acc_count", "ytd")


# ----- hazards and enforcement ---------------------------------------------------------------


def test_hazard_rows_count_in_every_window_containing_their_period() -> None:
    metrics = compute(
        hazards=[
            hazard(CG, X1, found=10, fixed=9),
            hazard(CG, P, found=10, fixed=10),
            hazard(CG, Period.ten_day(2026, 2, 1), found=20, fixed=18),
            hazard(CG, Period.ten_day(2025, 11, 2), found=4, fixed=1),
        ]
    )
    assert metrics.value("hz_general_found", "period", CG) == 10
    assert metrics.value("hz_general_found", "month", CG) == 20
    assert metrics.value("hz_general_found", "ytd", CG) == 40
    assert metrics.value("hz_general_fixed", "ytd", CG) == 37
    assert metrics.value("hz_general_fix_rate", "ytd", CG) == pytest.approx(37 / 40)
    assert metrics.value("hz_general_fix_rate", "period_last_year", CG) == pytest.approx(0.25)


def test_no_fix_rate_when_nothing_was_found() -> None:
    metrics = compute(hazards=[hazard(CG, P, found=0, fixed=0, major_found=0), hazard(DH, P, found=5, fixed=5)])
    assert metrics.value("hz_general_fix_rate", "ytd", CG) is None
    assert metrics.value("hz_major_fix_rate", "ytd", CG) is None
    assert metrics.value("hz_general_fix_rate", "ytd", XS) is None  # sent nothing at all
    assert metrics.value("hz_general_fix_rate", "ytd") == 1.0  # city: 5 of 5


def test_city_fix_rate_is_recomputed_from_the_sums_not_averaged() -> None:
    metrics = compute(hazards=[hazard(CG, P, found=100, fixed=90), hazard(DH, P, found=10, fixed=10)])
    assert metrics.value("hz_general_fix_rate", "ytd") == pytest.approx(100 / 110)


def test_overdue_is_the_latest_period_in_the_window_and_the_city_sums_units_latest() -> None:
    metrics = compute(
        hazards=[
            hazard(CG, X1, overdue=5),
            hazard(CG, P, overdue=1, sector="道路交通"),
            hazard(CG, P, overdue=1, sector="建筑施工"),  # two sector rows of the same 旬 add up
            hazard(DH, X1, overdue=3),  # 东湖县 sent no hazards this 旬
        ]
    )
    assert metrics.value("hz_overdue", "ytd", CG) == 2
    assert metrics.value("hz_overdue", "period_previous", CG) == 5
    assert metrics.value("hz_overdue", "ytd", DH) == 3
    assert metrics.value("hz_overdue", "period", DH) is None
    assert metrics.value("hz_overdue", "ytd", XS) is None
    assert metrics.value("hz_overdue", "ytd") == 5
    assert metrics.value("hz_overdue", "period") == 2


def test_enforcement_sums() -> None:
    metrics = compute(
        enforcements=[
            enforcement(CG, P, inspected=12, fines=2.25),
            enforcement(CG, X1, inspected=8, fines=1.0),
            enforcement(DH, P, inspected=5, fines=0.5),
        ]
    )
    assert metrics.value("enf_units", "period", CG) == 12
    assert metrics.value("enf_units", "month", CG) == 20
    assert metrics.value("enf_fines", "ytd", CG) == pytest.approx(3.25)
    assert metrics.value("enf_units", "ytd") == 25
    assert metrics.value("enf_illegal", "ytd") == 9
    assert metrics.value("enf_suspensions", "period") == 2


def test_rows_of_units_not_configured_are_ignored() -> None:
    metrics = compute([accident("439999", date(2026, 11, 12), deaths=4)])
    assert metrics.value("acc_count", "period") == 0
    assert metrics.major_accidents == ()


def test_no_rows_at_all_give_zeros_and_no_alerts() -> None:
    metrics = compute_safety({}, P, UNITS, {}, THRESHOLDS)
    assert metrics.value("acc_count", "ytd") == 0
    assert metrics.value("enf_fines", "ytd") == 0
    assert metrics.value("hz_overdue", "ytd") is None
    assert metrics.alerts == ()


# ----- death quota ---------------------------------------------------------------------------


def test_death_quota_use_is_ytd_deaths_over_the_annual_quota() -> None:
    metrics = compute(
        [accident(CG, date(2026, 3, 1), deaths=2), accident(DH, date(2026, 11, 12), deaths=1)],
        quotas={CG: 8, DH: 4, XS: 8},
    )
    assert metrics.value("death_quota_used", "ytd", CG) == 0.25
    assert metrics.value("death_quota_used", "ytd", DH) == 0.25
    assert metrics.value("death_quota_used", "ytd", XS) == 0
    assert metrics.value("death_quota_used", "ytd") == pytest.approx(3 / 20)
    assert metrics.value("death_quota_used", "period", CG) is None


def test_a_missing_quota_gives_no_use_and_no_city_figure() -> None:
    metrics = compute([accident(CG, date(2026, 3, 1), deaths=20)], quotas={CG: None, DH: 4})
    assert metrics.value("death_quota_used", "ytd", CG) is None
    assert metrics.value("death_quota_used", "ytd", XS) is None
    assert metrics.value("death_quota_used", "ytd") is None
    assert metrics.quotas[CITY] is None
    assert not [a for a in metrics.alerts if a.indicator == "death_quota_used"]


# ----- scale ---------------------------------------------------------------------------------


def _bulk_frames(n_units: int, seed: int = 7) -> tuple[list[Unit], dict[str, pd.DataFrame]]:
    """About one accident and one hazard/enforcement row per unit per 旬, for two years."""
    rng = np.random.default_rng(seed)
    units = [
        Unit(code=f"{400000 + i:06d}", name=f"单位{i}县", clerk=Clerk(name="x", email="x@example.gov.cn"))
        for i in range(n_units)
    ]
    periods = [p for p in (Period(y, PeriodKind.TEN_DAY, i) for y in (2025, 2026) for i in range(1, 37)) if p <= P]
    codes = np.repeat([u.code for u in units], len(periods))
    ends = np.tile([pd.Timestamp(p.end) for p in periods], n_units)
    n = len(codes)
    sectors = np.asarray(load_glossary().sectors["safety"])
    accidents = pd.DataFrame(
        {
            "unit_code": codes,
            "accident_id": np.arange(n).astype(str),
            "occurred_on": pd.to_datetime(ends) - pd.to_timedelta(rng.integers(0, 9, n), unit="D"),
            "sector": sectors[rng.integers(0, len(sectors), n)],
            "deaths": rng.integers(0, 4, n),
            "serious_injuries": rng.integers(0, 3, n),
            "direct_loss_wan": rng.uniform(0, 300, n),
            "forest_burned_ha": np.where(rng.random(n) < 0.1, rng.uniform(0, 200, n), np.nan),
            "grade": "一般",
            "summary": "x",
            "period_end": pd.to_datetime(ends),
        }
    )
    counts = {c: rng.integers(0, 20, n) for c in ("units_checked", "general_found", "major_found", "overdue_open")}
    hazards = pd.DataFrame(
        {"unit_code": codes, "sector": "道路交通", "period_end": pd.to_datetime(ends), **counts}
    ).assign(general_fixed=lambda d: d["general_found"] // 2, major_fixed=lambda d: d["major_found"] // 2)
    enforcement_columns = ("units_inspected", "cases_opened", "penalties", "suspensions", "closures", "illegal_cases")
    enforcements = pd.DataFrame(
        {"unit_code": codes, "period_end": pd.to_datetime(ends), "fines_wan": rng.uniform(0, 5, n)}
        | {c: rng.integers(0, 9, n) for c in enforcement_columns}
    )
    return units, {"accidents": accidents, "hazards": hazards, "enforcement": enforcements}


def test_thousands_of_units_add_up() -> None:
    # The country's 2,844 units; its speed is measured in bench/, not here.
    units, frames = _bulk_frames(2844)
    metrics = compute_safety(frames, P, units, {u.code: 8.0 for u in units}, THRESHOLDS)
    ytd = metrics.unit_values("ytd")
    assert metrics.value("acc_deaths", "ytd") == ytd["acc_deaths"].sum()
    in_ytd = frames["accidents"]["occurred_on"].between(pd.Timestamp(2026, 1, 1), pd.Timestamp(P.end))
    assert metrics.value("acc_count", "ytd") == in_ytd.sum()


# ----- missing is not zero -------------------------------------------------------------------


def test_a_unit_without_the_xuns_return_is_missing_not_zero() -> None:
    everything = history_keys()
    reported = {CG: everything, DH: everything, XS: [k for k in everything if k != P.key]}
    metrics = compute(
        [accident(CG, date(2026, 11, 12), deaths=1), accident(DH, date(2026, 11, 3), deaths=2)],
        [hazard(XS, X1, found=4)],
        reported=reported,
        quotas={CG: 4.0, DH: 4.0, XS: 4.0},
    )
    assert math.isnan(metrics.values.loc[(XS, "period"), "acc_count"])  # 未报送, never 0
    assert metrics.value("acc_count", "period", XS) is None
    assert metrics.value("acc_count", "period") == 1  # the units that reported; the gap is recorded
    assert (metrics.missing(CITY, "period"), metrics.missing(XS, "period"), metrics.missing(XS, "ytd")) == (1, 1, 1)
    assert metrics.missing_units("period") == [XS] and metrics.complete(DH, "ytd")
    assert metrics.value("acc_count", "ytd", XS) == 0  # the 旬 it did report still count, flagged incomplete


def test_no_light_or_alert_is_judged_on_an_incomplete_figure() -> None:
    everything = history_keys()
    quotas = {CG: 1.0, DH: 1.0, XS: 1.0}
    deaths = [accident(code, date(2026, 11, 2), deaths=3) for code in (CG, DH, XS)]  # every quota exceeded
    reported = {CG: everything, DH: everything, XS: [k for k in everything if k != X1.key]}  # XS: an earlier 旬
    metrics = compute(deaths, reported=reported, quotas=quotas)
    quota_alerts = {a.unit_code for a in metrics.alerts if a.indicator == "death_quota_used"}
    assert quota_alerts == {CG, DH}  # not XS (its year is incomplete), not the city (a partial total)
    complete = compute(deaths, quotas=quotas)
    assert {a.unit_code for a in complete.alerts if a.indicator == "death_quota_used"} == {CG, DH, XS, CITY}


def history_keys(period: Period = P) -> list[str]:
    """Every 旬 from January of last year to `period`: a unit that sent all of them."""
    current, keys = Period.containing(PeriodKind.TEN_DAY, date(period.year - 1, 1, 1)), []
    while current.start <= period.end:
        keys.append(current.key)
        current = current.next()
    return keys
