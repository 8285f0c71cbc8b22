"""The 季总结's trends on hand-made accidents and debt returns: per-quarter totals, 环比 against
the quarter before (last year's fourth for a first quarter), 同比, 本年累计, and their text.

Worked on paper (city totals):
            accidents  deaths  较大  resolved  new hidden
  2025 Q2      2         2      0      1.00      0
  2025 Q4      1         0      0      0         0
  2026 Q1      1         0      0      0.50      0
  2026 Q2      3         3      1      2.00      0.30
(an accident of a unit that is not configured never counts).
"""

from __future__ import annotations

import pandas as pd
import pytest

from govbrief.briefs.quarterly.trends import trend_charts, trend_sentences, trend_table
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.metrics.quarterly_trends import QuarterTrends, quarter_panel, quarter_trends

CG, DH, STRANGER = "439901", "439902", "999999"
CODES = [CG, DH]
Q1, Q2 = Period(2026, PeriodKind.QUARTER, 1), Period(2026, PeriodKind.QUARTER, 2)


def accident(code: str, day: str, deaths: int = 0) -> dict[str, object]:
    return {
        "unit_code": code,
        "occurred_on": pd.Timestamp(day),
        "sector": "道路交通",
        "deaths": deaths,
        "serious_injuries": 0,
        "direct_loss_wan": 1.0,
        "forest_burned_ha": 0.0,
    }


def debt(code: str, month: str, *, fiscal: float = 0.0, refinance: float = 0.0, new: float = 0.0) -> dict[str, object]:
    end = Period.parse(month).end
    return {
        "unit_code": code,
        "period_end": pd.Timestamp(end),
        "resolved_fiscal": fiscal,
        "resolved_refinance": refinance,
        "hidden_new": new,
    }


ACCIDENTS = pd.DataFrame(
    [
        accident(CG, "2025-04-03", deaths=1),
        accident(DH, "2025-06-30", deaths=1),
        accident(CG, "2025-11-20"),
        accident(DH, "2026-02-10"),
        accident(CG, "2026-04-01", deaths=3),  # 3 deaths: 较大
        accident(CG, "2026-05-15"),
        accident(DH, "2026-06-30"),
        accident(STRANGER, "2026-05-01", deaths=5),
    ]
)
DEBT = pd.DataFrame(
    [
        debt(CG, "2025-05", fiscal=1.0),
        debt(CG, "2026-03", fiscal=0.5),
        debt(CG, "2026-04", fiscal=1.5),
        debt(DH, "2026-06", refinance=0.5, new=0.3),
        debt(STRANGER, "2026-06", fiscal=9.0),
    ]
)


def trends_of(quarter: Period) -> QuarterTrends:
    return quarter_trends(quarter_panel(ACCIDENTS, DEBT, CODES, 2026), quarter)


def test_quarter_trends_against_last_quarter_last_year_and_year_to_date() -> None:
    trends = trends_of(Q2)
    figures = {t.indicator: (t.quarter, t.previous, t.last_year, t.ytd, t.ytd_last_year) for t in trends.trends}
    assert figures["acc_count"] == (3, 1, 2, 4, 2)
    assert figures["acc_deaths"] == (3, 0, 2, 3, 2)
    assert figures["acc_major_plus"] == (1, 0, 0, 1, 0)
    assert figures["resolved"] == pytest.approx((2.0, 0.5, 1.0, 2.5, 1.0))
    assert figures["hidden_new"] == pytest.approx((0.3, 0.0, 0.0, 0.3, 0.0))


def test_a_first_quarter_compares_with_last_years_fourth() -> None:
    count = trends_of(Q1).trend("acc_count")
    assert (count.quarter, count.previous, count.mom.label_zh) == (1, 1, "持平")


def test_trend_sentences_give_mom_and_yoy_with_the_zero_base_rules() -> None:
    assert trend_sentences(trends_of(Q2)) == [
        "本季度全市共发生生产安全事故3起、死亡3人，起数环比上升200.0%、死亡人数环比新增，同比分别上升50.0%和50.0%。",
        "本季度发生较大及以上事故1起（上季度0起，去年同期0起）。",
        "本季度全市化解隐性债务2.00亿元，环比上升300.0%，同比上升100.0%；今年以来累计化解2.50亿元，同比上升150.0%。",
        "本季度全市新增隐性债务0.30亿元。",
    ]


def test_trend_table_rows_and_lights() -> None:
    table = trend_table(trends_of(Q2))
    rows = {row["indicator"]: row for row in table["rows"]}
    assert rows["生产安全事故（起）"] == {
        "indicator": "生产安全事故（起）",
        "quarter": "3",
        "previous": "1",
        "mom": "+200.0%",
        "last_year": "2",
        "yoy": "+50.0%",
        "ytd": "4",
        "ytd_yoy": "+100.0%",
    }
    assert rows["死亡人数（人）"]["mom"] == "—"  # from zero: 新增, no percent
    assert rows["化解隐性债务（亿元）"]["ytd"] == "2.50"
    assert table["lights"]["0"] == {"yoy": "yellow", "ytd_yoy": "yellow"}  # more accidents than last year
    assert table["lights"]["4"] == {"quarter": "red"}  # new hidden debt
    assert "3" not in table["lights"]  # more debt resolved is no warning


def test_quarter_charts_pair_this_years_quarters_with_last_years() -> None:
    accidents, resolved = trend_charts(trends_of(Q2))
    assert accidents["categories"] == ["第一季度", "第二季度"]
    assert accidents["series"] == [{"name": "2026年", "values": [1.0, 3.0]}, {"name": "2025年", "values": [0.0, 2.0]}]
    assert resolved["series"][0]["values"] == pytest.approx([0.5, 2.0])
    assert resolved["series"][1]["values"] == pytest.approx([0.0, 1.0])
    assert "第二季度2.00（上年1.00）" in resolved["alt"]
    assert (accidents["cid"], resolved["cid"]) == ("chart3", "chart4")
