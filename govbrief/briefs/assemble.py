"""Assemble a 旬简报: warehouse rows → metrics → the brief's context and data."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from govbrief.briefs.context import BriefContext
from govbrief.briefs.ten_day import brief_data, build_ten_day_context
from govbrief.config import Settings
from govbrief.metrics.safety import compute_safety
from govbrief.metrics.targets import death_quotas
from govbrief.periods import Period
from govbrief.submissions import deadline, summarise_submissions
from govbrief.warehouse import Warehouse
from govbrief.workdays import WorkCalendar

SAFETY_SHEETS = ("accidents", "hazards", "enforcement")


def assemble_ten_day(
    settings: Settings, warehouse: Warehouse, period: Period, *, issued_on: date
) -> tuple[BriefContext, dict[str, Any]]:
    """Everything the 旬简报 says, from the accepted returns in the warehouse."""
    since = date(period.year - 1, 1, 1)  # last year's year-to-date is the 同比 base
    frames = {sheet: warehouse.load_observations(sheet, since, period.end) for sheet in SAFETY_SHEETS}
    metrics = compute_safety(
        frames, period, settings.units, death_quotas(settings, period.year), settings.thresholds
    )
    slots = warehouse.slot_statuses("safety", period.key)
    due = deadline(period, WorkCalendar.from_settings(settings), settings.deadlines.ten_day_working_days)
    submissions = summarise_submissions(
        settings.units,
        {code: (s.received_at, s.status == "refused", s.problems) for code, s in slots.items()},
        due,
        ZoneInfo(settings.city.timezone),
    )
    context = build_ten_day_context(
        metrics, settings=settings, period=period, submissions=submissions, issued_on=issued_on
    )
    data = brief_data(metrics, settings=settings, period=period, submissions=submissions)
    return context, data
