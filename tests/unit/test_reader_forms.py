"""The corpus: every real-world form of a return reads to the same canonical frames as its clean twin,
and every bad case is reported with exactly the right rule, severity and place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from govbrief.calendar.periods import Period
from govbrief.config import load_settings
from govbrief.demo import SafetyReturn, build_safety_returns
from govbrief.problems import Problem
from govbrief.readers import ReadResult, read_return
from tests.fixtures import forms
from tests.fixtures.forms import KIND

UNIT = "439903"  # 西山县: it also has scenic areas, so all four sheets are filled
PERIODS = ("2026-10-x2", "2026-10-x3", "2026-11-x1", "2026-11-x2")
LOCATED = tuple[str, str, str, int | None, str]  # rule, severity, sheet, row, column


@pytest.fixture(scope="module")
def ret(tmp_path_factory: pytest.TempPathFactory) -> SafetyReturn:
    state = tmp_path_factory.mktemp("state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVBRIEF_STATE_DIR", str(state / "state"))
        patch.setenv("GOVBRIEF_DROP_DIR", str(state / "drop"))
        settings = load_settings()
    returns = build_safety_returns(settings, [Period.parse(key) for key in PERIODS], seed=7)
    return forms.rich_return(returns, UNIT)


@pytest.fixture(scope="module")
def clean(ret: SafetyReturn, tmp_path_factory: pytest.TempPathFactory) -> ReadResult:
    return read_return(forms.form_clean(ret, tmp_path_factory.mktemp("clean")), KIND)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The canonical columns only: where a row sits in the file legitimately differs between forms."""
    return frame.drop(columns=["_row", "_sheet"]).reset_index(drop=True)


def assert_same_figures(result: ReadResult, clean: ReadResult, sheet_ids: tuple[str, ...] = ()) -> None:
    for sheet_id in sheet_ids or tuple(clean.frames):
        pd.testing.assert_frame_equal(canonical(result.frames[sheet_id]), canonical(clean.frames[sheet_id]))


def located(problems: list[Problem]) -> list[LOCATED]:
    return [(p.rule, p.severity, p.sheet, p.row, p.column) for p in problems]


# ----- the clean twin ------------------------------------------------------------------------------


def test_the_clean_twin_holds_every_kind_of_figure(ret: SafetyReturn, clean: ReadResult) -> None:
    assert clean.problems == [] and clean.file_format == "xlsx"
    accidents = clean.frames["accidents"]
    assert len(accidents) >= len(forms.DATE_SPELLINGS)  # one row per date spelling at least
    assert {"火灾", "森林火灾"} <= set(accidents["sector"]) and accidents["grade"].isna().any()
    assert all(len(clean.frames[s.id]) == len(ret.sheets[s.id]) for s in KIND.sheets)
    assert clean.frames["hazards"]["units_checked"].iloc[0] == 1234
    assert clean.county_values == ["西山县"]
    assert {"事故明细", "隐患排查", "执法检查", "景区承载"} <= set(clean.title_texts)


# ----- forms that must read exactly like the clean twin, without a problem -------------------------

Builder = Callable[[SafetyReturn, Path], Path]
SILENT_FORMS: dict[str, Builder] = {
    "title-rows-totals-footers": forms.form_title_rows,
    "two-row-header": forms.form_two_row_header,
    "header-drift": forms.form_header_drift,
    "text-numbers": forms.form_text_numbers,
    "date-spellings": forms.form_date_spellings,
    "wps-xls": forms.form_xls,
    "renamed-sheets": forms.form_renamed_sheets,
    "extra-and-reordered-columns": forms.form_extra_columns,
    "html-saved-as-xls-utf8": lambda ret, folder: forms.form_html_xls(ret, "utf-8", folder),
    "html-saved-as-xls-gbk": lambda ret, folder: forms.form_html_xls(ret, "gbk", folder),
}


@pytest.mark.parametrize("build", SILENT_FORMS.values(), ids=SILENT_FORMS.keys())
def test_form_reads_like_its_clean_twin(build: Builder, ret: SafetyReturn, clean: ReadResult, folder: Path) -> None:
    result = read_return(build(ret, folder), KIND)
    assert located(result.problems) == []
    assert_same_figures(result, clean)
    assert result.county_values == ["西山县"]


def test_title_rows_are_offered_for_identification_and_rows_keep_excel_numbers(ret: SafetyReturn, folder: Path) -> None:
    result = read_return(forms.form_title_rows(ret, folder), KIND)
    assert "西山县安全生产旬报表" in result.title_texts
    assert "填报单位：西山县应急管理局  填报日期：2026年11月22日" in result.title_texts
    assert not any("填表人" in text for text in result.title_texts)  # footers are not titles
    hazards = result.frames["hazards"]
    assert hazards["_row"].tolist() == list(range(5, 5 + len(hazards)))  # 3 title rows, header on row 4


def test_two_row_header_data_starts_below_both_header_rows(ret: SafetyReturn, folder: Path) -> None:
    hazards = read_return(forms.form_two_row_header(ret, folder), KIND).frames["hazards"]
    assert hazards["_row"].iloc[0] == 5  # 2 title rows, header rows 3 and 4


def test_formats_are_told_by_content(ret: SafetyReturn, folder: Path) -> None:
    html = forms.form_html_xls(ret, "gbk", folder)
    assert read_return(html, KIND).file_format == "html"
    assert read_return(html, KIND, file_format="html").file_format == "html"
    assert read_return(forms.form_xls(ret, folder), KIND).file_format == "xls"
    disguised = forms.form_clean(ret, folder).rename(folder / "return.csv")
    assert read_return(disguised, KIND).file_format == "xlsx"
    assert "安全生产旬报表" in read_return(html, KIND).title_texts  # the page <title>


def test_web_page_declaring_gb2312_but_saved_as_utf8(ret: SafetyReturn, clean: ReadResult, folder: Path) -> None:
    path = forms.form_html_xls(ret, "utf-8", folder)
    path.write_bytes(path.read_bytes().replace(b"charset=utf-8", b"charset=gb2312"))
    result = read_return(path, KIND)
    assert result.problems == []
    assert_same_figures(result, clean)


def test_blank_and_dashed_counts_read_as_zero_with_a_warning_but_wu_is_zero(
    ret: SafetyReturn, clean: ReadResult, folder: Path
) -> None:
    result = read_return(forms.form_blank_counts(ret, folder), KIND)
    assert_same_figures(result, clean)
    expected = [
        ("blank_count", "warning", sheet.name_zh, index + 2, column.header)
        for sheet, rows in forms.records(ret)
        for index, row in enumerate(rows)
        for column in sheet.columns
        if forms.zero_spelled(column, row.get(column.id), index) not in (0, "无", row.get(column.id))
    ]
    assert expected, "the sample must have zero counts"
    assert located(result.problems) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("sheet_id", ["hazards", "accidents"])
def test_csv_holds_one_sheet_in_any_chinese_encoding(
    sheet_id: str, encoding: str, ret: SafetyReturn, clean: ReadResult, folder: Path
) -> None:
    result = read_return(forms.form_csv(ret, sheet_id, encoding, folder), KIND)
    assert result.file_format == "csv"
    assert_same_figures(result, clean, (sheet_id,))
    others = [s.name_zh for s in KIND.sheets if s.id != sheet_id and not s.optional]
    assert located(result.problems) == [("missing_sheet", "error", name, None, "") for name in others]
    assert "Excel工作簿" in result.problems[0].message_zh  # tells the clerk what to send instead
    assert result.frames[sheet_id]["_sheet"].unique().tolist() == [KIND.sheet(sheet_id).name_zh]


def test_excel_unicode_text_is_a_tab_separated_utf16_csv(ret: SafetyReturn, clean: ReadResult, folder: Path) -> None:
    result = read_return(forms.form_csv(ret, "enforcement", "utf-16", folder, delimiter="\t"), KIND)
    assert_same_figures(result, clean, ("enforcement",))
    assert "西山县安全生产旬报表" in result.title_texts


def test_renamed_sheets_report_under_the_name_the_clerk_gave(ret: SafetyReturn, folder: Path) -> None:
    frames = read_return(forms.form_renamed_sheets(ret, folder), KIND).frames
    assert {sheet_id: frames[sheet_id]["_sheet"].iloc[0] for sheet_id in frames} == forms.RENAMED


def test_cached_formula_values_are_used_and_reported_once_per_sheet(
    ret: SafetyReturn, clean: ReadResult, folder: Path
) -> None:
    result = read_return(forms.form_formulas(ret, folder), KIND)
    assert_same_figures(result, clean)
    # The =SUM 合计 row is skipped, so its formulas are not reported.
    assert located(result.problems) == [("formula_cell", "warning", "执法检查", None, "执法检查单位数（家次）")]
    assert result.problems[0].value == "B2"


def test_formula_without_cached_value_is_an_error(ret: SafetyReturn, folder: Path) -> None:
    result = read_return(forms.form_formulas(ret, folder, cached=False), KIND)
    assert located(result.problems) == [("formula_without_value", "error", "执法检查", 2, "执法检查单位数（家次）")]
    assert result.frames["enforcement"]["units_inspected"].isna().all()


# ----- bad cells, each located exactly ---------------------------------------------------------


def _spoil(ret: SafetyReturn, sheet_id: str, row: int, **cells: object) -> SafetyReturn:
    rows = [dict(r) for r in ret.sheets[sheet_id]]
    rows[row].update(cells)
    return SafetyReturn(ret.unit, ret.period, {**ret.sheets, sheet_id: rows}, ret.submitted_at)


@pytest.mark.parametrize(
    ("sheet_id", "cells", "rule"),
    [
        ("hazards", {"general_fixed": -2}, "negative_count"),
        ("hazards", {"units_checked": 2.5}, "fractional_count"),
        ("hazards", {"major_found": "12%"}, "percent_not_allowed"),
        ("hazards", {"units_checked": "三十"}, "not_a_number"),
        ("hazards", {"units_checked": 10**10}, "count_too_large"),
        ("accidents", {"direct_loss_wan": -1.5}, "negative_number"),
        ("accidents", {"occurred_on": "11月的某天"}, "not_a_date"),
        ("accidents", {"occurred_on": "2026-02-30"}, "not_a_date"),
    ],
)
def test_bad_cell_is_one_located_error(
    sheet_id: str, cells: dict[str, object], rule: str, ret: SafetyReturn, folder: Path
) -> None:
    (column_id,) = cells
    result = read_return(forms.form_title_rows(_spoil(ret, sheet_id, 1, **cells), folder), KIND)
    sheet = KIND.sheet(sheet_id)
    assert located(result.problems) == [(rule, "error", sheet.name_zh, 6, sheet.column(column_id).header)]
    assert result.problems[0].file == "title_rows.xlsx"


def test_every_bad_cell_of_a_csv_is_reported_in_one_pass(ret: SafetyReturn, folder: Path) -> None:
    spoiled = _spoil(_spoil(ret, "hazards", 0, general_found="-1"), "hazards", 2, units_checked="1.5", sector="")
    result = read_return(forms.form_csv(spoiled, "hazards", "gbk", folder), KIND)
    cell_problems = [p for p in located(result.problems) if p[0] != "missing_sheet"]
    assert cell_problems == [
        ("negative_count", "error", "隐患排查", 3, "一般隐患（项）"),
        ("fractional_count", "error", "隐患排查", 5, "检查单位数（家次）"),
    ]


def test_missing_column_names_the_headers_it_did_not_recognise(ret: SafetyReturn, folder: Path) -> None:
    enforcement = KIND.sheet("enforcement")
    header = [c.header for c in enforcement.columns]
    header[1] = "检查家次数"
    rows = forms.data_rows(enforcement, ret.sheets["enforcement"])
    path = forms.write_xlsx(folder / "r.xlsx", [forms.SheetSpec("执法检查", [header, *rows])])
    problem = next(p for p in read_return(path, KIND).problems if p.sheet == "执法检查")
    assert (problem.rule, problem.row, problem.column) == ("missing_column", 1, "执法检查单位数（家次）")
    assert "检查家次数" in problem.message_zh


# ----- files that cannot be read ---------------------------------------------------------------


def _file_problem(result: ReadResult) -> tuple[str, str]:
    [problem] = result.problems
    assert problem.sheet == "" and problem.row is None
    assert all(frame.empty for frame in result.frames.values()) and set(result.frames) == {s.id for s in KIND.sheets}
    return problem.rule, problem.severity


@pytest.mark.parametrize("declared", [None, "xlsx", "xls"])
def test_password_protected_workbook(declared: str | None, folder: Path) -> None:
    path = forms.encrypted_workbook(folder / "东湖县安全生产旬报表.xlsx")
    assert _file_problem(read_return(path, KIND, file_format=declared)) == ("password_protected", "error")


def test_corrupt_zip(ret: SafetyReturn, folder: Path) -> None:
    path = forms.form_clean(ret, folder)
    path.write_bytes(path.read_bytes()[:3000])
    assert _file_problem(read_return(path, KIND)) == ("unreadable_file", "error")


def test_empty_file(folder: Path) -> None:
    (folder / "r.xls").write_bytes(b"")
    assert _file_problem(read_return(folder / "r.xls", KIND)) == ("empty_file", "error")


def test_binary_junk_named_csv(folder: Path) -> None:
    (folder / "r.csv").write_bytes(bytes(range(256)) * 8)
    assert _file_problem(read_return(folder / "r.csv", KIND)) == ("unreadable_file", "error")


def test_web_page_without_a_table_misses_every_required_sheet(folder: Path) -> None:
    (folder / "r.xls").write_text("<html><body><p>本旬无数据</p></body></html>", encoding="utf-8")
    result = read_return(folder / "r.xls", KIND)
    assert result.file_format == "html"
    assert [p.rule for p in result.problems] == ["missing_sheet"] * 3
