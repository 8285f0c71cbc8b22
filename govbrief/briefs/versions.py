"""A rendered brief together with its warehouse record and its files on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govbrief.render.rendered_brief import RenderedBrief
from govbrief.warehouse import BriefRecord


@dataclass(frozen=True)
class StoredBrief:
    record: BriefRecord
    rendered: RenderedBrief
    files: dict[str, Path]

    def summary(self) -> dict[str, Any]:
        """What the run summary says about the brief."""
        return {
            "kind": self.record.kind,
            "period": self.record.period_key,
            "version": self.record.version,
            "subject": self.record.subject,
            "html": str(self.files["brief.html"]),
            "folder": str(self.files["brief.html"].parent),
        }
