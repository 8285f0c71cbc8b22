"""The 季总结's 约谈 lists, follow-ups, band changes and 通报表扬 on a hand-worked year.

Six units, each with an annual 化债 task of 100 亿元 (so 1 亿元 resolved = 1 percentage point)
and 综合财力 of 100 亿元 (so the legal balance in 亿元 is the debt ratio in percent). Each
unit's cumulative resolution sits a chosen number of points off 序时进度 at every month-end
(GAPS); more than 5 points behind lags, at or above 序时进度 is caught up. The ladder (docs/domain.md
§4.7): streak ≥ 1 书面说明; ≥ 3 or lagging at a quarter end 分管市领导约谈; ≥ 6 or lagging at a
half-year end 常务副市长约谈; cumulative: a rung holds until the unit is back at 序时进度.

Worked on paper, month-end by month-end (L = lagging, rung reached):

  东湖县 L 3..9:  3 分管(季末) 4 分管(held) 5 分管(3) 6 常务(半年末, 4) 7 常务(held) 8 常务(6) 9 常务(7)
  西山县 L 3:     3 分管(季末)                       → caught up in April
  南岭县 L 4,5:   4 书面 5 书面                      → never on a 约谈 list
  北坪县 L 5..9:  5 书面 6 常务(半年末, 2) 7 常务 8 常务 9 常务 (held: the lag persists)
  清溪县 L 3..5:  3 分管(季末) 4 分管(held) 5 分管(3) → caught up in June

Q1 约谈: 东湖县, 西山县, 清溪县 at 分管 (连续1个月滞后（季末仍滞后）).
Q2 约谈: 东湖县 常务 (连续4个月滞后（半年末仍滞后）), 北坪县 常务 (连续2个月…（半年末仍滞后）),
         清溪县 分管 (连续3个月滞后); half-year list: 东湖县 and 北坪县 only (清溪县 peaked at 分管).
Q2 follow-ups of Q1: 东湖县 escalated (分管 → 常务, still behind), 西山县 and 清溪县 caught up.
Q3 约谈: 东湖县 常务 (连续7个月滞后), 北坪县 常务 (连续5个月滞后); no half-year list.
Q3 follow-ups of Q2: 东湖县 still lagging (-7 → -12, no higher rung), 北坪县 improving
         (-8 → -6, still 常务), 清溪县 caught up.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pandas as pd
import pytest

from govbrief.briefs.quarterly.narrative import achievements, measures, problems
from govbrief.briefs.quarterly.sections import build_quarterly_context
from govbrief.briefs.quarterly.supervision import gap_zh
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import load_settings
from govbrief.metrics.debt import compute_debt
from govbrief.metrics.debt_result import DebtTargets
from govbrief.metrics.quarter_supervision import QuarterEnd, quarter_end
from govbrief.metrics.quarterly_result import QuarterlyMetrics, compute_quarterly
from govbrief.metrics.quarterly_trends import quarter_panel
from govbrief.metrics.safety import compute_safety
from govbrief.render.context import BriefContext

SETTINGS = load_settings()
UNITS = SETTINGS.units[:6]
CG, DH, XS, NL, BP, QX = (unit.code for unit in UNITS)
NAMES = {unit.code: unit.name for unit in UNITS}
CHANNELS = [(channel.id, channel.name) for channel in SETTINGS.debt.channels]
WRITTEN, VICE, EXECUTIVE = "书面说明", "分管市领导约谈", "常务副市长约谈"
# Points off 序时进度 at the month-ends January..September (< -5 lags).
GAPS = {
    CG: [0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 0.5, 0.5, 0.5],
    DH: [0.5, 0.5, -7, -7, -7, -7, -8, -10, -12],
    XS: [0.5, 0.5, -7, 0.5, 0.5, 1.0, 0.5, 0.5, 0.5],
    NL: [0.5, 0.5, 0.5, -7, -7, 0.5, 0.5, 0.5, 0.5],
    BP: [0.5, 0.5, 0.5, 0.5, -7, -8, -7, -7, -6],
    QX: [0.5, 0.5, -7, -7, -7, 0.8, 0.5, 0.5, 0.5],
}
# Legal balance (亿元 = debt ratio in percent) where it is not 150 (yellow: 120-200%).
LEGAL = {(CG, 6): 110.0, (CG, 9): 125.0, (DH, 6): 210.0, (DH, 9): 190.0}


def cumulative(code: str, month: int) -> float:
    """Resolved so far this year (亿元) at a month-end: 序时进度 (in points) plus the unit's gap."""
    return 0.0 if month == 0 else Period.month(2026, month).time_progress() * 100 + GAPS[code][month - 1]


def debt_frame() -> pd.DataFrame:
    rows = []
    for code in GAPS:
        for month in range(1, 10):
            period = Period.month(2026, month)
            resolved = {f"resolved_{cid}": 0.0 for cid, _ in CHANNELS}
            resolved[f"resolved_{CHANNELS[0][0]}"] = cumulative(code, month) - cumulative(code, month - 1)
            rows.append(
                {
                    "unit_code": code,
                    "legal_balance": LEGAL.get((code, month), 150.0),
                    "debt_limit": 300.0,
                    "hidden_balance": 50.0,
                    "hidden_new": 0.0,
                    **resolved,
                    "due": 1.0,
                    "paid_on_time": 1.0,
                    "overdue_balance": 0.0,
                    "period_key": period.key,
                    "period_start": pd.Timestamp(period.start),
                    "period_end": pd.Timestamp(period.end),
                }
            )
    return pd.DataFrame(rows)


def end_of(quarter: Period) -> QuarterEnd:
    """The QuarterEnd of a quarter from the hand-made returns (no death quota, no key tasks;
    2025 had no 化债 task to lag on)."""
    task = 100.0 if quarter.year == 2026 else None
    goals = DebtTargets(debt_task=dict.fromkeys(GAPS, task), fiscal_capacity=dict.fromkeys(GAPS, 100.0))
    frames = {"debt": debt_frame(), "key_tasks": pd.DataFrame()}
    month = Period.month(quarter.year, quarter.end.month)
    debt = compute_debt(frames, month, UNITS, goals, CHANNELS, SETTINGS.thresholds, rules=SETTINGS.escalation)
    return quarter_end(quarter, debt, {})


@cache
def quarter_metrics(index: int) -> QuarterlyMetrics:
    quarter = Period(2026, PeriodKind.QUARTER, index)
    panel = quarter_panel(None, debt_frame(), list(GAPS), 2026)
    return compute_quarterly(quarter, end_of(quarter), end_of(quarter.previous()), panel, SETTINGS.escalation)


@cache
def context_of(index: int) -> BriefContext:
    metrics = quarter_metrics(index)
    safety = compute_safety({}, metrics.quarter, UNITS, {}, SETTINGS.thresholds)
    return build_quarterly_context(
        safety, metrics, settings=SETTINGS, period=metrics.quarter, submissions=[], issued_on=date(2026, 10, 15)
    )


def listed(entries: object) -> dict[str, tuple[str, str]]:
    """A list of EscalationItem (context) as unit → (rung, streak)."""
    assert isinstance(entries, list)
    return {item["unit"]: (item["level"], item["streak_zh"]) for item in entries}


def follow_up_statuses(context: BriefContext) -> dict[str, tuple[str, str, str, str]]:
    quarterly = context["quarterly"]
    assert quarterly is not None
    return {f["unit"]: (f["level"], f["status_zh"], f["gap_then"], f["gap_now"]) for f in quarterly["follow_ups"]}


# ----- the 约谈 lists -----------------------------------------------------------------------------


def test_q1_interviews_everyone_lagging_at_the_quarter_end_and_has_no_half_year_list() -> None:
    quarterly = context_of(1)["quarterly"]
    assert quarterly is not None
    at_quarter_end = (VICE, "连续1个月滞后（季末仍滞后）")
    assert listed(quarterly["interviews"]) == {
        "东湖县": at_quarter_end,
        "西山县": at_quarter_end,
        "清溪县": at_quarter_end,
    }
    assert quarterly["half_year_interviews"] is None and quarterly["half_year_label"] is None
    assert quarterly["follow_ups"] == []  # nobody was talked to in last year's fourth quarter
    # Last December had no return: no band to compare with.
    assert quarterly["band_sentences"] == [
        "本季债务风险等级无升降（缺少上季末或本季末债务率的：城关区、东湖县、西山县、南岭县、北坪县、清溪县）。"
    ]


def test_q2_interviews_keep_each_units_highest_rung_and_the_half_year_list_only_the_top_rung() -> None:
    quarterly = context_of(2)["quarterly"]
    assert quarterly is not None
    assert listed(quarterly["interviews"]) == {
        "东湖县": (EXECUTIVE, "连续4个月滞后（半年末仍滞后）"),
        "北坪县": (EXECUTIVE, "连续2个月滞后（半年末仍滞后）"),
        "清溪县": (VICE, "连续3个月滞后"),  # caught up in June: its May rung stands
    }
    assert [item["level"] for item in quarterly["interviews"]] == [EXECUTIVE, EXECUTIVE, VICE]
    assert listed(quarterly["half_year_interviews"]) == {
        "东湖县": (EXECUTIVE, "连续4个月滞后（半年末仍滞后）"),
        "北坪县": (EXECUTIVE, "连续2个月滞后（半年末仍滞后）"),
    }
    assert all(item["action"] == "由常务副市长约谈主要负责同志" for item in quarterly["half_year_interviews"] or [])
    assert quarterly["half_year_label"] == "2026年上半年"


def test_q3_interviews_and_no_half_year_list() -> None:
    quarterly = context_of(3)["quarterly"]
    assert quarterly is not None
    assert listed(quarterly["interviews"]) == {
        "东湖县": (EXECUTIVE, "连续7个月滞后"),
        "北坪县": (EXECUTIVE, "连续5个月滞后"),  # June's rung holds while the lag persists
    }
    assert quarterly["half_year_interviews"] is None and quarterly["half_year_label"] is None


# ----- last quarter's 约谈 followed up ---------------------------------------------------------


def test_q2_follows_up_q1s_interviews() -> None:
    assert follow_up_statuses(context_of(2)) == {
        "东湖县": (VICE, "仍滞后，升级为常务副市长约谈", "-7.0个百分点", "-7.0个百分点"),
        "西山县": (VICE, "已追上序时进度", "-7.0个百分点", "+1.0个百分点"),
        "清溪县": (VICE, "已追上序时进度", "-7.0个百分点", "+0.8个百分点"),
    }


def test_q3_follows_up_q2s_interviews() -> None:
    context = context_of(3)
    assert follow_up_statuses(context) == {
        "东湖县": (EXECUTIVE, "仍滞后", "-7.0个百分点", "-12.0个百分点"),
        "北坪县": (EXECUTIVE, "差距缩小", "-8.0个百分点", "-6.0个百分点"),
        "清溪县": (VICE, "已追上序时进度", "+0.8个百分点", "+0.5个百分点"),
    }
    quarterly = context["quarterly"]
    assert quarterly is not None
    statuses = {f["unit"]: f["status"] for f in quarterly["follow_ups"]}
    assert statuses == {"东湖县": "still_lagging", "北坪县": "improving", "清溪县": "caught_up"}
    assert all(f["target"] == "年度化债任务" for f in quarterly["follow_ups"])


# ----- debt risk bands, commendations, narrative ---------------------------------------------------


def test_band_changes_name_who_moved_up_and_down() -> None:
    quarterly = context_of(3)["quarterly"]
    assert quarterly is not None
    assert quarterly["band_sentences"] == ["本季债务风险等级上升的有城关区（绿→黄）；下降的有东湖县（橙→黄）。"]
    rows = {row["unit"]: row for row in quarterly["band_changes"]["rows"]}
    chengguan, xishan = rows["城关区"], rows["西山县"]
    assert (chengguan["ratio_then"], chengguan["ratio_now"], chengguan["move"]) == ("110.0%", "125.0%", "上升（绿→黄）")
    assert (xishan["ratio_then"], xishan["move"]) == ("150.0%", "持平（黄）")
    assert quarterly["band_changes"]["lights"]["1"] == {"ratio_then": "orange", "ratio_now": "yellow"}


def test_commendations_name_the_top_three_on_time_and_those_who_caught_up() -> None:
    quarterly = context_of(2)["quarterly"]
    assert quarterly is not None
    top, *caught = quarterly["commendations"]
    # June: 城关区 +1.5, 西山县 +1.0, 清溪县 +0.8, 南岭县 +0.5 points ahead; 东湖县 and 北坪县 behind.
    assert top.startswith("城关区、西山县、清溪县年度化债任务完成进度位居全市前列")
    assert caught == [
        "西山县年度化债任务本季追上序时进度，予以通报表扬。",
        "南岭县年度化债任务本季追上序时进度，予以通报表扬。",
        "清溪县年度化债任务本季追上序时进度，予以通报表扬。",
    ]


def test_narrative_comes_from_the_quarters_numbers() -> None:
    quarterly = context_of(2)["quarterly"]
    assert quarterly is not None
    assert "上季度约谈的西山县、清溪县已追上序时进度。" in quarterly["achievements"]
    assert "东湖县、北坪县、清溪县重点指标滞后于序时进度，本季度被约谈。" in quarterly["problems"]
    assert "上季度约谈的东湖县整改成效不明显，仍滞后于序时进度。" in quarterly["problems"]
    assert quarterly["measures"][:2] == [
        "清溪县由分管市领导约谈主要负责同志，说明滞后原因和整改措施，限期追赶序时进度。",
        "东湖县、北坪县由常务副市长约谈主要负责同志，说明滞后原因和整改措施，限期追赶序时进度。",
    ]


def test_the_context_is_a_quarterly_brief_with_the_monthly_sections_at_the_quarter_end() -> None:
    context = context_of(2)
    assert (context["kind"], context["kind_zh"], context["period"]["label_zh"]) == (
        "quarterly",
        "季总结",
        "2026年第二季度",
    )
    assert context["monthly"] is not None
    escalated = {item["unit"]: item["level"] for item in context["monthly"]["escalations"]}
    assert escalated == {"东湖县": EXECUTIVE, "北坪县": EXECUTIVE}  # June's 督办 list
    assert [chart["cid"] for chart in context["charts"]] == ["chart1", "chart2", "chart3", "chart4"]
    assert all("本旬" not in header for _, header in context["sector_table"]["columns"])
    # The month's own flows name June: a quarter has no 本月.
    assert any(sentence.startswith("6月到期应偿本息") for sentence in context["monthly"]["debt_sentences"])
    headers = [header for _, header in context["monthly"]["debt_table"]["columns"]]
    assert "6月到期应偿（亿元）" in headers and not any("本月" in header for header in headers)


def test_a_month_is_not_a_quarter() -> None:
    metrics = quarter_metrics(2)
    month = Period.month(2026, 6)
    safety = compute_safety({}, month, UNITS, {}, SETTINGS.thresholds)
    with pytest.raises(ValueError, match="季总结"):
        build_quarterly_context(
            safety, metrics, settings=SETTINGS, period=month, submissions=[], issued_on=date.today()
        )


def test_follow_up_gaps_read_as_each_targets_own_table() -> None:
    # Internally behind is negative; the death quota's table shows use minus 序时进度 (ahead is bad).
    assert gap_zh(-17.14, "death_quota") == "+17.1个百分点"
    assert gap_zh(-8.0, "debt") == "-8.0个百分点"
    assert gap_zh(None, "debt") == "—"


def test_the_ranking_moves_against_last_quarters_end() -> None:
    context = context_of(3)
    assert context["monthly"] is not None
    ranking = context["monthly"]["ranking_table"]
    assert ["rank_change", "较上季"] in ranking["columns"]
    # June: 北坪县 last (-8), 东湖县 fifth (-7); September: 北坪县 -6 passes 东湖县 -12.
    moves = {row["unit"]: (row["rank"], row["rank_change"]) for row in ranking["rows"]}
    assert moves["北坪县"] == ("5", "进1位") and moves["东湖县"] == ("6", "退1位")


def test_accidents_rising_on_one_count_only_are_a_problem_not_an_achievement() -> None:
    def accident(day: str, deaths: int) -> dict[str, object]:
        return {"unit_code": CG, "occurred_on": pd.Timestamp(day), "sector": "道路交通", "deaths": deaths}

    # Third quarter: 3 accidents and 1 death last year, 2 accidents and 2 deaths this year.
    days = [("2025-07-02", 1), ("2025-08-02", 0), ("2025-09-02", 0), ("2026-07-09", 2), ("2026-08-09", 0)]
    accidents = pd.DataFrame([accident(day, deaths) for day, deaths in days]).assign(
        serious_injuries=0, direct_loss_wan=1.0, forest_burned_ha=0.0
    )
    quarter = Period(2026, PeriodKind.QUARTER, 3)
    panel = quarter_panel(accidents, debt_frame(), list(GAPS), 2026)
    metrics = compute_quarterly(quarter, end_of(quarter), end_of(quarter.previous()), panel, SETTINGS.escalation)
    safety = compute_safety({}, quarter, UNITS, {}, SETTINGS.thresholds)
    assert "本季度死亡人数同比上升100.0%，安全生产形势不容乐观。" in problems(metrics, safety)
    assert not any("事故总量" in line for line in achievements(metrics))
    assert any("事故上升原因" in line for line in measures(metrics))
