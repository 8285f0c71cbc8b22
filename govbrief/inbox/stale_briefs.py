"""Briefs a late or corrected return has made stale, and the marks that track their correction rerun.

A brief is stale when a version of it went out and its period now has an
accepted return (a correction, or a unit's late first return) that the latest
delivered version was not made from: derived from the briefs, the send log and
the return slots alone. What was done about it is a correction mark in the
warehouse (govbrief/warehouse/correction_marks.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from govbrief.briefs.registry import BRIEFS, BY_ID
from govbrief.calendar.periods import Period, history_needed, parse_period
from govbrief.warehouse import Warehouse
from govbrief.warehouse.correction_marks import CorrectionMark, MarkStatus, NewMark

# An automatic rerun that keeps failing is left to an analyst instead of rerunning every poll.
MAX_AUTO_ATTEMPTS = 3


@dataclass(frozen=True)
class StaleBrief:
    """A delivered brief whose period has accepted returns its delivered version was not made from."""

    kind: str
    period_key: str
    delivered_version: int
    new_files: tuple[str, ...]  # sha256, sorted
    units: tuple[str, ...]  # unit codes that sent them, sorted

    @property
    def mark_id(self) -> str:
        """The same brief and the same new files always give the same mark."""
        digest = hashlib.sha256(f"{self.kind}|{self.period_key}|{','.join(self.new_files)}".encode()).hexdigest()
        return f"correction:{digest[:40]}"


def due_for_auto_rerun(mark: CorrectionMark) -> bool:
    """Pending, or failed fewer times than an automatic rerun is tried."""
    return mark.status == "pending" or (mark.status == "rerun_failed" and mark.attempts < MAX_AUTO_ATTEMPTS)


def rerun_command(mark: CorrectionMark) -> str:
    """What an analyst runs to rerun the brief and close the mark."""
    return f"govbrief inbox --rerun {mark.period_key}"


def brief_window(today: date) -> dict[str, list[str]]:
    """brief kind → the period keys a correction rerun is still considered for (this year and last)."""
    return {brief.id: [p.key for p in history_needed(Period.containing(brief.period_kind, today))] for brief in BRIEFS}


def stale_briefs(warehouse: Warehouse, today: date) -> list[StaleBrief]:
    """Delivered briefs whose period has accepted returns the delivered version was not made from."""
    delivered = warehouse.delivered_briefs(brief_window(today))
    inside = {(b.kind, b.period_key): BY_ID[b.kind].returns_inside(parse_period(b.period_key)) for b in delivered}
    kinds = sorted({kind for periods in inside.values() for kind in periods})
    keys = sorted({p.key for periods in inside.values() for ps in periods.values() for p in ps})
    slots = warehouse.slot_overview(kinds, keys)
    stale: list[StaleBrief] = []
    for brief in delivered:
        wanted = {(kind, p.key) for kind, ps in inside[(brief.kind, brief.period_key)].items() for p in ps}
        fresh = [
            slot
            for slot in slots.values()
            if (slot.return_kind, slot.period_key) in wanted
            and slot.status == "accepted"
            and slot.sha256 not in brief.source_files
        ]
        if fresh:
            files = tuple(sorted({s.sha256 for s in fresh}))
            units = tuple(sorted({s.unit_code for s in fresh}))
            stale.append(StaleBrief(brief.kind, brief.period_key, brief.version, files, units))
    return stale


def mark_stale(warehouse: Warehouse, stale: Iterable[StaleBrief], *, mode: str) -> list[CorrectionMark]:
    """Record a pending mark for each stale brief not marked for these files yet; an older
    pending mark of the same brief is superseded. Returns the new marks."""
    marks = [
        NewMark(
            brief.mark_id,
            brief.kind,
            brief.period_key,
            {
                "files": list(brief.new_files),
                "units": list(brief.units),
                "delivered_version": brief.delivered_version,
                "mode": mode,
            },
        )
        for brief in stale
    ]
    return warehouse.add_correction_marks(marks)


def finish_mark(warehouse: Warehouse, mark_id: str, status: MarkStatus, outcome: Mapping[str, Any]) -> None:
    """Close a mark: 'done' or 'rerun_failed', with what the rerun said (version, error…)."""
    warehouse.finish_correction_mark(mark_id, status, outcome)


def open_marks(warehouse: Warehouse, today: date) -> list[CorrectionMark]:
    """Pending and failed marks, after closing the pending ones a later delivered version already
    covers (an analyst ran the brief by hand and its 更正 went out)."""
    marks = warehouse.correction_marks()
    if not marks:
        return []
    delivered = {(b.kind, b.period_key): b for b in warehouse.delivered_briefs(brief_window(today))}
    still_open: list[CorrectionMark] = []
    for mark in marks:
        brief = delivered.get((mark.kind, mark.period_key))
        # A failed rerun stays open even so: its version may have reached some recipients only.
        if mark.status == "pending" and brief is not None and set(mark.files) <= brief.source_files:
            finish_mark(warehouse, mark.mark_id, "done", {"resolved_by_version": brief.version})
        else:
            still_open.append(mark)
    return still_open
