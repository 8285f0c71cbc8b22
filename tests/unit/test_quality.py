"""Validation of returns with the GX suites in expectations/ (govbrief.quality).

Great Expectations takes seconds to import: the module-scoped `validate`
fixture pays it once for the whole file. The derive.py tests need no GX.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from govbrief.glossary import load_glossary
from govbrief.problems import Problem, has_errors
from govbrief.quality import check_suite_specs, load_suite_specs, suite_paths, validate_frames
from govbrief.quality.derive import derive_columns, year_start
from govbrief.quality.report import file_status
from govbrief.quality.suites import META_KEYS, VALIDATED_SHEETS, rule_explanations
from govbrief.quality.validate import suggest_sector
from govbrief.targets.carried_stock import StockError, carried_stock_for_years, load_carried_stock

SECTORS = load_glossary().sectors["safety"]
SHEET_NAMES = {
    "accidents": "事故明细",
    "hazards": "隐患排查",
    "enforcement": "执法检查",
    "scenic": "景区承载",
    "debt": "债务化解",
    "key_tasks": "重点工作",
}
SHA_A, SHA_B = "a" * 64, "b" * 64
FILE_A, FILE_B = "东湖县安全生产旬报表.xlsx", "西山区安全生产旬报表.xlsx"
MARCH_SECOND_DEKAD = ("2025-03-11", "2025-03-20")

CLEAN_ROW: dict[str, dict[str, Any]] = {
    "accidents": {
        "county": "东湖县",
        "occurred_on": pd.Timestamp("2025-03-15"),
        "sector": "道路交通",
        "deaths": 1,
        "serious_injuries": 0,
        "direct_loss_wan": 12.5,
        "grade": "一般",
        "summary": "货车追尾",
    },
    "hazards": {
        "county": "东湖县",
        "units_checked": 12,
        "general_found": 8,
        "general_fixed": 6,
        "major_found": 1,
        "major_fixed": 0,
        "major_supervised": 1,
        "overdue_open": 0,
    },
    "enforcement": {
        "county": "东湖县",
        "units_inspected": 30,
        "cases_opened": 3,
        "penalties": 2,
        "fines_wan": 4.5,
        "suspensions": 1,
        "closures": 0,
        "illegal_cases": 2,
    },
    "scenic": {"county": "东湖县", "capacity": 8000, "peak_visitors": 5200},
}

Validate = Callable[[Mapping[str, pd.DataFrame]], dict[str, list[Problem]]]


def sheet_frame(
    sheet_id: str,
    *rows: Mapping[str, Any],
    file: str = FILE_A,
    sha: str = SHA_A,
    unit: str = "420101",
    period: tuple[str, str] = MARCH_SECOND_DEKAD,
) -> pd.DataFrame:
    """One file's sheet as the readers and the caller hand it over; rows start at Excel row 4."""
    records = []
    for n, overrides in enumerate(rows):
        record = {**CLEAN_ROW[sheet_id], **_distinct_keys(sheet_id, n), **overrides}
        records.append(record | {"_row": 4 + n})
    frame = pd.DataFrame(records, columns=[*load_glossary().sheet(sheet_id).column_ids, "_row"])
    return frame.assign(
        _sheet=SHEET_NAMES[sheet_id],
        _file=file,
        _sha=sha,
        unit_code=unit,
        period_start=pd.Timestamp(period[0]),
        period_end=pd.Timestamp(period[1]),
    )


def _distinct_keys(sheet_id: str, n: int) -> dict[str, Any]:
    # Rows of one file differ where the sheet needs them to: accident ids, hazard sectors, scenic areas.
    if sheet_id == "accidents":
        return {"accident_id": f"DH-2025-{n + 1:03d}"}
    if sheet_id == "hazards":
        return {"sector": SECTORS[n]}
    if sheet_id == "scenic":
        return {"scenic_area": ("东湖风景区", "磨山景区", "落雁岛")[n]}
    return {}


def clean_return(**file_args: Any) -> dict[str, pd.DataFrame]:
    """A whole return that breaks no rule."""
    return {
        "accidents": sheet_frame("accidents", {}, {"sector": "建筑施工", "deaths": 0}, **file_args),
        "hazards": sheet_frame("hazards", {}, {}, {}, **file_args),
        "enforcement": sheet_frame("enforcement", {}, **file_args),
        "scenic": sheet_frame("scenic", {}, **file_args),
    }


def batch(*returns: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Several files' sheets concatenated, one frame per sheet, as the caller does."""
    sheet_ids = {sheet_id for frames in returns for sheet_id in frames}
    return {s: pd.concat([r[s] for r in returns if s in r], ignore_index=True) for s in sheet_ids}


@pytest.fixture(scope="module")
def validate() -> Validate:
    """validate_frames with the glossary's sectors, warmed up once (GX import, context)."""
    validate_frames(clean_return(), sectors=SECTORS)
    return lambda frames: validate_frames(frames, sectors=SECTORS)


# --- the whole batch ------------------------------------------------------------


def test_a_clean_batch_has_no_problems(validate: Validate) -> None:
    frames = batch(clean_return(), clean_return(file=FILE_B, sha=SHA_B, unit="420102"))
    assert validate(frames) == {}


def test_empty_frames_are_skipped(validate: Validate) -> None:
    empty = {sheet_id: frame.iloc[0:0] for sheet_id, frame in clean_return().items()}
    assert validate(empty) == {}
    assert validate({}) == {}


def test_validation_prints_nothing(validate: Validate, capfd: pytest.CaptureFixture[str]) -> None:
    frames = {"accidents": sheet_frame("accidents", {"deaths": -1})}
    assert validate(frames)
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")


# --- each rule on a minimal bad frame -------------------------------------------

BAD_CELLS = [
    # sheet, overrides of row 5, rule, severity, header, value
    ("accidents", {"accident_id": None}, "missing_value", "error", "事故编号", ""),
    ("accidents", {"occurred_on": pd.NaT}, "missing_value", "error", "发生日期", ""),
    ("accidents", {"sector": "水上交通"}, "unknown_sector", "error", "行业领域", "水上交通"),
    ("accidents", {"deaths": -1}, "negative_value", "error", "死亡人数", "-1"),
    ("accidents", {"serious_injuries": -2}, "negative_value", "error", "重伤人数", "-2"),
    ("accidents", {"direct_loss_wan": -0.5}, "negative_value", "error", "直接经济损失（万元）", "-0.5"),
    (
        "accidents",
        {"occurred_on": pd.Timestamp("2025-03-21")},
        "date_after_period",
        "error",
        "发生日期",
        "2025-03-21",
    ),
    (
        "accidents",
        {"occurred_on": pd.Timestamp("2024-12-28")},
        "date_outside_year",
        "error",
        "发生日期",
        "2024-12-28",
    ),
    (
        "accidents",
        {"occurred_on": pd.Timestamp("2025-02-27")},
        "late_reported_accident",
        "warning",
        "发生日期",
        "2025-02-27",
    ),
    ("accidents", {"deaths": 3, "grade": "一般"}, "grade_mismatch", "error", "事故等级", "一般"),
    (
        "accidents",
        {"sector": "森林火灾", "deaths": 0, "forest_burned_ha": 150.0, "grade": "较大"},
        "grade_mismatch",
        "error",
        "事故等级",
        "较大",
    ),
    (
        "accidents",
        {"forest_burned_ha": 2.0},
        "forest_area_outside_forest_fire",
        "warning",
        "受害森林面积（公顷）",
        "2",
    ),
    (
        "accidents",
        {"burned_area_m2": 300.0},
        "burned_area_outside_fire",
        "warning",
        "过火面积（平方米）",
        "300",
    ),
    ("hazards", {"sector": "农业"}, "unknown_sector", "error", "行业领域", "农业"),
    ("hazards", {"overdue_open": -1}, "negative_value", "error", "逾期未整改（项）", "-1"),
    (
        "hazards",
        {"general_found": 2, "general_fixed": 3},
        "fixed_exceeds_found",
        "error",
        "一般隐患已整改（项）",
        "3",
    ),
    (
        "hazards",
        {"major_found": 0, "major_fixed": 1, "major_supervised": 0},
        "fixed_exceeds_found",
        "error",
        "重大隐患已整改（项）",
        "1",
    ),
    (
        "hazards",
        {"major_found": 1, "major_supervised": 4},
        "supervised_exceeds_major",
        "warning",
        "挂牌督办（项）",
        "4",
    ),
    ("enforcement", {"fines_wan": -3.2}, "negative_value", "error", "罚款金额（万元）", "-3.2"),
    ("enforcement", {"penalties": -1}, "negative_value", "error", "行政处罚（起）", "-1"),
    ("scenic", {"capacity": 0}, "capacity_not_positive", "error", "核定最大瞬时承载量（人）", "0"),
    ("scenic", {"peak_visitors": -10}, "negative_value", "error", "最大瞬时在园人数（人）", "-10"),
    (
        "enforcement",
        {"penalties": 0, "fines_wan": 2.0},
        "fines_without_penalty",
        "warning",
        "罚款金额（万元）",
        "2",
    ),
    (
        "scenic",
        {"capacity": 8000, "peak_visitors": 9100},
        "peak_exceeds_capacity",
        "warning",
        "最大瞬时在园人数（人）",
        "9100",
    ),
]


@pytest.mark.parametrize(
    ("sheet_id", "overrides", "rule", "severity", "header", "value"),
    BAD_CELLS,
    ids=[f"{case[0]}-{case[2]}-{case[4]}" for case in BAD_CELLS],
)
def test_each_rule_names_file_sheet_row_column_and_value(
    validate: Validate,
    sheet_id: str,
    overrides: dict[str, Any],
    rule: str,
    severity: str,
    header: str,
    value: str,
) -> None:
    frames = {sheet_id: sheet_frame(sheet_id, {}, overrides)}  # row 4 clean, row 5 bad
    [problem] = validate(frames)[SHA_A]
    located = (problem.file, problem.sheet, problem.row, problem.column, problem.value)
    assert located == (FILE_A, SHEET_NAMES[sheet_id], 5, header, value)
    assert (problem.rule, problem.severity) == (rule, severity)
    assert problem.message_zh and problem.message_en
    assert "{" not in problem.message_zh + problem.message_en  # every placeholder filled


def test_messages_quote_the_figures(validate: Validate) -> None:
    frames = {"hazards": sheet_frame("hazards", {"general_found": 2, "general_fixed": 3})}
    [problem] = validate(frames)[SHA_A]
    assert problem.message_zh == "一般隐患累计整改数超过累计发现数（含上年结转）：3 > 2"
    assert "3 > 2" in problem.message_en


def test_all_problems_of_a_file_come_in_one_pass(validate: Validate) -> None:
    frames = {
        "accidents": sheet_frame("accidents", {}, {"deaths": -1}, {}, {"sector": "水上交通"}),
        "scenic": sheet_frame("scenic", {"capacity": 0}),
    }
    problems = validate(frames)[SHA_A]
    assert [(p.sheet, p.row, p.rule) for p in problems] == [
        ("事故明细", 5, "negative_value"),
        ("事故明细", 7, "unknown_sector"),
        ("景区承载", 4, "capacity_not_positive"),
    ]


def test_a_warning_only_file_is_accepted(validate: Validate) -> None:
    frames = {"accidents": sheet_frame("accidents", {"occurred_on": pd.Timestamp("2025-03-02")})}
    problems = validate(frames)[SHA_A]
    assert [p.severity for p in problems] == ["warning"]
    assert not has_errors(problems)


def test_a_date_from_last_year_is_an_error_not_also_a_late_report(validate: Validate) -> None:
    frames = {"accidents": sheet_frame("accidents", {"occurred_on": pd.Timestamp("2024-12-28")})}
    assert [p.rule for p in validate(frames)[SHA_A]] == ["date_outside_year"]


def test_problems_go_to_the_file_they_came_from(validate: Validate) -> None:
    frames = batch(
        clean_return(),
        {"accidents": sheet_frame("accidents", {}, {"deaths": -4}, file=FILE_B, sha=SHA_B, unit="420102")},
        {"hazards": sheet_frame("hazards", {"major_found": 0, "major_fixed": 2}, file="c.xlsx", sha="c" * 64)},
    )
    found = validate(frames)
    assert set(found) == {SHA_B, "c" * 64}
    assert [(p.file, p.row, p.value) for p in found[SHA_B]] == [(FILE_B, 5, "-4")]
    assert [(p.file, p.rule) for p in found["c" * 64]] == [("c.xlsx", "fixed_exceeds_found")]


# --- rules that look across rows and files ----------------------------------------


def test_a_duplicate_accident_id_is_reported_on_every_copy(validate: Validate) -> None:
    frames = {"accidents": sheet_frame("accidents", {"accident_id": "DH-7"}, {}, {"accident_id": "DH-7"})}
    problems = validate(frames)[SHA_A]
    assert [(p.row, p.rule, p.column, p.value) for p in problems] == [
        (4, "duplicate_accident_id", "事故编号", "DH-7"),
        (6, "duplicate_accident_id", "事故编号", "DH-7"),
    ]


def test_accident_ids_are_unique_per_unit_and_year(validate: Validate) -> None:
    earlier = sheet_frame(
        "accidents",
        {"accident_id": "DH-7", "occurred_on": pd.Timestamp("2025-03-05")},
        period=("2025-03-01", "2025-03-10"),
    )
    same_unit_later = sheet_frame("accidents", {"accident_id": "DH-7"}, file=FILE_B, sha=SHA_B)
    other_unit = sheet_frame("accidents", {"accident_id": "DH-7"}, file="c.xlsx", sha="c" * 64, unit="420102")
    next_year = sheet_frame(
        "accidents",
        {"accident_id": "DH-7", "occurred_on": pd.Timestamp("2026-03-15")},
        file="d.xlsx",
        sha="d" * 64,
        period=("2026-03-11", "2026-03-20"),
    )
    found = validate({"accidents": pd.concat([earlier, same_unit_later, other_unit, next_year])})
    assert {sha: [p.rule for p in problems] for sha, problems in found.items()} == {
        SHA_A: ["duplicate_accident_id"],
        SHA_B: ["duplicate_accident_id"],
    }


def test_a_stated_grade_is_compared_only_when_given(validate: Validate) -> None:
    frames = {
        "accidents": sheet_frame(
            "accidents",
            {"deaths": 3, "grade": None},
            {"deaths": 3, "grade": " 较大事故 "},
            {"sector": "火灾", "deaths": 0, "direct_loss_wan": 1200.0, "grade": "较大"},
        )
    }
    assert validate(frames) == {}


def test_hazards_may_fix_more_than_found_in_a_dekad_but_not_in_the_year(validate: Validate) -> None:
    first = sheet_frame("hazards", {"general_found": 5, "general_fixed": 1}, period=("2025-03-01", "2025-03-10"))
    second = sheet_frame("hazards", {"general_found": 0, "general_fixed": 3}, file=FILE_B, sha=SHA_B)
    third = sheet_frame(
        "hazards",
        {"general_found": 0, "general_fixed": 2},
        file="c.xlsx",
        sha="c" * 64,
        period=("2025-03-21", "2025-03-31"),
    )
    found = validate({"hazards": pd.concat([third, first, second], ignore_index=True)})
    assert list(found) == ["c" * 64]  # 1 + 3 + 2 fixed > 5 found only in the third 旬
    assert [p.value for p in found["c" * 64]] == ["2"]


def test_last_years_hazards_do_not_count_this_year(validate: Validate) -> None:
    december = sheet_frame("hazards", {"general_found": 9, "general_fixed": 0}, period=("2024-12-21", "2024-12-31"))
    january = sheet_frame(
        "hazards",
        {"general_found": 0, "general_fixed": 4},
        file=FILE_B,
        sha=SHA_B,
        period=("2025-01-01", "2025-01-10"),
    )
    found = validate({"hazards": pd.concat([december, january], ignore_index=True)})
    assert [p.rule for p in found[SHA_B]] == ["fixed_exceeds_found"]
    assert SHA_A not in found


def test_the_sectors_come_from_the_caller() -> None:
    frames = {"accidents": sheet_frame("accidents", {"sector": "道路交通"}, {"sector": "火灾", "deaths": 0})}
    [problem] = validate_frames(frames, sectors=["火灾"])[SHA_A]
    assert (problem.row, problem.rule, problem.value) == (4, "unknown_sector", "道路交通")


def test_a_sheet_row_repeated_within_a_file_is_a_warning_on_each_copy(validate: Validate) -> None:
    frames = {
        "hazards": sheet_frame("hazards", {"sector": "火灾"}, {"sector": "道路交通"}, {"sector": "火灾"}),
        "scenic": sheet_frame("scenic", {"scenic_area": "磨山景区"}, {"scenic_area": "磨山景区"}),
    }
    other_file = sheet_frame("hazards", {"sector": "火灾"}, file=FILE_B, sha=SHA_B, unit="420102")
    frames["hazards"] = pd.concat([frames["hazards"], other_file], ignore_index=True)
    found = validate(frames)
    assert [(p.sheet, p.row, p.rule, p.severity, p.value) for p in found[SHA_A]] == [
        ("景区承载", 4, "duplicate_scenic_area", "warning", "磨山景区"),
        ("景区承载", 5, "duplicate_scenic_area", "warning", "磨山景区"),
        ("隐患排查", 4, "duplicate_sector", "warning", "火灾"),
        ("隐患排查", 6, "duplicate_sector", "warning", "火灾"),
    ]
    assert SHA_B not in found  # the same sector in another unit's file is no duplicate


# --- an unknown sector suggests the closest listed one --------------------------------


def test_an_unknown_sector_suggests_the_closest_listed_one(validate: Validate) -> None:
    frames = {"accidents": sheet_frame("accidents", {"sector": "交通运输"})}
    [problem] = validate(frames)[SHA_A]
    assert problem.rule == "unknown_sector"
    assert problem.message_zh == "行业领域“交通运输”不在规定的行业领域中，是否应为“道路交通”？"
    assert problem.message_en.endswith("did you mean “道路交通”?")


def test_a_sector_like_none_of_the_list_gets_no_suggestion(validate: Validate) -> None:
    frames = {"hazards": sheet_frame("hazards", {"sector": "农业"})}
    [problem] = validate(frames)[SHA_A]
    assert problem.message_zh == "行业领域“农业”不在规定的行业领域中"


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("交通运输", "道路交通"),
        ("道路交通事故", "道路交通"),
        ("危化品", "危险化学品"),
        ("森林防火", "森林火灾"),
        ("火灾事故", "火灾"),
        ("工贸", "工矿商贸"),
        (" 建筑 ", "建筑施工"),
        ("其它", "其他"),
        ("农业", None),
        ("消防", None),
    ],
)
def test_suggest_sector(written: str, suggested: str | None) -> None:
    assert suggest_sector(written, SECTORS) == suggested


# --- severity is data ------------------------------------------------------------------


def test_flipping_a_rules_severity_in_the_json_accepts_the_return_with_warnings(
    validate: Validate, tmp_path: Path
) -> None:
    frames = {"accidents": sheet_frame("accidents", {}, {"sector": "交通运输"})}
    assert file_status(validate(frames)[SHA_A]) == "refused"

    for sheet_id, spec in load_suite_specs().items():
        for expectation in spec["expectations"]:
            if expectation["meta"]["rule"] == "unknown_sector":
                expectation["meta"]["severity"] = "warning"  # what an analyst edits
        (tmp_path / f"{sheet_id}.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    problems = validate_frames(frames, sectors=SECTORS, expectations_dir=tmp_path)[SHA_A]
    assert [(p.rule, p.severity, p.row) for p in problems] == [("unknown_sector", "warning", 5)]
    assert file_status(problems) == "accepted_with_warnings"


# --- last year's open hazards (上年结转) -----------------------------------------------


def hazards_fixing(general: tuple[int, int], major: tuple[int, int], **file_args: Any) -> pd.DataFrame:
    """One hazards row that finds and fixes (general, major) hazards in the 旬, sector 建筑施工."""
    row = {"sector": "建筑施工", "general_found": general[0], "general_fixed": general[1]}
    row |= {"major_found": major[0], "major_fixed": major[1], "major_supervised": 0}
    return sheet_frame("hazards", row, **file_args)


def test_fixes_up_to_the_carried_stock_are_accepted_and_beyond_it_refused(validate: Validate) -> None:
    frames = {
        "hazards": pd.concat(
            [
                hazards_fixing((2, 5), (0, 1)),  # 3 general and 1 major over what was found: within the stock
                hazards_fixing((2, 6), (0, 0), file=FILE_B, sha=SHA_B, unit="420102"),  # 4 over a stock of 3
            ],
            ignore_index=True,
        )
    }
    stock = {("420101", 2025): (3, 1), ("420102", 2025): (3, 1)}
    found = validate_frames(frames, sectors=SECTORS, carried_stock=stock)
    assert list(found) == [SHA_B]
    [problem] = found[SHA_B]
    assert (problem.rule, problem.column, problem.value) == ("fixed_exceeds_found", "一般隐患已整改（项）", "6")
    assert problem.message_zh == "一般隐患累计整改数超过累计发现数（含上年结转）：6 > 5"


def test_a_stock_counts_only_for_its_unit_and_year(validate: Validate) -> None:
    frames = {"hazards": hazards_fixing((0, 2), (0, 0))}
    elsewhere = {("420102", 2025): (9, 9), ("420101", 2024): (9, 9)}
    assert [p.rule for p in validate_frames(frames, sectors=SECTORS, carried_stock=elsewhere)[SHA_A]] == [
        "fixed_exceeds_found"
    ]
    here = {("420101", 2025): (2, 0)}
    assert validate_frames(frames, sectors=SECTORS, carried_stock=here) == {}


def test_the_major_stock_covers_major_fixes_and_supervision(validate: Validate) -> None:
    row = {"sector": "建筑施工", "major_found": 0, "major_fixed": 1, "major_supervised": 2}
    frames = {"hazards": sheet_frame("hazards", row)}
    without = validate(frames)[SHA_A]
    assert {(p.rule, p.severity) for p in without} == {
        ("fixed_exceeds_found", "error"),
        ("supervised_exceeds_major", "warning"),
    }
    assert validate_frames(frames, sectors=SECTORS, carried_stock={("420101", 2025): (0, 2)}) == {}


# --- the suites as data -------------------------------------------------------------


def test_every_validated_sheet_has_a_suite_that_keeps_the_contract() -> None:
    assert set(suite_paths()) == set(VALIDATED_SHEETS) == set(SHEET_NAMES)
    assert all(path.is_file() for path in suite_paths().values())
    assert check_suite_specs() == []
    assert {spec["name"] for spec in load_suite_specs().values()} == set(VALIDATED_SHEETS)


def test_check_suite_specs_names_what_is_wrong(tmp_path: Path) -> None:
    for sheet_id, spec in load_suite_specs().items():
        if sheet_id != "scenic":
            (tmp_path / f"{sheet_id}.json").write_text(json.dumps(spec), encoding="utf-8")
    bad_hazards = load_suite_specs()["hazards"]
    bad_hazards["expectations"][0]["meta"].pop("message_en")
    bad_hazards["expectations"][1]["meta"]["column"] = "no_such_column"
    bad_hazards["expectations"][2]["type"] = "expect_column_mean_to_be_between"
    (tmp_path / "hazards.json").write_text(json.dumps(bad_hazards), encoding="utf-8")
    issues = check_suite_specs(tmp_path)
    assert issues == [
        "hazards #1: meta lacks 'message_en'",
        "hazards #2: meta column 'no_such_column' is not a column of hazards",
        "hazards #3: type 'expect_column_mean_to_be_between' does not report rows",
        f"scenic: no suite at {tmp_path / 'scenic.json'}",
    ]


def test_every_expectation_says_why_in_chinese() -> None:
    assert "explanation_zh" in META_KEYS  # so check_suite_specs refuses a suite without one
    for spec in load_suite_specs().values():
        for expectation in spec["expectations"]:
            why = expectation["meta"]["explanation_zh"]
            assert any("\u4e00" <= char <= "\u9fff" for char in why), why


def test_a_missing_explanation_is_named(tmp_path: Path) -> None:
    for sheet_id, spec in load_suite_specs().items():
        if sheet_id == "scenic":
            del spec["expectations"][1]["meta"]["explanation_zh"]
        (tmp_path / f"{sheet_id}.json").write_text(json.dumps(spec), encoding="utf-8")
    assert check_suite_specs(tmp_path) == ["scenic #2: meta lacks 'explanation_zh'"]


def test_rule_explanations_are_keyed_by_rule_and_header() -> None:
    explanations = rule_explanations()
    assert "国务院令第493号" in explanations[("grade_mismatch", "事故等级")]
    assert "上年结转" in explanations[("fixed_exceeds_found", "一般隐患已整改（项）")]
    assert explanations[("missing_value", "事故编号")] != explanations[("missing_value", "发生日期")]


def test_a_suite_gx_cannot_build_fails_loudly(validate: Validate) -> None:
    from govbrief.quality.gx_runner import QualityError, run_suite

    spec = load_suite_specs()["scenic"]
    spec["expectations"][0]["type"] = "expect_column_values_to_be_scenic"
    frame = derive_columns("scenic", sheet_frame("scenic", {}))
    with pytest.raises(QualityError, match="not valid"):
        run_suite("scenic", spec, frame, {})


def test_importing_the_package_does_not_import_great_expectations() -> None:
    code = "import sys, govbrief.quality; print('great_expectations' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- derive.py (no GX) --------------------------------------------------------------


def test_year_start_keeps_the_datetime_unit() -> None:
    ends = pd.Series(pd.to_datetime(["2025-03-10", "2024-12-31", "2026-01-01"])).astype("datetime64[us]")
    starts = year_start(ends)
    assert starts.dtype == ends.dtype
    assert [d.date().isoformat() for d in starts] == ["2025-01-01", "2024-01-01", "2026-01-01"]


def test_grades_are_computed_by_sector() -> None:
    frame = sheet_frame(
        "accidents",
        {"deaths": 0, "direct_loss_wan": 3.0},
        {"deaths": 3},
        {"sector": "火灾", "deaths": 0, "direct_loss_wan": 5000.0},
        {"sector": "森林火灾", "deaths": 0, "forest_burned_ha": 120.0},
        {"sector": "道路交通", "deaths": 0, "forest_burned_ha": 120.0},
        {"serious_injuries": 100},
    )
    derived = derive_columns("accidents", frame)
    assert list(derived["grade_computed"]) == ["一般", "较大", "重大", "重大", "一般", "特别重大"]


def test_stated_grades_are_trimmed_and_blank_means_missing() -> None:
    frame = sheet_frame("accidents", {"grade": " 较大事故 "}, {"grade": ""}, {"grade": None}, {"grade": "重大"})
    stated = derive_columns("accidents", frame)["grade_stated"]
    assert [None if pd.isna(g) else g for g in stated] == ["较大", None, None, "重大"]


def test_hazard_year_to_date_sums_per_unit_sector_and_year() -> None:
    def dekad(found: int, fixed: int, period: tuple[str, str], **file_args: Any) -> pd.DataFrame:
        row = {"sector": "建筑施工", "general_found": found, "general_fixed": fixed}
        return sheet_frame("hazards", row, period=period, **file_args)

    frames = [
        dekad(4, 1, ("2025-03-11", "2025-03-20"), sha="m2"),
        dekad(10, 0, ("2024-12-21", "2024-12-31"), sha="dec"),
        dekad(2, 2, ("2025-03-01", "2025-03-10"), sha="m1"),
        dekad(7, 7, ("2025-03-01", "2025-03-10"), sha="other-unit", unit="420102"),
        dekad(1, 3, ("2025-03-21", "2025-03-31"), sha="m3"),
    ]
    derived = derive_columns("hazards", pd.concat(frames, ignore_index=True)).set_index("_sha")
    ytd = derived[["general_found_ytd", "general_fixed_ytd"]].astype(int)
    assert ytd.loc[["m1", "m2", "m3", "dec", "other-unit"]].values.tolist() == [
        [2, 2],
        [6, 3],
        [7, 6],
        [10, 0],
        [7, 7],
    ]


def test_derive_adds_missing_optional_columns_and_leaves_the_input_alone() -> None:
    frame = sheet_frame("accidents", {}).drop(columns=["forest_burned_ha", "burned_area_m2", "grade"])
    before = frame.copy()
    derived = derive_columns("accidents", frame)
    assert derived[["forest_burned_ha", "burned_area_m2", "grade", "grade_stated"]].isna().all().all()
    assert derived.loc[0, "grade_computed"] == "一般"
    pd.testing.assert_frame_equal(frame, before)


def test_derive_adds_each_units_carried_stock_to_found_this_year() -> None:
    frames = [
        sheet_frame("hazards", {"general_found": 1, "major_found": 0}, sha="m1"),
        sheet_frame("hazards", {"general_found": 1, "major_found": 0}, sha="other", unit="420102"),
        sheet_frame("hazards", {"general_found": 1, "major_found": 0}, sha="dec", period=("2024-12-21", "2024-12-31")),
    ]
    stock = {("420101", 2025): (4, 1), ("420101", 2024): (7, 2)}
    derived = derive_columns("hazards", pd.concat(frames, ignore_index=True), carried_stock=stock).set_index("_sha")
    columns = ["general_carried", "major_carried", "general_found_ytd", "major_found_ytd"]
    assert derived.loc[["m1", "other", "dec"], columns].astype(int).values.tolist() == [
        [4, 1, 5, 1],
        [0, 0, 1, 0],
        [7, 2, 8, 2],
    ]


# --- the carried stock in the targets table (no GX) --------------------------------------

TARGETS_HEADER = "县市区代码,县市区,死亡控制指标（人）"


def write_targets(folder: Path, year: int, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{year}.csv").write_text(text, encoding=encoding)
    return folder


def test_the_stock_is_read_from_the_optional_columns(tmp_path: Path) -> None:
    text = f"{TARGETS_HEADER},上年结转一般隐患（项）,上年结转重大隐患（项）\n439901,城关区,6,5,1\n439902,东湖县,9,,2\n"
    folder = write_targets(tmp_path, 2026, text, encoding="utf-8-sig")  # Excel's BOM
    assert load_carried_stock(folder, 2026) == {("439901", 2026): (5, 1), ("439902", 2026): (0, 2)}


def test_headers_typed_with_half_width_brackets_still_match(tmp_path: Path) -> None:
    text = f"{TARGETS_HEADER}, 上年结转一般隐患(项) ,上年结转重大隐患 (项)\n439901,城关区,6,3,0\n"
    assert load_carried_stock(write_targets(tmp_path, 2026, text), 2026) == {("439901", 2026): (3, 0)}


def test_no_columns_or_no_table_means_no_stock(tmp_path: Path) -> None:
    folder = write_targets(tmp_path, 2026, f"{TARGETS_HEADER}\n439901,城关区,6\n")
    assert load_carried_stock(folder, 2026) == {("439901", 2026): (0, 0)}
    assert load_carried_stock(folder, 2027) == {}


def test_a_stock_that_is_not_a_whole_number_is_refused_with_its_place(tmp_path: Path) -> None:
    text = f"{TARGETS_HEADER},上年结转一般隐患（项）\n439901,城关区,6,3\n439902,东湖县,9,2.5\n"
    with pytest.raises(StockError, match=r"2026.csv row 3, 上年结转一般隐患（项）: '2.5'"):
        load_carried_stock(write_targets(tmp_path, 2026, text), 2026)


def test_the_shipped_targets_carry_a_stock_for_every_unit_each_year() -> None:
    folder = Path(__file__).resolve().parents[2] / "config" / "targets"
    stock = carried_stock_for_years(folder, [2026, 2025, 2026])
    assert len(stock) == 18
    assert {year for _, year in stock} == {2025, 2026}
    assert all(0 <= general <= 20 and 0 <= major <= 5 for general, major in stock.values())
    assert any(general > 0 for general, _ in stock.values())
