"""Red events found in accepted returns: the boundaries of each rule, and the key that makes an event one event."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from govbrief.alerts import AlertEvent, alert_events
from govbrief.alerts.events import scenic_limit_from
from govbrief.config import Band, Thresholds
from govbrief.model import ReturnOutcome
from tests.warehouse.builders import UNIT_NAMES, accident, outcome, received, refused

DEBT_MONTH = "2026-10"


def events_of(*outcomes: ReturnOutcome) -> list[AlertEvent]:
    return alert_events(outcomes, UNIT_NAMES)


def accident_events(*rows: dict[str, Any]) -> list[AlertEvent]:
    return events_of(outcome(received(), *rows))


def scenic_outcome(peak: int, capacity: int, area: str = "东湖风景区") -> ReturnOutcome:
    frame = pd.DataFrame(
        [{"county": "东湖县", "scenic_area": area, "capacity": capacity, "peak_visitors": peak, "_row": 3}]
    )
    return ReturnOutcome(received(), {"scenic": frame})


def debt_outcome(content: str = "v1", **figures: float) -> ReturnOutcome:
    row = {"county": "东湖县", "hidden_new": 0.0, "due": 1.2, "paid_on_time": 1.2, "overdue_balance": 0.0}
    frame = pd.DataFrame([row | figures])
    return ReturnOutcome(received(period=DEBT_MONTH, kind="debt", content=content), {"debt": frame})


def test_three_deaths_is_a_major_accident_and_two_is_not() -> None:
    assert accident_events(accident("A-1", "2026-11-12", deaths=2, serious_injuries=9)) == []
    [event] = accident_events(accident("A-2", "2026-11-02", deaths=3, serious_injuries=5))
    assert event.kind == "accident" and event.level == "red"
    assert event.title_zh == "东湖县发生较大道路交通事故"
    assert event.text_zh == "东湖县11月2日发生一起较大道路交通事故，死亡3人、重伤5人。"
    assert event.event_key == "accident:439902:A-2"


def test_injuries_or_losses_alone_can_make_an_accident_major() -> None:
    injuries = accident("A-3", "2026-11-15", serious_injuries=10)
    loss = accident("A-4", "2026-11-16", sector="火灾", direct_loss_wan=1000.0)
    events = accident_events(injuries, loss, accident("A-5", "2026-11-17", direct_loss_wan=999.99))
    assert [e.event_key for e in events] == ["accident:439902:A-3", "accident:439902:A-4"]
    assert events[1].text_zh == "东湖县11月16日发生一起较大火灾，死亡0人、重伤0人、直接经济损失1000.00万元。"


def test_a_grade_stated_higher_than_the_figures_is_believed() -> None:
    [event] = accident_events(accident("A-6", "2026-11-18", deaths=1, grade="重大"))
    assert event.title_zh == "东湖县发生重大道路交通事故"


def test_refused_returns_raise_no_alert() -> None:
    assert events_of(refused(received(content="bad"))) == []


def test_a_corrected_return_repeating_an_accident_is_one_event_with_the_latest_figures() -> None:
    first = outcome(received(), accident("A-2", "2026-11-02", deaths=3))
    later = received(content="v2", at=received().received_at + timedelta(hours=2))
    corrected = outcome(later, accident("A-2", "2026-11-02", deaths=4))
    [event] = events_of(corrected, first)
    assert event.file_sha256 == later.sha256
    assert "死亡4人" in event.text_zh


def test_scenic_area_alerts_at_eighty_percent_not_just_below() -> None:
    assert events_of(scenic_outcome(peak=7_990, capacity=10_000)) == []
    [event] = events_of(scenic_outcome(peak=8_000, capacity=10_000))
    assert event.event_key == "scenic:439902:东湖风景区:2026-11-x2"
    assert "最大瞬时在园人数8000人" in event.text_zh and "80.0%" in event.text_zh


def test_the_scenic_limit_follows_the_configured_red_band() -> None:
    thresholds = Thresholds(bands={"scenic_peak_load": Band(direction="down", yellow=0.6, red=0.75)})
    limit = scenic_limit_from(thresholds)
    assert alert_events([scenic_outcome(peak=7_490, capacity=10_000)], UNIT_NAMES, scenic_limit=limit) == []
    [event] = alert_events([scenic_outcome(peak=7_500, capacity=10_000)], UNIT_NAMES, scenic_limit=limit)
    assert "已达75.0%限量标准" in event.text_zh and event.title_zh.endswith("75.0%")


def test_a_scenic_area_without_a_capacity_raises_nothing() -> None:
    assert events_of(scenic_outcome(peak=500, capacity=0)) == []


def test_any_new_hidden_debt_is_an_alert() -> None:
    assert events_of(debt_outcome(hidden_new=0.0)) == []
    [event] = events_of(debt_outcome(hidden_new=0.01))
    assert (event.kind, event.event_key) == ("hidden_debt", "hidden_debt:439902:2026-10")
    assert event.text_zh == "东湖县2026年10月新增隐性债务0.01亿元。"


def test_paying_less_than_due_is_a_missed_payment() -> None:
    assert events_of(debt_outcome(due=1.2, paid_on_time=1.2)) == []
    [event] = events_of(debt_outcome(due=1.2, paid_on_time=1.0, overdue_balance=0.2))
    assert (event.kind, event.title_zh) == ("missed_payment", "东湖县债务未按期偿付")
    assert "未按期偿付0.20亿元" in event.text_zh and "逾期债务余额0.20亿元" in event.text_zh


def test_one_debt_return_can_raise_both_debt_events() -> None:
    events = events_of(debt_outcome(hidden_new=0.5, paid_on_time=0.0))
    assert sorted(e.kind for e in events) == ["hidden_debt", "missed_payment"]


def test_events_of_different_units_stay_apart() -> None:
    west = received(unit="439903", at=datetime(2026, 11, 21, 10, 0, tzinfo=received().received_at.tzinfo))
    events = events_of(
        outcome(received(), accident("A-1", "2026-11-02", deaths=3)),
        outcome(west, accident("A-1", "2026-11-02", deaths=3)),
    )
    assert [e.text_zh[:3] for e in events] == ["东湖县", "西山县"]


def test_float_noise_in_a_sum_is_not_a_missed_payment() -> None:
    assert events_of(debt_outcome(due=0.1 + 0.2, paid_on_time=0.3)) == []


def test_accidents_without_an_id_are_told_apart_by_day_and_sector() -> None:
    road = accident("", "2026-11-02", deaths=3)
    fire = accident("", "2026-11-02", sector="火灾", deaths=3) | {"accident_id": None}
    keys = [e.event_key for e in accident_events(road, fire)]
    assert keys == ["accident:439902:2026-11-02:道路交通", "accident:439902:2026-11-02:火灾"]


def test_only_events_in_the_newest_periods_of_their_return_kind_are_urgent() -> None:
    from govbrief.alerts.events import recent_events

    def at(period: str, kind: str = "safety") -> AlertEvent:
        return AlertEvent(f"e:{kind}:{period}", "accident", "439902", "东湖县", period, kind, "sha", "t", "x")

    events = [at("2026-11-x2"), at("2026-11-x1"), at("2026-10-x3"), at("2026-10", "debt"), at("2026-08", "debt")]
    newest = {"safety": "2026-11-x2", "debt": "2026-11"}

    urgent, old = recent_events(events, newest, keep=2)
    assert [e.period_key for e in urgent] == ["2026-11-x2", "2026-11-x1", "2026-10"]
    assert [e.period_key for e in old] == ["2026-10-x3", "2026-08"]
    assert [e.period_key for e in recent_events(events, newest, keep=1)[0]] == ["2026-11-x2"]
    # A return kind the warehouse holds nothing of yet: nothing to compare with, every event is news.
    assert recent_events(events, {}, keep=1) == (events, [])
