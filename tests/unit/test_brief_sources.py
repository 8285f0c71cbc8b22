"""Which returns a brief reads: what the flow gathers and what the archive records for a version."""

from __future__ import annotations

import pytest

from govbrief.briefs.registry import returns_needed
from govbrief.calendar.periods import parse_period


def test_a_ten_day_brief_reads_every_xun_from_january_last_year() -> None:
    needed = returns_needed("ten_day", parse_period("2026-03-x1"))
    assert list(needed) == ["safety"]
    keys = [p.key for p in needed["safety"]]
    assert keys[0] == "2025-01-x1" and keys[-1] == "2026-03-x1" and len(keys) == 36 + 7


def test_a_quarterly_summary_reads_what_its_last_months_bulletin_reads() -> None:
    assert returns_needed("quarterly", parse_period("2026-Q2")) == returns_needed("monthly", parse_period("2026-06"))
    needed = returns_needed("quarterly", parse_period("2026-Q2"))
    assert needed["safety"][-1].key == "2026-06-x3"
    assert [p.key for p in needed["debt"]][-2:] == ["2026-05", "2026-06"]
    assert needed["key_tasks"] == needed["debt"]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown brief kind"):
        returns_needed("weekly", parse_period("2026-06"))
