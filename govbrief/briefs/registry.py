"""Which returns of which periods each kind of brief is made from.

The flows gather exactly these, and every stored version records the ids of the
accepted ones: one definition, so the archive never names fewer returns than a
brief read.
"""

from __future__ import annotations

from govbrief.calendar.periods import Period, PeriodKind, history_needed

SAFETY_RETURN = "safety"
MONTHLY_RETURNS = ("debt", "key_tasks")


def returns_needed(kind: str, period: Period) -> dict[str, list[Period]]:
    """Return kind → periods, January of last year on (本年累计, 同比 and 环比 need them):
    旬 safety returns for every brief; monthly debt and key-task returns up to the period's
    last month for the 月通报 and 季总结."""
    if kind == "ten_day":
        return {SAFETY_RETURN: history_needed(period)}
    if kind not in ("monthly", "quarterly"):
        raise ValueError(f"unknown brief kind: {kind}")
    last_month = Period.containing(PeriodKind.MONTH, period.end)
    months = history_needed(last_month)
    ten_days = history_needed(Period.containing(PeriodKind.TEN_DAY, period.end))
    return {SAFETY_RETURN: ten_days, **{return_kind: months for return_kind in MONTHLY_RETURNS}}
