"""Assemble a 旬简报: warehouse rows → metrics → the brief's context and data."""

from __future__ import annotations

from datetime import date
from typing import Any

from govbrief.briefs.common.debt_flags import DebtFlags, debt_flags
from govbrief.briefs.common.submission_words import matrix_submissions
from govbrief.briefs.ten_day.sections import brief_data, build_ten_day_context
from govbrief.briefs.ten_day.writing import TenDayInputs, build_ten_day_document
from govbrief.calendar.deadlines import return_deadline
from govbrief.calendar.periods import Period, PeriodKind, history_needed
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings
from govbrief.metrics.safety import compute_safety
from govbrief.render.context import BriefContext
from govbrief.render.document import BriefContext as BriefDocument
from govbrief.status import submission_matrix
from govbrief.targets.annual import death_quotas
from govbrief.warehouse import Warehouse

SAFETY_RETURN = "safety"
SAFETY_SHEETS = ("accidents", "hazards", "enforcement", "scenic")


def assemble_ten_day(
    settings: Settings, warehouse: Warehouse, period: Period, *, issued_on: date
) -> tuple[BriefContext, dict[str, Any]]:
    """Everything the 旬简报 says, from the accepted returns in the warehouse."""
    since = date(period.year - 1, 1, 1)  # last year's year-to-date is the 同比 base
    frames = {sheet: warehouse.load_observations(sheet, since, period.end) for sheet in SAFETY_SHEETS}
    reported = warehouse.accepted_by_unit(SAFETY_RETURN, [p.key for p in history_needed(period)])
    quotas = death_quotas(settings, period.year)
    metrics = compute_safety(frames, period, settings.units, quotas, settings.thresholds, reported)
    # The same matrix `govbrief status` prints, judged on the day of issue.
    matrix = submission_matrix(warehouse, settings, [period], [SAFETY_RETURN], today=issued_on)
    submissions = matrix_submissions(matrix, SAFETY_RETURN, period)
    context = build_ten_day_context(
        metrics, settings=settings, period=period, submissions=submissions, issued_on=issued_on
    )
    data = brief_data(metrics, settings=settings, period=period, submissions=submissions)
    return context, data


def assemble_ten_day_document(
    settings: Settings, warehouse: Warehouse, period: Period, *, issued_on: date
) -> tuple[BriefDocument, dict[str, Any]]:
    """The 旬简报 as a 公文 document, and its data, from the accepted returns in the warehouse."""
    since = date(period.year - 1, 1, 1)  # last year's year-to-date is the 同比 base
    frames = {sheet: warehouse.load_observations(sheet, since, period.end) for sheet in SAFETY_SHEETS}
    reported = warehouse.accepted_by_unit(SAFETY_RETURN, [p.key for p in history_needed(period)])
    quotas = death_quotas(settings, period.year)
    metrics = compute_safety(frames, period, settings.units, quotas, settings.thresholds, reported)
    matrix = submission_matrix(warehouse, settings, [period], [SAFETY_RETURN], today=issued_on)
    submissions = matrix_submissions(matrix, SAFETY_RETURN, period)
    inputs = TenDayInputs(settings, period, submissions, issued_on, debt=month_debt_flags(settings, warehouse, period))
    document = build_ten_day_document(metrics, inputs)
    return document, brief_data(metrics, settings=settings, period=period, submissions=submissions)


def month_debt_flags(settings: Settings, warehouse: Warehouse, period: Period) -> DebtFlags | None:
    """The red flags of the month whose debt returns fell due in this 旬 (None when none did)."""
    if settings.deadlines.month_working_days is None:
        return None
    month = Period.containing(PeriodKind.MONTH, period.start).previous()
    due = return_deadline(settings, "month", month, WorkCalendar.from_settings(settings)).due
    if not period.start <= due <= period.end:
        return None
    rows = warehouse.load_observations("debt", month.start, month.end)
    return debt_flags(month, rows, {unit.code: unit.name for unit in settings.units})
