"""The 旬简报 context and its JSON: every section filled, plain data only, numbers that add up."""

from __future__ import annotations

import json
import types
import typing
from datetime import date
from typing import Any

import pytest

from govbrief.briefs.ten_day.sections import SubmissionInfo, brief_data, build_ten_day_context
from govbrief.calendar.periods import Period
from govbrief.config import Settings, load_settings
from govbrief.metrics import SafetyMetrics
from govbrief.metrics.catalogue import INDICATORS
from govbrief.render import context as contract
from tests.unit.test_metrics_safety import (
    CG,
    DH,
    THRESHOLDS,
    UNITS,
    X1,
    XS,
    P,
    accident,
    compute,
    enforcement,
    hazard,
)

ISSUED = date(2026, 11, 25)
SUBMISSIONS = [
    SubmissionInfo(CG, "on_time"),
    SubmissionInfo(DH, "late"),
    SubmissionInfo(XS, "refused", "第3行：死亡人数应为整数"),
]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings().model_copy(update={"units": UNITS, "thresholds": THRESHOLDS})


def example_metrics() -> SafetyMetrics:
    """3 accidents / 2 deaths this 旬 against 4 / 3 a year ago; a 较大 accident earlier this month."""
    return compute(
        [
            accident(CG, date(2026, 11, 12), deaths=1),
            accident(CG, date(2026, 11, 15), sector="火灾", deaths=1),
            accident(XS, date(2026, 11, 19), sector="建筑施工"),
            accident(DH, date(2026, 11, 3), deaths=3, summary="大客车侧翻"),  # 较大, 上旬
            *(accident(DH, date(2025, 11, 13 + i), deaths=1 if i < 3 else 0) for i in range(4)),
        ],
        hazards=[
            hazard(CG, P, found=20, fixed=19, major_found=1, major_fixed=1),
            hazard(DH, P, found=10, fixed=10, overdue=2),
            hazard(XS, P, found=40, fixed=38, major_found=2, major_fixed=1),
        ],
        enforcements=[enforcement(u.code, p) for u in UNITS for p in (X1, P)],
        quotas={CG: 6, DH: 9, XS: 8},
    )


def major_metrics() -> SafetyMetrics:
    return compute([accident(DH, date(2026, 11, 12), deaths=3, injuries=2, loss=120.0, summary="货车与客车相撞")])


def build(metrics: SafetyMetrics, settings: Settings, **kwargs: Any) -> contract.BriefContext:
    return build_ten_day_context(
        metrics, settings=settings, period=P, submissions=SUBMISSIONS, issued_on=ISSUED, **kwargs
    )


# ----- the contract ----------------------------------------------------------------------------


def assert_matches(value: object, hint: object, where: str) -> None:
    """`value` has exactly the keys of the TypedDict `hint` (recursively) and only plain types."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and typing.is_typeddict(hint):
        assert isinstance(value, dict), where
        hints = typing.get_type_hints(hint)
        # With postponed annotations Python 3.11 cannot see NotRequired in __required_keys__: read the hints.
        extras = typing.get_type_hints(hint, include_extras=True)
        required = {key for key, sub in extras.items() if typing.get_origin(sub) is not typing.NotRequired}
        assert required <= set(value) <= set(hints), f"{where}: keys {set(value) ^ set(hints)}"
        for key in value:
            assert_matches(value[key], hints[key], f"{where}.{key}")
    elif origin is list:
        assert type(value) is list, where
        for i, item in enumerate(value):
            assert_matches(item, args[0], f"{where}[{i}]")
    elif origin is dict:
        assert type(value) is dict, where
        for key, item in value.items():
            assert type(key) is str, where
            assert_matches(item, args[1], f"{where}[{key}]")
    elif origin in (typing.Union, types.UnionType):
        assert any(_fits(value, option) for option in args), f"{where}: {value!r} is not {hint}"
    elif origin is typing.Literal:
        assert value in args, f"{where}: {value!r} not in {args}"
    else:
        assert type(value) is hint, f"{where}: {type(value).__name__} is not {hint}"


def _fits(value: object, hint: object) -> bool:
    try:
        assert_matches(value, hint, "")
    except AssertionError:
        return False
    return True


def test_context_has_every_key_of_the_contract_with_plain_types_only(settings: Settings) -> None:
    for metrics in (example_metrics(), major_metrics(), compute()):
        ctx = build(metrics, settings)
        assert_matches(ctx, contract.BriefContext, "context")
        json.dumps(ctx, ensure_ascii=False)  # plain all the way down


def test_header(settings: Settings) -> None:
    ctx = build(example_metrics(), settings, correction="更正：西山县重报后数据已更新。")
    assert ctx["kind"] == "ten_day"
    assert ctx["title"] == "安全生产和政府债务化解旬简报"
    assert ctx["issue_label"] == "第32期"
    assert ctx["period"] == {"key": "2026-11-x2", "label_zh": "2026年11月中旬", "range_zh": "11月11日—20日"}
    assert ctx["issued_on_zh"] == "2026年11月25日"
    assert ctx["city"] == "示范市"
    assert ctx["correction"] == "更正：西山县重报后数据已更新。"
    assert ctx["debt_alerts"] == []
    assert ctx["debt_note"] == "债务数据按月报送，本旬未收到新增隐性债务和逾期偿付报告。"


def test_only_a_xun_brief_is_built(settings: Settings) -> None:
    with pytest.raises(ValueError, match="旬"):
        build_ten_day_context(example_metrics(), settings=settings, period=X1, submissions=[], issued_on=ISSUED)


# ----- 总体情况 --------------------------------------------------------------------------------


def test_overview_sentences_in_the_office_style(settings: Settings) -> None:
    sentences = build(example_metrics(), settings)["overview"]["sentences"]
    assert sentences[0] == (
        "11月中旬（11月11日—20日），全市共发生生产安全事故3起、死亡2人，同比分别下降25.0%和33.3%，"
        "起数环比上升200.0%、死亡人数环比下降33.3%；未发生较大及以上事故。"
    )
    assert sentences[1].startswith("11月1日至20日，全市累计发生生产安全事故4起、死亡5人，")
    assert "累计发生较大及以上事故1起，未发生重特大事故。" in sentences[2]
    assert sentences[3].startswith("全市死亡控制指标使用率为21.7%（全年控制指标23人，已死亡5人），序时进度为88.8%")


def test_a_major_accident_is_red_named_in_the_overview_and_in_next_steps(settings: Settings) -> None:
    ctx = build(major_metrics(), settings)
    assert ctx["alerts"][0]["level"] == "red"
    assert ctx["alerts"][0]["unit"] == "东湖县"
    assert "其中较大及以上事故1起（东湖县“11·12”较大道路交通事故，死亡3人、重伤2人）" in ctx["overview"]["sentences"][0]
    assert ctx["overview"]["major_accidents"] == [
        {
            "unit": "东湖县",
            "occurred_on_zh": "11月12日",
            "sector": "道路交通",
            "grade": "较大",
            "deaths": "3",
            "serious_injuries": "2",
            "direct_loss_wan": "120.00",
            "summary": "货车与客车相撞",
        }
    ]
    assert ctx["next_steps"][0].startswith("东湖县要深刻吸取“11·12”较大道路交通事故教训，")


def test_a_quiet_xun_says_so(settings: Settings) -> None:
    ctx = build(compute(), settings)
    assert ctx["overview"]["sentences"][0] == ("11月中旬（11月11日—20日），全市未发生生产安全事故，与去年同期持平。")


# ----- tables ----------------------------------------------------------------------------------


def test_sector_table_rows_and_total(settings: Settings) -> None:
    table = build(example_metrics(), settings)["sector_table"]
    rows = {row["sector"]: row for row in table["rows"]}
    assert len(rows) == 9
    assert rows["火灾"] == {
        "sector": "火灾",
        "period_count": "1",
        "period_deaths": "1",
        "ytd_count": "1",
        "ytd_deaths": "1",
        "ytd_count_yoy": "—",  # none last year: 新增
    }
    assert rows["道路交通"]["ytd_count"] == "2" and rows["道路交通"]["ytd_count_yoy"] == "-50.0%"
    assert table["total"] == {
        "sector": "合计",
        "period_count": "3",
        "period_deaths": "2",
        "ytd_count": "4",
        "ytd_deaths": "5",
        "ytd_count_yoy": "持平",
    }
    assert "新增" in table["note"]
    fire_row = str([r["sector"] for r in table["rows"]].index("火灾"))
    assert table["lights"][fire_row] == {"ytd_count_yoy": "yellow"}


def test_hazard_table_ranked_by_general_fix_rate_with_lights(settings: Settings) -> None:
    table = build(example_metrics(), settings)["hazard_table"]
    ranked = [(row["rank"], row["unit"], row["general_fix_rate"]) for row in table["rows"]]
    assert ranked == [("1", "东湖县", "100.0%"), ("2", "城关区", "95.0%"), ("2", "西山县", "95.0%")]
    # Only what needs attention is marked: a cell at or above its band stays plain.
    assert table["lights"]["0"] == {"overdue": "yellow"}
    assert table["lights"]["2"] == {"major_fixed": "red"}  # 1 of 2 major: 50%
    assert table["total"] is not None
    assert table["total"]["general_found"] == "70" and table["total"]["general_fix_rate"] == "95.7%"


def test_enforcement_table_is_year_to_date_in_config_order(settings: Settings) -> None:
    table = build(example_metrics(), settings)["enforcement_table"]
    assert [row["unit"] for row in table["rows"]] == ["城关区", "东湖县", "西山县"]
    assert table["rows"][0]["units"] == "20" and table["rows"][0]["fines"] == "3.00"
    assert table["total"] == {
        "unit": "全市",
        "units": "60",
        "cases": "12",
        "penalties": "6",
        "fines": "9.00",
        "suspensions": "6",
        "closures": "0",
        "illegal": "18",
    }


# ----- 报送情况, 存在问题, chart -------------------------------------------------------------


def test_submissions_in_config_order_with_chinese_status(settings: Settings) -> None:
    ctx = build(example_metrics(), settings)
    assert [(s["unit"], s["status_zh"]) for s in ctx["submissions"]] == [
        ("城关区", "按时报送"),
        ("东湖县", "逾期报送"),
        ("西山县", "退回重报"),
    ]
    assert ctx["submissions"][2]["detail"] == "第3行：死亡人数应为整数"
    assert ctx["submission_summary"] == "3个县市区中，1个按时报送，1个逾期报送（东湖县），1个退回重报（西山县）。"
    refused = [a for a in ctx["alerts"] if a["indicator"] == "submission"]
    assert [(a["level"], a["unit"]) for a in refused] == [("yellow", "西山县")]


def test_a_unit_without_a_submission_counts_as_missing(settings: Settings) -> None:
    ctx = build_ten_day_context(
        example_metrics(), settings=settings, period=P, submissions=SUBMISSIONS[:1], issued_on=ISSUED
    )
    assert [s["status"] for s in ctx["submissions"]] == ["on_time", "missing", "missing"]
    assert ctx["submission_summary"] == "3个县市区中，1个按时报送，2个未报送（东湖县、西山县）。"


def test_alerts_red_first_and_next_steps_name_the_units(settings: Settings) -> None:
    ctx = build(example_metrics(), settings)
    order = {"red": 0, "orange": 1, "yellow": 2}
    assert [order[a["level"]] for a in ctx["alerts"]] == sorted(order[a["level"]] for a in ctx["alerts"])
    steps = "\n".join(ctx["next_steps"])
    assert "东湖县要对逾期未整改隐患逐项挂牌督办、限期清零。" in steps
    assert "西山县要按时、准确报送安全生产旬报表" in steps


def test_no_alerts_gives_one_steady_course_step(settings: Settings) -> None:
    quiet = build_ten_day_context(
        compute(), settings=settings, period=P, submissions=[SubmissionInfo(u.code, "on_time") for u in UNITS],
        issued_on=ISSUED,
    )  # fmt: skip
    assert quiet["alerts"] == []
    assert len(quiet["next_steps"]) == 1
    assert quiet["submission_summary"] == "3个县市区均按时报送。"


def test_chart_compares_each_units_ytd_accidents_with_last_year(settings: Settings) -> None:
    chart = build(example_metrics(), settings)["charts"][0]
    assert chart["cid"] == "chart1" and chart["kind"] == "bar"
    assert chart["categories"] == ["城关区", "东湖县", "西山县"]
    assert chart["series"] == [
        {"name": "2026年累计", "values": [2.0, 1.0, 1.0]},
        {"name": "2025年同期", "values": [0.0, 4.0, 0.0]},
    ]
    assert "东湖县1起（去年同期4起）" in chart["alt"]


# ----- brief data (--json) --------------------------------------------------------------------


def test_brief_data_is_json_and_city_totals_are_unit_sums(settings: Settings) -> None:
    data = brief_data(example_metrics(), settings=settings, period=P, submissions=SUBMISSIONS)
    round_trip = json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))
    assert round_trip == data
    assert data["period"] == {
        "key": "2026-11-x2",
        "label_zh": "2026年11月中旬",
        "start": "2026-11-11",
        "end": "2026-11-20",
    }
    assert data["city"]["code"] == "439900"
    assert [(u["code"], u["status"]) for u in data["units"]] == [(CG, "on_time"), (DH, "late"), (XS, "refused")]
    windows = ["period", "period_last_year", "period_previous", "month", "month_last_year", "ytd", "ytd_last_year"]
    for ind in INDICATORS:
        assert set(data["city"]["indicators"][ind.id]) == {*windows, "yoy_pct", "ytd_yoy_pct", "mom_pct"}
        if ind.additive:
            for window in windows:
                units_sum = sum(u["indicators"][ind.id][window] for u in data["units"])
                assert data["city"]["indicators"][ind.id][window] == pytest.approx(units_sum), (ind.id, window)


def test_brief_data_numbers(settings: Settings) -> None:
    data = brief_data(example_metrics(), settings=settings, period=P, submissions=SUBMISSIONS)
    count = data["city"]["indicators"]["acc_count"]
    assert (count["period"], count["period_last_year"], count["period_previous"]) == (3, 4, 1)
    assert type(count["period"]) is int
    assert count["yoy_pct"] == -25.0
    assert count["mom_pct"] == 200.0
    assert data["city"]["indicators"]["acc_major_plus"]["ytd_yoy_pct"] is None  # 1 against 0: 新增
    cg_rate = data["units"][0]["indicators"]["hz_general_fix_rate"]
    assert cg_rate["ytd"] == 0.95 and cg_rate["period_last_year"] is None
    assert data["units"][1]["indicators"]["hz_overdue"]["ytd"] == 2
    assert data["city"]["indicators"]["death_quota_used"]["ytd"] == pytest.approx(5 / 23)
    fire = next(s for s in data["sectors"] if s["sector"] == "火灾")
    assert fire == {
        "sector": "火灾",
        "period_count": 1,
        "period_deaths": 1,
        "ytd_count": 1,
        "ytd_deaths": 1,
        "ytd_count_last_year": 0,
        "ytd_deaths_last_year": 0,
    }
    (major,) = data["major_accidents"]
    assert major["unit"] == "东湖县" and major["occurred_on"] == "2026-11-03" and major["in_period"] is False
    assert major["grade"] == "较大" and major["stated_grade"] == "一般"
    levels = [(a["level"], a["indicator"], a["unit_code"]) for a in data["alerts"]]
    assert ("yellow", "submission", XS) in levels
    assert ("yellow", "acc_deaths", "439900") in levels  # the city's alerts carry the city's code


def test_a_period_other_than_the_metrics_is_refused(settings: Settings) -> None:
    with pytest.raises(ValueError):
        build_ten_day_context(
            compute(period=Period.ten_day(2026, 11, 3)), settings=settings, period=P, submissions=[], issued_on=ISSUED
        )
