"""When each brief goes out: the N-th working day after its period closes, at the configured time.

Cron cannot say "the 3rd working day after the 旬" (holidays and 调休 move it), so the
deployments carry explicit dates computed here from the working-day calendar. Each
delivery names the period it briefs, so a run that starts late still briefs that period.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from govbrief.briefs.registry import BRIEFS, BriefKind, brief_for
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import ScheduleSettings, Settings

# The period kinds briefs are issued for, in delivery order.
BRIEF_PERIOD_KINDS: tuple[PeriodKind, ...] = tuple(brief.period_kind for brief in BRIEFS)
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
RDATE_FORMAT = "%Y%m%dT%H%M%S"


@dataclass(frozen=True, order=True)
class Delivery:
    """One brief delivery: when (city time) and which period it briefs."""

    at: datetime
    period: Period

    @property
    def kind(self) -> PeriodKind:
        return self.period.kind

    @property
    def brief(self) -> BriefKind:
        return brief_for(self.period.kind)

    @property
    def brief_zh(self) -> str:
        return self.brief.name_zh

    @property
    def weekday_zh(self) -> str:
        return WEEKDAYS_ZH[self.at.weekday()]


def delivery_time(schedule: ScheduleSettings) -> time:
    """The configured HH:MM of day."""
    hours, minutes = schedule.time.split(":")
    return time(int(hours), int(minutes))


class DeliveryPlanner:
    """Computes delivery datetimes from the settings' schedule, time zone and working-day calendar."""

    def __init__(self, settings: Settings, calendar: WorkCalendar | None = None):
        self.schedule = settings.schedule
        self.zone = ZoneInfo(settings.city.timezone)
        self.calendar = calendar if calendar is not None else WorkCalendar.from_settings(settings)

    def delivery(self, period: Period) -> Delivery:
        """The delivery of the brief for `period`."""
        # "5th working day of the next month" is the 5th working day after the month closes.
        day = self.calendar.nth_workday_after(period.end, brief_for(period.kind).working_days_after(self.schedule))
        return Delivery(datetime.combine(day, delivery_time(self.schedule), tzinfo=self.zone), period)

    def between(
        self, start: datetime, end: datetime, kinds: tuple[PeriodKind, ...] = BRIEF_PERIOD_KINDS
    ) -> list[Delivery]:
        """Every delivery with start <= at < end, in time order."""
        first, last = start.astimezone(self.zone).date(), end.astimezone(self.zone).date()
        found = [d for kind in kinds for d in self._deliveries(kind, first, last) if start <= d.at < end]
        return sorted(found)

    def upcoming(self, start: datetime, months: int = 12) -> list[Delivery]:
        """Every delivery from `start` for the next `months` months (the deployments' window)."""
        return self.between(start, add_months(start, months))

    def in_year(self, year: int, kinds: tuple[PeriodKind, ...] = BRIEF_PERIOD_KINDS) -> list[Delivery]:
        """Every delivery dated in `year` (city time), including those briefing last year's final periods."""
        start = datetime(year, 1, 1, tzinfo=self.zone)
        return self.between(start, start.replace(year=year + 1), kinds)

    def coverage_warnings(self, deliveries: list[Delivery]) -> list[str]:
        """The calendar's warning for each year these deliveries fall in without holiday data."""
        years = sorted({d.at.year for d in deliveries})
        return [w for year in years if (w := self.calendar.coverage_warning(year)) is not None]

    def _deliveries(self, kind: PeriodKind, first_day: date, last_day: date) -> Iterator[Delivery]:
        # A period that closed before the window can still be delivered inside it: start two
        # periods back (at most 30 working days late, well within two periods of any kind).
        period = Period.containing(kind, first_day).previous().previous()
        while period.end < last_day:
            yield self.delivery(period)
            period = period.next()


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when that day does not exist)."""
    year, month_index = divmod(moment.month - 1 + months, 12)
    year += moment.year
    last_day = monthrange(year, month_index + 1)[1]
    return moment.replace(year=year, month=month_index + 1, day=min(moment.day, last_day))


def rrule_text(moments: list[datetime]) -> str:
    """An RFC 5545 RDATE rule listing exactly these moments, in local time of their time zone.

    The times are written without a zone ("floating") because Prefect's RRuleSchedule puts its
    own `timezone` on them; a trailing Z would be read as UTC and then relabelled.
    """
    if not moments:
        raise ValueError("an RDATE rule needs at least one date")
    return "RDATE:" + ",".join(moment.strftime(RDATE_FORMAT) for moment in sorted(moments))
