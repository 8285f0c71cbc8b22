"""A year of briefs: every 旬简报, 月通报 and 季总结 issued in the twelve months up to a month."""

from __future__ import annotations

from govbrief.calendar.periods import Period, PeriodKind

MONTHS_IN_YEAR = 12


def year_of_briefs(last_month: Period) -> list[Period]:
    """The periods briefed in the 12 months ending with `last_month`, in the order they are issued:
    by end date, a 旬 before the month it closes, the month before the quarter it closes."""
    first_month = last_month
    for _ in range(MONTHS_IN_YEAR - 1):
        first_month = first_month.previous()
    kinds = (PeriodKind.TEN_DAY, PeriodKind.MONTH, PeriodKind.QUARTER)
    periods = [p for kind in kinds for p in _within(kind, first_month, last_month)]
    return sorted(periods, key=lambda p: (p.end, kinds.index(p.kind)))


def _within(kind: PeriodKind, first_month: Period, last_month: Period) -> list[Period]:
    """Every period of `kind` lying wholly inside first_month … last_month."""
    found: list[Period] = []
    current = Period.containing(kind, first_month.start)
    while current.end <= last_month.end:
        if current.start >= first_month.start:
            found.append(current)
        current = current.next()
    return found
