"""Value objects that cross module boundaries: a received file and a return's outcome."""

from __future__ import annotations

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
