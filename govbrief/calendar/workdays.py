"""China's working days: statutory holidays and make-up working days (调休).

The State Council publishes next year's holidays around November, and the
chinese-calendar package only knows the years up to its release. So a
WorkCalendar asks, in order: the ops-maintained overrides from
config/city.toml, then an injected HolidaySource, then plain Monday-Friday.
It remembers which years had to fall back so the CLI can warn loudly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

import chinese_calendar

if TYPE_CHECKING:
    from govbrief.config import Settings

# A stretch this long without a single working day means the calendar data is
# wrong (e.g. every day overridden as a holiday); stop instead of looping forever.
MAX_DAYS_WITHOUT_WORK = 366


class HolidaySource(Protocol):
    """Knows the official working days of some years."""

    def is_workday(self, day: date) -> bool | None:
        """True/False for a covered year; None when the source has no data for that year."""
        ...


class ChineseCalendarSource:
    """The chinese-calendar package (1.11 covers 2004-2026)."""

    def is_workday(self, day: date) -> bool | None:
        """The package's answer, or None for a year it does not cover."""
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return None


class WorkCalendar:
    """Working days from overrides, then the holiday source, then Monday-Friday."""

    def __init__(self, overrides: Mapping[date, bool] | None = None, source: HolidaySource | None = None):
        self._overrides = dict(overrides or {})
        self._source: HolidaySource = source if source is not None else ChineseCalendarSource()
        self._override_years = {day.year for day in self._overrides}
        self._source_years: dict[int, bool] = {}
        self._fallback_years: set[int] = set()

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkCalendar:
        """The calendar with the overrides of config/city.toml [calendar]."""
        return cls({o.date: o.workday for o in settings.calendar.overrides})

    @property
    def fallback_years(self) -> set[int]:
        """Years for which some answer actually came from the Monday-Friday fallback."""
        return set(self._fallback_years)

    def is_workday(self, day: date) -> bool:
        """Whether government offices work on `day`."""
        if day in self._overrides:
            return self._overrides[day]
        answer = self._source.is_workday(day)
        if answer is not None:
            return answer
        if not self.covered(day.year):
            self._fallback_years.add(day.year)
        return day.weekday() < 5

    def covered(self, year: int) -> bool:
        """Whether real holiday data exists for `year`.

        The rule: the source knows the year, or ops have entered at least one
        override dated in that year. Entering a year's holidays in config is
        the documented way to cover it, so any entry counts as "entered"; the
        days not listed are then ordinary Monday-Friday days, not a fallback.
        """
        return year in self._override_years or self._source_covers(year)

    def coverage_warning(self, year: int) -> str | None:
        """A bilingual warning when `year` has no holiday data, else None."""
        if self.covered(year):
            return None
        example = f'{{ date = "{year}-01-01", workday = false, note = "元旦" }}'
        return (
            f"{year}年节假日安排缺失：工作日暂按周一至周五计算，未计法定节假日和调休。"
            f"国务院公布{year}年节假日安排后，请在 config/city.toml 的 [calendar] overrides 中"
            f"逐日填写放假日和调休上班日，例如 {example}。\n"
            f"No holiday calendar for {year}: working days fall back to Monday-Friday, "
            f"ignoring statutory holidays and make-up working days. When the State Council "
            f"publishes the {year} holidays, list each day off and each make-up working day "
            f"under [calendar] overrides in config/city.toml, e.g. {example}."
        )

    def nth_workday_after(self, day: date, n: int) -> date:
        """The n-th working day strictly after `day` (n >= 1)."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        current, found, idle = day, 0, 0
        while found < n:
            current += timedelta(days=1)
            if self.is_workday(current):
                found, idle = found + 1, 0
            else:
                idle += 1
                if idle > MAX_DAYS_WITHOUT_WORK:
                    raise ValueError(f"no working day for a year after {current - timedelta(idle)}")
        return current

    def nth_workday_of_month(self, year: int, month: int, n: int) -> date:
        """The n-th working day of a month; ValueError if the month has fewer."""
        found = self.nth_workday_after(date(year, month, 1) - timedelta(days=1), n)
        if (found.year, found.month) != (year, month):
            raise ValueError(f"{year}-{month:02d} has fewer than {n} working days")
        return found

    def workdays_between(self, start: date, end: date) -> int:
        """Working days from `start` to `end`, both included (0 when end < start)."""
        days = (end - start).days + 1
        return sum(1 for offset in range(max(days, 0)) if self.is_workday(start + timedelta(offset)))

    def _source_covers(self, year: int) -> bool:
        if year not in self._source_years:
            self._source_years[year] = self._source.is_workday(date(year, 1, 1)) is not None
        return self._source_years[year]
