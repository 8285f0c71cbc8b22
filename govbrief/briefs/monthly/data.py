"""monthly_data: the 月通报's numbers as JSON (`govbrief run monthly --json` and data.json).

The 旬简报's shape (ten_day_data.brief_data) over the month, with "kind": "monthly",
plus "debt": DebtMetrics.to_json() (values per unit, channels, key tasks, ranks,
escalations with their streaks, recoveries and the debt alerts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.briefs.ten_day.data import brief_data
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.result import SafetyMetrics


def monthly_data(
    safety: SafetyMetrics,
    debt: DebtMetrics,
    *,
    settings: Settings,
    period: Period,
    submissions: Sequence[SubmissionInfo],
) -> dict[str, Any]:
    """The month's safety numbers (brief_data's shape) and its debt numbers under "debt"."""
    data = brief_data(safety, settings=settings, period=period, submissions=submissions)
    return {**data, "kind": "monthly", "debt": debt.to_json()}
