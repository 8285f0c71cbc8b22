"""QuarterlyMetrics: everything the 季总结 adds to the 月通报's figures, for one quarter."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from govbrief.calendar.periods import Period
from govbrief.config import Escalation
from govbrief.metrics.escalation import EscalationEntry
from govbrief.metrics.quarter_supervision import (
    BandChange,
    FollowUpEntry,
    QuarterEnd,
    band_changes,
    caught_up,
    follow_ups,
    half_year_interviews,
    quarter_interviews,
    ranks_since,
)
from govbrief.metrics.quarterly_trends import QuarterTrends, quarter_trends


@dataclass(frozen=True)
class QuarterlyMetrics:
    """One quarter's trends, 约谈 lists, follow-ups, band changes and catch-ups."""

    quarter: Period
    now: QuarterEnd
    before: QuarterEnd
    trends: QuarterTrends
    interviews: tuple[EscalationEntry, ...]
    half_year: tuple[EscalationEntry, ...] | None
    follow_ups: tuple[FollowUpEntry, ...]
    bands: tuple[BandChange, ...]
    caught_up: tuple[tuple[str, str], ...]  # (unit_code, target)

    def to_json(self) -> dict[str, Any]:
        """The quarter's own figures as plain JSON data."""
        name = self.now.debt.unit_name
        return {
            "quarter": {"key": self.quarter.key, "label_zh": self.quarter.label_zh},
            "trends": [vars(t) for t in self.trends.trends],
            "interviews": [_entry_json(e, name(e.unit_code)) for e in self.interviews],
            "half_year_interviews": None
            if self.half_year is None
            else [_entry_json(e, name(e.unit_code)) for e in self.half_year],
            "follow_ups": [
                {
                    "unit_code": f.unit_code,
                    "unit": name(f.unit_code),
                    "target": f.target,
                    "level_then": f.level_then.level_name_zh,
                    "status": f.status,
                    "gap_then_pp": f.gap_then,
                    "gap_now_pp": f.gap_now,
                }
                for f in self.follow_ups
            ],
            "bands": [{**vars(b), "unit": name(b.unit_code), "move": b.move} for b in self.bands],
            "caught_up": [{"unit_code": code, "unit": name(code), "target": target} for code, target in self.caught_up],
        }


def _entry_json(entry: EscalationEntry, unit_name: str) -> dict[str, Any]:
    return {**vars(entry), "unit": unit_name, "streak_zh": entry.streak_zh}


def compute_quarterly(
    quarter: Period, now: QuarterEnd, before: QuarterEnd, panel: pd.DataFrame, rules: Escalation
) -> QuarterlyMetrics:
    """The quarter's figures from its end, last quarter's end and the quarter panel of both years.
    The ranks at this quarter's end are compared with last quarter's end (进位/退位 over the quarter)."""
    now = replace(now, debt=replace(now.debt, ranks=ranks_since(now.debt, before.debt)))
    return QuarterlyMetrics(
        quarter=quarter,
        now=now,
        before=before,
        trends=quarter_trends(panel, quarter),
        interviews=tuple(quarter_interviews(now, rules)),
        half_year=None if (half := half_year_interviews(now, rules)) is None else tuple(half),
        follow_ups=tuple(follow_ups(before, now, rules)),
        bands=tuple(band_changes(before.debt, now.debt)),
        caught_up=tuple(caught_up(now, before)),
    )
