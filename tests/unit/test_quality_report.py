"""The validation outcome of a run as people read it: summary data, the HTML page, the Markdown digest.

No Great Expectations here: outcomes are built with their problems already attached.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.problems import Problem
from govbrief.quality.digest import MAX_CELL_CHARS, escape_markdown, file_rows, problems_markdown
from govbrief.quality.report import (
    file_status,
    quality_summary,
    render_quality_report,
    safe_label,
    write_quality_report,
)

UNIT_NAMES = {"439901": "城关区", "439902": "东湖县", "439903": "西山县"}
GENERATED = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # 09:30 in the city
SCRIPT = "<script>alert('x')</script>"


def received(name: str, unit: str, *, period: str = "2026-11-x2") -> ReceivedFile:
    return ReceivedFile(
        sha256=(name.encode().hex() * 64)[:64],
        unit_code=unit,
        return_kind="safety",
        period_key=period,
        original_name=name,
        origin=f"/drop/{name}",
        size=1000,
        received_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        archive_path=f"/archive/{name}",
    )


def problem(severity: str, rule: str, *, row: int | None = 5, column: str = "行业领域", value: str = "") -> Problem:
    return Problem(
        severity,  # type: ignore[arg-type]
        rule,
        f"{rule}：{value}",
        f"{rule}: {value}",
        file="x.xlsx",
        sheet="事故明细" if row is not None else "",
        row=row,
        column=column,
        value=value,
    )


def run_outcomes() -> list[ReturnOutcome]:
    """Three returns of one run: clean, warned, refused (in that input order)."""
    return [
        ReturnOutcome(received("城关区旬报.xlsx", "439901")),
        ReturnOutcome(
            received("西山县旬报.xlsx", "439903"),
            problems=[problem("warning", "late_reported_accident", column="发生日期", value="2026-11-05")],
        ),
        ReturnOutcome(
            received(f"东湖县{SCRIPT}.xlsx", "439902"),
            problems=[
                problem("error", "unknown_sector", value=SCRIPT),
                problem("error", "grade_mismatch", row=6, column="事故等级", value="一般"),
                problem("warning", "late_reported_accident", row=7, column="发生日期", value="2026-11-01"),
                problem("error", "unreadable_sheet", row=None, column=""),
            ],
        ),
    ]


# --- status and summary data ---------------------------------------------------------


def test_file_status_follows_the_most_severe_problem() -> None:
    assert file_status([]) == "accepted"
    assert file_status([problem("warning", "w")]) == "accepted_with_warnings"
    assert file_status([problem("warning", "w"), problem("error", "e")]) == "refused"


def test_the_summary_lists_files_most_urgent_first_with_their_counts() -> None:
    summary = quality_summary(run_outcomes(), unit_names=UNIT_NAMES)
    files = [
        (f["unit"], f["period"], f["period_zh"], f["status"], f["errors"], f["warnings"]) for f in summary["files"]
    ]
    assert files == [
        ("东湖县", "2026-11-x2", "2026年11月中旬", "refused", 3, 1),
        ("西山县", "2026-11-x2", "2026年11月中旬", "accepted_with_warnings", 0, 1),
        ("城关区", "2026-11-x2", "2026年11月中旬", "accepted", 0, 0),
    ]
    assert summary["totals"] == {
        "files": 3,
        "refused": 1,
        "accepted_with_warnings": 1,
        "accepted": 1,
        "errors": 3,
        "warnings": 2,
    }


def test_the_summary_keeps_every_problem_as_plain_data() -> None:
    refused = quality_summary(run_outcomes())["files"][0]
    assert refused["unit"] == "439902"  # no names given: the code
    assert refused["problems"][1] == {
        "severity": "error",
        "rule": "grade_mismatch",
        "message_zh": "grade_mismatch：一般",
        "message_en": "grade_mismatch: 一般",
        "file": "x.xlsx",
        "sheet": "事故明细",
        "row": 6,
        "column": "事故等级",
        "value": "一般",
    }


def test_rules_are_counted_by_severity_and_explained_from_the_suites() -> None:
    rules = {r["rule"]: r for r in quality_summary(run_outcomes())["rules"]}
    assert {name: (r["errors"], r["warnings"]) for name, r in rules.items()} == {
        "late_reported_accident": (0, 2),
        "grade_mismatch": (1, 0),
        "unknown_sector": (1, 0),
        "unreadable_sheet": (1, 0),
    }
    assert "国务院令第493号" in rules["grade_mismatch"]["explanations"][0]
    assert rules["unreadable_sheet"]["explanations"] == []  # a reader rule: no suite explains it


def test_a_rule_stated_for_several_columns_is_explained_for_the_column_that_broke_it() -> None:
    outcome = ReturnOutcome(
        received("a.xlsx", "439901"), problems=[problem("error", "missing_value", column="发生日期")]
    )
    [rule] = quality_summary([outcome])["rules"]
    assert len(rule["explanations"]) == 1
    assert "发生日期" in rule["explanations"][0]


def test_a_file_with_no_unit_or_period_yet_is_still_summarised() -> None:
    outcome = ReturnOutcome(
        received("无名.xlsx", "", period=""), problems=[problem("error", "unknown_period", row=None)]
    )
    [entry] = quality_summary([outcome])["files"]
    assert (entry["unit"], entry["period"], entry["period_zh"], entry["status"]) == ("", "", "", "refused")
    html = render_quality_report(quality_summary([outcome]), run_label="r", generated_at=GENERATED)
    assert "（未识别）" in html


# --- the HTML page --------------------------------------------------------------------


class _Page(HTMLParser):
    """The page's text, its <script> elements and its table rows, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("state") / "quality"
    path = write_quality_report(
        run_outcomes(), folder, run_label="2026-11-x2 run/7", generated_at=GENERATED, unit_names=UNIT_NAMES
    )
    return folder, path


def test_the_report_is_written_under_the_run_label_and_as_latest(written: tuple[Path, Path]) -> None:
    folder, path = written
    assert path == folder / "quality-2026-11-x2-run-7.html"
    assert sorted(p.name for p in folder.iterdir()) == ["latest.html", "quality-2026-11-x2-run-7.html"]
    assert (folder / "latest.html").read_bytes() == path.read_bytes()


def test_free_text_from_returns_is_escaped(written: tuple[Path, Path]) -> None:
    html = written[1].read_text(encoding="utf-8")
    page = parse(html)
    assert page.scripts == 0
    assert "&lt;script&gt;" in html
    assert any(SCRIPT in cell for row in page.rows for cell in row)  # shown as text, not run


def test_the_summary_table_has_a_row_per_file_and_a_total(written: tuple[Path, Path]) -> None:
    rows = parse(written[1].read_text(encoding="utf-8")).rows
    header = rows.index(["县市区", "期次", "文件", "状态", "错误", "警告"])
    assert rows[header + 1 : header + 5] == [
        ["东湖县", "2026年11月中旬", f"东湖县{SCRIPT}.xlsx", "退回重报", "3", "1"],
        ["西山县", "2026年11月中旬", "西山县旬报.xlsx", "已接收（有警告）", "0", "1"],
        ["城关区", "2026年11月中旬", "城关区旬报.xlsx", "已接收", "0", "0"],
        ["合计", "", "3份", "", "3", "2"],
    ]


def test_each_refused_or_warned_file_gets_its_problems_table(written: tuple[Path, Path]) -> None:
    page = parse(written[1].read_text(encoding="utf-8"))
    problem_headers = ["位置", "列", "值", "规则", "级别", "说明", "Explanation"]
    tables = [i for i, row in enumerate(page.rows) if row == problem_headers]
    assert len(tables) == 2  # 东湖县 (refused) and 西山县 (warned); 城关区 has nothing to show
    refused_rows = page.rows[tables[0] + 1 : tables[1]]
    assert refused_rows[1] == [
        "工作表“事故明细”，第6行",
        "事故等级",
        "一般",
        "grade_mismatch",
        "错误",
        "grade_mismatch：一般",
        "grade_mismatch: 一般",
    ]
    assert refused_rows[3][:5] == ["整个文件", "", "", "unreadable_sheet", "错误"]
    text = "".join(page.text)
    assert text.index("东湖县　2026年11月中旬") < text.index("西山县　2026年11月中旬")


def test_the_rules_section_says_why_each_rule_exists(written: tuple[Path, Path]) -> None:
    rows = parse(written[1].read_text(encoding="utf-8")).rows
    explained = {row[0]: row[3] for row in rows if len(row) == 4}
    assert "国务院令第493号" in explained["grade_mismatch"]
    assert "补报" in explained["late_reported_accident"]
    assert explained["unreadable_sheet"] == "—"


def test_a_clean_run_says_so() -> None:
    outcomes = [ReturnOutcome(received("城关区旬报.xlsx", "439901"))]
    text = "".join(parse(render_quality_report(quality_summary(outcomes), run_label="r", generated_at=GENERATED)).text)
    assert "所有报表均已接收，没有发现问题。" in text
    assert "规则说明" not in text
    empty = "".join(parse(render_quality_report(quality_summary([]), run_label="r", generated_at=GENERATED)).text)
    assert "本次运行没有需要检查的报表。" in empty


def test_a_second_run_replaces_latest_and_keeps_the_first(tmp_path: Path) -> None:
    first = write_quality_report(run_outcomes(), tmp_path, run_label="run-1", generated_at=GENERATED)
    second = write_quality_report(run_outcomes()[:1], tmp_path, run_label="run-2", generated_at=GENERATED)
    assert first.is_file() and second.is_file()
    assert (tmp_path / "latest.html").read_bytes() == second.read_bytes() != first.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


@pytest.mark.parametrize(
    ("label", "expected"),
    [("2026-11-x2", "2026-11-x2"), ("../../etc/passwd", "etc-passwd"), ("旬报 run 3", "run-3")],
)
def test_run_labels_cannot_leave_the_folder(label: str, expected: str) -> None:
    assert safe_label(label) == expected


def test_a_label_with_nothing_usable_is_refused() -> None:
    with pytest.raises(ValueError, match="run label"):
        safe_label("旬报/..")


# --- the Markdown digest and table rows (the Prefect artifacts' content) -------------------


def test_file_rows_carry_unit_period_status_and_counts() -> None:
    rows = file_rows(quality_summary(run_outcomes(), unit_names=UNIT_NAMES))
    assert [(r["unit"], r["period"], r["status"], r["errors"], r["warnings"]) for r in rows] == [
        ("东湖县", "2026-11-x2", "refused", 3, 1),
        ("西山县", "2026-11-x2", "accepted_with_warnings", 0, 1),
        ("城关区", "2026-11-x2", "accepted", 0, 0),
    ]


def table_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def test_the_markdown_lists_only_the_refused_files_problems() -> None:
    markdown = problems_markdown(quality_summary(run_outcomes(), unit_names=UNIT_NAMES))
    assert markdown.startswith("# 退回重报的报表（1份）")
    assert "西山县" not in markdown
    lines = table_lines(markdown)
    assert lines[0] == "| 位置 | 列 | 值 | 规则 | 级别 | 说明 |"
    assert len(lines) == 1 + 4
    assert "grade\\_mismatch" in lines[2]


def test_the_markdown_neutralises_what_a_clerk_typed() -> None:
    markdown = problems_markdown(quality_summary(run_outcomes()))
    assert "<script>" not in markdown
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in markdown
    assert escape_markdown("a|b\n*c*  [d](e)") == "a\\|b \\*c\\* \\[d\\](e)"
    assert len(escape_markdown("长" * 500)) == MAX_CELL_CHARS


def test_the_markdown_is_truncated_with_a_count_of_what_is_left_out() -> None:
    many = [problem("error", "negative_value", row=4 + n, column="死亡人数", value="-1") for n in range(30)]
    outcomes = [
        ReturnOutcome(received("东湖县.xlsx", "439902"), problems=many),
        ReturnOutcome(received("西山县.xlsx", "439903"), problems=many[:5]),
    ]
    markdown = problems_markdown(quality_summary(outcomes), max_rows=12)
    assert len([line for line in table_lines(markdown) if "negative" in line]) == 12
    assert markdown.rstrip().endswith("……另有23条问题未列出，详见 HTML 质量报告。")
    assert "西山县" not in markdown  # the room ran out before its section
    assert re.search(r"^## 439902", markdown, flags=re.MULTILINE)


def test_no_refused_file_says_so() -> None:
    assert problems_markdown(quality_summary(run_outcomes()[:2])) == "本次运行没有退回重报的报表。\n"
