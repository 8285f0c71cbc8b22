"""Value objects that cross module boundaries: a received file, a return's outcome, a file to attach."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

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
