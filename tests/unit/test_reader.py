"""The glossary-driven workbook reader: clean template, header drift, cell rules, bad files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from govbrief.calendar.periods import Period
from govbrief.config import Settings, load_settings
from govbrief.demo import build_safety_returns
from govbrief.demo.safety_returns import write_safety_return
from govbrief.glossary import ReturnKind, load_glossary
from govbrief.problems import Problem
from govbrief.readers import read_return
from govbrief.readers.cells import parse_date, parse_int, parse_number, parse_text
from govbrief.readers.formats import decode_text, sniff_format
from govbrief.readers.headers import match_candidates, match_columns, normalize_header, stack_header_rows
from govbrief.readers.html_tables import parse_html_tables
from govbrief.readers.loaders import Worksheet
from govbrief.readers.workbook import read_sheet

Rows = Sequence[Sequence[object]]
KIND: ReturnKind = load_glossary().returns["safety"]
ACCIDENTS = KIND.sheet("accidents")
HAZARDS = KIND.sheet("hazards")
ENFORCEMENT_ROW = ["东湖县", 30, 2, 1, 1.5, 0, 0, 1]
HAZARD_HEADERS = [c.header for c in HAZARDS.columns]
ACCIDENT_HEADERS = [c.header for c in ACCIDENTS.columns]


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GOVBRIEF_DROP_DIR", str(tmp_path / "drop"))
    return load_settings()


def write_workbook(path: Path, sheets: dict[str, Rows]) -> Path:
    """A workbook with these sheets, rows written from Excel row 1 (None = empty cell)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def safety_workbook(path: Path, **overrides: Rows) -> Path:
    """A minimal valid return; keyword arguments replace a sheet's rows (by sheet name)."""
    sheets: dict[str, Rows] = {
        "事故明细": [ACCIDENT_HEADERS],
        "隐患排查": [HAZARD_HEADERS, ["东湖县", "道路交通", 10, 3, 2, 0, 0, 0, 0]],
        "执法检查": [[c.header for c in KIND.sheet("enforcement").columns], ENFORCEMENT_ROW],
    }
    sheets.update(overrides)
    return write_workbook(path, sheets)


def rules(problems: list[Problem]) -> list[str]:
    return [p.rule for p in problems]


# ----- the clean template, as the demo generator writes it -------------------------------


def _same(expected: object, actual: Any) -> bool:
    if expected is None:
        return bool(pd.isna(actual))
    if isinstance(expected, date):
        return bool(pd.Timestamp(expected) == actual)
    return bool(expected == actual)


def test_clean_template_reads_exactly_what_the_generator_wrote(settings: Settings) -> None:
    periods = [Period.parse(key) for key in ("2026-10-x3", "2026-11-x1", "2026-11-x2")]
    generated = build_safety_returns(settings, periods, seed=7)
    accidents = [row for g in generated for row in g.sheets["accidents"]]
    # The sample covers blank grades and both kinds of optional area figure.
    assert any(row["grade"] is None for row in accidents)
    assert {"火灾", "森林火灾"} <= {row["sector"] for row in accidents}
    for one in generated:
        result = read_return(write_safety_return(settings, one), KIND)
        assert result.problems == []
        for sheet in KIND.sheets:
            frame = result.frames[sheet.id]
            rows = one.sheets.get(sheet.id, [])
            assert list(frame.columns) == [*sheet.column_ids, "_row", "_sheet"]
            assert frame["_row"].tolist() == list(range(3, 3 + len(rows)))  # title row 1, header row 2
            assert set(frame["_sheet"]) <= {sheet.name_zh}
            for index, row in enumerate(rows):
                for column_id, value in row.items():
                    assert _same(value, frame[column_id].iloc[index]), (sheet.id, index, column_id)


def test_clean_template_has_canonical_dtypes(settings: Settings) -> None:
    one = build_safety_returns(settings, [Period.parse("2026-11-x2")], seed=3)[0]
    frames = read_return(write_safety_return(settings, one), KIND).frames
    accidents, hazards = frames["accidents"], frames["hazards"]
    assert accidents["occurred_on"].dtype == "datetime64[ns]"
    assert accidents["deaths"].dtype == "int64" and hazards["general_found"].dtype == "int64"
    assert accidents["direct_loss_wan"].dtype == "float64"
    assert pd.api.types.is_string_dtype(accidents["summary"])


def test_absent_optional_sheet_is_an_empty_frame_without_problem(tmp_path: Path) -> None:
    result = read_return(safety_workbook(tmp_path / "r.xlsx"), KIND)
    assert result.problems == []
    assert result.frames["scenic"].empty
    assert list(result.frames["scenic"].columns) == [*KIND.sheet("scenic").column_ids, "_row", "_sheet"]


# ----- layout: title rows, blank, 合计 and footer rows --------------------------------------


def test_title_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path: Path) -> None:
    hazards: Rows = [
        ["东湖县安全生产旬报表"],
        ["填报单位：东湖县应急管理局", None, None, "填报日期：2026年11月23日"],
        HAZARD_HEADERS,
        ["东湖县", "道路交通", 10, 3, 2, 0, 0, 0, 0],
        [None] * 9,
        ["东湖县", "建筑施工", 4, 1, 1, 1, 0, 1, 0],
        ["合计", None, 14, 4, 3, 1, 0, 1, 0],
        ["填表人：张三", None, "联系电话：0000-1234567"],
    ]
    result = read_return(safety_workbook(tmp_path / "r.xlsx", 隐患排查=hazards), KIND)
    frame = result.frames["hazards"]
    assert result.problems == []
    assert frame["_row"].tolist() == [4, 6]
    assert frame["sector"].tolist() == ["道路交通", "建筑施工"]
    assert frame["units_checked"].tolist() == [10, 4]


# ----- header drift ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "一般隐患（项）",
        "一般隐患(项)",
        "一般隐患\n（项）",
        " 一般 隐患 ( 项 ) ",
        "一般隐患",
        "一般隐患【项】",
        "＊一般隐患（项）",
    ],
)
def test_header_spellings_match_the_same_column(spelling: str) -> None:
    cells: list[object] = ["县市区", "行业领域", spelling]
    assert match_columns(cells, HAZARDS) == {0: "county", 1: "sector", 2: "general_found"}


def test_aliases_from_the_glossary_match() -> None:
    cells: list[object] = [None, "县（市、区）", "行业", "检查单位数", "重大隐患整改", "备注"]
    assert match_columns(cells, HAZARDS) == {1: "county", 2: "sector", 3: "units_checked", 4: "major_fixed"}


def test_found_and_fixed_headers_stay_distinct() -> None:
    assert normalize_header("一般隐患（项）") != normalize_header("一般隐患已整改（项）")
    assert normalize_header("直接经济损失\n（万元）") == normalize_header("直接经济损失(万元)") == "直接经济损失"


def test_drifted_workbook_reads_like_the_clean_one(tmp_path: Path) -> None:
    drifted = [h.replace("（", "(").replace("）", ")") for h in HAZARD_HEADERS]
    drifted[2], drifted[3] = "检查单位数\n（家次）", "一般隐患"
    workbook = safety_workbook(tmp_path / "r.xlsx", 隐患排查=[drifted, ["东湖县", "道路交通", 10, 3, 2, 0, 0, 0, 0]])
    clean = safety_workbook(tmp_path / "c.xlsx")
    read_drifted, read_clean = read_return(workbook, KIND), read_return(clean, KIND)
    assert read_drifted.problems == []
    pd.testing.assert_frame_equal(read_drifted.frames["hazards"], read_clean.frames["hazards"])


def test_sheet_found_by_alias_and_reported_under_its_own_name(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "r.xlsx",
        {
            " 事故明细表 ": [ACCIDENT_HEADERS],
            "隐患排查整治": [HAZARD_HEADERS, ["东湖县", "道路交通", "x", 3, 2, 0, 0, 0, 0]],
            "执法检查": [[c.header for c in KIND.sheet("enforcement").columns], ENFORCEMENT_ROW],
        },
    )
    result = read_return(path, KIND)
    assert [(p.rule, p.sheet) for p in result.problems] == [("not_a_number", "隐患排查整治")]
    assert result.frames["hazards"]["_sheet"].tolist() == ["隐患排查整治"]


# ----- cell rules, located ---------------------------------------------------------------


def test_blank_count_reads_as_zero_with_a_located_warning(tmp_path: Path) -> None:
    hazards: Rows = [HAZARD_HEADERS, ["东湖县", "道路交通", 10, None, 2, 0, 0, 0, 0]]
    result = read_return(safety_workbook(tmp_path / "r.xlsx", 隐患排查=hazards), KIND)
    assert result.frames["hazards"]["general_found"].tolist() == [0]
    [warning] = result.problems
    assert (warning.severity, warning.rule, warning.row, warning.column) == (
        "warning",
        "blank_count",
        2,
        "一般隐患（项）",
    )


def test_negative_count_is_an_error_naming_file_sheet_row_and_column(tmp_path: Path) -> None:
    hazards: Rows = [["标题"], HAZARD_HEADERS, ["东湖县", "道路交通", 10, 3, -2, 0, 0, 0, 0]]
    path = safety_workbook(tmp_path / "archived-abc123.xlsx", 隐患排查=hazards)
    result = read_return(path, KIND, display_name="东湖县安全生产旬报表.xlsx")
    [error] = result.problems
    assert error.severity == "error" and error.rule == "negative_count"
    assert (error.file, error.sheet, error.row, error.column, error.value) == (
        "东湖县安全生产旬报表.xlsx",
        "隐患排查",
        3,
        "一般隐患已整改（项）",
        "-2",
    )
    assert "第3行" in error.describe() and "负数" in error.message_zh


def test_every_bad_cell_is_reported_in_one_pass(tmp_path: Path) -> None:
    accidents: Rows = [
        ACCIDENT_HEADERS,
        ["东湖县", "DH-1", "2026-11-12", "道路交通", 1.5, "两人", 3, None, None, None, None],
        ["东湖县", "DH-2", "11月的某天", "火灾", 0, 0, -1, None, 20, None, None],
    ]
    result = read_return(safety_workbook(tmp_path / "r.xlsx", 事故明细=accidents), KIND)
    located = {(p.row, p.column, p.rule) for p in result.problems}
    assert located == {
        (2, "死亡人数", "fractional_count"),
        (2, "重伤人数", "not_a_number"),
        (3, "发生日期", "not_a_date"),
        (3, "直接经济损失（万元）", "negative_number"),
    }


def test_dates_and_numbers_written_as_text_are_read(tmp_path: Path) -> None:
    accidents: Rows = [
        ACCIDENT_HEADERS,
        ["东湖县", 17, "2026年11月12日", "道路交通", "１", " 2 ", "1,234.50", None, None, "一般", "无"],
        ["东湖县", "DH-2", datetime(2026, 11, 13, 8, 30), "火灾", 0, 0, 0.5, "—", 20, None, "  "],
    ]
    result = read_return(safety_workbook(tmp_path / "r.xlsx", 事故明细=accidents), KIND)
    frame = result.frames["accidents"]
    assert result.problems == []
    assert frame["accident_id"].tolist() == ["17", "DH-2"]
    assert frame["occurred_on"].tolist() == [pd.Timestamp("2026-11-12"), pd.Timestamp("2026-11-13")]
    assert frame["deaths"].tolist() == [1, 0] and frame["serious_injuries"].tolist() == [2, 0]
    assert frame["direct_loss_wan"].tolist() == [1234.5, 0.5]
    assert frame["summary"].isna().all() and frame["forest_burned_ha"].isna().all()


# ----- empty sheets, missing parts, bad files --------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        [["东湖县安全生产旬报表"], ACCIDENT_HEADERS, ["无"]],
        [ACCIDENT_HEADERS, ["东湖县", "本旬无事故"]],
        [ACCIDENT_HEADERS],
        [["无"]],
    ],
    ids=["header-then-无", "county-and-本旬无事故", "header-only", "only-无"],
)
def test_a_sheet_that_says_nothing_reads_as_empty(tmp_path: Path, rows: Rows) -> None:
    result = read_return(safety_workbook(tmp_path / "r.xlsx", 事故明细=rows), KIND)
    assert result.problems == []
    assert result.frames["accidents"].empty


def test_missing_required_column_is_named_once(tmp_path: Path) -> None:
    headers = [h for h in ACCIDENT_HEADERS if h != "死亡人数"]
    row = ["东湖县", "DH-1", date(2026, 11, 12), "道路交通", 0, 1.0, None, None, None, None]
    result = read_return(safety_workbook(tmp_path / "r.xlsx", 事故明细=[headers, row, row]), KIND)
    [problem] = result.problems
    assert (problem.rule, problem.severity, problem.column, problem.row) == (
        "missing_column",
        "error",
        "死亡人数",
        1,
    )
    assert "死亡人数" in problem.message_zh
    assert result.frames["accidents"]["deaths"].isna().all()


def test_missing_required_sheet_is_an_error(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "r.xlsx", {"事故明细": [ACCIDENT_HEADERS], "隐患排查": [HAZARD_HEADERS]})
    result = read_return(path, KIND)
    assert [(p.rule, p.sheet) for p in result.problems] == [("missing_sheet", "执法检查")]
    assert result.frames["enforcement"].empty


def test_sheet_without_recognisable_header_is_an_error(tmp_path: Path) -> None:
    rows: Rows = [["甲", "乙", "丙"], [1, 2, 3]]
    result = read_return(safety_workbook(tmp_path / "r.xlsx", 执法检查=rows), KIND)
    assert rules(result.problems) == ["missing_header"]


@pytest.mark.parametrize(
    ("content", "rule"), [(os.urandom(4096), "unreadable_file"), (b"", "empty_file")], ids=["random-bytes", "empty"]
)
def test_unreadable_file_is_one_error_not_an_exception(tmp_path: Path, content: bytes, rule: str) -> None:
    path = tmp_path / "东湖县安全生产旬报表.xlsx"
    path.write_bytes(content)
    result = read_return(path, KIND)
    [problem] = result.problems
    assert (problem.rule, problem.severity, problem.file) == (rule, "error", path.name)
    assert set(result.frames) == {s.id for s in KIND.sheets}
    assert all(frame.empty for frame in result.frames.values())


# ----- cell parsers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        date(2023, 3, 5),
        datetime(2023, 3, 5, 14, 20),
        44990,  # Excel serial number
        44990.75,
        "2023/3/5",
        "2023-03-05",
        "2023年3月5日",
        "2023.3.5",
        "２０２３年３月５日",
        " 2023-03-05 10:00:00",
    ],
)
def test_date_spellings(raw: object) -> None:
    assert parse_date(raw).value == date(2023, 3, 5)


@pytest.mark.parametrize("raw", ["2023-02-30", "下周", True])
def test_impossible_dates_are_errors(raw: object) -> None:
    parsed = parse_date(raw)
    assert parsed.value is None and parsed.issue is not None and parsed.issue.rule == "not_a_date"


@pytest.mark.parametrize(("raw", "expected"), [(3.0, 3), ("１２", 12), ("1,234", 1234), (" 7 ", 7)])
def test_counts_as_numbers_or_text(raw: object, expected: int) -> None:
    parsed = parse_int(raw)
    assert (parsed.value, parsed.issue) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "rule"),
    [(-1, "negative_count"), (2.5, "fractional_count"), ("三", "not_a_number"), ("nan", "not_a_number")],
)
def test_bad_counts(raw: object, rule: str) -> None:
    parsed = parse_int(raw)
    assert parsed.value is None and parsed.issue is not None
    assert (parsed.issue.rule, parsed.issue.severity) == (rule, "error")


def test_blank_amounts_depend_on_whether_the_column_is_required() -> None:
    assert parse_number(None).value == 0.0 and parse_number(None).issue is not None
    assert parse_number("无", required=False).value is None and parse_number("无", required=False).issue is None


@pytest.mark.parametrize(
    ("raw", "expected"), [(" 道路交通 ", "道路交通"), ("无", None), ("—", None), (None, None), (17.0, "17")]
)
def test_text_cells(raw: object, expected: str | None) -> None:
    assert parse_text(raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected", "rule"),
    [
        ("无", 0, None),
        ("—", 0, "blank_count"),
        ("／", 0, "blank_count"),
        (None, 0, "blank_count"),
        ("1，234", 1234, None),
    ],
)
def test_wu_is_an_explicit_zero_while_blanks_and_dashes_are_warned(
    raw: object, expected: int, rule: str | None
) -> None:
    parsed = parse_int(raw)
    assert (parsed.value, parsed.issue and parsed.issue.rule) == (expected, rule)


@pytest.mark.parametrize("raw", ["12%", "１２％", "0.5 %"])
def test_a_percentage_is_not_a_count(raw: str) -> None:
    for parsed in (parse_int(raw), parse_number(raw)):
        assert parsed.value is None and parsed.issue is not None and parsed.issue.rule == "percent_not_allowed"


# ----- two-row headers, totals in data, formats -----------------------------------------------


def test_two_row_header_children_join_their_merged_parent() -> None:
    parent: list[object] = ["县市区", "行业领域", "一般隐患（项）", "", "重大隐患", None, "挂牌督办"]
    child: list[object] = ["", "", "发现数", "整改数", "发现", "已整改（项）", ""]
    keys = [cell.keys() for cell in stack_header_rows(parent, child)]
    assert match_candidates(keys, HAZARDS) == {
        0: "county",
        1: "sector",
        2: "general_found",
        3: "general_fixed",
        4: "major_found",
        5: "major_fixed",
        6: "major_supervised",
    }


def test_a_total_label_only_ends_data_where_a_total_row_has_it() -> None:
    rows: Rows = [
        ACCIDENT_HEADERS,
        ["东湖县", "DH-1", "2026-11-12", "道路交通", 0, 0, 1, None, None, None, "合计"],
        ["合计", None, None, None, 0, 0, 1, None, None, None, None],
        ["东湖县", "小计", None, None, 0, 0, 1, None, None, None, None],
    ]
    result = read_sheet(Worksheet("事故明细", rows), ACCIDENTS, "r.xlsx")
    assert result.problems == []
    assert result.frame["summary"].tolist() == ["合计"]


def test_html_spans_lay_out_like_merged_cells() -> None:
    page = (
        "<table><caption>东湖县</caption><tr><td rowspan=2>县市区</td><td colspan=2>一般隐患</td></tr>"
        "<tr><td>发现</td><td>已整改<br>（项）</td></tr><tr><td>东湖县</td><td>1,234</td><td>&nbsp;</td></tr></table>"
    )
    tables = parse_html_tables(page)
    assert tables.titles == ["东湖县"]
    assert tables.grids == [[["县市区", "一般隐患", ""], ["", "发现", "已整改\n（项）"], ["东湖县", "1,234", ""]]]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"PK\x03\x04rest", "xlsx"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 8, "xls"),
        (b"\xef\xbb\xbf  \r\n<html>", "html"),
        ("<table>".encode("utf-16"), "html"),
        ("县市区,行业领域\n东湖县,道路交通\n".encode("gbk"), "csv"),
        ("县市区,行业领域\n".encode("utf-8-sig"), "csv"),
        (bytes(range(256)), None),
    ],
)
def test_format_is_sniffed_from_content(head: bytes, expected: str | None) -> None:
    assert sniff_format(head) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_files_decode_in_every_encoding_clerks_use(encoding: str) -> None:
    text = "县市区,直接经济损失（万元）\n东湖县,1，234.5\n"
    assert decode_text(text.encode(encoding)) == text
