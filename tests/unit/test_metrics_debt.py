"""compute_debt on tiny hand-made frames: balances, resolution, channels, payments, bands, ranks,
key tasks, the lag history and the escalation list, alerts and the JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pandas as pd
import pytest

from govbrief.calendar.periods import Period
from govbrief.config import Band, Clerk, Thresholds, Unit, load_settings
from govbrief.demo.debt_returns import MonthlyReturn, build_debt_returns, demo_months
from govbrief.demo.key_task_returns import build_key_task_returns
from govbrief.metrics.debt import compute_debt
from govbrief.metrics.debt_result import DebtMetrics, DebtTargets, key_task_targets
from govbrief.metrics.result import CITY
from govbrief.targets.annual import load_targets
from govbrief.targets.plans import load_key_tasks

CG, DH, XS = "439901", "439902", "439903"
UNITS = tuple(
    Unit(code=code, name=name, clerk=Clerk(name=f"{name}填报员", email=f"clerk{code}@example.gov.cn"))
    for code, name in ((CG, "城关区"), (DH, "东湖县"), (XS, "西山县"))
)
CHANNELS = (
    ("fiscal", "财政资金偿还"),
    ("assets", "出让股权及经营性资产偿还"),
    ("project_income", "项目结转资金及经营收入偿还"),
    ("conversion", "合规转化为企业经营性债务"),
    ("refinance", "借新还旧及展期"),
    ("restructure", "破产重整或清算"),
)
THRESHOLDS = Thresholds(
    lag_tolerance_pp=5.0, bands={"debt_ratio": Band(direction="down", yellow=1.20, orange=2.00, red=3.00)}
)
TP = {m: Period.month(2026, m).time_progress() for m in range(1, 13)}  # 序时进度 at each month-end of 2026


def debt_row(
    code: str,
    month: int,
    *,
    year: int = 2026,
    legal: float = 10.0,
    limit: float = 20.0,
    hidden: float = 5.0,
    new: float = 0.0,
    resolved: Mapping[str, float] | None = None,
    due: float = 0.0,
    paid: float | None = None,
    overdue: float = 0.0,
) -> dict[str, object]:
    """One 债务化解 row as the warehouse returns it (亿元)."""
    period = Period.month(year, month)
    amounts = {f"resolved_{cid}": 0.0 for cid, _ in CHANNELS} | {
        f"resolved_{k}": v for k, v in (resolved or {}).items()
    }
    return {
        "county": code,
        "legal_balance": legal,
        "debt_limit": limit,
        "hidden_balance": hidden,
        "hidden_new": new,
        **amounts,
        "due": due,
        "paid_on_time": due if paid is None else paid,
        "overdue_balance": overdue,
        "unit_code": code,
        "period_key": period.key,
        "period_start": pd.Timestamp(period.start),
        "period_end": pd.Timestamp(period.end),
    }


def task_row(code: str, month: int, task: str, done_ytd: float) -> dict[str, object]:
    period = Period.month(2026, month)
    return {
        "county": code,
        "task": task,
        "unit": "个",
        "done_this_month": 0.0,
        "done_ytd": done_ytd,
        "unit_code": code,
        "period_key": period.key,
        "period_start": pd.Timestamp(period.start),
        "period_end": pd.Timestamp(period.end),
    }


def targets(
    task: Mapping[str, float | None] | None = None,
    capacity: Mapping[str, float | None] | None = None,
    tasks: Mapping[tuple[str, str], float] | None = None,
) -> DebtTargets:
    return DebtTargets(
        debt_task=task if task is not None else dict.fromkeys((CG, DH, XS), 1.0),
        fiscal_capacity=capacity if capacity is not None else dict.fromkeys((CG, DH, XS), 100.0),
        task_targets=tasks or {},
    )


def compute(
    rows: Sequence[dict[str, object]],
    month: int,
    *,
    goals: DebtTargets | None = None,
    task_rows: Sequence[dict[str, object]] = (),
    units: Sequence[Unit] = UNITS,
    quota_usage: pd.DataFrame | None = None,
    earlier_months_sent: bool = True,
) -> DebtMetrics:
    """The metrics of `month` from these rows; by default every unit also sent a quiet return for
    each earlier month of the year the rows leave out (a year-to-date figure needs every month)."""
    rows = list(rows)
    if earlier_months_sent:
        sent = {(r["unit_code"], r["period_key"]) for r in rows}
        rows += [
            debt_row(u.code, m)
            for u in units
            for m in range(1, month)
            if (u.code, Period.month(2026, m).key) not in sent
        ]
    frames = {"debt": pd.DataFrame(rows), "key_tasks": pd.DataFrame(list(task_rows))}
    return compute_debt(
        frames, Period.month(2026, month), units, goals or targets(), CHANNELS, THRESHOLDS, quota_usage=quota_usage
    )


def quiet_months(code: str, months: range, **kwargs: object) -> list[dict[str, object]]:
    return [debt_row(code, m, **kwargs) for m in months]  # type: ignore[arg-type]


def alerts_of(metrics: DebtMetrics, indicator: str) -> list[tuple[str, str]]:
    return [(a.level, a.unit_code) for a in metrics.alerts if a.indicator == indicator]


# ----- balances, resolution and channels ---------------------------------------------------------


def test_balances_are_the_months_own_and_the_city_sums_them_with_ratios_recomputed() -> None:
    rows = [
        debt_row(CG, 5, legal=120.0, limit=150.0, hidden=8.0),
        debt_row(DH, 5, legal=60.0, limit=50.0, hidden=4.0),
        debt_row(CG, 4, legal=999.0, limit=999.0),  # last month's balance is not this month's
    ]
    metrics = compute(rows, 5, units=UNITS[:2], goals=targets(capacity={CG: 100.0, DH: 50.0}))
    assert metrics.value("debt_legal_balance", CG) == 120.0
    assert metrics.value("debt_limit_usage", CG) == pytest.approx(0.8)
    assert metrics.value("debt_limit_usage", DH) == pytest.approx(1.2)
    assert metrics.value("debt_legal_balance") == 180.0
    assert metrics.value("debt_limit_usage") == pytest.approx(180 / 200)
    assert metrics.value("hidden_balance") == 12.0
    assert metrics.value("debt_ratio") == pytest.approx(180 / 150)
    assert alerts_of(metrics, "debt_legal_balance") == [("red", DH)]


def test_a_unit_without_a_return_is_missing_not_zero_and_the_city_has_no_partial_total() -> None:
    rows = [debt_row(CG, 5, resolved={"fiscal": 0.2}), debt_row(DH, 4, resolved={"fiscal": 0.3})]
    metrics = compute(rows, 5, units=UNITS[:2], goals=targets(task={CG: 2.0, DH: 2.0}))
    for figure in ("debt_legal_balance", "resolved", "resolved_ytd", "resolve_progress", "hidden_new"):
        assert metrics.value(figure, DH) is None, figure  # 未报送, never 0 or 0%
        assert metrics.value(figure) is None, figure  # a total over one of two units is not 全市
    assert metrics.value("resolved_ytd", CG) == pytest.approx(0.2)
    assert not metrics.lag_history.loc[(DH, "debt")].iloc[-1]  # no lag judged on a missing return
    assert not metrics.caught_up_history.loc[(DH, "debt")].iloc[-1]


def test_a_month_missed_earlier_in_the_year_leaves_the_year_to_date_unknown() -> None:
    rows = [debt_row(CG, m, resolved={"fiscal": 0.1}) for m in (1, 2, 4, 5)]  # March never came
    metrics = compute(rows, 5, units=UNITS[:1], goals=targets(task={CG: 2.0}), earlier_months_sent=False)
    assert metrics.value("resolved", CG) == pytest.approx(0.1)
    assert metrics.value("resolved_ytd", CG) is None and metrics.value("resolve_progress", CG) is None


def test_resolution_year_to_date_progress_and_gap_against_time_progress() -> None:
    rows = [debt_row(CG, m, resolved={"fiscal": 0.2}) for m in range(1, 5)]
    rows.append(debt_row(CG, 5, resolved={"fiscal": 0.1, "refinance": 0.3}))
    rows.append(debt_row(CG, 12, year=2025, resolved={"fiscal": 5.0}))  # last year never counts
    metrics = compute(rows, 5, units=UNITS[:1], goals=targets(task={CG: 2.0}))
    assert metrics.value("resolved", CG) == pytest.approx(0.4)
    assert metrics.value("resolved_ytd", CG) == pytest.approx(1.2)
    assert metrics.value("resolve_progress", CG) == pytest.approx(0.6)
    assert metrics.value("resolve_gap_pp", CG) == pytest.approx(60.0 - 41.4)  # as printed: 60.0% vs 41.4%
    assert metrics.value("resolve_progress") == pytest.approx(0.6)  # the city: one unit here


def test_channels_year_to_date_shares_and_a_rising_rollover_share_is_yellow() -> None:
    rows = [
        debt_row(CG, 4, resolved={"fiscal": 0.6, "refinance": 0.2}),
        debt_row(CG, 5, resolved={"fiscal": 0.1, "refinance": 0.3}),
        debt_row(DH, 4, resolved={"fiscal": 0.5, "refinance": 0.5}),
        debt_row(DH, 5, resolved={"fiscal": 1.0}),
    ]
    metrics = compute(rows, 5, units=UNITS[:2])
    assert metrics.channel("refinance", "amount", CG) == pytest.approx(0.3)
    assert metrics.channel("refinance", "amount_ytd", CG) == pytest.approx(0.5)
    assert metrics.channel("refinance", "share", CG) == pytest.approx(0.5 / 1.2)
    assert metrics.channel("refinance", "share_previous", CG) == pytest.approx(0.2 / 0.8)
    assert metrics.channel("refinance", "share", DH) == pytest.approx(0.5 / 2.0)  # fell from 50%
    assert metrics.channel("fiscal", "amount_ytd") == pytest.approx(2.2)
    shares = [metrics.channel(cid, "share", CG) for cid, _ in CHANNELS]
    assert sum(s or 0.0 for s in shares) == pytest.approx(1.0)
    assert alerts_of(metrics, "resolved_by_channel.refinance") == [("yellow", CG)]
    (alert,) = [a for a in metrics.alerts if a.indicator == "resolved_by_channel.refinance"]
    assert alert.text == "城关区“借新还旧及展期”占本年化债额的41.7%，比上月上升16.7个百分点。"


def test_a_rollover_share_that_prints_the_same_as_last_month_is_not_flagged() -> None:
    # 1/3 of the year before, 0.33334/1.00001 now: both print as 33.3%, so nothing rose.
    rows = [
        debt_row(CG, 4, resolved={"fiscal": 0.2, "refinance": 0.1}),
        debt_row(CG, 5, resolved={"fiscal": 0.46667, "refinance": 0.23334}),
    ]
    metrics = compute(rows, 5, units=UNITS[:1])
    assert (metrics.channel("refinance", "share", CG) or 0) > (metrics.channel("refinance", "share_previous", CG) or 0)
    assert alerts_of(metrics, "resolved_by_channel.refinance") == []


# ----- payments, hidden debt and overdue ----------------------------------------------------------


def test_nothing_due_has_no_payment_rate_and_no_alert() -> None:
    metrics = compute([debt_row(CG, 5, due=0.0, paid=0.0)], 5, units=UNITS[:1])
    assert metrics.value("paid_on_time_rate", CG) is None
    assert alerts_of(metrics, "paid_on_time_rate") == []


def test_paid_short_of_due_is_red_and_paid_in_full_is_not() -> None:
    rows = [debt_row(CG, 5, due=1.5, paid=1.2), debt_row(DH, 5, due=0.8, paid=0.8), debt_row(DH, 4, due=1.0, paid=0.5)]
    metrics = compute(rows, 5, units=UNITS[:2])
    assert metrics.value("paid_on_time_rate", CG) == pytest.approx(0.8)
    assert metrics.value("paid_on_time_rate", DH) == pytest.approx(1.0)
    assert metrics.value("paid_on_time_rate_ytd", DH) == pytest.approx(1.3 / 1.8)
    assert alerts_of(metrics, "paid_on_time_rate") == [("red", CG)]  # DH's April miss was April's alert
    (alert,) = [a for a in metrics.alerts if a.indicator == "paid_on_time_rate"]
    assert "0.30亿元逾期未还" in alert.text and "已突破“不暴雷”底线" in alert.text


def test_any_new_hidden_debt_a_rising_hidden_balance_and_any_overdue_are_red() -> None:
    rows = [
        debt_row(CG, 4, hidden=5.0),
        debt_row(CG, 5, hidden=5.01, new=0.01),
        debt_row(DH, 4, hidden=5.0),
        debt_row(DH, 5, hidden=4.5, overdue=0.02),
        debt_row(XS, 4, hidden=5.0),
        debt_row(XS, 5, hidden=5.0),
    ]
    metrics = compute(rows, 5)
    assert alerts_of(metrics, "hidden_new") == [("red", CG)]
    assert alerts_of(metrics, "hidden_balance") == [("red", CG)]
    assert alerts_of(metrics, "overdue_balance") == [("red", DH)]
    assert (metrics.hidden_rose(CG), metrics.hidden_rose(DH), metrics.hidden_rose(XS)) == (True, False, False)
    assert metrics.value("hidden_new_ytd") == pytest.approx(0.01)
    assert "遏制增量" in next(a.text for a in metrics.alerts if a.indicator == "hidden_new")


def test_in_january_the_hidden_balance_compares_with_last_december() -> None:
    rows = [debt_row(CG, 12, year=2025, hidden=6.0), debt_row(CG, 1, hidden=6.5)]
    metrics = compute(rows, 1, units=UNITS[:1])
    assert metrics.value("hidden_balance_previous", CG) == 6.0
    assert alerts_of(metrics, "hidden_balance") == [("red", CG)]


# ----- debt ratio bands and the progress gap ------------------------------------------------------


@pytest.mark.parametrize(
    ("legal", "light"),
    [
        (119.94, "green"),  # prints as 119.9%
        (119.95, "yellow"),  # prints as 120.0%: judged as printed
        (199.94, "yellow"),
        (200.0, "orange"),
        (300.0, "red"),
        (450.0, "red"),
    ],
)
def test_debt_ratio_bands_at_120_200_300_percent_as_printed(legal: float, light: str) -> None:
    metrics = compute([debt_row(CG, 5, legal=legal, limit=1000.0)], 5, units=UNITS[:1])
    assert metrics.debt_ratio_lights[CG] == light
    expected = [] if light == "green" else [(light, CITY), (light, CG)]
    assert alerts_of(metrics, "debt_ratio") == expected


@pytest.mark.parametrize(
    ("progress", "gap_pp", "level"),
    [
        (0.496, 0.0, None),  # June's 序时进度 prints as 49.6%
        (0.49551, 0.0, None),  # behind unrounded, 49.6% as printed: 持平, not flagged
        (0.495, -0.1, "yellow"),
        (0.396, -10.0, "yellow"),
        (0.395, -10.1, "red"),
    ],
)
def test_progress_gap_is_taken_as_printed_below_zero_yellow_below_minus_ten_points_red(
    progress: float, gap_pp: float, level: str | None
) -> None:
    metrics = compute([debt_row(CG, 6, resolved={"fiscal": progress})], 6, units=UNITS[:1])  # task 1.0
    assert metrics.value("resolve_gap_pp", CG) == pytest.approx(gap_pp)
    assert alerts_of(metrics, "resolve_gap_pp") == ([] if level is None else [(level, CITY), (level, CG)])


# ----- ranks --------------------------------------------------------------------------------------


def test_rank_changes_are_direction_aware_and_ties_share_the_best_rank() -> None:
    april = {CG: 0.5, DH: 0.4, XS: 0.3}
    may = {CG: 0.0, DH: 0.0, XS: 0.3}  # added in May: progress CG 0.5, DH 0.4, XS 0.6
    rows = [debt_row(c, 4, resolved={"fiscal": v}, legal=100 * v + 10) for c, v in april.items()]
    rows += [debt_row(c, 5, resolved={"fiscal": v}, legal=60.0) for c, v in may.items()]
    rows[-3]["legal_balance"] = 50.0  # CG: lowest debt ratio in May
    metrics = compute(rows, 5)
    # 化债进度 (higher is better): April CG 1, DH 2, XS 3; May XS 0.6 → 1, CG 0.5 → 2, DH 0.4 → 3.
    assert metrics.rank("resolve_progress", XS) == (1.0, 2.0)  # 进位 two places
    assert metrics.rank("resolve_progress", CG) == (2.0, -1.0)  # 退位 one place
    assert metrics.rank("resolve_progress", DH) == (3.0, -1.0)
    # 债务率 (lower is better): April CG 60/100, DH 50/100, XS 40/100 → 3, 2, 1; May CG 50, DH 60, XS 60.
    assert metrics.rank("debt_ratio", CG) == (1.0, 2.0)
    assert metrics.rank("debt_ratio", DH) == (2.0, 0.0)  # tied with XS: both take rank 2
    assert metrics.rank("debt_ratio", XS) == (2.0, -1.0)


def test_january_ranks_have_no_change() -> None:
    metrics = compute([debt_row(c, 1) for c in (CG, DH, XS)], 1)
    assert metrics.rank("resolve_progress", CG) == (1.0, None)


# ----- key tasks, the lag history and escalation -------------------------------------------------

ROADS = "农村公路改造"


def test_key_task_completion_against_time_progress_with_tolerance() -> None:
    goals = targets(tasks={(CG, ROADS): 100.0, (DH, ROADS): 100.0, (XS, ROADS): 100.0})
    at_line = round(TP[6] * 100, 1) - 5.0  # exactly 5 points behind the printed 序时进度: not lagging
    task_rows = [task_row(CG, 6, ROADS, at_line), task_row(DH, 6, ROADS, at_line - 0.1), task_row(XS, 5, ROADS, 80.0)]
    metrics = compute([], 6, goals=goals, task_rows=task_rows)
    assert metrics.task(CG, ROADS) == pytest.approx(at_line / 100)
    assert metrics.task(CG, ROADS, "lagging") == 0.0
    assert metrics.task(DH, ROADS, "lagging") == 1.0
    assert metrics.task(XS, ROADS, "done_ytd") is None  # no June return: 未报送, not May's figure nor 0
    assert metrics.task(XS, ROADS, "lagging") == 0.0  # and no lag judged on it
    assert metrics.task(CITY, ROADS, "target") == 300.0
    assert metrics.task(CITY, ROADS) is None  # a total over two of three units is not the city's
    complete = compute([], 6, goals=goals, task_rows=[*task_rows[:2], task_row(XS, 6, ROADS, 80.0)])
    assert complete.task(CITY, ROADS) == pytest.approx((2 * at_line - 0.1 + 80) / 300)


def debt_lagging_year(code: str, lagging_months: set[int], last: int) -> list[dict[str, object]]:
    """Monthly returns whose cumulative resolution (task 1.0) lags in `lagging_months`, else is on time."""
    rows, total = [], 0.0
    for m in range(1, last + 1):
        wanted = TP[m] - (0.2 if m in lagging_months else 0.0)
        rows.append(debt_row(code, m, resolved={"fiscal": wanted - total}))
        total = wanted
    return rows


def test_escalation_list_over_debt_key_tasks_and_the_death_quota() -> None:
    rows = debt_lagging_year(CG, set(range(3, 9)), 8)  # March..August: streak 6
    rows += debt_lagging_year(DH, {6, 7}, 8)  # recovered in August
    rows += debt_lagging_year(XS, set(), 8)
    goals = targets(tasks={(XS, ROADS): 10.0})
    # on the line until June, then nothing more done: July and August report June's figure again
    task_rows = [task_row(XS, m, ROADS, 10 * TP[min(m, 6)]) for m in range(1, 9)]
    usage = pd.DataFrame({m: [TP[m] + (0.06 if m >= 7 else 0.0)] for m in range(1, 9)}, index=[DH])
    metrics = compute(rows, 8, goals=goals, task_rows=task_rows, quota_usage=usage)
    listed = [(e.unit_code, e.target, e.level_name_zh, e.streak_zh) for e in metrics.escalations]
    assert listed == [
        (CG, "debt", "常务副市长约谈", "连续6个月滞后"),
        (XS, "task:农村公路改造", "书面说明", "连续2个月滞后"),
        (DH, "death_quota", "书面说明", "连续2个月滞后"),
    ]
    assert [(r.unit_code, r.target, r.previous_streak) for r in metrics.recoveries] == [(DH, "debt", 2)]
    assert metrics.streak(CG, "debt") == 6 and metrics.streak(DH, "debt") == 0
    assert list(metrics.lag_history.loc[[(CG, "debt")]].to_numpy()[0]) == [False, False] + [True] * 6
    assert metrics.target_name("task:农村公路改造") == ROADS and metrics.target_name("debt") == "年度化债任务"


def test_a_unit_without_a_debt_task_is_never_on_the_debt_list() -> None:
    rows = debt_lagging_year(CG, {1, 2, 3}, 3)
    metrics = compute(rows, 3, units=UNITS[:1], goals=targets(task={CG: None}))
    assert metrics.value("resolve_progress", CG) is None
    assert metrics.escalations == ()


# ----- the brief data -----------------------------------------------------------------------------


def test_to_json_is_plain_json_with_names_lights_and_streaks() -> None:
    rows = [*debt_lagging_year(CG, {4, 5, 6}, 6), debt_row(DH, 6, legal=250.0, limit=300.0)]
    metrics = compute(rows, 6, units=UNITS[:2], goals=targets(task={CG: 1.0, DH: None}), earlier_months_sent=False)
    data = json.loads(json.dumps(metrics.to_json(), ensure_ascii=False))
    assert data["month"] == {"key": "2026-06", "label_zh": "2026年6月"}
    assert data["values"][DH]["debt_ratio_light"] == "orange"
    assert data["values"][CITY]["name"] == "全市"
    assert data["values"][DH]["paid_on_time_rate"] is None
    assert data["values"][DH]["hidden_rose"] is None  # no May figure to compare with
    (entry,) = data["escalations"]
    assert (entry["unit"], entry["level_name_zh"], entry["streak_zh"]) == (
        "城关区",
        "常务副市长约谈",
        "连续3个月滞后（半年末仍滞后）",
    )
    assert [c["name_zh"] for c in data["channels"]] == [name for _, name in CHANNELS]


# ----- the demo year: one unit climbs the ladder, another recovers --------------------------------

W, V, E = "书面说明", "分管市领导约谈", "常务副市长约谈"
# 东湖县 lags on its 化债 task from March, 临江市 in May and June only (govbrief.demo.debt_returns's story).
# Expected month by month from the rules: (东湖县 rung, streak), (临江市 rung, streak), recovered.
DEMO_LADDER = {
    1: ((None, 0), (None, 0), []),
    2: ((None, 0), (None, 0), []),
    3: ((V, 1), (None, 0), []),  # March is a quarter end
    4: ((V, 2), (None, 0), []),  # March's rung holds while the lag persists
    5: ((V, 3), (W, 1), []),
    6: ((E, 4), (E, 2), []),  # June is a half-year end: both go to the executive vice mayor
    7: ((E, 5), (None, 0), ["临江市"]),  # June's rung holds; 临江市 is back at 序时进度
    8: ((E, 6), (None, 0), []),
    9: ((E, 7), (None, 0), []),
    10: ((E, 8), (None, 0), []),
    11: ((E, 9), (None, 0), []),
    12: ((E, 10), (None, 0), []),
}


def warehouse_frame(returns: Sequence[MonthlyReturn]) -> pd.DataFrame:
    """The demo's generated returns as load_observations would give them back."""
    rows: list[dict[str, object]] = []
    for generated in returns:
        period = generated.period
        meta = {
            "unit_code": generated.unit.code,
            "period_key": period.key,
            "period_start": pd.Timestamp(period.start),
            "period_end": pd.Timestamp(period.end),
        }
        rows.extend({**row, **meta} for row in generated.rows)
    return pd.DataFrame(rows)


def test_the_demo_year_escalation_lists_match_the_hand_worked_ladder() -> None:
    settings = load_settings()
    months = demo_months(Period.month(2026, 12))
    frames = {
        "debt": warehouse_frame(build_debt_returns(settings, months)),
        "key_tasks": warehouse_frame(build_key_task_returns(settings, months)),
    }
    tasks = key_task_targets(load_key_tasks(settings.paths.targets, 2026))
    goals = DebtTargets.from_table(load_targets(settings, 2026), tasks)
    channels = [(c.id, c.name) for c in settings.debt.channels]
    for month, (donghu, linjiang, recovered) in DEMO_LADDER.items():
        metrics = compute_debt(frames, Period.month(2026, month), settings.units, goals, channels, settings.thresholds)
        listed = {metrics.unit_name(e.unit_code): (e.level_name_zh, e.streak) for e in metrics.escalations}
        expected = {name: entry for name, entry in (("东湖县", donghu), ("临江市", linjiang)) if entry[0]}
        assert listed == expected, month
        assert [metrics.unit_name(r.unit_code) for r in metrics.recoveries] == recovered, month
    december = [a for a in metrics.alerts if a.level == "red"]
    assert {(a.unit_name, a.indicator) for a in december} >= {("南岭县", "hidden_new"), ("安平县", "paid_on_time_rate")}
