"""Reporting periods: spellings, date ranges, neighbours, 序时进度."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govbrief.calendar.periods import (
    Period,
    PeriodError,
    PeriodKind,
    day_after,
    parse_period,
    ten_days_between,
)

TEN_DAY, MONTH, QUARTER, HALF, YEAR = (
    PeriodKind.TEN_DAY,
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF,
    PeriodKind.YEAR,
)
ALL_KINDS = list(PeriodKind)


# ----- parsing ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-x1", Period(2026, TEN_DAY, 31)),
        ("2026-11-x2", Period(2026, TEN_DAY, 32)),
        ("2026-11-x3", Period(2026, TEN_DAY, 33)),
        ("2026-01-x1", Period(2026, TEN_DAY, 1)),
        ("2026-1-x1", Period(2026, TEN_DAY, 1)),
        ("2026-12-X3", Period(2026, TEN_DAY, 36)),
        ("2026-11", Period(2026, MONTH, 11)),
        ("2026-1", Period(2026, MONTH, 1)),
        ("2026-Q4", Period(2026, QUARTER, 4)),
        ("2026-q1", Period(2026, QUARTER, 1)),
        ("2026-H2", Period(2026, HALF, 2)),
        ("2026-h1", Period(2026, HALF, 1)),
        ("2026", Period(2026, YEAR, 1)),
        ("2026年11月上旬", Period(2026, TEN_DAY, 31)),
        ("2026年11月中旬", Period(2026, TEN_DAY, 32)),
        ("2026年11月下旬", Period(2026, TEN_DAY, 33)),
        ("2026年11月", Period(2026, MONTH, 11)),
        ("2026年11月份", Period(2026, MONTH, 11)),
        ("2026年第四季度", Period(2026, QUARTER, 4)),
        ("2026年第4季度", Period(2026, QUARTER, 4)),
        ("2026年第一季度", Period(2026, QUARTER, 1)),
        ("2026年二季度", Period(2026, QUARTER, 2)),
        ("2026年上半年", Period(2026, HALF, 1)),
        ("2026年下半年", Period(2026, HALF, 2)),
        ("2026年", Period(2026, YEAR, 1)),
        ("2026年度", Period(2026, YEAR, 1)),
        ("2026年全年", Period(2026, YEAR, 1)),
        ("  2026-11-x2\n", Period(2026, TEN_DAY, 32)),
        ("2026 年 11 月 中旬", Period(2026, TEN_DAY, 32)),
    ],
)
def test_parse_period_accepts_cli_and_chinese_spellings(text: str, expected: Period) -> None:
    assert parse_period(text) == expected
    assert Period.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "foo",
        "26-11",
        "2026-11-x4",
        "2026-11-x0",
        "2026-Q5",
        "2026-Q0",
        "2026-H3",
        "2026/11",
        "2026年第五季度",
        "2026年11月上旬x",
        "2026年中半年",
        "11月上旬",
    ],
)
def test_unreadable_spellings_list_the_accepted_forms(text: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    message = str(raised.value)
    assert repr(text) in message
    assert "无法识别期次" in message
    for form in ("2026-11-x1", "2026-11", "2026-Q4", "2026-H2", "2026年11月上旬", "2026年第四季度"):
        assert form in message


@pytest.mark.parametrize(
    ("text", "bad_number"),
    [("2026-13", "13"), ("2026-0", "0"), ("2026-13-x1", "13"), ("2026-00-x2", "0"), ("2026年13月", "13")],
)
def test_out_of_range_months_are_period_errors_naming_the_number(text: str, bad_number: str) -> None:
    with pytest.raises(PeriodError, match=rf"\b{bad_number}\b.*out of range"):
        parse_period(text)


def test_year_zero_is_refused_when_parsed_not_later_when_dated() -> None:
    with pytest.raises(PeriodError, match="year 0"):
        parse_period("0000")


def test_period_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        parse_period("nonsense")


@pytest.mark.parametrize(
    ("kind", "index"), [(TEN_DAY, 37), (TEN_DAY, 0), (MONTH, 13), (QUARTER, 5), (HALF, 3), (YEAR, 2)]
)
def test_constructor_refuses_out_of_range_index(kind: PeriodKind, index: int) -> None:
    with pytest.raises(PeriodError):
        Period(2026, kind, index)


# ----- date ranges ------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "start", "end", "days"),
    [
        ("2026-11-x1", date(2026, 11, 1), date(2026, 11, 10), 10),
        ("2026-11-x2", date(2026, 11, 11), date(2026, 11, 20), 10),
        ("2026-11-x3", date(2026, 11, 21), date(2026, 11, 30), 10),
        ("2026-10-x3", date(2026, 10, 21), date(2026, 10, 31), 11),  # 31-day month
        ("2026-12-x3", date(2026, 12, 21), date(2026, 12, 31), 11),
        ("2024-02-x3", date(2024, 2, 21), date(2024, 2, 29), 9),  # leap year
        ("2026-02-x3", date(2026, 2, 21), date(2026, 2, 28), 8),
        ("2100-02-x3", date(2100, 2, 21), date(2100, 2, 28), 8),  # divisible by 100, not a leap year
        ("2000-02-x3", date(2000, 2, 21), date(2000, 2, 29), 9),  # divisible by 400, a leap year
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), 29),
        ("2026-04", date(2026, 4, 1), date(2026, 4, 30), 30),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), 90),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), 92),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), 181),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31), 184),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), 365),
        ("2024", date(2024, 1, 1), date(2024, 12, 31), 366),
    ],
)
def test_start_end_and_days(key: str, start: date, end: date, days: int) -> None:
    period = parse_period(key)
    assert (period.start, period.end, period.days) == (start, end, days)


def test_the_36_ten_days_of_a_year_tile_it_without_gaps() -> None:
    periods = [Period(2024, TEN_DAY, i) for i in range(1, 37)]
    assert periods[0].start == date(2024, 1, 1)
    assert periods[-1].end == date(2024, 12, 31)
    for before, after in pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    assert sum(p.days for p in periods) == 366


def test_contains_is_inclusive_at_both_ends() -> None:
    period = parse_period("2026-11-x2")
    assert period.contains(date(2026, 11, 11))
    assert period.contains(date(2026, 11, 20))
    assert not period.contains(date(2026, 11, 10))
    assert not period.contains(date(2026, 11, 21))
    assert not period.contains(date(2025, 11, 15))


@pytest.mark.parametrize(
    ("kind", "day", "key"),
    [
        (TEN_DAY, date(2026, 11, 10), "2026-11-x1"),
        (TEN_DAY, date(2026, 11, 11), "2026-11-x2"),
        (TEN_DAY, date(2026, 10, 31), "2026-10-x3"),
        (TEN_DAY, date(2024, 2, 29), "2024-02-x3"),
        (MONTH, date(2026, 11, 30), "2026-11"),
        (QUARTER, date(2026, 7, 1), "2026-Q3"),
        (QUARTER, date(2026, 6, 30), "2026-Q2"),
        (HALF, date(2026, 7, 1), "2026-H2"),
        (YEAR, date(2026, 12, 31), "2026"),
    ],
)
def test_containing(kind: PeriodKind, day: date, key: str) -> None:
    assert Period.containing(kind, day).key == key


@given(st.sampled_from(ALL_KINDS), st.dates(min_value=date(1901, 1, 1), max_value=date(2200, 12, 31)))
def test_the_containing_period_contains_the_day_and_touches_its_neighbours(kind: PeriodKind, day: date) -> None:
    period = Period.containing(kind, day)
    assert period.contains(day)
    assert period.previous().end + timedelta(days=1) == period.start
    assert period.next().start == period.end + timedelta(days=1) == day_after(period)
    assert period.next().previous() == period


# ----- neighbours -------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "previous"),
    [
        ("2026-01-x1", "2025-12-x3"),
        ("2026-03-x1", "2026-02-x3"),
        ("2026-11-x2", "2026-11-x1"),
        ("2026-01", "2025-12"),
        ("2026-11", "2026-10"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q4", "2026-Q3"),
        ("2026-H1", "2025-H2"),
        ("2026-H2", "2026-H1"),
        ("2026", "2025"),
    ],
)
def test_previous_crosses_year_boundaries(key: str, previous: str) -> None:
    assert parse_period(key).previous() == parse_period(previous)
    assert parse_period(previous).next() == parse_period(key)


@pytest.mark.parametrize(
    ("key", "last_year"),
    [
        ("2026-11-x2", "2025-11-x2"),
        ("2024-02-x3", "2023-02-x3"),
        ("2026-01", "2025-01"),
        ("2026-Q4", "2025-Q4"),
        ("2026-H1", "2025-H1"),
        ("2026", "2025"),
    ],
)
def test_same_period_last_year(key: str, last_year: str) -> None:
    assert parse_period(key).same_period_last_year() == parse_period(last_year)


def test_same_period_last_year_of_a_leap_february_end_keeps_its_own_length() -> None:
    last_year = parse_period("2024-02-x3").same_period_last_year()
    assert (last_year.start, last_year.end) == (date(2023, 2, 21), date(2023, 2, 28))


@pytest.mark.parametrize(
    ("key", "ytd_end", "mtd_start"),
    [
        ("2026-11-x2", date(2026, 11, 20), date(2026, 11, 1)),
        ("2026-01-x1", date(2026, 1, 10), date(2026, 1, 1)),
        ("2026-11", date(2026, 11, 30), date(2026, 11, 1)),
        ("2026-Q3", date(2026, 9, 30), date(2026, 9, 1)),
        ("2026", date(2026, 12, 31), date(2026, 12, 1)),
    ],
)
def test_year_to_date_and_month_to_date(key: str, ytd_end: date, mtd_start: date) -> None:
    period = parse_period(key)
    assert period.year_to_date() == (date(2026, 1, 1), ytd_end)
    assert period.month_to_date() == (mtd_start, ytd_end)


def test_periods_of_year_to_date() -> None:
    assert [p.key for p in parse_period("2026-Q3").periods_of_year_to_date()] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    assert [p.key for p in parse_period("2026-01-x2").periods_of_year_to_date()] == [
        "2026-01-x1",
        "2026-01-x2",
    ]
    assert [p.key for p in parse_period("2026").periods_of_year_to_date()] == ["2026"]
    assert len(parse_period("2026-12-x3").periods_of_year_to_date()) == 36


@pytest.mark.parametrize(
    ("key", "elapsed", "total"),
    [
        ("2026-11-x2", 324, 365),  # Nov 20 is day 324 of 2026
        ("2026-01-x1", 10, 365),
        ("2024-02-x3", 60, 366),  # Feb 29 is day 60 of a leap year
        ("2026-Q1", 90, 365),
        ("2026-H1", 181, 365),
        ("2026", 365, 365),
    ],
)
def test_time_progress(key: str, elapsed: int, total: int) -> None:
    assert parse_period(key).time_progress() == pytest.approx(elapsed / total)


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        (TEN_DAY, date(2026, 11, 1), "2026-10-x3"),
        (TEN_DAY, date(2026, 11, 10), "2026-10-x3"),  # 上旬 is not over until the 10th ends
        (TEN_DAY, date(2026, 11, 11), "2026-11-x1"),
        (TEN_DAY, date(2026, 11, 21), "2026-11-x2"),
        (TEN_DAY, date(2026, 10, 31), "2026-10-x2"),
        (TEN_DAY, date(2026, 3, 1), "2026-02-x3"),
        (TEN_DAY, date(2027, 1, 1), "2026-12-x3"),
        (MONTH, date(2026, 12, 1), "2026-11"),
        (MONTH, date(2026, 11, 30), "2026-10"),
        (MONTH, date(2027, 1, 1), "2026-12"),
        (QUARTER, date(2026, 10, 1), "2026-Q3"),
        (QUARTER, date(2027, 1, 1), "2026-Q4"),
        (HALF, date(2026, 7, 1), "2026-H1"),
        (HALF, date(2027, 1, 1), "2026-H2"),
        (YEAR, date(2027, 1, 1), "2026"),
        (YEAR, date(2026, 12, 31), "2025"),
    ],
)
def test_latest_closed(kind: PeriodKind, today: date, expected: str) -> None:
    closed = Period.latest_closed(kind, today)
    assert closed.key == expected
    assert closed.end < today


# ----- spelling ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "label", "range_zh"),
    [
        ("2026-11-x1", "2026年11月上旬", "11月1日—10日"),
        ("2026-11-x2", "2026年11月中旬", "11月11日—20日"),
        ("2024-02-x3", "2024年2月下旬", "2月21日—29日"),
        ("2026-03", "2026年3月", "3月1日—31日"),
        ("2026-Q4", "2026年第四季度", "10月1日—12月31日"),
        ("2026-H1", "2026年上半年", "1月1日—6月30日"),
        ("2026", "2026年", "1月1日—12月31日"),
    ],
)
def test_key_label_and_range_spellings(key: str, label: str, range_zh: str) -> None:
    period = parse_period(key)
    assert (period.key, str(period), period.label_zh, period.range_zh) == (key, key, label, range_zh)


@pytest.mark.parametrize(("kind", "count"), [(TEN_DAY, 36), (MONTH, 12), (QUARTER, 4), (HALF, 2), (YEAR, 1)])
def test_key_and_label_round_trip_for_every_period_of_a_year(kind: PeriodKind, count: int) -> None:
    everything = Period(2026, kind, count).periods_of_year_to_date()
    assert everything[-1].next() == Period(2027, kind, 1)
    for period in everything:
        assert parse_period(period.key) == period
        assert parse_period(period.label_zh) == period


def test_all_36_ten_days_round_trip_and_are_distinct() -> None:
    ten_days = [Period(2026, TEN_DAY, i) for i in range(1, 37)]
    assert len({p.key for p in ten_days}) == 36
    assert len({p.label_zh for p in ten_days}) == 36
    for period in ten_days:
        assert parse_period(period.key) == period
        assert parse_period(period.label_zh) == period


def test_constructors_agree_with_parsing() -> None:
    assert Period.ten_day(2026, 11, 2) == parse_period("2026-11-x2")
    assert Period.month(2026, 11) == parse_period("2026-11")
    assert Period.ten_day(2026, 11, 2).month_number == 11
    assert parse_period("2026-Q2").month_number == 6
    assert parse_period("2026-11-x2").issue_number() == 32


# ----- ranges of 旬 -------------------------------------------------------------
def test_ten_days_between_crosses_the_year_end() -> None:
    keys = [p.key for p in ten_days_between(parse_period("2025-12-x2"), parse_period("2026-01-x2"))]
    assert keys == ["2025-12-x2", "2025-12-x3", "2026-01-x1", "2026-01-x2"]


def test_ten_days_between_a_single_and_an_empty_range() -> None:
    one = parse_period("2026-11-x2")
    assert ten_days_between(one, one) == [one]
    assert ten_days_between(one, one.previous()) == []


def test_ten_days_between_a_whole_year() -> None:
    year = ten_days_between(parse_period("2026-01-x1"), parse_period("2026-12-x3"))
    assert len(year) == 36
    assert year == sorted(year)
