"""同比/环比 with the zero-base rules, and the one place numbers are formatted."""

from __future__ import annotations

import math
from datetime import date

import pytest

from govbrief.formatting import (
    fmt_amount,
    fmt_count,
    fmt_date_range_zh,
    fmt_date_zh,
    fmt_day_tag,
    fmt_full_date_zh,
    fmt_pct,
    fmt_percent,
    fmt_signed_pct,
)
from govbrief.metrics.change import change, pp_change


@pytest.mark.parametrize(
    ("current", "base", "pct", "label", "cell"),
    [
        (3, 4, -25.0, "下降25.0%", "-25.0%"),
        (2, 3, -100 / 3, "下降33.3%", "-33.3%"),
        (5, 4, 25.0, "上升25.0%", "+25.0%"),
        (4, 4, 0.0, "持平", "持平"),
        (0, 3, -100.0, "下降100.0%", "-100.0%"),
        (0, 0, None, "持平", "持平"),  # both zero
        (3, 0, None, "新增", "—"),  # zero base: no percent, flagged 新增
        (None, 3, None, "—", "—"),
        (3, math.nan, None, "—", "—"),
    ],
)
def test_change_rules(current: float | None, base: float | None, pct: float | None, label: str, cell: str) -> None:
    result = change(current, base)
    assert result.pct == (pytest.approx(pct) if pct is not None else None)
    assert result.label_zh == label
    assert result.cell_zh == cell


def test_rose_includes_a_rise_from_zero_but_not_flat_or_unknown() -> None:
    assert change(5, 4).rose and change(1, 0).rose
    assert not change(0, 0).rose and not change(4, 4).rose and not change(3, 4).rose
    assert not change(None, 0).rose


def test_percent_and_amount_formatting() -> None:
    assert fmt_percent(0.25) == "25.0%"
    assert fmt_percent(1 / 3) == "33.3%"
    assert fmt_percent(None) == "—"
    assert fmt_percent(math.nan) == "—"
    assert fmt_amount(12.5) == "12.50"
    assert fmt_amount(0) == "0.00"
    assert fmt_count(3.0) == "3"
    assert fmt_count(None) == "—"


def test_rounding_is_half_up_as_people_read_it() -> None:
    assert fmt_pct(6.25) == "6.3%"  # banker's rounding would say 6.2%
    assert fmt_amount(2.675) == "2.68"  # binary float would say 2.67
    assert fmt_percent(0.0625) == "6.3%"
    assert fmt_pct(-12.25) == "-12.3%"


def test_signed_percent_never_shows_minus_zero() -> None:
    assert fmt_signed_pct(25.0) == "+25.0%"
    assert fmt_signed_pct(-33.333) == "-33.3%"
    assert fmt_signed_pct(-0.04) == "0.0%"
    assert fmt_pct(-0.04) == "0.0%"


def test_dates() -> None:
    assert fmt_date_zh(date(2026, 11, 12)) == "11月12日"
    assert fmt_full_date_zh(date(2026, 11, 25)) == "2026年11月25日"
    assert fmt_day_tag(date(2026, 11, 12)) == "11·12"
    assert fmt_date_range_zh(date(2026, 1, 1), date(2026, 11, 20)) == "1月1日—11月20日"


@pytest.mark.parametrize(
    ("current", "base", "label", "rose"),
    [
        (20001, 20000, "持平", False),  # +0.005% prints as 0.0%: 持平, never 上升0.0%
        (20009, 20000, "持平", False),  # +0.045% still prints 0.0%
        (20010, 20000, "上升0.1%", True),  # +0.05% rounds half up to 0.1%
        (19990, 20000, "下降0.1%", False),
        (19991, 20000, "持平", False),
    ],
)
def test_a_change_that_prints_as_zero_is_flat_and_never_a_rise(
    current: float, base: float, label: str, rose: bool
) -> None:
    assert change(current, base).label_zh == label
    assert change(current, base).rose is rose


@pytest.mark.parametrize(
    ("current", "base", "label"),
    [
        (0.8454, 0.8333, "上升1.2个百分点"),  # 84.5% − 83.3%: the printed figures' difference
        (0.8446, 0.8334, "上升1.2个百分点"),  # prints 84.5% and 83.3%: 1.2, not the unrounded 1.12 → 1.1
        (0.83349, 0.83251, "持平"),  # 83.3% and 83.3% as printed
        (0.70, 0.723, "下降2.3个百分点"),
        (None, 0.5, "—"),
    ],
)
def test_points_are_taken_between_the_printed_percentages(
    current: float | None, base: float | None, label: str
) -> None:
    assert pp_change(current, base).label_zh == label
