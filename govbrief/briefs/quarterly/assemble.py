"""Assemble a 季总结: warehouse rows → the quarter's safety metrics, the debt metrics at this
and last quarter's end, the quarter panel → the brief's context and data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from govbrief.briefs.common.submission_words import matrix_submissions
from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.briefs.monthly.assemble import DEBT_RETURN, monthly_debt_metrics
from govbrief.briefs.monthly.data import monthly_data
from govbrief.briefs.quarterly.sections import build_quarterly_context
from govbrief.briefs.registry import BY_ID
from govbrief.briefs.ten_day.assemble import SAFETY_SHEETS
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.metrics.progress import quota_usage_by_month
from govbrief.metrics.quarter_supervision import QuarterEnd, quarter_end
from govbrief.metrics.quarterly_result import QuarterlyMetrics, compute_quarterly
from govbrief.metrics.quarterly_trends import quarter_panel
from govbrief.metrics.result import SafetyMetrics
from govbrief.metrics.safety import compute_safety
from govbrief.render.context import BriefContext
from govbrief.status import submission_matrix
from govbrief.targets.annual import death_quotas
from govbrief.warehouse import Warehouse


def assemble_quarterly(
    settings: Settings, warehouse: Warehouse, quarter: Period, *, issued_on: date
) -> tuple[BriefContext, dict[str, Any]]:
    """Everything the 季总结 says, from the accepted returns in the warehouse."""
    since = date(quarter.year - 1, 1, 1)  # 同比 and last year's quarters
    safety_frames = {s: warehouse.load_observations(s, since, quarter.end) for s in SAFETY_SHEETS}
    reported = warehouse.accepted_by_unit(
        "safety", [p.key for p in BY_ID["quarterly"].returns_needed(quarter)["safety"]]
    )
    quotas = death_quotas(settings, quarter.year)
    safety = compute_safety(safety_frames, quarter, settings.units, quotas, settings.thresholds, reported)
    accidents = safety_frames["accidents"]
    now = quarter_end_state(settings, warehouse, quarter, accidents)
    before = quarter_end_state(settings, warehouse, quarter.previous(), accidents)
    codes = [unit.code for unit in settings.units]
    panel = quarter_panel(accidents, warehouse.load_observations("debt", since, quarter.end), codes, quarter.year)
    metrics = compute_quarterly(quarter, now, before, panel, settings.escalation)
    last_month = Period.month(quarter.year, quarter.end.month)
    matrix = submission_matrix(warehouse, settings, [last_month], [DEBT_RETURN], today=issued_on)
    submissions = matrix_submissions(matrix, DEBT_RETURN, last_month)
    context = build_quarterly_context(
        safety, metrics, settings=settings, period=quarter, submissions=submissions, issued_on=issued_on
    )
    return context, quarterly_data(safety, metrics, settings, submissions)


def quarter_end_state(settings: Settings, warehouse: Warehouse, quarter: Period, accidents: pd.DataFrame) -> QuarterEnd:
    """The debt metrics and target gaps at a quarter's last month-end (that year's targets)."""
    month = Period.month(quarter.year, quarter.end.month)
    usage = quota_usage_by_month(accidents, month.year, month.index, death_quotas(settings, month.year))
    debt = monthly_debt_metrics(settings, warehouse, month, usage)
    quota_use = {str(code): None if pd.isna(v) else float(v) for code, v in usage[month.index].items()}
    return quarter_end(quarter, debt, quota_use)


def quarterly_data(
    safety: SafetyMetrics, metrics: QuarterlyMetrics, settings: Settings, submissions: Sequence[SubmissionInfo]
) -> dict[str, Any]:
    """The quarter's numbers: the 月通报's shape over the quarter, and the quarter's own under "quarterly"."""
    data = monthly_data(safety, metrics.now.debt, settings=settings, period=metrics.quarter, submissions=submissions)
    return {**data, "kind": "quarterly", "quarterly": metrics.to_json()}
