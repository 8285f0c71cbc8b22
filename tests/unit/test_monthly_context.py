"""The 月通报 context from hand-made metrics: every section there, the 督办 list with its streaks,
the ranking with 进位/退位 and lights, the debt red flags, plain data only."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import pytest

from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.briefs.monthly.sections import build_monthly_context
from govbrief.calendar.periods import Period
from govbrief.config import Settings, load_settings
from govbrief.render import context as contract
from govbrief.render.context import BriefContext
from govbrief.render.rendered_brief import subject_for
from govbrief.render.templates import render_html, render_text
from tests.unit import test_metrics_debt as debt_case
from tests.unit import test_metrics_safety as safety_case

CG, DH, XS = debt_case.CG, debt_case.DH, debt_case.XS
AUGUST = Period.month(2026, 8)
ROADS = debt_case.ROADS
ISSUED = date(2026, 9, 8)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings().model_copy(update={"units": debt_case.UNITS, "thresholds": safety_case.THRESHOLDS})


@pytest.fixture(scope="module")
def context(settings: Settings) -> BriefContext:
    """城关区 lags on its 化债 task March–August; 东湖县 lagged in June and July only, and is over
    its death-quota pace since July; 西山县 has done nothing more on a key task since June and takes
    on new hidden debt in August."""
    rows = debt_case.debt_lagging_year(CG, set(range(3, 9)), 8)
    rows += debt_case.debt_lagging_year(DH, {6, 7}, 8)
    rows += debt_case.debt_lagging_year(XS, set(), 7)
    rows.append(debt_case.debt_row(XS, 8, new=0.3, hidden=5.3, resolved={"fiscal": 0.2}))  # ahead, with new debt
    goals = debt_case.targets(tasks={(XS, ROADS): 10.0})
    task_rows = [debt_case.task_row(XS, m, ROADS, 10 * debt_case.TP[min(m, 6)]) for m in range(1, 9)]
    usage = pd.DataFrame({m: [debt_case.TP[m] + (0.06 if m >= 7 else 0.0)] for m in range(1, 9)}, index=[DH])
    debt = debt_case.compute(rows, 8, goals=goals, task_rows=task_rows, quota_usage=usage)
    safety = safety_case.compute(
        [safety_case.accident(DH, date(2026, 8, 12), deaths=2), safety_case.accident(CG, date(2026, 3, 2), deaths=1)],
        hazards=[safety_case.hazard(CG, Period.ten_day(2026, 8, 2), found=10, fixed=8)],
        period=AUGUST,
        quotas={CG: 4.0, DH: 2.0, XS: 3.0},
    )
    submissions = [SubmissionInfo(CG, "on_time"), SubmissionInfo(DH, "late"), SubmissionInfo(XS, "on_time")]
    return build_monthly_context(
        safety, debt, settings=settings, period=AUGUST, submissions=submissions, issued_on=ISSUED
    )


def test_every_section_of_the_brief_and_of_the_monthly_part_is_there(context: BriefContext) -> None:
    assert set(context) == contract.BriefContext.__required_keys__
    monthly = context["monthly"]
    assert monthly is not None
    assert set(monthly) == contract.MonthlySections.__required_keys__
    for table in ("ranking_table", "quota_table", "debt_table", "channel_table", "key_task_table"):
        assert monthly[table]["rows"], table  # type: ignore[literal-required]
    assert context["kind"] == "monthly" and context["issue_label"] == "第8期"
    assert subject_for(context) == "示范市安全生产和政府债务化解月通报（2026年8月，第8期）"
    assert [c["cid"] for c in context["charts"]] == ["chart1", "chart2"]
    # The 旬 tables' wording reads as a month's.
    assert ["sector", "行业领域"] in context["sector_table"]["columns"]
    assert ["period_count", "本月起数"] in context["sector_table"]["columns"]
    assert "本旬" not in json.dumps(context, ensure_ascii=False)


def test_the_escalation_list_names_who_acts_and_the_streak_behind_each(context: BriefContext) -> None:
    assert context["monthly"] is not None
    listed = [
        (e["unit"], e["target"], e["level"], e["action"], e["streak_zh"]) for e in context["monthly"]["escalations"]
    ]
    assert listed == [
        ("城关区", "年度化债任务", "常务副市长约谈", "由常务副市长约谈主要负责同志", "连续6个月滞后"),
        ("西山县", ROADS, "书面说明", "向市政府作出书面说明", "连续2个月滞后"),
        ("东湖县", "死亡控制指标", "书面说明", "向市政府作出书面说明", "连续2个月滞后"),
    ]
    assert context["monthly"]["recoveries"] == ["东湖县年度化债任务已追上序时进度（此前连续2个月滞后）。"]
    assert any(step.startswith("城关区由常务副市长约谈") for step in context["next_steps"])


def test_the_ranking_follows_resolution_progress_with_rank_changes_and_lights(context: BriefContext) -> None:
    assert context["monthly"] is not None
    table = context["monthly"]["ranking_table"]
    # July: 西山县 on time (1), 城关区 and 东湖县 both 20 points behind (2, 2).
    # August: 西山县 ahead (1), 东湖县 on time (2), 城关区 still behind (3).
    ranked = [(row["rank"], row["unit"], row["rank_change"]) for row in table["rows"]]
    assert ranked == [("1", "西山县", "持平"), ("2", "东湖县", "持平"), ("3", "城关区", "退1位")]
    assert table["lights"]["2"]["debt"] == "red"  # 城关区: 20 points behind 序时进度
    assert table["lights"]["0"]["debt"] == "green"
    assert table["lights"]["0"]["tasks"] == "red" and table["rows"][0]["tasks"] == "1"  # 西山县's lagging task


def test_the_debt_section_states_the_red_flags_and_the_city_figures(context: BriefContext) -> None:
    assert context["monthly"] is not None
    assert any(flag.startswith("西山县本月新增隐性债务0.30亿元") for flag in context["debt_alerts"])
    debt_rows = {row["unit"]: row for row in context["monthly"]["debt_table"]["rows"]}
    assert debt_rows["西山县"]["hidden_new"] == "0.30"
    assert debt_rows["城关区"]["gap"] == "-20.0"
    channels = {row["channel"]: row for row in context["monthly"]["channel_table"]["rows"]}
    assert set(channels) == {name for _, name in debt_case.CHANNELS}
    assert "本年新增隐性债务0.30亿元。" in context["monthly"]["debt_sentences"]


def test_the_context_is_plain_data_and_the_templates_place_it(context: BriefContext) -> None:
    assert _plain(context)
    assert json.loads(json.dumps(context, ensure_ascii=False)) == context
    html = render_html(context, template="monthly.html.j2")
    text = render_text(context, template="monthly.txt.j2")
    escalations = html[html.index("九、督办事项") : html.index("十、报送情况")]
    assert "城关区" in escalations and "连续6个月滞后" in escalations
    assert "城关区（年度化债任务）：常务副市长约谈，由常务副市长约谈主要负责同志；连续6个月滞后。" in text


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)
