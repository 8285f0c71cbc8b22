"""When a return is due: N working days after its period ends, N configured per cadence.

The number comes from the `[deadlines]` table of the configuration, one field
per cadence named `<cadence>_working_days` (`ten_day_working_days` for the 旬
return; the monthly debt return's `month_working_days` goes next to it). A return
is on time when it arrives by the end of the due day in the city's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from govbrief.calendar.periods import Period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Deadlines, Settings


@dataclass(frozen=True)
class Deadline:
    """The last day a return counts as on time, in the city's time zone."""

    due: date
    timezone: ZoneInfo

    def met_by(self, received_at: datetime) -> bool:
        """Whether a return that arrived at `received_at` (timezone-aware) was on time."""
        return received_at.astimezone(self.timezone).date() <= self.due

    def passed(self, today: date) -> bool:
        """Whether the due day is over (on the due day itself a return is still awaited)."""
        return today > self.due


def working_days_after(deadlines: Deadlines, cadence: str) -> int:
    """N for returns of this cadence, from the `<cadence>_working_days` setting."""
    name = f"{cadence}_working_days"
    value = getattr(deadlines, name, None)
    if not isinstance(value, int):
        raise KeyError(
            f"no deadline for {cadence} returns: set {name} under [deadlines] / 未配置{cadence}报表的报送期限：{name}"
        )
    return value


def due_date(period: Period, calendar: WorkCalendar, working_days: int) -> date:
    """The N-th working day after the period closes (the period's last day when N is 0)."""
    return calendar.nth_workday_after(period.end, working_days) if working_days else period.end


def return_deadline(settings: Settings, cadence: str, period: Period, calendar: WorkCalendar) -> Deadline:
    """The deadline of a return of this cadence for `period`."""
    if period.kind != cadence:
        raise ValueError(f"a {cadence} return has no deadline for the {period.kind} period {period.key}")
    due = due_date(period, calendar, working_days_after(settings.deadlines, cadence))
    return Deadline(due, ZoneInfo(settings.city.timezone))
