"""The source interface: find the files a unit sent for a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


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
    """A file a source found: its bytes untouched, where it came from, when it arrived."""

    name: str
    origin: str
    content: bytes
    received_at: datetime  # timezone-aware


class ReturnSource(Protocol):
    """Finds the files a unit sent. Folder today; SQL and HTTP sources return the
    same FoundFile (a query result or a download serialised as a file)."""

    kind: str

    def find(self, query: SourceQuery) -> list[FoundFile]:
        """Every file matching the query, oldest first."""
        ...
