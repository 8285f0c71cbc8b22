"""What the warehouse hands back: small frozen records, never ORM objects or rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class BriefRecord:
    """One stored version of a brief (without its bulky bodies)."""

    id: int
    kind: str
    period_key: str
    version: int
    content_hash: str
    subject: str
    created_at: datetime
    is_correction: bool
    note: str = ""


@dataclass(frozen=True)
class BriefBody:
    """The stored content of a brief version, for resending or previewing it."""

    subject: str
    html: str
    text: str
    data: dict[str, Any]
    source_files: list[str]
