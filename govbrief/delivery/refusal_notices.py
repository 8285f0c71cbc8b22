"""退回重报: tell a unit's clerk that a return was refused, and why: once per received file.

A notice is keyed by the file (return kind, period, unit and content hash) and the
recipient, in the one send log (channel "returned"): a rerun sends nothing again, a
failed notice is retried with the same Message-ID, and a new refused file of the same
slot gets its own notice. A file
already superseded by a newer one of the same slot is not notified: asking the
clerk to resend a return they have already corrected would mislead them.
The problems are listed with the same lines `govbrief check-returns` prints
(govbrief.problems.format_problems).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import Any

from govbrief.calendar.deadlines import Deadline, return_deadline
from govbrief.calendar.periods import parse_period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings, Unit
from govbrief.delivery.mailers import Mailer
from govbrief.delivery.message import templated_message
from govbrief.delivery.once import Outgoing, SendReport, send_all
from govbrief.formatting import fmt_full_date_zh
from govbrief.glossary import load_glossary
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.problems import Problem, format_problems
from govbrief.warehouse import SendAbout, SendKey, SlotSummary, Warehouse

TEMPLATE = "returned"  # reports_templates/returned.html.j2 and returned.txt.j2
SEVERITY_ZH = {"error": "错误", "warning": "提示"}


@dataclass
class NoticeReport(SendReport):
    """Which notices went out in this run, which had gone before, which could not be sent
    (recipient "" when the unit has no clerk), and which a newer file made moot."""

    superseded: list[SendKey] = field(default_factory=list)  # a newer file of the same slot counts now


@dataclass(frozen=True)
class NoticeJob:
    """One notice to send: the refused return, its unit and deadline, and the day it is sent."""

    outcome: ReturnOutcome
    unit: Unit
    deadline: Deadline
    today: date
    settings: Settings
    templates_dir: Path | None = None

    @property
    def key(self) -> SendKey:
        return notice_key(self.outcome.file, self.unit.clerk.email)

    @property
    def about(self) -> SendAbout:
        file = self.outcome.file
        return SendAbout(
            subject=returned_context(self)["subject"],
            return_kind=file.return_kind,
            period_key=file.period_key,
            unit_code=file.unit_code,
            file_sha256=file.sha256,
        )


def notice_key(file: ReceivedFile, recipient: str) -> SendKey:
    """The send-log key of the 退回重报 notice about one received file."""
    return SendKey("returned", f"{file.return_kind}/{file.period_key}/{file.unit_code}/{file.sha256}", recipient)


def send_returned_notices(
    warehouse: Warehouse,
    mailer: Mailer,
    settings: Settings,
    refused: Sequence[ReturnOutcome],
    *,
    today: date,
    calendar: WorkCalendar | None = None,
    templates_dir: Path | None = None,
) -> NoticeReport:
    """Send each refused file's clerk one 退回重报 email (accepted outcomes are ignored)."""
    report = NoticeReport()
    jobs = _jobs(
        refused_files(refused), settings, calendar or WorkCalendar.from_settings(settings), today, templates_dir, report
    )
    if not jobs:
        return report
    current = _current_slots(warehouse, [job.outcome for job in jobs])
    due = []
    for job in jobs:
        if _superseded(job.outcome.file, current):
            report.superseded.append(job.key)
        else:
            due.append(Outgoing(job.key, job.about, partial(returned_message, job)))
    send_all(warehouse, mailer, due, sender=settings.mail.sender, report=report)
    return report


def _jobs(
    outcomes: Sequence[ReturnOutcome],
    settings: Settings,
    calendar: WorkCalendar,
    today: date,
    templates_dir: Path | None,
    report: NoticeReport,
) -> list[NoticeJob]:
    """A job per refused file; one whose unit or deadline is not configured fails alone."""
    jobs = []
    for outcome in outcomes:
        try:
            jobs.append(notice_job(outcome, settings, calendar, today, templates_dir))
        except (KeyError, ValueError) as exc:  # str(KeyError) would add quotes: keep the message itself
            reason = str(exc.args[0]) if exc.args else type(exc).__name__
            report.failed[notice_key(outcome.file, _clerk_email(settings, outcome.file.unit_code))] = reason
    return jobs


def refused_files(outcomes: Iterable[ReturnOutcome]) -> list[ReturnOutcome]:
    """The refused outcomes, one per received file (the same file twice in a batch is one notice)."""
    unique = {
        (o.file.return_kind, o.file.period_key, o.file.unit_code, o.file.sha256): o
        for o in outcomes
        if o.status == "refused"
    }
    return list(unique.values())


def notice_job(
    outcome: ReturnOutcome, settings: Settings, calendar: WorkCalendar, today: date, templates_dir: Path | None
) -> NoticeJob:
    """The notice for a refused return; KeyError when its unit or deadline is not configured."""
    file = outcome.file
    unit = _unit(settings, file.unit_code)
    cadence = load_glossary().returns[file.return_kind].cadence
    deadline = return_deadline(settings, cadence, parse_period(file.period_key), calendar)
    return NoticeJob(outcome, unit, deadline, today, settings, templates_dir)


def _unit(settings: Settings, unit_code: str) -> Unit:
    try:
        return settings.unit(unit_code)
    except KeyError:
        raise KeyError(f"no unit {unit_code!r} with a clerk in the configuration / 未配置该单位填报员") from None


def _clerk_email(settings: Settings, unit_code: str) -> str:
    try:
        return settings.unit(unit_code).clerk.email
    except KeyError:
        return ""


def _current_slots(
    warehouse: Warehouse, outcomes: Sequence[ReturnOutcome]
) -> Mapping[tuple[str, str, str], SlotSummary]:
    kinds = sorted({o.file.return_kind for o in outcomes})
    return warehouse.slot_overview(kinds, sorted({o.file.period_key for o in outcomes}))


def _superseded(file: ReceivedFile, current: Mapping[tuple[str, str, str], SlotSummary]) -> bool:
    """A newer file of the same slot is already the one that counts."""
    slot = current.get((file.return_kind, file.period_key, file.unit_code))
    return slot is not None and slot.sha256 != file.sha256 and slot.received_at >= file.received_at


def returned_message(job: NoticeJob, message_id: str) -> EmailMessage:
    """The 退回重报 email: HTML and plain text from reports_templates/returned.*.j2."""
    clerk = job.unit.clerk
    return templated_message(
        TEMPLATE,
        returned_context(job),
        sender=job.settings.mail.sender,
        to=[f"{clerk.name} <{clerk.email}>"],
        message_id=message_id,
        templates_dir=job.templates_dir,
    )


def returned_subject(unit_name: str, return_name_zh: str, period_label_zh: str) -> str:
    """【退回重报】东湖县安全生产旬报表（2026年11月中旬）."""
    return f"【退回重报】{unit_name}{return_name_zh}（{period_label_zh}）"


def returned_context(job: NoticeJob) -> dict[str, Any]:
    """The plain data the returned.* templates place (every value already formatted)."""
    file, period = job.outcome.file, parse_period(job.outcome.file.period_key)
    kind = load_glossary().returns[file.return_kind]
    received = file.received_at.astimezone(job.deadline.timezone)
    problems = job.outcome.problems
    return {
        "subject": returned_subject(job.unit.name, kind.name_zh, period.label_zh),
        "clerk_name": job.unit.clerk.name,
        "unit": job.unit.name,
        "return_name_zh": kind.name_zh,
        "return_name_en": kind.name_en,
        "period_label_zh": period.label_zh,
        "period_key": period.key,
        "file_name": file.original_name,
        "received_at_zh": f"{fmt_full_date_zh(received.date())} {received:%H:%M}",
        "received_at_iso": received.isoformat(timespec="minutes"),
        "due_zh": fmt_full_date_zh(job.deadline.due),
        "due_iso": job.deadline.due.isoformat(),
        "overdue": job.deadline.passed(job.today),
        "error_count": sum(1 for p in problems if p.severity == "error"),
        "warning_count": sum(1 for p in problems if p.severity == "warning"),
        "problems": problem_items(problems),
        "office": job.settings.city.office,
        "office_en": job.settings.city.office_en,
        "sent_on_zh": fmt_full_date_zh(job.today),
    }


def problem_items(problems: Sequence[Problem]) -> list[dict[str, str]]:
    """Each problem's parts for the HTML list, and its check-returns line for the text; errors first."""
    ordered = sorted(problems, key=lambda p: p.severity != "error")
    return [
        {
            "severity_zh": SEVERITY_ZH[p.severity],
            "severity": p.severity,
            "location_zh": p.location_zh(),
            "location_en": p.location_en(),
            "rule": p.rule,
            "value": p.value,
            "message_zh": p.message_zh,
            "message_en": p.message_en,
            "line": line,
        }
        for p, line in zip(ordered, format_problems(ordered), strict=True)
    ]
