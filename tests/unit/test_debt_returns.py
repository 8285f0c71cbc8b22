"""The debt (债务化解) and key-task (重点工作) returns: glossary, configuration, target-table columns,
and every suite rule on minimal frames (file, row, column, rule, severity)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from govbrief.config import DebtSettings, load_settings
from govbrief.glossary import load_glossary
from govbrief.problems import Problem
from govbrief.quality.derive import derive_columns
from govbrief.quality.suites import load_suite_specs
from govbrief.quality.validate import _sheet_problems
from govbrief.readers import read_return
from govbrief.targets.plans import (
    PlanTableError,
    key_task_header,
    key_task_names,
    load_key_tasks,
    load_opening_hidden,
)

GLOSSARY = load_glossary()
DEBT = GLOSSARY.sheet("debt")
KEY_TASKS = GLOSSARY.sheet("key_tasks")
UNIT = "439902"
FILE = "东湖县政府债务化解月报表.xlsx"
TASKS_2026 = ("高标准农田建设", "城镇老旧小区改造", "城镇新增就业", "重大项目完成投资")
CLEAN_DEBT: dict[str, Any] = {
    "county": "东湖县", "legal_balance": 120.50, "debt_limit": 135.00, "hidden_balance": 21.40, "hidden_new": 0.0,
    "resolved_fiscal": 0.10, "resolved_assets": 0.05, "resolved_project_income": 0.04, "resolved_conversion": 0.03,
    "resolved_refinance": 0.06, "resolved_restructure": 0.01, "due": 0.80, "paid_on_time": 0.80,
    "overdue_balance": 0.0,
}  # fmt: skip
RESOLVED_TOTAL = 0.29  # Σ of the channels above
CLEAN_TASK: dict[str, Any] = {
    "county": "东湖县", "task": "城镇新增就业", "unit": "人", "done_this_month": 300.0, "done_ytd": 900.0,
}  # fmt: skip


def month_frame(sheet_id: str, month: int, *rows: Mapping[str, Any], sha: str = "a" * 64) -> pd.DataFrame:
    """One file's sheet for 2026-<month>, as the readers and ingest hand it over; rows from Excel row 3."""
    clean = CLEAN_DEBT if sheet_id == "debt" else CLEAN_TASK
    records = [{**clean, **row, "_row": 3 + n} for n, row in enumerate(rows or [{}])]
    frame = pd.DataFrame(records, columns=[*GLOSSARY.sheet(sheet_id).column_ids, "_row"])
    period = pd.Period(f"2026-{month:02d}", "M")
    return frame.assign(
        _sheet=GLOSSARY.sheet(sheet_id).name_zh,
        _file=FILE,
        _sha=sha,
        unit_code=UNIT,
        period_start=period.start_time,
        period_end=period.end_time.normalize(),
    )


def problems(sheet_id: str, *frames: pd.DataFrame, **context: Any) -> list[Problem]:
    """What the suite reports on these frames (derived columns added with `context`), as clerks see it."""
    derived = derive_columns(sheet_id, pd.concat(frames, ignore_index=True), **context)
    found = _sheet_problems(sheet_id, load_suite_specs()[sheet_id], derived, GLOSSARY.sectors["safety"])
    return [problem for _, problem in found]


def located(found: Sequence[Problem]) -> set[tuple[str, int | None, str, str, str]]:
    return {(p.sheet, p.row, p.column, p.rule, p.severity) for p in found}


# --- the glossary and the configuration ------------------------------------------------------


def test_the_glossary_spells_both_monthly_returns() -> None:
    debt, tasks = GLOSSARY.returns["debt"], GLOSSARY.returns["key_tasks"]
    spelled = {kind.name_zh: (kind.cadence, [s.name_zh for s in kind.sheets]) for kind in (debt, tasks)}
    assert spelled == {"政府债务化解月报表": ("month", ["债务化解"]), "重点工作进度月报表": ("month", ["重点工作"])}
    assert DEBT.rows == "one"
    assert KEY_TASKS.column_ids == ("county", "task", "unit", "done_this_month", "done_ytd")


def test_the_configured_channels_are_exactly_the_glossary_columns_in_order() -> None:
    debt = load_settings().debt
    headers = [DEBT.column(c.column_id).header for c in debt.channels]
    assert headers == [f"{c.name}（亿元）" for c in debt.channels]
    assert [c.name for c in debt.channels][-1] == "破产重整或清算"
    assert debt.glossary_mismatches(DEBT.column_ids) == []
    assert set(debt.plan_opening_stock) == {u.code for u in load_settings().units}


def test_a_channel_missing_on_either_side_is_named() -> None:
    debt = DebtSettings(channels=({"id": "fiscal", "name": "财政资金偿还"}, {"id": "swap", "name": "置换"}))
    issues = debt.glossary_mismatches(DEBT.column_ids)
    assert any("置换" in issue and "resolved_swap" in issue for issue in issues)
    assert sum("is no configured debt channel" in issue for issue in issues) == 5  # the other five columns
    with pytest.raises(ValueError, match="duplicate debt channel"):
        DebtSettings(channels=({"id": "fiscal", "name": "甲"}, {"id": "fiscal", "name": "乙"}))
    with pytest.raises(ValueError, match="ends before it starts"):
        DebtSettings(plan_start_year=2028, plan_end_year=2022)


def test_the_target_tables_carry_key_tasks_and_opening_stock() -> None:
    targets = load_settings().paths.targets
    tasks = load_key_tasks(targets, 2026)
    assert tuple(t.name for t in tasks) == TASKS_2026
    assert [t.measure for t in tasks] == ["万亩", "个", "人", "亿元"]
    assert "439909" not in tasks[0].targets  # 高新区 has no farmland: a blank target means no such task
    assert len(tasks[2].targets) == 9
    assert key_task_names(targets, [2026, 2099]) == {2026: TASKS_2026, 2099: ()}
    opening = load_opening_hidden(targets, [2025, 2026])
    assert len(opening) == 18 and all(value > 0 for value in opening.values())


def test_target_table_headers_tolerate_half_width_spelling_and_refuse_bad_amounts(tmp_path: Path) -> None:
    header = key_task_header("城镇新增就业", "人").replace("（", "(").replace("）", ")").replace("：", ":")
    (tmp_path / "2026.csv").write_text(f"县市区代码,{header}, 年初隐性债务余额(亿元)\n439902,3400,21.69\n", "utf-8")
    [task] = load_key_tasks(tmp_path, 2026)
    assert (task.name, task.measure, task.targets) == ("城镇新增就业", "人", {"439902": 3400.0})
    assert load_opening_hidden(tmp_path, [2026]) == {("439902", 2026): 21.69}
    (tmp_path / "2027.csv").write_text("县市区代码,年初隐性债务余额（亿元）\n439902,-1\n", "utf-8")
    with pytest.raises(PlanTableError, match="row 2"):
        load_opening_hidden(tmp_path, [2027])


# --- the debt suite --------------------------------------------------------------------------


def test_a_clean_debt_return_that_rolls_forward_passes() -> None:
    march = month_frame("debt", 3)
    april = month_frame("debt", 4, {"hidden_balance": round(21.40 - RESOLVED_TOTAL, 2)}, sha="b" * 64)
    assert problems("debt", march, april) == []


@pytest.mark.parametrize(
    ("column", "value", "rule", "severity"),
    [
        ("overdue_balance", -0.5, "negative_value", "error"),
        ("resolved_refinance", 0.065, "too_many_decimals", "warning"),
        ("legal_balance", 120.501, "too_many_decimals", "warning"),
    ],
)
def test_each_amount_rule_names_its_cell(column: str, value: float, rule: str, severity: str) -> None:
    found = problems("debt", month_frame("debt", 3, {column: value}))
    assert located(found) == {("债务化解", 3, DEBT.column(column).header, rule, severity)}


def test_new_hidden_debt_below_zero_is_refused_with_a_pointer_to_the_channels() -> None:
    found = problems("debt", month_frame("debt", 3, {"hidden_new": -0.2}))
    assert ("债务化解", 3, "本月新增隐性债务（亿元）", "negative_new_hidden_debt", "error") in located(found)
    assert any("六个一批" in p.message_zh for p in found)


def test_paying_more_than_is_due_is_an_error_on_the_paid_column() -> None:
    [found] = problems("debt", month_frame("debt", 3, {"due": 0.50, "paid_on_time": 0.60}))
    assert located([found]) == {("债务化解", 3, "本月按期偿付本息（亿元）", "paid_exceeds_due", "error")}
    assert "0.6" in found.message_zh and "0.5" in found.message_zh
    assert problems("debt", month_frame("debt", 3, {"due": 0.50, "paid_on_time": 0.30})) == []  # a miss is data


def test_a_legal_balance_over_the_limit_is_not_refused() -> None:
    # The brief shows it as a red alert (限额使用率 > 100%); refusing the return would hide it.
    assert problems("debt", month_frame("debt", 3, {"legal_balance": 140.00, "debt_limit": 135.00})) == []


def test_altering_one_month_breaks_the_roll_forward_naming_both_balances() -> None:
    march = month_frame("debt", 3)
    april = month_frame("debt", 4, {"hidden_balance": 21.30}, sha="b" * 64)  # should be 21.40 − 0.29 = 21.11
    [broken] = problems("debt", march, april)
    assert located([broken]) == {("债务化解", 3, "隐性债务余额（亿元）", "roll_forward_broken", "error")}
    assert "21.3" in broken.message_zh and "21.4" in broken.message_zh and "21.11" in broken.message_zh
    within = month_frame("debt", 4, {"hidden_balance": 21.114}, sha="b" * 64)  # 0.004 亿元 off: tolerated
    assert [p.rule for p in problems("debt", march, within)] == ["too_many_decimals"]


def test_the_roll_forward_is_only_checked_where_the_previous_balance_is_known() -> None:
    april = month_frame("debt", 4, {"hidden_balance": 99.99})
    assert problems("debt", april) == []  # no March row at hand: nothing to compare with
    june = month_frame("debt", 6, sha="b" * 64)
    assert problems("debt", april, june) == []  # May is missing: June is not compared with April


def test_january_rolls_forward_from_december_or_else_the_opening_stock() -> None:
    january = month_frame("debt", 1, {"hidden_balance": 21.40})
    opening = {(UNIT, 2026): 21.69}
    assert problems("debt", january, opening_hidden=opening) == []
    assert [p.rule for p in problems("debt", january, opening_hidden={(UNIT, 2026): 25.00})] == ["roll_forward_broken"]
    december = month_frame("debt", 1, {"hidden_balance": 21.69}, sha="c" * 64)
    december = december.assign(period_start=pd.Timestamp("2025-12-01"), period_end=pd.Timestamp("2025-12-31"))
    assert problems("debt", december, january, opening_hidden={(UNIT, 2026): 25.00}) == []  # December wins


# --- the key-task suite ----------------------------------------------------------------------


def test_a_clean_key_task_return_passes() -> None:
    june = month_frame("key_tasks", 6)
    july = month_frame("key_tasks", 7, {"done_ytd": 1200.0}, sha="b" * 64)
    assert problems("key_tasks", june, july, key_tasks={2026: TASKS_2026}) == []


def test_an_unknown_task_is_refused_with_the_closest_listed_one() -> None:
    frame = month_frame("key_tasks", 6, {}, {"task": "老旧小区改造"})
    [found] = problems("key_tasks", frame, key_tasks={2026: TASKS_2026})
    assert located([found]) == {("重点工作", 4, "工作事项", "unknown_task", "error")}
    assert "“老旧小区改造”" in found.message_zh and "是否应为“城镇老旧小区改造”" in found.message_zh
    assert "did you mean “城镇老旧小区改造”" in found.message_en
    assert problems("key_tasks", frame, key_tasks={2025: TASKS_2026}) == []  # 2026 lists nothing: not judged


@pytest.mark.parametrize(
    ("row", "column", "rule", "severity"),
    [
        ({"task": None}, "工作事项", "missing_value", "error"),
        ({"done_this_month": -3.0}, "本月完成", "negative_value", "error"),
        ({"done_this_month": 950.0}, "累计完成", "ytd_below_month", "error"),
    ],
)
def test_each_key_task_rule_names_its_cell(row: dict[str, Any], column: str, rule: str, severity: str) -> None:
    found = problems("key_tasks", month_frame("key_tasks", 6, row), key_tasks={2026: TASKS_2026})
    assert (("重点工作", 3, column, rule, severity)) in located(found)


def test_a_falling_year_to_date_is_a_warning_within_the_year_only() -> None:
    june = month_frame("key_tasks", 6)
    july = month_frame("key_tasks", 7, {"done_ytd": 850.0, "done_this_month": 0.0}, sha="b" * 64)
    [found] = problems("key_tasks", june, july)
    assert located([found]) == {("重点工作", 3, "累计完成", "ytd_decreased", "warning")}
    assert found.file == FILE and "900" in found.message_zh
    january = month_frame("key_tasks", 1, {"done_ytd": 10.0, "done_this_month": 10.0}, sha="c" * 64)
    december = june.assign(period_start=pd.Timestamp("2025-12-01"), period_end=pd.Timestamp("2025-12-31"))
    assert problems("key_tasks", december, january) == []  # a new year starts from nothing


# --- reading real-looking files --------------------------------------------------------------


def test_a_hand_made_debt_workbook_with_drifted_headers_reads(tmp_path: Path) -> None:
    headers = [
        "县（市、区）", "法定债务余额(亿元)", "债务限额", "隐性债务余额", "本月新增隐性债务", "财政资金偿还",
        "出让股权和经营性资产偿还", "项目结转资金及经营收入偿还", "合规转化为企业经营性债务", "借新还旧和展期",
        "破产重整或清算", "到期应偿本息", "按期偿付本息", "逾期债务余额",
    ]  # fmt: skip
    values = ["东湖", "1,120.50", 1135, 21.11, "无", 0.1, 0.05, 0.04, 0.03, 0.06, 0.01, 0.8, "0.80", 0]
    path = write_sheet(tmp_path / "东湖县债务.xlsx", "债务化解情况", [["东湖县政府债务化解月报表"], headers, values])
    read = read_return(path, GLOSSARY.returns["debt"])
    assert read.problems == []
    row = read.frames["debt"].iloc[0]
    assert (row["county"], row["legal_balance"], row["hidden_new"], row["paid_on_time"]) == ("东湖", 1120.5, 0.0, 0.8)
    assert row["resolved_refinance"] == 0.06


def test_in_the_key_task_sheet_a_column_headed_unit_is_the_measure(tmp_path: Path) -> None:
    rows = [["县市区", "工作事项", "单位", "本月完成", "累计完成"], ["东湖县", "城镇新增就业", "人", 300, 900]]
    path = write_sheet(tmp_path / "东湖县重点工作.xlsx", "重点工作", rows)
    read = read_return(path, GLOSSARY.returns["key_tasks"])
    assert read.problems == []
    assert read.frames["key_tasks"][["county", "unit", "done_ytd"]].values.tolist() == [["东湖县", "人", 900.0]]


def write_sheet(path: Path, title: str, rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
