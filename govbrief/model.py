"""Value objects that cross module boundaries: a received file, a return's outcome, a file to attach,
and the typed summaries a run reports."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypedDict

import pandas as pd

from govbrief.problems import Problem, has_errors

Status = Literal["accepted", "refused"]


@dataclass(frozen=True)
class ReceivedFile:
    """A file found in a unit's source, already stored untouched in the archive."""

    sha256: str
    unit_code: str
    return_kind: str  # glossary return id, e.g. "safety"
    period_key: str  # 2026-11-x2
    original_name: str  # 东湖县安全生产旬报表.xlsx
    origin: str  # where it was found (path or URI)
    size: int
    received_at: datetime  # timezone-aware
    archive_path: str  # absolute path inside the content-addressed archive ("" when not archivable)
    folders: tuple[str, ...] = ()  # folders between the drop root and the file, nearest first
    problems: tuple[Problem, ...] = ()  # found before parsing (a symlink, an unknown unit…)


@dataclass
class ReturnOutcome:
    """A read and validated return: its canonical frames (sheet id → frame) and problems."""

    file: ReceivedFile
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return "refused" if has_errors(self.problems) else "accepted"


@dataclass(frozen=True)
class Attachment:
    """A file to attach; the name may be Chinese (written as RFC 2231)."""

    filename: str
    content: bytes
    content_type: str | None = None  # guessed from the filename when None

    @property
    def mime_type(self) -> tuple[str, str]:
        """(maintype, subtype), e.g. ("application", "pdf")."""
        guessed = self.content_type or mimetypes.guess_type(self.filename)[0]
        maintype, _, subtype = (guessed or "application/octet-stream").partition("/")
        return maintype, subtype


# ----- what a run reports: typed summaries the flows return and the command line shows -----------
class SendSummary(TypedDict):
    """Messages of one kind in a run, by label (or recipient, for a brief)."""

    sent: list[str]
    skipped: list[str]  # sent in an earlier run
    failed: dict[str, str]  # label → the mail server's reason


class DeliverySummary(SendSummary):
    """The brief's delivery: through which transport, to where."""

    transport: str
    destination: str


class AlertSummary(SendSummary):
    """The 【紧急】 alerts of a run: the events mailed at once, and the older ones left to the briefs."""

    events: list[str]
    not_urgent: list[str]


class BriefSummary(TypedDict):
    """The brief version a run made or kept."""

    kind: str
    period: str
    version: int
    subject: str
    html: str
    folder: str


BriefStatus = Literal["new", "correction", "unchanged"]


class RunSummary(TypedDict):
    """What one brief run did, stage by stage (`govbrief run` prints it; --json prints its data)."""

    kind: str
    period: str
    run_id: str
    files_received: int
    files_processed: int
    data: dict[str, Any]  # the brief's figures, as data.json holds them
    brief: BriefSummary
    brief_status: BriefStatus
    files: dict[str, str]  # file name → path
    delivery: DeliverySummary | None  # None: nothing sent (--no-send, preview)
    notices: SendSummary | None
    alerts: AlertSummary | None
    quality_report: str | None
    timings: dict[str, float]  # stage → seconds


class BackfillRow(TypedDict):
    """One period of a backfill: the version kept or made, what went to whom, or why it failed."""

    period: str
    label: str
    seconds: float
    status: str  # new | correction | unchanged | failed
    status_zh: str
    version: int | None
    sent: int
    skipped: int
    failed: int
    error: str
