"""The demo's year of briefs: which periods, in which order."""

from __future__ import annotations

from govbrief.calendar.periods import PeriodKind, parse_period
from govbrief.demo.year import year_of_briefs


def test_a_year_to_october_has_36_ten_day_briefs_12_bulletins_and_the_4_closed_quarters() -> None:
    year = year_of_briefs(parse_period("2026-10"))
    by_kind = {kind: [p.key for p in year if p.kind is kind] for kind in PeriodKind}
    assert len(by_kind[PeriodKind.TEN_DAY]) == 36
    assert by_kind[PeriodKind.TEN_DAY][0] == "2025-11-x1" and by_kind[PeriodKind.TEN_DAY][-1] == "2026-10-x3"
    assert by_kind[PeriodKind.MONTH] == [f"2025-{m}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
    assert by_kind[PeriodKind.QUARTER] == ["2026-Q1", "2026-Q2", "2026-Q3"]  # 2025-Q4 began before the year


def test_briefs_come_in_the_order_they_are_issued() -> None:
    keys = [p.key for p in year_of_briefs(parse_period("2026-12"))]
    assert keys[-5:] == ["2026-12-x1", "2026-12-x2", "2026-12-x3", "2026-12", "2026-Q4"]
    assert len(keys) == 36 + 12 + 4


def test_a_year_to_a_quarter_end_has_four_quarterly_summaries() -> None:
    year = year_of_briefs(parse_period("2026-09"))
    kinds = [p.kind for p in year]
    assert [kinds.count(k) for k in (PeriodKind.TEN_DAY, PeriodKind.MONTH, PeriodKind.QUARTER)] == [36, 12, 4]
    assert [p.key for p in year if p.kind is PeriodKind.QUARTER] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
