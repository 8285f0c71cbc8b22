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
from govbrief.quality.suites import VALIDATED_SHEETS

SECTORS = load_glossary().sectors["safety"]
SHEET_NAMES = {
    "accidents": "事故明细",
    "hazards": "隐患排查",
    "enforcement": "执法检查",
    "scenic": "景区承载",
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
    "scenic": {"county": "东湖县", "scenic_area": "东湖风景区", "capacity": 8000, "peak_visitors": 5200},
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
    # Rows of one file differ where the sheet needs them to: accident ids, hazard sectors.
    if sheet_id == "accidents":
        return {"accident_id": f"DH-2025-{n + 1:03d}"}
    if sheet_id == "hazards":
        return {"sector": SECTORS[n]}
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
        {
            "hazards": sheet_frame(
                "hazards", {"major_found": 0, "major_fixed": 2}, file="c.xlsx", sha="c" * 64
            )
        },
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
    first = sheet_frame(
        "hazards", {"general_found": 5, "general_fixed": 1}, period=("2025-03-01", "2025-03-10")
    )
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
    december = sheet_frame(
        "hazards", {"general_found": 9, "general_fixed": 0}, period=("2024-12-21", "2024-12-31")
    )
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


def test_a_suite_gx_cannot_build_fails_loudly(validate: Validate) -> None:
    from govbrief.quality.engine import QualityError, run_suite

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
    frame = sheet_frame(
        "accidents", {"grade": " 较大事故 "}, {"grade": ""}, {"grade": None}, {"grade": "重大"}
    )
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
