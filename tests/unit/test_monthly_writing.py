"""The 月通报 as a 公文, from hand-made figures: read the way its reader reads it — the parts in the
order a 督查室 writes them, each unit named once per theme, the ladder as the speech says it, the
ranking with its weights under it, and a month whose debt returns never came escalating nobody."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from govbrief.briefs.common.county_ranking import county_ranking, dimension_values
from govbrief.briefs.common.submissions import SubmissionInfo
from govbrief.briefs.monthly.writing import MonthlyInputs, build_monthly_document
from govbrief.calendar.periods import Period
from govbrief.config import RankingSettings, Settings, load_settings
from govbrief.metrics.debt_result import DebtMetrics
from govbrief.metrics.result import SafetyMetrics
from govbrief.render.document import BriefContext
from tests.unit import test_metrics_debt as debt_case
from tests.unit import test_metrics_safety as safety_case

CG, DH, XS = debt_case.CG, debt_case.DH, debt_case.XS
AUGUST = Period.month(2026, 8)
ISSUED = date(2026, 9, 8)
WEIGHTS = {"safety": 0.4, "debt": 0.3, "risk": 0.15, "key_tasks": 0.15}


@pytest.fixture(scope="module")
def settings() -> Settings:
    base = load_settings()
    return base.model_copy(
        update={
            "units": debt_case.UNITS,
            "thresholds": safety_case.THRESHOLDS,
            "ranking": RankingSettings(weights=WEIGHTS),  # type: ignore[arg-type]
        }
    )


def safety_month(month: Period) -> SafetyMetrics:
    """东湖县: 3 deaths against a quota of 2 (over it); 城关区 one death in March."""
    return safety_case.compute(
        [
            safety_case.accident(DH, date(2026, 8, 12), deaths=2),
            safety_case.accident(DH, date(2026, 5, 2), deaths=1),
            safety_case.accident(CG, date(2026, 3, 2), deaths=1),
        ],
        hazards=[safety_case.hazard(CG, Period.ten_day(2026, 8, 2), found=10, fixed=8)],
        period=month,
        quotas={CG: 4.0, DH: 2.0, XS: 3.0},
    )


def debt_month(last: int, *, with_august: bool = True) -> DebtMetrics:
    """城关区 lags on its 化债 task March–August; 西山县 takes on new hidden debt in August and 东湖县
    misses a payment in August."""
    rows = debt_case.debt_lagging_year(CG, set(range(3, 9)), last)
    rows += debt_case.debt_lagging_year(DH, set(), last)
    rows += debt_case.debt_lagging_year(XS, set(), last)
    if last == 8:
        rows = [r for r in rows if not (r["period_key"] == AUGUST.key and r["unit_code"] in (DH, XS))]
        rows.append(debt_case.debt_row(DH, 8, due=1.0, paid=0.6, overdue=0.4, resolved={"fiscal": 0.08}))
        rows.append(debt_case.debt_row(XS, 8, new=0.3, hidden=5.3, resolved={"fiscal": 0.08}))
    if not with_august:
        rows = [r for r in rows if r["period_key"] != AUGUST.key]
    return debt_case.compute(rows, last)


def document(settings: Settings, *, with_august: bool = True, weights: bool = True) -> BriefContext:
    safety, debt = safety_month(AUGUST), debt_month(8, with_august=with_august)
    before = (safety_month(Period.month(2026, 7)), debt_month(7))
    ranking = county_ranking((safety, debt), before, WEIGHTS if weights else {})
    status = "on_time" if with_august else "missing"
    submissions = [SubmissionInfo(code, status) for code in (CG, DH, XS)]  # type: ignore[arg-type]
    inputs = MonthlyInputs(settings, AUGUST, submissions, ISSUED, ranking, dimension_values(safety, debt))
    return build_monthly_document(safety, debt, inputs)


@pytest.fixture(scope="module")
def brief(settings: Settings) -> BriefContext:
    return document(settings)


def body(doc: BriefContext) -> str:
    """The running text a leader reads, before the 附件."""
    parts = [p["lead"] + p["text"] for p in doc["opening"]]
    for section in doc["sections"]:
        parts.append(section["heading"])
        parts += [p["lead"] + p["text"] for p in section["paragraphs"]]
    return "\n".join(parts)


def section(doc: BriefContext, title: str) -> str:
    (found,) = [s for s in doc["sections"] if s["heading"].endswith(title)]
    return "\n".join(p["lead"] + p["text"] for p in found["paragraphs"])


def test_the_parts_come_in_the_order_a_bulletin_is_written(brief: BriefContext) -> None:
    assert brief["doc_title"] == "2026年8月全市安全生产和政府债务化解情况通报"
    assert brief["opening"][0]["text"].startswith("按照“旬简报、月通报、季总结”工作调度机制，现将8月份")
    assert [s["heading"] for s in brief["sections"]] == [
        "一、总体情况",
        "二、县市区综合排名",
        "三、主要问题",
        "四、督办事项",
        "五、下步工作",
    ]
    assert brief["issued_on_zh"] == "2026年9月8日"
    assert len(brief["annexes"]) == len(brief["annex_list"]) == 8
    assert brief["annex_list"][3] == "各县市区政府债务化解情况表"
    # The body holds one table — the ranking — and no colour tags.
    assert [s["heading"] for s in brief["sections"] if s["table"]] == ["二、县市区综合排名"]
    assert not any(tag in body(brief) for tag in ("【", "红色", "红灯", "黄灯"))


def test_the_overview_gives_the_time_line_then_safety_debt_and_key_tasks(brief: BriefContext) -> None:
    overview = section(brief, "总体情况")
    progress = f"{debt_case.TP[8] * 100:.1f}%"
    assert overview.startswith(f"截至8月31日，全年序时进度为{progress}。")
    assert "（一）安全生产。8月，全市发生生产安全事故1起、死亡2人" in overview
    assert "（二）政府债务化解。8月末，全市法定债务余额30.00亿元" in overview
    assert "本月出现新增隐性债务和到期债务逾期（见主要问题）" in overview


def test_the_ranking_prints_its_weights_under_the_table(brief: BriefContext) -> None:
    (ranked,) = [s for s in brief["sections"] if s["table"]]
    table = ranked["table"]
    assert table is not None
    columns = [c[1] for c in table["columns"]]
    # No unit reported key tasks this month: that dimension is left out, not everyone unranked.
    assert columns == ["名次", "县市区", "安全生产", "化债进度", "债务风险", "较上月"]
    assert "安全生产40%、化债进度30%、债务风险15%、重点工作15%" in table["note"]
    assert "本期重点工作各县市区均无数据，不计入综合得分" in table["note"]
    # 城关区 lags six months on debt (weight 30%) and is second on safety: last on the weighted sum.
    assert [row["unit"] for row in table["rows"]] == ["西山县", "东湖县", "城关区"]


def test_without_weights_each_dimension_is_ranked_on_its_own_and_the_note_says_why(settings: Settings) -> None:
    doc = document(settings, weights=False)
    assert doc["sections"][1]["heading"] == "二、县市区分项排名"
    table = doc["sections"][1]["table"]
    assert table is not None and "未确定各维度权重，故不排综合名次" in table["note"]
    assert "综合排名" not in body(doc)


def test_problems_name_each_unit_once_per_theme_with_its_figures(brief: BriefContext) -> None:
    problems = section(brief, "主要问题")
    assert "东湖县累计死亡3人，超出全年控制指标（2人）1人" in problems
    assert "城关区今年化解" in problems and "低于序时进度" in problems
    assert "西山县8月新增隐性债务0.30亿元" in problems and "违反“坚决遏制增量”要求" in problems
    assert "东湖县8月到期应偿本息1.00亿元，仅按期偿付0.60亿元，0.40亿元逾期未还，已经突破“不暴雷”底线" in problems
    for paragraph in problems.splitlines():
        for unit in ("城关区", "东湖县", "西山县"):
            assert paragraph.count(unit) <= 1, paragraph


def test_the_ladder_is_said_in_the_speechs_words_with_the_streak_behind_each(brief: BriefContext) -> None:
    supervision = section(brief, "督办事项")
    assert supervision.startswith("督办等级按连续滞后月数逐级累进（1个月书面说明，3个月或季末仍滞后分管市领导约谈，")
    assert "（一）由常务副市长约谈县市区政府主要负责同志。城关区，年度化债任务连续6个月滞后" in supervision
    assert "专项督办。西山县新增隐性债务、东湖县到期债务逾期2个事项列入市政府专项督办" in supervision


def test_next_steps_answer_the_red_lines_first_and_name_who_acts(brief: BriefContext) -> None:
    steps = section(brief, "下步工作")
    first = steps.splitlines()[0]
    assert first.startswith("（一）立即处置债务风险事项。东湖县要立即筹措资金清偿逾期本息")
    assert "西山县要查清新增隐性债务的项目" in first
    assert "城关区要对剩余" in steps and "尽快追上序时进度" in steps


def test_a_month_without_debt_returns_judges_and_escalates_nobody_on_debt_and_says_why(settings: Settings) -> None:
    doc = document(settings, with_august=False)
    overview = section(doc, "总体情况")
    assert "各县市区8月政府债务化解月报表均未报送，债务数据待报送后补充，本期不作化债进度评价。" in overview
    supervision = section(doc, "督办事项")
    assert "本月不对年度化债任务和重点工作作滞后认定和督办升级" in supervision
    # 城关区 keeps the rung it reached at the half-year end; with no August return it is neither
    # cleared nor said to be still behind.
    assert "城关区，年度化债任务此前连续5个月滞后，本月未报送，维持原督办等级。" in supervision
    assert "尚未追上序时进度" not in supervision
    assert "化债进度" not in section(doc, "主要问题")
    debt_annex = next(a for a in doc["annexes"] if a["title"] == "各县市区政府债务化解情况表")
    assert all(row["legal_balance"] == "未报送" for row in debt_annex["table"]["rows"])
    assert debt_annex["table"]["total"] is None  # no partial 全市 row
    assert "0.0%" not in json.dumps(debt_annex, ensure_ascii=False)
    assert doc["completeness"] is not None and "政府债务化解月报表有3个县市区未报送" in doc["completeness"]


def test_the_ranking_leaves_out_a_unit_without_a_figure_and_says_so(settings: Settings) -> None:
    safety, debt = safety_month(AUGUST), debt_month(8)
    values = dimension_values(safety, debt)
    values.loc[XS, "debt"] = float("nan")  # as if 西山县's return had not come
    ranking = county_ranking((safety, debt), None, WEIGHTS)
    ranked = ranking.table.assign(rank=lambda t: t["rank"].where(values["debt"].notna()))
    assert pd.isna(ranked.loc[XS, "rank"]) and ranked["rank"].notna().sum() == 2
