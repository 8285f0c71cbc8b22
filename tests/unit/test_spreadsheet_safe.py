"""Nothing the system writes into a CSV runs as a formula when an analyst opens it."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from govbrief.formatting import escape_cell, write_csv

DANGEROUS = [
    '=HYPERLINK("http://evil.example","点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－cmd",
    "＠SUM(A1)",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_like_a_formula_gets_a_leading_quote(text: str) -> None:
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["东湖县", "道路交通", "a=b", " =1+1", "", "'=already quoted", "—", "无"])
def test_ordinary_text_is_untouched(value: str) -> None:
    assert escape_cell(value) == value


@pytest.mark.parametrize("value", [0, -3, 2.5, -0.75, Decimal("-1.5"), True, None, date(2026, 11, 20)])
def test_non_text_values_are_untouched(value: object) -> None:
    assert escape_cell(value) is value


@pytest.mark.parametrize("text", ["-3", "+1.5", "-0.25", "-1e3", "-.5"])
def test_numbers_written_as_text_stay_numbers(text: str) -> None:
    # A spreadsheet reads these as numbers, never as formulas: a quote would only spoil the figure.
    assert escape_cell(text) == text


def test_csv_opens_with_a_bom_and_reads_back_escaped(tmp_path: Path) -> None:
    path = tmp_path / "问题清单.csv"
    rows: list[list[object]] = [["东湖县", "=1+1", -3, "多行\n说明，含逗号"], ["西山县", None, 2.5, "@SUM(A1)"]]
    write_csv(path, ["县市区", "值", "数", "说明"], rows)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        back = list(csv.reader(f))
    assert back == [
        ["县市区", "值", "数", "说明"],
        ["东湖县", "'=1+1", "-3", "多行\n说明，含逗号"],
        ["西山县", "", "2.5", "'@SUM(A1)"],
    ]


def test_the_header_is_escaped_too(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(path, ["=cmd"], [])
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["'=cmd"]
