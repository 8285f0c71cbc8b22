"""报送情况 for a brief: the status matrix's cells, said the way the brief says them.

Every status comes from govbrief.status.classify.submission_status, the same
function `govbrief status` prints, so the two always agree. The brief has four
words (按时报送/逾期报送/未报送/退回重报), so two matrix statuses fold into them
and say the rest in the detail:

- replaced → on time or late by when the unit first reported, detail "已更正1次";
- pending (nothing yet, due day not over) → missing, detail "报送截止日为11月24日，尚未到期".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from govbrief.briefs.common.gongwen import Finding, units_zh
from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.calendar.deadlines import Deadline, due_date
from govbrief.calendar.periods import Period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Unit
from govbrief.formatting import fmt_date_zh
from govbrief.problems import Problem
from govbrief.status.classify import SlotFacts
from govbrief.status.matrix import StatusMatrix, SubmissionCell, build_cell

SubmissionStatus = Literal["on_time", "late", "missing", "refused"]
MAX_DETAIL_PROBLEMS = 3


def deadline(period: Period, calendar: WorkCalendar, working_days: int) -> date:
    """The last day a return is on time: N working days after the period closes."""
    return due_date(period, calendar, working_days)


def submission_status(received_at: datetime | None, refused: bool, due: date, tz: ZoneInfo) -> SubmissionStatus:
    """One unit's status in the brief's words; a refused return counts as refused whenever it came."""
    return brief_status(_single_file_cell("", received_at, refused, Deadline(due, tz)))


def summarise_submissions(
    units: Sequence[Unit],
    slots: Mapping[str, tuple[datetime, bool, Sequence[Problem]]],
    due: date,
    tz: ZoneInfo,
) -> list[SubmissionInfo]:
    """Every configured unit's status, in configuration order, judged after the deadline.

    `slots` maps unit code → (received_at, refused, problems) of the return that counts.
    Prefer `matrix_submissions`, which also knows revisions and the day of judgement.
    """
    cut = Deadline(due, tz)
    infos = []
    for unit in units:
        received_at, refused, problems = slots.get(unit.code, (None, False, ()))
        infos.append(submission_info(_single_file_cell(unit.code, received_at, refused, cut, problems)))
    return infos


def matrix_submissions(matrix: StatusMatrix, return_kind: str, period: Period) -> list[SubmissionInfo]:
    """The 报送情况 of one return kind and period, from the matrix `govbrief status` prints."""
    return [submission_info(matrix.cell(unit.code, return_kind, period.key)) for unit in matrix.units]


def submission_info(cell: SubmissionCell) -> SubmissionInfo:
    """One matrix cell in the brief's words, with what the status alone does not say."""
    return SubmissionInfo(unit_code=cell.unit_code, status=brief_status(cell), detail=_detail(cell))


def brief_status(cell: SubmissionCell) -> SubmissionStatus:
    """The brief's status of a cell: replaced folds into on time/late, pending into missing."""
    if cell.status == "replaced":
        return "on_time" if cell.on_time else "late"
    if cell.status == "pending":
        return "missing"
    return cell.status


def _single_file_cell(
    unit_code: str,
    received_at: datetime | None,
    refused: bool,
    cut: Deadline,
    problems: Sequence[Problem] = (),
) -> SubmissionCell:
    facts = None if received_at is None else SlotFacts(received_at=received_at, refused=refused)
    return build_cell((unit_code, "", ""), cut, facts, None, problems=problems)


def _detail(cell: SubmissionCell) -> str:
    if cell.status == "refused":
        return _refusal_reasons(cell.problems)
    if cell.status == "replaced":
        after = f"，其中截止后{cell.late_revisions}次" if cell.late_revisions else ""
        return f"已更正{cell.corrections}次{after}"
    if cell.status == "pending":
        return f"报送截止日为{fmt_date_zh(cell.deadline.due)}，尚未到期"
    return ""


def _refusal_reasons(problems: Sequence[Problem]) -> str:
    errors = [p for p in problems if p.severity == "error"]
    shown = "；".join(f"{p.location_zh()}：{p.message_zh}" for p in errors[:MAX_DETAIL_PROBLEMS])
    more = f"等{len(errors)}处问题" if len(errors) > MAX_DETAIL_PROBLEMS else ""
    return shown + more


def submission_finding(
    submissions: Sequence[SubmissionInfo], names: Mapping[str, str], what: str = ""
) -> Finding | None:
    """报表报送不规范: who sent `what` (10月政府债务化解月报表; "" for the period's own return) late, who
    never sent it, whose was sent back — in one sentence, never the validation detail (the clerks
    have their 退回重报 mail)."""
    late = [names[s.unit_code] for s in submissions if s.status == "late"]
    refused = [names[s.unit_code] for s in submissions if s.status == "refused"]
    absent = [names[s.unit_code] for s in submissions if s.status == "missing"]
    parts = []
    if late:
        parts.append(f"{units_zh(late)}{what}逾期报送")
    if absent:
        parts.append(f"{units_zh(absent)}{what}未报送")
    if refused:
        parts.append(f"{units_zh(refused)}{what or '报表'}未通过数据校验，被退回重报")
    if not parts:
        return None
    return Finding("报表报送不规范", "；".join(parts) + "。", tuple([*late, *absent, *refused]), theme="reporting")
