"""A workbook that would make the reader exhaust memory is refused; the process carries on."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from govbrief.glossary import load_glossary
from govbrief.readers.isolation import CalamineChild, WorkbookCrashed
from govbrief.readers.workbook import read_return

KIND = load_glossary().returns["safety"]


def enormous_sheet(path: Path) -> Path:
    """5 KB on disk; one cell at XFD1048576 makes a dense reader allocate 512 GB."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "事故明细"
    sheet["A1"] = "县市区"
    sheet.cell(row=1_048_576, column=16_384, value="x")
    book.save(path)
    return path


def test_an_enormous_sheet_is_refused_and_reading_goes_on(tmp_path: Path) -> None:
    hostile = enormous_sheet(tmp_path / "东湖县安全生产旬报表.xlsx")
    assert hostile.stat().st_size < 20_000
    result = read_return(hostile, KIND)
    assert [(p.rule, p.severity) for p in result.problems] == [("workbook_too_large", "error")]
    assert "内存" in result.problems[0].message_zh
    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "执法检查"  # type: ignore[union-attr]
    book.save(good)
    assert "workbook_too_large" not in [p.rule for p in read_return(good, KIND).problems]


def test_the_child_is_replaced_after_it_dies(tmp_path: Path) -> None:
    child = CalamineChild(memory_limit=512 << 20)
    hostile = enormous_sheet(tmp_path / "x.xlsx").read_bytes()
    try:
        child.sheets(hostile)
    except WorkbookCrashed:
        pass
    else:
        raise AssertionError("a 512 GB sheet must not fit in 512 MB")
    book = openpyxl.Workbook()
    book.active["A1"] = "县市区"  # type: ignore[index]
    book.save(tmp_path / "ok.xlsx")
    [(_name, rows)] = child.sheets((tmp_path / "ok.xlsx").read_bytes())
    assert rows[0][0] == "县市区"
