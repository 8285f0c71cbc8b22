"""The source interface: find the files a unit sent for a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from govbrief.problems import Problem


@dataclass(frozen=True)
class SourceQuery:
    """What to look for: one unit's return of one kind for one period."""

    unit_code: str
    unit_name: str
    unit_short_name: str
    return_kind: str  # glossary id, e.g. "safety"
    return_zh: str  # 安全生产旬报表
    period_key: str  # 2026-11-x2
    period_zh: str  # 2026年11月中旬


@dataclass(frozen=True)
class FoundFile:
    """A file a source found, untouched: either its bytes (HTTP, SQL) or a path to stream
    them from (folders, so a huge file is never loaded into memory)."""

    name: str
    origin: str
    received_at: datetime  # timezone-aware
    size: int
    content: bytes | None = None
    path: Path | None = None
    folders: tuple[str, ...] = ()  # folder names between the source root and the file, nearest first
    refusal: Problem | None = None  # the source would not read it (a symlink, a path outside the drop)


class ReturnSource(Protocol):
    """Finds the files sent for a period. Folder today; SQL and HTTP sources return the
    same FoundFile (a query result or a download serialised as a file).

    A source whose location names the unit ({unit_name} in a folder pattern) is asked
    once per unit; a shared one (the city's drop folder) once per period, and the unit
    of each file is then identified from its name, folder or content."""

    kind: str
    shared: bool

    def find(self, query: SourceQuery) -> list[FoundFile]:
        """Every file matching the query, oldest first."""
        ...
