"""Red events in accepted returns: 较大及以上 accidents, new hidden debt, missed payments, scenic areas at 80 %.

Pure: outcomes in, events out. Each event has a key that names the event
itself, not the file that reported it, so a corrected return (a new file with
the same accident) is the same event and is not alerted twice:
accident → unit + 事故编号; hidden debt and missed payment → unit + month;
scenic area → unit + 景区 + 旬.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import partial
from typing import Any, Literal

import pandas as pd

from govbrief.calendar.periods import Period, parse_period
from govbrief.config import Thresholds
from govbrief.formatting import fmt_amount, fmt_count, fmt_date_zh, fmt_percent
from govbrief.metrics.grading import GRADES, Grade, grade_for_sector, is_major_plus
from govbrief.model import ReturnOutcome

AlertKind = Literal["accident", "hidden_debt", "missed_payment", "scenic"]
# 80 % of 核定最大瞬时承载量 (LB/T 034-2014) unless the configured band's red bound says otherwise;
# a Fraction so 8000 of 10000 visitors is exactly at the limit, with no float rounding.
SCENIC_LIMIT = Fraction(4, 5)
FIRE_SECTORS = frozenset({"火灾", "森林火灾"})  # their name already says what happened
UNNAMED_SECTOR = "其他"
AMOUNT_DIGITS = 6  # amounts in 亿元 carry two decimals: float noise below this is not money (as debt_alerts)


@dataclass(frozen=True)
class AlertEvent:
    """One red event: what it is, where and when, in a subject line and a sentence."""

    event_key: str
    kind: AlertKind
    unit_code: str
    unit_name: str
    period_key: str
    return_kind: str
    file_sha256: str  # the file that reported it (the latest, when several did)
    title_zh: str  # 东湖县发生较大道路交通事故
    text_zh: str  # 东湖县11月2日发生一起较大道路交通事故，死亡3人、重伤5人。
    level: Literal["red"] = "red"


Row = Mapping[str, Any]
Finder = Callable[[ReturnOutcome, str, Row], "AlertEvent | None"]


def alert_events(
    outcomes: Iterable[ReturnOutcome], unit_names: Mapping[str, str], *, scenic_limit: Fraction = SCENIC_LIMIT
) -> list[AlertEvent]:
    """The red events of the accepted outcomes, one per event key (the latest received file wins)."""
    accepted = sorted((o for o in outcomes if o.status == "accepted"), key=lambda o: o.file.received_at)
    scenic: Finder = partial(_scenic, limit=scenic_limit)
    finders = {**FINDERS, "scenic": (scenic,)}
    events = {event.event_key: event for outcome in accepted for event in _outcome_events(outcome, unit_names, finders)}
    return list(events.values())


def recent_events(
    events: Iterable[AlertEvent], newest: Mapping[str, str], keep: int
) -> tuple[list[AlertEvent], list[AlertEvent]]:
    """(urgent, not urgent): an event is urgent when its period is one of the `keep` newest periods
    of its return kind (`newest`: return kind → the newest period the warehouse holds a return for).
    A return kind with nothing stored yet counts every event as urgent."""
    urgent: list[AlertEvent] = []
    old: list[AlertEvent] = []
    for event in events:
        latest = newest.get(event.return_kind)
        fresh = latest is None or _periods_before(parse_period(latest), parse_period(event.period_key), keep) < keep
        (urgent if fresh else old).append(event)
    return urgent, old


def _periods_before(latest: Period, period: Period, limit: int) -> int:
    """How many periods `period` lies before `latest` (0 when it is the latest or later), counted up to `limit`."""
    steps = 0
    while period < latest and steps < limit:
        period, steps = period.next(), steps + 1
    return steps


def scenic_limit_from(thresholds: Thresholds) -> Fraction:
    """The immediate-alert limit: the red bound of the scenic_peak_load band, else 80 %."""
    band = thresholds.bands.get("scenic_peak_load")
    if band is None or band.red is None:
        return SCENIC_LIMIT
    return Fraction(str(band.red))  # "0.8" → 4/5 exactly


def _outcome_events(
    outcome: ReturnOutcome, unit_names: Mapping[str, str], finders_by_sheet: Mapping[str, tuple[Finder, ...]]
) -> Iterator[AlertEvent]:
    unit = unit_names.get(outcome.file.unit_code, outcome.file.unit_code)
    for sheet, finders in finders_by_sheet.items():
        frame = outcome.frames.get(sheet)
        if frame is None:
            continue
        for record in frame.to_dict("records"):
            row = {str(name): value for name, value in record.items()}
            for finder in finders:
                event = finder(outcome, unit, row)
                if event is not None:
                    yield event


def _event(outcome: ReturnOutcome, kind: AlertKind, key: str, unit: str, title: str, text: str) -> AlertEvent:
    file = outcome.file
    return AlertEvent(
        event_key=f"{kind}:{file.unit_code}:{key}",
        kind=kind,
        unit_code=file.unit_code,
        unit_name=unit,
        period_key=file.period_key,
        return_kind=file.return_kind,
        file_sha256=file.sha256,
        title_zh=title,
        text_zh=text,
    )


def _number(value: Any) -> float:
    """A figure as a float; blank (None, NaN, NA) reads as 0, as the validators do."""
    return 0.0 if value is None or pd.isna(value) else float(value)


def _positive(amount: float) -> bool:
    """More than zero once float noise is rounded away."""
    return round(amount, AMOUNT_DIGITS) > 0


def accident_grade(row: Row) -> Grade:
    """The higher of the grade the figures reach and the grade the return states."""
    figures = grade_for_sector(
        str(row.get("sector") or ""),
        int(_number(row.get("deaths"))),
        int(_number(row.get("serious_injuries"))),
        _number(row.get("direct_loss_wan")),
        _number(row.get("forest_burned_ha")),
    )
    stated = row.get("grade")
    if isinstance(stated, str) and stated.strip() in GRADES:
        return GRADES[max(GRADES.index(figures), GRADES.index(stated.strip()))]
    return figures


def accident_name(grade: Grade, sector: str) -> str:
    """较大道路交通事故, 较大火灾, 较大事故."""
    if sector in FIRE_SECTORS:
        return f"{grade}{sector}"
    return f"{grade}事故" if sector in ("", UNNAMED_SECTOR) else f"{grade}{sector}事故"


def _accident(outcome: ReturnOutcome, unit: str, row: Row) -> AlertEvent | None:
    grade = accident_grade(row)
    if not is_major_plus(grade):
        return None
    name = accident_name(grade, str(row.get("sector") or ""))
    when = _day(row.get("occurred_on"))
    text = f"{unit}{fmt_date_zh(when) if when else ''}发生一起{name}，{_casualties(row)}。"
    return _event(outcome, "accident", _accident_id(row, when), unit, f"{unit}发生{name}", text)


def _accident_id(row: Row, when: date | None) -> str:
    """The 事故编号; without one, the day and sector stand in (a correction usually keeps both)."""
    stated = row.get("accident_id")
    if isinstance(stated, str) and stated.strip():
        return stated.strip()
    return f"{when.isoformat() if when else '?'}:{row.get('sector') or ''}"


def _day(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _casualties(row: Row) -> str:
    """死亡3人、重伤5人、直接经济损失1200.00万元 (losses and burned forest only when reported)."""
    deaths, injuries = fmt_count(_number(row.get("deaths"))), fmt_count(_number(row.get("serious_injuries")))
    parts = [f"死亡{deaths}人", f"重伤{injuries}人"]
    if _number(row.get("direct_loss_wan")) > 0:
        parts.append(f"直接经济损失{fmt_amount(_number(row.get('direct_loss_wan')))}万元")
    if _number(row.get("forest_burned_ha")) > 0:
        parts.append(f"受害森林面积{fmt_amount(_number(row.get('forest_burned_ha')))}公顷")
    return "、".join(parts)


def scenic_over_limit(peak_visitors: float, capacity: float, limit: Fraction = SCENIC_LIMIT) -> bool:
    """At or above `limit` of the certified instantaneous capacity (compared exactly, no float rounding)."""
    return capacity > 0 and Fraction(peak_visitors) * limit.denominator >= Fraction(capacity) * limit.numerator


def _scenic(outcome: ReturnOutcome, unit: str, row: Row, *, limit: Fraction = SCENIC_LIMIT) -> AlertEvent | None:
    peak, capacity = _number(row.get("peak_visitors")), _number(row.get("capacity"))
    if not scenic_over_limit(peak, capacity, limit):
        return None
    share = fmt_percent(float(limit))
    area = str(row.get("scenic_area") or "")
    label = parse_period(outcome.file.period_key).label_zh
    text = (
        f"{unit}{area}{label}最大瞬时在园人数{fmt_count(peak)}人，"
        f"达到核定最大瞬时承载量{fmt_count(capacity)}人的{fmt_percent(peak / capacity)}，"
        f"已达{share}限量标准，应即时公告、报告并停止售票。"
    )
    key = f"{area}:{outcome.file.period_key}"
    return _event(outcome, "scenic", key, unit, f"{unit}{area}瞬时在园人数达承载量{share}", text)


def _hidden_debt(outcome: ReturnOutcome, unit: str, row: Row) -> AlertEvent | None:
    amount = _number(row.get("hidden_new"))
    if not _positive(amount):
        return None
    label = parse_period(outcome.file.period_key).label_zh
    text = f"{unit}{label}新增隐性债务{fmt_amount(amount)}亿元。"
    return _event(outcome, "hidden_debt", outcome.file.period_key, unit, f"{unit}新增隐性债务", text)


def _missed_payment(outcome: ReturnOutcome, unit: str, row: Row) -> AlertEvent | None:
    due, paid = _number(row.get("due")), _number(row.get("paid_on_time"))
    if not _positive(due - paid):
        return None
    label = parse_period(outcome.file.period_key).label_zh
    text = (
        f"{unit}{label}到期应偿本息{fmt_amount(due)}亿元，按期偿付{fmt_amount(paid)}亿元，"
        f"未按期偿付{fmt_amount(due - paid)}亿元"
    )
    overdue = _number(row.get("overdue_balance"))
    text += f"，逾期债务余额{fmt_amount(overdue)}亿元。" if _positive(overdue) else "。"
    return _event(outcome, "missed_payment", outcome.file.period_key, unit, f"{unit}债务未按期偿付", text)


FINDERS: dict[str, tuple[Finder, ...]] = {
    "accidents": (_accident,),
    "scenic": (_scenic,),
    "debt": (_hidden_debt, _missed_payment),
}
