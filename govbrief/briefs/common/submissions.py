"""Who sent the 旬 return, and how: the 报送情况 section and its alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from govbrief.config import Unit
from govbrief.formatting import join_names
from govbrief.metrics.lights import sort_alerts
from govbrief.metrics.result import MetricAlert, SafetyMetrics
from govbrief.render.context import Submission

SubmissionStatus = Literal["on_time", "late", "missing", "refused"]
STATUS_ZH: dict[SubmissionStatus, str] = {
    "on_time": "按时报送",
    "late": "逾期报送",
    "missing": "未报送",
    "refused": "退回重报",
}
SUBMISSION_INDICATOR = "submission"


@dataclass(frozen=True)
class SubmissionInfo:
    """How one unit's return for the period arrived (a unit with no entry counts as missing)."""

    unit_code: str
    status: SubmissionStatus
    detail: str = ""  # e.g. the first problems of a refused return


def status_by_unit(units: Sequence[Unit], submissions: Sequence[SubmissionInfo]) -> dict[str, SubmissionInfo]:
    """Every configured unit's submission, in configured order; missing where none was given."""
    given = {info.unit_code: info for info in submissions}
    return {unit.code: given.get(unit.code, SubmissionInfo(unit.code, "missing")) for unit in units}


def submission_rows(units: Sequence[Unit], submissions: Sequence[SubmissionInfo]) -> list[Submission]:
    """The 报送情况 rows: every configured unit, in configured order."""
    infos = status_by_unit(units, submissions)
    return [
        Submission(
            unit=unit.name,
            status=infos[unit.code].status,
            status_zh=STATUS_ZH[infos[unit.code].status],
            detail=infos[unit.code].detail,
        )
        for unit in units
    ]


def submission_summary(rows: Sequence[Submission]) -> str:
    """One sentence: "9个县市区中，8个按时报送，1个退回重报（西山县）。"."""
    on_time = sum(1 for row in rows if row["status"] == "on_time")
    if on_time == len(rows):
        return f"{len(rows)}个县市区均按时报送。"
    parts = [f"{on_time}个按时报送"] if on_time else []
    for status in ("late", "missing", "refused"):
        names = [row["unit"] for row in rows if row["status"] == status]
        if names:
            parts.append(f"{len(names)}个{STATUS_ZH[status]}（{join_names(names)}）")
    return f"{len(rows)}个县市区中，{'，'.join(parts)}。"


def submission_alerts(units: Sequence[Unit], submissions: Sequence[SubmissionInfo]) -> list[MetricAlert]:
    """A yellow alert per unit whose return is missing or was sent back."""
    alerts = []
    infos = status_by_unit(units, submissions)
    for unit in units:
        info = infos[unit.code]
        if info.status == "missing":
            text = f"{unit.name}未报送本旬安全生产旬报表。"
        elif info.status == "refused":
            reason = f"（{info.detail}）" if info.detail else ""
            text = f"{unit.name}报送的安全生产旬报表未通过数据校验，已退回重报{reason}。"
        else:
            continue
        alerts.append(MetricAlert("yellow", SUBMISSION_INDICATOR, unit.code, unit.name, text))
    return alerts


def all_alerts(metrics: SafetyMetrics, submissions: Sequence[SubmissionInfo]) -> list[MetricAlert]:
    """The numbers' alerts and the returns' (missing, sent back), most severe first."""
    return sort_alerts([*metrics.alerts, *submission_alerts(metrics.units, submissions)])
