"""The one clock: what time it is. Production reads the system's; tests fix it (FixedClock).

Everything that asks "now" or "today" asks a Clock: the warehouse's timestamps, the run locks,
the brief's day of judgement, the inbox's settling time, the schedule's window. The clock is
carried by the Settings (`settings.clock`, `settings.today()`), so one object fixes time for a
whole run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo


@runtime_checkable
class Clock(Protocol):
    """Tells the time."""

    def now(self) -> datetime:
        """Now, timezone-aware."""
        ...

    def __hash__(self) -> int:  # a run's warehouse connection is cached per URL and clock
        ...


@dataclass(frozen=True)
class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at `at` (timezone-aware): what tests use."""

    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError(f"a fixed clock needs a timezone-aware time, not {self.at!r}")

    def now(self) -> datetime:
        return self.at


SYSTEM_CLOCK = SystemClock()


def now_in(clock: Clock, timezone: str) -> datetime:
    """Now on the clock, in that time zone."""
    return clock.now().astimezone(ZoneInfo(timezone))


def today_in(clock: Clock, timezone: str) -> date:
    """Today on the clock, in that time zone (a city's day begins at its own midnight)."""
    return now_in(clock, timezone).date()
