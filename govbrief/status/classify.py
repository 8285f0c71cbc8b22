"""The one status function: `govbrief status` and the brief's 报送情况 both call it.

The model: a slot (unit × return kind × period) has a display status, and the
facts under it are kept beside it, never folded away:

- nothing received: `pending` while the due day lasts, `missing` after it;
- the latest file was refused: `refused`, whatever came before (latest wins);
- accepted, and it replaced an earlier file: `replaced` (更正N, N = revisions − 1);
- accepted, the only file: `on_time` or `late`.

`on_time` (a separate flag) is whether the slot's FIRST file arrived by the
deadline: timeliness is about when the unit reported, corrections are counted
apart, as revisions and as revisions after the deadline (数据修订次数).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from govbrief.calendar.deadlines import Deadline

SubmissionStatus = Literal["on_time", "late", "missing", "pending", "refused", "replaced"]
# Display order: good news first, then what needs chasing.
STATUSES: tuple[SubmissionStatus, ...] = ("on_time", "replaced", "late", "pending", "refused", "missing")


@dataclass(frozen=True)
class SlotFacts:
    """What is known about a slot that has received at least one file."""

    received_at: datetime  # arrival of the current (latest) file
    refused: bool  # the current file was refused
    revisions: int = 1  # distinct files received; 2 = corrected once
    receipts: tuple[datetime, ...] = ()  # every file's arrival, oldest first; empty = just received_at

    @property
    def first_received_at(self) -> datetime:
        return self.receipts[0] if self.receipts else self.received_at


def submission_status(facts: SlotFacts | None, deadline: Deadline, today: date | None = None) -> SubmissionStatus:
    """A slot's display status; `today=None` judges as if the deadline had passed."""
    if facts is None:
        return "pending" if today is not None and not deadline.passed(today) else "missing"
    if facts.refused:
        return "refused"
    if facts.revisions > 1:
        return "replaced"
    return "on_time" if deadline.met_by(facts.first_received_at) else "late"


def on_time(facts: SlotFacts | None, deadline: Deadline) -> bool | None:
    """Whether the slot's first file arrived by the deadline; None when nothing arrived."""
    return None if facts is None else deadline.met_by(facts.first_received_at)


def late_revisions(facts: SlotFacts | None, deadline: Deadline) -> int:
    """Files that replaced an earlier one after the deadline (docs/domain.md §4.8: 数据修订次数)."""
    if facts is None:
        return 0
    return sum(1 for arrival in facts.receipts[1:] if not deadline.met_by(arrival))
