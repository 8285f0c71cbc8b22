"""Alerts from the numbers: levels from the configured bands, the quota rule at its boundary, order."""

from __future__ import annotations

from datetime import date

import pytest

from govbrief.calendar.periods import Period
from govbrief.config import Band, Thresholds
from govbrief.metrics import CITY
from govbrief.metrics.lights import quota_light
from tests.unit.test_metrics_safety import CG, DH, THRESHOLDS, X1, XS, P, accident, compute, hazard

QUOTA_BAND = Band(direction="down", red=1.0)


def levels(metrics_alerts: object) -> list[tuple[str, str, str]]:
    return [(a.level, a.indicator, a.unit_code) for a in metrics_alerts]  # type: ignore[attr-defined]


# ----- death quota ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("used", "expected"),
    [
        (0.50, "green"),  # exactly on 序时进度
        (0.5004, "green"),  # prints as 50.0%: not ahead
        (0.5005, "yellow"),  # prints as 50.1%: running ahead of 序时进度 is what is bad
        (0.40, "green"),
        (0.999, "yellow"),
        (1.0, "red"),  # the whole year's quota is used
        (1.3, "red"),
        (None, None),
    ],
)
def test_quota_light_at_the_time_progress_boundary_as_printed(used: float | None, expected: str | None) -> None:
    assert quota_light(used, time_progress=0.50, band=QUOTA_BAND) == expected


def test_the_quota_band_comes_from_configuration() -> None:
    assert quota_light(0.95, 0.50, band=Band(direction="down", red=0.9)) == "red"
    assert quota_light(1.2, 0.95, band=None) == "yellow"  # no band: only the 序时进度 rule


def test_quota_alerts_through_compute() -> None:
    june = Period.ten_day(2026, 6, 3)  # 序时进度 181/365 = 49.6%
    metrics = compute(
        [
            accident(CG, date(2026, 3, 1), deaths=6),  # 60% of 10: 10.4 pp ahead → yellow
            accident(DH, date(2026, 3, 1), deaths=4),  # 40%: behind 序时进度 → green
            accident(XS, date(2026, 3, 1), deaths=5),  # 5 of 4 → red, 1 over
        ],
        period=june,
        quotas={CG: 10, DH: 10, XS: 4},
    )
    quota = [a for a in metrics.alerts if a.indicator == "death_quota_used"]
    assert [(a.level, a.unit_code) for a in quota] == [("red", XS), ("yellow", CITY), ("yellow", CG)]
    assert quota[0].text == "西山县本年累计死亡5人，超出全年控制指标（4人）1人。"
    assert "超序时进度（49.6%）10.4个百分点" in quota[2].text and "使用率60.0%" in quota[2].text
    assert metrics.light("death_quota_used", DH) == "green"


def test_a_unit_exactly_at_its_quota_has_reached_it() -> None:
    metrics = compute([accident(XS, date(2026, 3, 1), deaths=4)], quotas={XS: 4})
    (alert,) = [a for a in metrics.alerts if a.indicator == "death_quota_used" and a.unit_code == XS]
    assert alert.text == "西山县本年累计死亡4人，已达到全年控制指标（4人）。"


# ----- accidents -----------------------------------------------------------------------------


def test_a_major_accident_this_xun_is_red_with_its_particulars() -> None:
    metrics = compute([accident(DH, date(2026, 11, 12), deaths=3, injuries=2, loss=120.0)])
    red = [a for a in metrics.alerts if a.level == "red"]
    assert len(red) == 1
    assert (red[0].indicator, red[0].unit_code, red[0].unit_name) == ("acc_major_plus", DH, "东湖县")
    assert red[0].text == "东湖县11月12日发生“11·12”较大道路交通事故，死亡3人、重伤2人，直接经济损失120.00万元。"
    assert red[0].subject == "“11·12”较大道路交通事故"


def test_a_severe_accident_is_red_under_acc_severe() -> None:
    metrics = compute([accident(XS, date(2026, 11, 15), sector="火灾", deaths=10)])
    assert levels(metrics.alerts)[0] == ("red", "acc_severe", XS)


def test_a_major_accident_of_an_earlier_xun_is_not_alerted_again() -> None:
    metrics = compute([accident(DH, date(2026, 11, 5), deaths=3)])
    assert not [a for a in metrics.alerts if a.level == "red"]
    assert metrics.major_accidents[0].in_period is False


def test_ytd_rise_on_last_year_is_yellow_for_units_and_city() -> None:
    metrics = compute(
        [
            accident(CG, date(2026, 5, 1), deaths=1),
            accident(CG, date(2026, 6, 1)),
            accident(CG, date(2025, 5, 1), deaths=1),  # 城关区: 2 vs 1 accidents, 1 vs 1 death
            accident(DH, date(2026, 7, 1), deaths=1),  # 东湖县: from zero → 新增
            accident(XS, date(2025, 7, 1), deaths=3),
            accident(XS, date(2025, 8, 1)),  # 西山县: falling
        ]
    )
    yoy = [(a.indicator, a.unit_code) for a in metrics.alerts if a.indicator in ("acc_count", "acc_deaths")]
    assert yoy == [("acc_count", CG), ("acc_count", DH), ("acc_deaths", DH)]
    new = next(a for a in metrics.alerts if a.indicator == "acc_deaths" and a.unit_code == DH)
    assert new.text == "东湖县本年累计死亡人数1人，同比新增（去年同期0人）。"
    assert all(a.level == "yellow" for a in metrics.alerts)


# ----- hazards -------------------------------------------------------------------------------


def test_fix_rates_by_band() -> None:
    metrics = compute(
        hazards=[
            hazard(CG, P, found=100, fixed=95, major_found=5, major_fixed=4),  # 95% ok; 80% ok
            hazard(DH, P, found=100, fixed=92, major_found=4, major_fixed=3),  # 92% yellow; 75% yellow
            hazard(XS, P, found=100, fixed=89, major_found=2, major_fixed=1),  # 89% red; 50% red
        ]
    )
    found = {(a.indicator, a.unit_code): a.level for a in metrics.alerts}
    assert found == {
        ("hz_general_fix_rate", DH): "yellow",
        ("hz_general_fix_rate", XS): "red",
        ("hz_general_fix_rate", CITY): "yellow",  # 276 / 300 = 92%
        ("hz_major_fix_rate", DH): "yellow",
        ("hz_major_fix_rate", XS): "red",
        ("hz_major_fix_rate", CITY): "yellow",  # 8 / 11 = 72.7%
    }
    xs = next(a for a in metrics.alerts if a.unit_code == XS and a.indicator == "hz_general_fix_rate")
    assert xs.text == "西山县一般隐患整改率为89.0%，低于90.0%。"


def test_fix_rate_bands_are_configuration() -> None:
    strict = Thresholds(bands={"hz_general_fix_rate": Band(direction="up", yellow=0.99)})
    rows = [hazard(CG, P, found=100, fixed=97)]
    assert not compute(hazards=rows).alerts
    assert levels(compute(hazards=rows, thresholds=strict).alerts) == [
        ("yellow", "hz_general_fix_rate", CITY),
        ("yellow", "hz_general_fix_rate", CG),
    ]


def test_nothing_found_raises_no_fix_rate_alert() -> None:
    assert not compute(hazards=[hazard(CG, P, found=0, fixed=0)]).alerts


def test_overdue_hazards_are_yellow_per_unit_from_the_latest_figure() -> None:
    metrics = compute(hazards=[hazard(CG, X1, overdue=4), hazard(CG, P, overdue=0), hazard(DH, P, overdue=2)])
    assert levels(metrics.alerts) == [("yellow", "hz_overdue", DH)]
    assert metrics.alerts[0].text == "东湖县有逾期未整改隐患2项。"


def test_red_comes_first() -> None:
    metrics = compute(
        [accident(CG, date(2026, 2, 1)), accident(XS, date(2026, 11, 18), deaths=4)],
        hazards=[hazard(DH, P, overdue=1)],
        thresholds=THRESHOLDS,
    )
    assert metrics.alerts[0].level == "red"
    assert sorted(a.level for a in metrics.alerts[1:]) == ["yellow"] * (len(metrics.alerts) - 1)
