"""Working days, checked against 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).

The notice, abridged:
  元旦   1月1日(周四)至3日(周六)放假调休, 1月4日(周日)上班.
  春节   2月15日(周日)至23日(周一)放假调休, 共9天; 2月14日(周六)、2月28日(周六)上班.
  清明节 4月4日(周六)至6日(周一)放假.
  劳动节 5月1日(周五)至5日(周二)放假调休; 5月9日(周六)上班.
  端午节 6月19日(周五)至21日(周日)放假.
  中秋节 9月25日(周五)至27日(周日)放假.
  国庆节 10月1日(周四)至7日(周三)放假调休; 9月20日(周日)、10月10日(周六)上班.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govbrief.calendar.workdays import ChineseCalendarSource, WorkCalendar
from govbrief.config import CalendarOverride, CalendarSettings, load_settings

HOLIDAY_BLOCKS_2026 = {
    "元旦": (date(2026, 1, 1), date(2026, 1, 3)),
    "春节": (date(2026, 2, 15), date(2026, 2, 23)),
    "清明节": (date(2026, 4, 4), date(2026, 4, 6)),
    "劳动节": (date(2026, 5, 1), date(2026, 5, 5)),
    "端午节": (date(2026, 6, 19), date(2026, 6, 21)),
    "中秋节": (date(2026, 9, 25), date(2026, 9, 27)),
    "国庆节": (date(2026, 10, 1), date(2026, 10, 7)),
}
MAKE_UP_WORKDAYS_2026 = [
    date(2026, 1, 4),  # Sunday
    date(2026, 2, 14),  # Saturday
    date(2026, 2, 28),  # Saturday
    date(2026, 5, 9),  # Saturday
    date(2026, 9, 20),  # Sunday
    date(2026, 10, 10),  # Saturday
]


class FakeSource:
    """A source that knows only 2030, where it declares some days off."""

    def __init__(self, days_off: set[date]):
        self.days_off = days_off
        self.asked: list[date] = []

    def is_workday(self, day: date) -> bool | None:
        self.asked.append(day)
        if day.year != 2030:
            return None
        return day not in self.days_off and day.weekday() < 5


class NeverWorkSource:
    def is_workday(self, day: date) -> bool | None:
        return False


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(i) for i in range((last - first).days + 1)]


# ----- the 2026 notice ------------------------------------------------------
@pytest.mark.parametrize("name", HOLIDAY_BLOCKS_2026)
def test_every_day_of_a_2026_holiday_block_is_off(cal: WorkCalendar, name: str) -> None:
    first, last = HOLIDAY_BLOCKS_2026[name]
    assert [d for d in _days(first, last) if cal.is_workday(d)] == []


@pytest.mark.parametrize("name", HOLIDAY_BLOCKS_2026)
def test_days_around_a_2026_holiday_block_are_worked_or_weekend(cal: WorkCalendar, name: str) -> None:
    first, last = HOLIDAY_BLOCKS_2026[name]
    for neighbour in (first - timedelta(1), last + timedelta(1)):
        expected = neighbour.weekday() < 5 or neighbour in MAKE_UP_WORKDAYS_2026
        assert cal.is_workday(neighbour) is expected, neighbour


@pytest.mark.parametrize("day", MAKE_UP_WORKDAYS_2026, ids=str)
def test_2026_make_up_weekend_days_are_workdays(cal: WorkCalendar, day: date) -> None:
    assert day.weekday() >= 5
    assert cal.is_workday(day)


def test_spring_festival_2026_is_nine_days_between_two_make_up_saturdays(cal: WorkCalendar) -> None:
    off = [d for d in _days(date(2026, 2, 14), date(2026, 2, 28)) if not cal.is_workday(d)]
    assert off == _days(date(2026, 2, 15), date(2026, 2, 23))
    assert len(off) == 9


def test_ordinary_2026_weekend_is_off(cal: WorkCalendar) -> None:
    assert not cal.is_workday(date(2026, 3, 7))  # Saturday
    assert not cal.is_workday(date(2026, 3, 8))  # Sunday
    assert cal.is_workday(date(2026, 3, 9))  # Monday


def test_2026_needs_no_fallback_and_no_warning() -> None:
    cal = WorkCalendar()
    cal.workdays_between(date(2026, 1, 1), date(2026, 12, 31))
    assert cal.covered(2026)
    assert cal.coverage_warning(2026) is None
    assert cal.fallback_years == set()


# ----- counting -------------------------------------------------------------
def test_third_workday_after_september_30_skips_national_day_and_lands_on_make_up_saturday(
    cal: WorkCalendar,
) -> None:
    assert cal.nth_workday_after(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.nth_workday_after(date(2026, 9, 30), 2) == date(2026, 10, 9)
    assert cal.nth_workday_after(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert cal.nth_workday_after(date(2026, 9, 30), 4) == date(2026, 10, 12)


def test_nth_workday_after_is_strictly_after(cal: WorkCalendar) -> None:
    assert cal.nth_workday_after(date(2026, 3, 9), 1) == date(2026, 3, 10)  # Monday → Tuesday
    assert cal.nth_workday_after(date(2026, 3, 13), 1) == date(2026, 3, 16)  # Friday → Monday


def test_nth_workday_after_crosses_new_year(cal: WorkCalendar) -> None:
    # 2025-12-31 is a Wednesday; Jan 1-3 are off and Sunday Jan 4 is worked.
    assert cal.nth_workday_after(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert cal.nth_workday_after(date(2025, 12, 31), 2) == date(2026, 1, 5)


@pytest.mark.parametrize("n", [0, -1])
def test_nth_workday_after_needs_positive_n(cal: WorkCalendar, n: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        cal.nth_workday_after(date(2026, 1, 1), n)


def test_nth_workday_after_gives_up_when_nothing_is_ever_worked() -> None:
    with pytest.raises(ValueError, match="no working day"):
        WorkCalendar(source=NeverWorkSource()).nth_workday_after(date(2026, 1, 1), 1)


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [
        (1, 1, date(2026, 1, 4)),  # the make-up Sunday after 元旦
        (1, 2, date(2026, 1, 5)),
        (10, 1, date(2026, 10, 8)),
        (10, 3, date(2026, 10, 10)),
        (10, 18, date(2026, 10, 30)),  # October 2026 has 18 working days, the last on Friday 30th
    ],
)
def test_nth_workday_of_month(cal: WorkCalendar, month: int, n: int, expected: date) -> None:
    assert cal.nth_workday_of_month(2026, month, n) == expected


def test_nth_workday_of_month_beyond_the_month_is_an_error(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="fewer than 19"):
        cal.nth_workday_of_month(2026, 10, 19)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 10, 1), date(2026, 10, 31), 18),
        (date(2026, 2, 1), date(2026, 2, 28), 16),  # 20 weekdays - 6 festival weekdays + 2 Saturdays
        (date(2026, 1, 1), date(2026, 12, 31), 248),  # 261 weekdays - 19 holiday weekdays + 6 make-up days
        (date(2026, 10, 8), date(2026, 10, 8), 1),
        (date(2026, 10, 1), date(2026, 10, 1), 0),
        (date(2026, 10, 9), date(2026, 10, 8), 0),  # empty range
    ],
)
def test_workdays_between_is_inclusive(cal: WorkCalendar, start: date, end: date, expected: int) -> None:
    assert cal.workdays_between(start, end) == expected


# ----- overrides, fallback and injection --------------------------------------
def test_overrides_beat_the_source() -> None:
    cal = WorkCalendar({date(2026, 10, 1): True, date(2026, 3, 11): False})
    assert cal.is_workday(date(2026, 10, 1))  # a national holiday, overridden as worked
    assert not cal.is_workday(date(2026, 3, 11))  # an ordinary Wednesday, overridden as off
    assert cal.is_workday(date(2026, 3, 12))


def test_uncovered_year_falls_back_to_monday_to_friday_and_says_so() -> None:
    cal = WorkCalendar()
    assert not cal.covered(2027)
    assert cal.fallback_years == set()
    assert cal.is_workday(date(2027, 1, 1))  # Friday: really 元旦, but nobody has entered 2027 yet
    assert not cal.is_workday(date(2027, 1, 2))  # Saturday
    assert cal.fallback_years == {2027}


def test_coverage_warning_names_the_year_in_chinese_and_english_and_the_fix() -> None:
    warning = WorkCalendar().coverage_warning(2027)
    assert warning is not None
    assert "2027年" in warning
    assert "No holiday calendar for 2027" in warning
    assert "周一至周五" in warning and "Monday-Friday" in warning
    assert "config/city.toml" in warning and "[calendar] overrides" in warning


def test_years_before_the_package_data_also_fall_back() -> None:
    cal = WorkCalendar()
    assert not cal.covered(2003)
    assert cal.coverage_warning(2003) is not None


def test_entering_a_year_in_overrides_covers_it() -> None:
    cal = WorkCalendar({date(2027, 1, 1): False})
    assert cal.covered(2027)
    assert cal.coverage_warning(2027) is None
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 4))  # a Monday the ops did not list
    assert cal.fallback_years == set()


def test_chinese_calendar_source_answers_or_declines() -> None:
    source = ChineseCalendarSource()
    assert source.is_workday(date(2026, 10, 10)) is True
    assert source.is_workday(date(2026, 10, 1)) is False
    assert source.is_workday(date(2027, 3, 1)) is None


def test_an_injected_source_is_used() -> None:
    source = FakeSource(days_off={date(2030, 3, 4), date(2030, 3, 5)})  # Monday, Tuesday
    cal = WorkCalendar(source=source)
    assert cal.covered(2030)
    assert not cal.covered(2026)  # the fake knows nothing about 2026, whatever the real package says
    assert cal.nth_workday_after(date(2030, 3, 1), 1) == date(2030, 3, 6)
    assert date(2030, 3, 4) in source.asked


def test_overrides_are_asked_before_the_source() -> None:
    source = FakeSource(days_off=set())
    cal = WorkCalendar({date(2030, 3, 4): False}, source=source)
    assert not cal.is_workday(date(2030, 3, 4))
    assert date(2030, 3, 4) not in source.asked


def test_from_settings_reads_the_config_overrides() -> None:
    settings = load_settings()
    overrides = (
        CalendarOverride(date=date(2027, 1, 1), workday=False, note="元旦"),
        CalendarOverride(date=date(2027, 2, 7), workday=True, note="春节调休"),
    )
    settings = settings.model_copy(update={"calendar": CalendarSettings(overrides=overrides)})
    cal = WorkCalendar.from_settings(settings)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 2, 7))  # a Sunday
    assert cal.covered(2027)
    assert cal.is_workday(date(2026, 10, 10))  # the package still answers for 2026
