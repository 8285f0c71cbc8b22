"""Assemble a 月通报: warehouse rows → safety and debt metrics → the brief's context and data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from govbrief.briefs.common.county_ranking import county_ranking, dimension_values
from govbrief.briefs.common.submission_words import matrix_submissions
from govbrief.briefs.monthly.data import monthly_data
from govbrief.briefs.monthly.sections import build_monthly_context
from govbrief.briefs.monthly.writing import MonthlyInputs, build_monthly_document
from govbrief.briefs.registry import BY_ID
from govbrief.briefs.ten_day.assemble import SAFETY_SHEETS
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.metrics.debt import compute_debt
from govbrief.metrics.debt_result import DebtMetrics, DebtTargets, key_task_targets
from govbrief.metrics.progress import quota_usage_by_month
from govbrief.metrics.result import SafetyMetrics
from govbrief.metrics.safety import compute_safety
from govbrief.render.context import BriefContext
from govbrief.render.document import BriefContext as BriefDocument
from govbrief.status import submission_matrix
from govbrief.targets.annual import death_quotas, load_targets
from govbrief.targets.plans import load_key_tasks
from govbrief.warehouse import Warehouse

DEBT_RETURN = "debt"
DEBT_SHEETS = ("debt", "key_tasks")


def assemble_monthly(
    settings: Settings, warehouse: Warehouse, month: Period, *, issued_on: date
) -> tuple[BriefContext, dict[str, Any]]:
    """Everything the 月通报 says, from the accepted returns in the warehouse."""
    safety_frames = {s: warehouse.load_observations(s, date(month.year - 1, 1, 1), month.end) for s in SAFETY_SHEETS}
    quotas = death_quotas(settings, month.year)
    reported = warehouse.accepted_by_unit("safety", [p.key for p in BY_ID["monthly"].returns_needed(month)["safety"]])
    safety = compute_safety(safety_frames, month, settings.units, quotas, settings.thresholds, reported)
    usage = quota_usage_by_month(safety_frames["accidents"], month.year, month.index, quotas)
    debt = monthly_debt_metrics(settings, warehouse, month, usage)
    matrix = submission_matrix(warehouse, settings, [month], [DEBT_RETURN], today=issued_on)
    submissions = matrix_submissions(matrix, DEBT_RETURN, month)
    context = build_monthly_context(
        safety, debt, settings=settings, period=month, submissions=submissions, issued_on=issued_on
    )
    return context, monthly_data(safety, debt, settings=settings, period=month, submissions=submissions)


def month_figures(settings: Settings, warehouse: Warehouse, month: Period) -> tuple[SafetyMetrics, DebtMetrics]:
    """The month's safety and debt figures from the accepted returns."""
    since = date(month.year - 1, 1, 1)  # last year's year-to-date is the 同比 base
    safety_frames = {sheet: warehouse.load_observations(sheet, since, month.end) for sheet in SAFETY_SHEETS}
    quotas = death_quotas(settings, month.year)
    reported = warehouse.accepted_by_unit("safety", [p.key for p in BY_ID["monthly"].returns_needed(month)["safety"]])
    safety = compute_safety(safety_frames, month, settings.units, quotas, settings.thresholds, reported)
    usage = quota_usage_by_month(safety_frames["accidents"], month.year, month.index, quotas)
    return safety, monthly_debt_metrics(settings, warehouse, month, usage)


def assemble_monthly_document(
    settings: Settings, warehouse: Warehouse, month: Period, *, issued_on: date
) -> tuple[BriefDocument, dict[str, Any]]:
    """The 月通报 as a 公文 document, and its data, from the accepted returns in the warehouse."""
    safety, debt = month_figures(settings, warehouse, month)
    # The ranking's 较上月 compares with the month before in the same year (January has none).
    before = month_figures(settings, warehouse, month.previous()) if month.index > 1 else None
    ranking = county_ranking((safety, debt), before, {str(d): w for d, w in settings.ranking.weights.items()})
    matrix = submission_matrix(warehouse, settings, [month], [DEBT_RETURN], today=issued_on)
    submissions = matrix_submissions(matrix, DEBT_RETURN, month)
    inputs = MonthlyInputs(settings, month, submissions, issued_on, ranking, dimension_values(safety, debt))
    document = build_monthly_document(safety, debt, inputs)
    return document, monthly_data(safety, debt, settings=settings, period=month, submissions=submissions)


def monthly_debt_metrics(
    settings: Settings, warehouse: Warehouse, month: Period, quota_usage: pd.DataFrame | None
) -> DebtMetrics:
    """The month's DebtMetrics from the debt and key-task returns since last December."""
    since = date(month.year - 1, 12, 1)  # December's hidden balance opens January's roll-forward
    frames = {sheet: warehouse.load_observations(sheet, since, month.end) for sheet in DEBT_SHEETS}
    tasks = load_key_tasks(settings.paths.targets, month.year)
    targets = DebtTargets.from_table(load_targets(settings, month.year), key_task_targets(tasks))
    channels = [(channel.id, channel.name) for channel in settings.debt.channels]
    return compute_debt(
        frames,
        month,
        settings.units,
        targets,
        channels,
        settings.thresholds,
        quota_usage=quota_usage,
        rules=settings.escalation,
    )
