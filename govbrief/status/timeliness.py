"""Timeliness and quality of the returns (docs/domain.md §4.8).

- submission_timely 报送及时率 = returns received by the deadline / returns expected;
- validation_pass 数据校验通过率 = returns accepted / returns received;
- revisions 数据修订次数 = returns replaced after the deadline.

A return is expected once its deadline has passed or it has arrived, so a
matrix taken before the due day does not count the units still in time
(`pending`) against anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govbrief.status.matrix import StatusMatrix, SubmissionCell

ACCEPTED = frozenset({"on_time", "late", "replaced"})


@dataclass(frozen=True)
class Timeliness:
    """Counts over a set of cells, and the two ratios built from them."""

    expected: int  # cells not pending
    received: int  # cells whose slot has a current file
    received_by_deadline: int  # cells whose first file arrived by the deadline
    accepted: int  # cells whose current file was accepted
    revisions: int  # files that replaced an earlier one after the deadline

    @property
    def submission_timely(self) -> float | None:
        """报送及时率 as a ratio (0.9 = 90%); None when nothing was expected yet."""
        return self.received_by_deadline / self.expected if self.expected else None

    @property
    def validation_pass(self) -> float | None:
        """数据校验通过率 as a ratio; None when nothing was received."""
        return self.accepted / self.received if self.received else None

    def to_dict(self) -> dict[str, int | float | None]:
        """Plain data for JSON: the counts and both ratios."""
        return {
            "expected": self.expected,
            "received": self.received,
            "received_by_deadline": self.received_by_deadline,
            "accepted": self.accepted,
            "revisions": self.revisions,
            "submission_timely": self.submission_timely,
            "validation_pass": self.validation_pass,
        }


def cells_timeliness(cells: Iterable[SubmissionCell]) -> Timeliness:
    """The indicators over any set of cells."""
    chosen = list(cells)
    return Timeliness(
        expected=sum(1 for c in chosen if c.status != "pending"),
        received=sum(1 for c in chosen if c.received_at is not None),
        received_by_deadline=sum(1 for c in chosen if c.on_time),
        accepted=sum(1 for c in chosen if c.status in ACCEPTED),
        revisions=sum(c.late_revisions for c in chosen),
    )


def timeliness(matrix: StatusMatrix, unit_code: str | None = None) -> Timeliness:
    """The indicators over the whole matrix, or over one unit's row."""
    cells = matrix.cells.values()
    return cells_timeliness(c for c in cells if unit_code is None or c.unit_code == unit_code)
