"""The demo's monthly returns (债务化解, 重点工作): files that read perfectly, figures that pass the
suites and roll forward, and the story the briefs tell (东湖县 lags, 临江市 recovers, one new hidden
debt, one missed payment), checked with plain arithmetic on the generated rows."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from govbrief.calendar.periods import Period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings, load_settings
from govbrief.demo.debt_returns import MonthlyReturn, build_debt_returns, demo_months, generate_debt_returns
from govbrief.demo.key_task_returns import build_key_task_returns, generate_key_task_returns
from govbrief.glossary import load_glossary
from govbrief.quality.derive import derive_columns
from govbrief.quality.gx_runner import run_suite
from govbrief.quality.suites import load_suite_specs
from govbrief.readers import read_return
from govbrief.targets.plans import key_task_names, load_opening_hidden

TARGET = Period.month(2026, 10)
DONGHU, LINJIANG, NANLING, ANPING = "439902", "439907", "439904", "439908"
LAG_TOLERANCE = 0.05
TARGETS_DIR = Path(__file__).resolve().parents[2] / "config" / "targets"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GOVBRIEF_DROP_DIR", str(tmp_path / "drop"))
    return load_settings()


@pytest.fixture(scope="module")
def debt() -> list[MonthlyReturn]:
    return build_debt_returns(load_settings(), demo_months(TARGET))


@pytest.fixture(scope="module")
def key_tasks() -> list[MonthlyReturn]:
    return build_key_task_returns(load_settings(), demo_months(TARGET))


def debt_tasks(year: int) -> dict[str, float]:
    """Unit code → 年度化债任务（亿元）, read straight from the analysts' CSV."""
    with (TARGETS_DIR / f"{year}.csv").open(encoding="utf-8-sig") as f:
        return {row["县市区代码"]: float(row["年度化债任务（亿元）"]) for row in csv.DictReader(f)}


def time_progress(month_end: date) -> float:
    """序时进度: elapsed days of the year / days in the year."""
    year_days = (date(month_end.year, 12, 31) - date(month_end.year, 1, 1)).days + 1
    return ((month_end - date(month_end.year, 1, 1)).days + 1) / year_days


def lagging_months(debt: list[MonthlyReturn], unit: str, year: int) -> list[int]:
    """Months whose end finds the unit's 化债 completion more than 5 pp behind 序时进度."""
    task, resolved, lagging = debt_tasks(year)[unit], 0.0, []
    for one in sorted((r for r in debt if r.unit.code == unit and r.period.year == year), key=lambda r: r.period):
        resolved += sum(float(v) for k, v in one.rows[0].items() if k.startswith("resolved_"))  # type: ignore[arg-type]
        if resolved / task < time_progress(one.period.end) - LAG_TOLERANCE:
            lagging.append(one.period.index)
    return lagging


# --- the story ------------------------------------------------------------------------------


def test_donghu_lags_every_month_end_from_march_and_linjiang_only_in_may_and_june(debt: list[MonthlyReturn]) -> None:
    assert lagging_months(debt, DONGHU, 2026) == list(range(3, TARGET.index + 1))  # 8 month-ends in a row
    assert lagging_months(debt, LINJIANG, 2026) == [5, 6]
    others = {u.code for u in load_settings().units} - {DONGHU, LINJIANG}
    assert all(lagging_months(debt, unit, 2026) == [] for unit in others)
    assert all(lagging_months(debt, u.code, 2025) == [] for u in load_settings().units)  # last year is ordinary


def test_one_new_hidden_debt_and_one_missed_payment_in_the_target_month(debt: list[MonthlyReturn]) -> None:
    new = [(r.unit.code, r.period) for r in debt if r.rows[0]["hidden_new"] != 0]
    missed = [(r.unit.code, r.period, r.rows[0]) for r in debt if r.rows[0]["paid_on_time"] != r.rows[0]["due"]]
    assert new == [(NANLING, TARGET)]
    [(unit, period, row)] = missed
    assert (unit, period) == (ANPING, TARGET)
    assert row["paid_on_time"] < row["due"]  # type: ignore[operator]
    assert row["overdue_balance"] == pytest.approx(row["due"] - row["paid_on_time"])  # type: ignore[operator]
    assert all(r.rows[0]["overdue_balance"] == 0 for r in debt if r.unit.code != ANPING or r.period != TARGET)


def test_hidden_debt_rolls_forward_every_month_across_new_year(debt: list[MonthlyReturn]) -> None:
    opening = load_opening_hidden(TARGETS_DIR, [2025, 2026])
    by_unit: dict[str, list[MonthlyReturn]] = defaultdict(list)
    for one in sorted(debt, key=lambda r: r.period):
        by_unit[one.unit.code].append(one)
    for unit, months in by_unit.items():
        balance = opening[(unit, 2025)]
        for one in months:
            if one.period == Period.month(2026, 1):
                assert balance == pytest.approx(opening[(unit, 2026)])  # the CSV agrees with December
            row = one.rows[0]
            resolved = sum(float(v) for k, v in row.items() if k.startswith("resolved_"))  # type: ignore[arg-type]
            balance = balance + float(row["hidden_new"]) - resolved  # type: ignore[arg-type]
            assert float(row["hidden_balance"]) == pytest.approx(balance, abs=0.005)  # type: ignore[arg-type]


def test_every_amount_has_two_decimals_and_the_demo_passes_its_suites(
    debt: list[MonthlyReturn], key_tasks: list[MonthlyReturn]
) -> None:
    amounts = [v for r in debt for k, v in r.rows[0].items() if k != "county"]
    assert all(abs(float(v) * 100 - round(float(v) * 100)) < 1e-6 for v in amounts)  # type: ignore[arg-type]
    context = {
        "debt": {"opening_hidden": load_opening_hidden(TARGETS_DIR, [2025, 2026])},
        "key_tasks": {"key_tasks": key_task_names(TARGETS_DIR, [2025, 2026])},
    }
    derived = {
        sheet_id: derive_columns(sheet_id, as_frame(returns), **context[sheet_id])  # type: ignore[arg-type]
        for sheet_id, returns in (("debt", debt), ("key_tasks", key_tasks))
    }
    assert derived["debt"]["roll_forward_gap"].notna().all()  # every month is compared with the one before
    for sheet_id, frame in derived.items():
        assert run_suite(sheet_id, load_suite_specs()[sheet_id], frame, {"sectors": []}) == []


def as_frame(returns: list[MonthlyReturn]) -> pd.DataFrame:
    """The generated rows as ingest hands them to validation (one file per return)."""
    frames = [
        pd.DataFrame(one.rows).assign(
            _sha=f"{one.unit.code}-{one.period.key}",
            _file="demo",
            _sheet="demo",
            _row=range(3, 3 + len(one.rows)),
            unit_code=one.unit.code,
            period_start=pd.Timestamp(one.period.start),
            period_end=pd.Timestamp(one.period.end),
        )
        for one in returns
        if one.rows
    ]
    return pd.concat(frames, ignore_index=True)


def test_key_tasks_follow_the_target_table_and_never_fall(key_tasks: list[MonthlyReturn]) -> None:
    gaoxin_2026 = [r for r in key_tasks if r.unit.code == "439909" and r.period.year == 2026]
    assert all("高标准农田建设" not in [row["task"] for row in r.rows] for r in gaoxin_2026)  # no target, no task
    totals: dict[tuple[str, int, object], float] = defaultdict(float)
    for one in sorted(key_tasks, key=lambda r: r.period):
        for row in one.rows:
            key = (one.unit.code, one.period.year, row["task"])
            totals[key] += float(row["done_this_month"])  # type: ignore[arg-type]
            assert float(row["done_ytd"]) == pytest.approx(totals[key])  # type: ignore[arg-type]
            if row["unit"] in ("个", "人"):
                assert isinstance(row["done_ytd"], int)
    assert min(float(r.rows[0]["done_this_month"]) for r in key_tasks) >= 0  # type: ignore[arg-type]


# --- the files ------------------------------------------------------------------------------


def test_written_files_read_back_exactly_and_arrive_in_the_first_five_working_days(settings: Settings) -> None:
    months = [Period.month(2026, 1), Period.month(2026, 2)]
    calendar = WorkCalendar.from_settings(settings)
    glossary = load_glossary()
    for return_id, generate, build in (
        ("debt", generate_debt_returns, build_debt_returns),
        ("key_tasks", generate_key_task_returns, build_key_task_returns),
    ):
        paths = generate(settings, months)
        kind = glossary.returns[return_id]
        for one, path in zip(build(settings, months), paths, strict=True):
            assert path == settings.paths.drop / one.period.key / f"{one.unit.name}{kind.name_zh}.xlsx"
            read = read_return(path, kind)
            assert read.problems == []
            sheet = kind.sheets[0]
            expected = pd.DataFrame(one.rows, columns=list(sheet.column_ids)).astype({"county": "str"})
            frame = read.frames[sheet.id][list(sheet.column_ids)]
            pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
            assert path.stat().st_mtime == one.submitted_at.timestamp()
            sent = one.submitted_at.date()
            assert one.period.end < sent <= calendar.nth_workday_after(one.period.end, 5)
            assert calendar.is_workday(sent)


def test_the_demo_is_reproducible_and_this_year_does_not_depend_on_last(debt: list[MonthlyReturn]) -> None:
    this_year = build_debt_returns(load_settings(), [Period.month(2026, m) for m in range(1, TARGET.index + 1)])
    again = {(r.unit.code, r.period): r.rows[0]["hidden_balance"] for r in this_year}
    full = {(r.unit.code, r.period): r.rows[0]["hidden_balance"] for r in debt if r.period.year == 2026}
    assert again == full  # January starts from the target table's opening stock, which equals December's
    assert build_debt_returns(load_settings(), [TARGET], seed=7) != build_debt_returns(load_settings(), [TARGET])
