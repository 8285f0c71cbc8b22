"""The fixed clock tests stop time with: a moment in the city's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from govbrief.clock import FixedClock

CITY = ZoneInfo("Asia/Shanghai")


def city_clock(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> FixedClock:
    """A clock stopped at that moment of the city's day."""
    return FixedClock(datetime(year, month, day, hour, minute, tzinfo=CITY))
