"""Generated malformed cells, sheets and files thrown at the reader.

The contract: every cell either reads to the value the clerk meant, or the
reader reports a problem at that cell (with the rule the contract names); a
sheet's figures never shift between columns whatever the layout; and nothing,
not even random bytes, makes the reader raise.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govbrief.calendar.periods import Period
from govbrief.demo.accident_rows import ordinary_accident
from govbrief.glossary import Column
from govbrief.problems import Problem
from govbrief.readers import read_return
from govbrief.readers.cells import NOTHING_MARKERS
from govbrief.readers.headers import header_lookup, normalize_header
from govbrief.readers.loaders import Worksheet
from govbrief.readers.workbook import read_sheet
from tests.fixtures import forms
from tests.fixtures.forms import KIND

ACCIDENTS = KIND.sheet("accidents")
GENERATED = tuple(c for c in ACCIDENTS.columns if c.id not in ("county", "accident_id"))
EXCEL_EPOCH = date(1899, 12, 30)
FULL_WIDTH = str.maketrans("0123456789.,-/", "０１２３４５６７８９．，－／")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Cell:
    """A raw cell, the value the clerk meant (None: no value), and the rule expected at the cell (None: none)."""

    raw: object
    value: object
    rule: str | None


# ----- cells -------------------------------------------------------------------------------------


def _spellings(number: int | float) -> list[object]:
    text = str(number)
    return [number, text, f" {text}  ", f"{number:,}", f"{number:,}".replace(",", "，"), text.translate(FULL_WIDTH)]


def _spelled(
    numbers: st.SearchStrategy[int] | st.SearchStrategy[float], rule: str | None, meant: bool = True
) -> st.SearchStrategy[Cell]:
    return numbers.flatmap(
        lambda n: st.sampled_from(_spellings(n)).map(lambda raw: Cell(raw, n if meant else None, rule))
    )


def _no_digits(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text)
    return not any(ch.isdigit() for ch in folded) and "%" not in folded and folded.strip() not in NOTHING_MARKERS


def junk(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text that is no number and no date: no digit anywhere, not blank, not 无."""
    return st.text(alphabet, min_size=1, max_size=12).filter(lambda t: t.strip() != "" and _no_digits(t))


BLANKS = st.sampled_from([None, "", "   ", "—", "-", "／", "--", float("nan")])


def count_cells(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[Cell]:
    """Counts: any spelling of a whole number, blanks and 无, and every way of being wrong."""
    whole = st.integers(0, 10**8)
    fractional = st.floats(0, 1e6).filter(lambda x: abs(x - round(x)) > 1e-6)
    return st.one_of(
        _spelled(whole, None),
        whole.map(float).map(lambda x: Cell(x, int(x), None)),
        BLANKS.map(lambda raw: Cell(raw, 0, "blank_count")),
        st.just(Cell("无", 0, None)),
        _spelled(st.integers(-(10**6), -1), "negative_count", meant=False),
        fractional.map(lambda x: Cell(x, None, "fractional_count")),
        st.integers(10**9, 10**30).map(lambda n: Cell(n, None, "count_too_large")),
        st.sampled_from([math.inf, -math.inf, True, False, date(2026, 1, 1)]).map(
            lambda r: Cell(r, None, "not_a_number")
        ),
        junk(alphabet).map(lambda t: Cell(t, None, "not_a_number")),
        whole.map(lambda n: Cell(f"{n}%", None, "percent_not_allowed")),
    )


def amount_cells(required: bool, alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[Cell]:
    """Amounts (万元, 公顷…): any non-negative number in any spelling; blanks are 0 only where required."""
    amounts = st.floats(0, 1e12, allow_nan=False, allow_infinity=False)
    blank_value, blank_rule = (0.0, "blank_count") if required else (None, None)
    return st.one_of(
        _spelled(amounts, None),
        BLANKS.map(lambda raw: Cell(raw, blank_value, blank_rule)),
        st.just(Cell("无", 0.0 if required else None, None)),
        _spelled(st.floats(-1e9, -1e-3), "negative_number", meant=False),
        st.sampled_from([math.inf, True, datetime(2026, 1, 1)]).map(lambda r: Cell(r, None, "not_a_number")),
        junk(alphabet).map(lambda t: Cell(t, None, "not_a_number")),
    )


DATE_SPELLINGS: tuple[Callable[[date], object], ...] = (
    lambda d: d,
    lambda d: datetime(d.year, d.month, d.day, 23, 59),
    lambda d: (d - EXCEL_EPOCH).days,
    lambda d: (d - EXCEL_EPOCH).days + 0.75,
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d:%Y/%m/%d} 00:00:00",
    lambda d: f"{d:%Y%m%d}",
    lambda d: int(f"{d:%Y%m%d}"),
    lambda d: f" {d.year}年{d.month}月{d.day}日 ".translate(FULL_WIDTH),
)


def date_cells(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[Cell]:
    """Dates in every spelling; impossible dates and junk are errors; a blank date is no value."""
    days = st.dates(date(1950, 1, 1), date(2100, 12, 31))
    impossible = st.sampled_from(["2023-02-30", "2023/13/1", "2023年4月31日", "2023.0.5"])
    return st.one_of(
        st.tuples(days, st.sampled_from(DATE_SPELLINGS)).map(lambda p: Cell(p[1](p[0]), p[0], None)),
        st.sampled_from([None, "", " ", "无", "—"]).map(lambda raw: Cell(raw, None, None)),
        impossible.map(lambda t: Cell(t, None, "not_a_date")),
        st.sampled_from([True, 0, -5, 3_000_000, 99_999_999]).map(lambda r: Cell(r, None, "not_a_date")),
        junk(alphabet).map(lambda t: Cell(t, None, "not_a_date")),
    )


def _meant_text(text: str) -> str | None:
    return (
        None if text.strip() == "" or unicodedata.normalize("NFKC", text).strip() in NOTHING_MARKERS else text.strip()
    )


def text_cells(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[Cell]:
    """Free text (any unicode) is kept, stripped; blank and 无 / — are no value; whole numbers lose ".0"."""
    return st.one_of(
        st.text(alphabet, max_size=40).map(lambda t: Cell(t, _meant_text(t), None)),
        st.integers(0, 10**12).map(lambda n: Cell(float(n), str(n), None)),
    )


ANY_CHAR = st.characters()
# What an .xlsx can hold: no control characters or lone surrogates.
XLSX_CHAR = st.characters(blacklist_categories=("Cc", "Cs"))


def cell_for(column: Column, alphabet: st.SearchStrategy[str] = ANY_CHAR) -> st.SearchStrategy[Cell]:
    """The generated cells for a column's type."""
    if column.type == "int":
        return count_cells(alphabet)
    if column.type == "number":
        return amount_cells(column.required, alphabet)
    return date_cells(alphabet) if column.type == "date" else text_cells(alphabet)


def generated_rows(
    alphabet: st.SearchStrategy[str] = ANY_CHAR, max_rows: int = 4
) -> st.SearchStrategy[list[list[Cell]]]:
    row = st.tuples(*(cell_for(column, alphabet) for column in GENERATED)).map(list)
    return st.lists(row, min_size=1, max_size=max_rows)


def _grid(rows: Sequence[Sequence[Cell]]) -> list[list[object]]:
    header = [c.header for c in ACCIDENTS.columns]
    return [header, *[["东湖县", f"DH-{index}", *(cell.raw for cell in row)] for index, row in enumerate(rows)]]


def _same(meant: object, read: object) -> bool:
    if meant is None:
        return bool(pd.isna(read))
    if isinstance(meant, date):
        return bool(pd.Timestamp(meant) == read)
    return bool(meant == read)


def assert_each_cell_read_or_reported(
    rows: Sequence[Sequence[Cell]], frame: pd.DataFrame, problems: list[Problem]
) -> None:
    """Every cell: the meant value and exactly the expected problem (or none) at its row and column."""
    at = {(p.row, p.column): p.rule for p in problems}
    assert len(at) == len(problems), "at most one problem per cell"
    assert len(frame) == len(rows)
    for index, row in enumerate(rows):
        for column, cell in zip(GENERATED, row, strict=True):
            read = frame[column.id].iloc[index]
            where = (index + 2, column.header)
            assert at.get(where) == cell.rule, (cell, where, at.get(where))
            assert _same(cell.value, read), (cell, read)


@SETTINGS
@given(generated_rows())
def test_every_generated_cell_reads_as_meant_or_is_reported_there(rows: list[list[Cell]]) -> None:
    result = read_sheet(Worksheet("事故明细", _grid(rows)), ACCIDENTS, "r.xlsx")
    assert_each_cell_read_or_reported(rows, result.frame, result.problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_rows(XLSX_CHAR.filter(lambda ch: ch != "="), max_rows=3))
def test_generated_cells_survive_a_real_xlsx(rows: list[list[Cell]]) -> None:
    writable = [row for row in rows if not _has_unwritable(row)]
    if not writable:
        return
    with TemporaryDirectory() as folder:
        path = forms.write_xlsx(Path(folder) / "r.xlsx", [forms.SheetSpec("事故明细", _grid(writable))])
        result = read_return(path, KIND)
    problems = [p for p in result.problems if p.rule != "missing_sheet"]
    assert_each_cell_read_or_reported(writable, result.frames["accidents"], problems)


def _has_unwritable(row: Sequence[Cell]) -> bool:
    """xlsx stores no NaN or infinity, and numbers only to 15 significant digits, as Excel does."""
    return any(_unwritable(cell.raw) for cell in row)


def _unwritable(raw: object) -> bool:
    if isinstance(raw, float):
        return not math.isfinite(raw) or float(f"{raw:.15g}") != raw
    return isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) >= 10**15


# ----- sheets --------------------------------------------------------------------------------------

TITLES = ["东湖县安全生产旬报表", "填报单位：东湖县应急管理局  填报日期：2026年11月22日", "单位：万元、人", None]
FOOTERS = [["合计"], ["填表人：张三  联系电话：0734-1234567"], ["审核人：李四"], ["注：本表每旬报送"], [None]]
EXTRA_LABELS = ["序号", "备注", "附件", "核实情况", "所属乡镇", "发生地点"]


@dataclass(frozen=True)
class Layout:
    """How a clerk rearranged the sheet."""

    columns: list[Column | str]  # kept glossary columns and extra labels, in file order
    titles: list[str | None]
    blank_after: set[int]  # data rows followed by a blank row
    footers: list[list[object]]


def layouts() -> st.SearchStrategy[Layout]:
    kept = st.lists(st.sampled_from(ACCIDENTS.columns), unique=True, min_size=1)
    extra = st.lists(st.sampled_from(EXTRA_LABELS), unique=True, max_size=3)
    columns = st.tuples(kept, extra).flatmap(lambda p: st.permutations([*p[0], *p[1]]))
    return st.builds(
        Layout,
        columns=columns,
        titles=st.lists(st.sampled_from(TITLES), max_size=3),
        blank_after=st.sets(st.integers(0, 30), max_size=4),
        footers=st.lists(st.sampled_from(FOOTERS), max_size=3),
    )


def _lay_out(layout: Layout, records: Sequence[dict[str, object]]) -> tuple[list[list[object]], list[int]]:
    """The sheet's grid and the Excel row of each record."""
    grid: list[list[object]] = [[title] for title in layout.titles]
    grid.append([c if isinstance(c, str) else c.header for c in layout.columns])
    excel_rows = []
    for index, record in enumerate(records):
        grid.append([f"附{index}" if isinstance(c, str) else record.get(c.id) for c in layout.columns])
        excel_rows.append(len(grid))
        if index in layout.blank_after:
            grid.append([None] * len(layout.columns))
    return [*grid, *layout.footers], excel_rows


PERIOD = Period.parse("2026-11-x2")
RECORDS = [asdict(ordinary_accident(random.Random(i), "东湖县", PERIOD, f"DH-2026-{i:03d}")) for i in range(6)]


def test_extra_labels_name_no_column() -> None:
    assert not {normalize_header(label) for label in EXTRA_LABELS} & set(header_lookup(ACCIDENTS))


def _expected_problems(layout: Layout) -> list[tuple[str, int | None, str]]:
    kept = {c.id for c in layout.columns if isinstance(c, Column)}
    required = [c for c in ACCIDENTS.columns if c.required]
    if 2 * sum(c.id in kept for c in required) < len(required):
        return [("missing_header", None, "")]
    return [("missing_column", len(layout.titles) + 1, c.header) for c in required if c.id not in kept]


def _assert_same_figures(layout: Layout, records: Sequence[dict[str, object]], frame: pd.DataFrame) -> None:
    kept = {c.id for c in layout.columns if isinstance(c, Column)}
    for column in ACCIDENTS.columns:
        meant = [record[column.id] if column.id in kept else None for record in records]
        read = frame[column.id].tolist()
        assert all(_same(m, r) for m, r in zip(meant, read, strict=True)), (column.id, meant, read)


@SETTINGS
@given(layouts(), st.integers(0, len(RECORDS)))
def test_any_layout_reads_the_same_figures(layout: Layout, count: int) -> None:
    records = RECORDS[:count]
    grid, excel_rows = _lay_out(layout, records)
    result = read_sheet(Worksheet("事故明细", grid), ACCIDENTS, "r.xlsx")
    expected = _expected_problems(layout)
    assert [(p.rule, p.row, p.column) for p in result.problems] == expected
    if expected[:1] == [("missing_header", None, "")]:
        assert result.frame.empty
        return
    assert result.frame["_row"].tolist() == excel_rows
    _assert_same_figures(layout, records, result.frame)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts(), st.integers(1, len(RECORDS)), st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]))
def test_any_layout_reads_the_same_figures_from_csv(layout: Layout, count: int, encoding: str) -> None:
    records = RECORDS[:count]
    grid, excel_rows = _lay_out(layout, records)
    with TemporaryDirectory() as folder:
        result = read_return(forms.write_csv(Path(folder) / "r.csv", grid, encoding), KIND)
    expected = _expected_problems(layout)
    if expected[:1] == [("missing_header", None, "")]:
        # A CSV whose header names no sheet well enough is not taken for any sheet.
        assert [p.rule for p in result.problems] == ["missing_sheet"] * 3
        return
    assert [(p.rule, p.row, p.column) for p in result.problems if p.rule != "missing_sheet"] == expected
    assert result.frames["accidents"]["_row"].tolist() == excel_rows
    _assert_same_figures(layout, records, result.frames["accidents"])


# ----- damaged files -------------------------------------------------------------------------------


def _base_files(folder: Path) -> list[bytes]:
    grid = [["东湖县安全生产旬报表"], [c.header for c in ACCIDENTS.columns], *forms.data_rows(ACCIDENTS, RECORDS)]
    spec = [forms.SheetSpec("事故明细", grid, [(0, 0, 0, 3)])]
    paths = [
        forms.write_xlsx(folder / "r.xlsx", spec),
        forms.write_xls(folder / "r.xls", spec),
        forms.write_csv(folder / "r.csv", grid, "gbk"),
        forms.write_html(folder / "r.html", spec, "gbk"),
        forms.encrypted_workbook(folder / "e.xlsx"),
    ]
    return [path.read_bytes() for path in paths]


with TemporaryDirectory() as _folder:
    BASES = _base_files(Path(_folder))


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A real file truncated, with bytes overwritten, or with junk spliced in."""
    data = bytearray(draw(st.sampled_from(BASES)))
    how = draw(st.sampled_from(["truncate", "overwrite", "splice"]))
    at = draw(st.integers(0, len(data)))
    if how == "truncate":
        return bytes(data[:at])
    junk = draw(st.binary(min_size=1, max_size=64))
    if how == "overwrite":
        data[at : at + len(junk)] = junk
        return bytes(data)
    return bytes(data[:at] + junk + data[at:])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(), st.sampled_from([None, "xlsx", "xls", "csv", "html"]))
def test_damaged_files_never_raise(data: bytes, declared: str | None) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "东湖县安全生产旬报表.xls"
        path.write_bytes(data)
        result = read_return(path, KIND, file_format=declared)
    assert set(result.frames) == {sheet.id for sheet in KIND.sheets}
    assert all(p.rule and p.message_zh and p.message_en for p in result.problems)
    file_errors = [p for p in result.problems if p.sheet == "" and p.severity == "error"]
    if file_errors:
        assert len(result.problems) == 1 and all(frame.empty for frame in result.frames.values())
