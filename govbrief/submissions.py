"""报送情况: whether each unit's return arrived on time, late, not at all, or was refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from govbrief.briefs.ten_day import SubmissionInfo
from govbrief.config import Unit
from govbrief.periods import Period
from govbrief.problems import Problem
from govbrief.workdays import WorkCalendar

SubmissionStatus = Literal["on_time", "late", "missing", "refused"]
MAX_DETAIL_PROBLEMS = 3


def deadline(period: Period, calendar: WorkCalendar, working_days: int) -> date:
    """The last day a return is on time: N working days after the period closes."""
    return calendar.nth_workday_after(period.end, working_days) if working_days else period.end


def submission_status(
    received_at: datetime | None, refused: bool, due: date, tz: ZoneInfo
) -> SubmissionStatus:
    """One unit's status; a refused return counts as refused whenever it came."""
    if received_at is None:
        return "missing"
    if refused:
        return "refused"
    return "on_time" if received_at.astimezone(tz).date() <= due else "late"


def summarise_submissions(
    units: Sequence[Unit],
    slots: Mapping[str, tuple[datetime, bool, Sequence[Problem]]],
    due: date,
    tz: ZoneInfo,
) -> list[SubmissionInfo]:
    """Every configured unit's status, in configuration order.

    `slots` maps unit code → (received_at, refused, problems) of the return that counts.
    """
    infos = []
    for unit in units:
        received_at, refused, problems = slots.get(unit.code, (None, False, ()))
        status = submission_status(received_at, refused, due, tz)
        infos.append(SubmissionInfo(unit_code=unit.code, status=status, detail=_detail(status, problems)))
    return infos


def _detail(status: SubmissionStatus, problems: Sequence[Problem]) -> str:
    if status != "refused":
        return ""
    errors = [p for p in problems if p.severity == "error"]
    shown = "；".join(f"{p.location_zh()}：{p.message_zh}" for p in errors[:MAX_DETAIL_PROBLEMS])
    more = f"等{len(errors)}处问题" if len(errors) > MAX_DETAIL_PROBLEMS else ""
    return shown + more
