"""Submission status: the unit × return × period matrix, its table and JSON, and timeliness."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.console import Console

from govbrief.briefs.common.submission_words import matrix_submissions, submission_info, summarise_submissions
from govbrief.calendar.deadlines import working_days_after
from govbrief.calendar.periods import Period, parse_period
from govbrief.config import Deadlines, Settings, load_settings
from govbrief.model import ReturnOutcome
from govbrief.status import (
    STATUSES,
    StatusMatrix,
    matrix_json,
    periods_within,
    render_matrix_table,
    submission_matrix,
    timeliness,
)
from govbrief.warehouse import Warehouse, connect
from tests.warehouse.builders import BEIJING, accident, outcome, problem, received, refused

X2 = parse_period("2026-11-x2")  # 11-11 to 11-20 (a Friday); due the 2nd working day after: Tue 24 November
DUE = date(2026, 11, 24)
AFTER = date(2026, 11, 27)
ON_TIME = datetime(2026, 11, 21, 9, 30, tzinfo=BEIJING)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings()


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    with connect(f"sqlite:///{tmp_path / 'w.db'}") as opened:
        yield opened


def arrive(warehouse: Warehouse, *outcomes: ReturnOutcome) -> None:
    """Each outcome in its own run, as returns trickle in."""
    for number, item in enumerate(outcomes):
        warehouse.save_outcomes([item], run_id=f"run-{number}")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


def matrix_of(
    warehouse: Warehouse, settings: Settings, today: date = AFTER, periods: tuple[Period, ...] = (X2,)
) -> StatusMatrix:
    return submission_matrix(warehouse, settings, periods, ["safety"], today=today)


def test_nothing_received_is_pending_until_the_due_day_ends_then_missing(
    warehouse: Warehouse, settings: Settings
) -> None:
    assert matrix_of(warehouse, settings, today=DUE).cell("439901", "safety", X2.key).status == "pending"
    assert matrix_of(warehouse, settings, today=date(2026, 11, 25)).cell("439901", "safety", X2.key).status == (
        "missing"
    )


def test_one_minute_after_midnight_in_beijing_is_late(warehouse: Warehouse, settings: Settings) -> None:
    arrive(
        warehouse,
        outcome(received("439902", at=at(24, 23, 59))),
        outcome(received("439903", at=at(25, 0, 0))),  # 16:00 UTC on the due day, but the next day in Beijing
    )
    matrix = matrix_of(warehouse, settings)
    on_time, late = matrix.cell("439902", "safety", X2.key), matrix.cell("439903", "safety", X2.key)
    assert (on_time.status, on_time.on_time) == ("on_time", True)
    assert (late.status, late.on_time) == ("late", False)
    assert late.received_at == at(25, 0, 0)


def test_a_corrected_return_is_replaced_and_keeps_its_timeliness_and_count(
    warehouse: Warehouse, settings: Settings
) -> None:
    arrive(
        warehouse,
        outcome(received("439902", content="v1", at=at(21, 9))),
        outcome(received("439902", content="v2", at=at(23, 10))),  # corrected before the deadline
        outcome(received("439903", content="v1", at=at(23, 9))),
        outcome(received("439903", content="v2", at=at(25, 9))),  # corrected after it…
        outcome(received("439903", content="v3", at=at(26, 9))),  # …twice
    )
    matrix = matrix_of(warehouse, settings)
    early, twice = matrix.cell("439902", "safety", X2.key), matrix.cell("439903", "safety", X2.key)
    assert (early.status, early.on_time, early.revisions, early.late_revisions) == ("replaced", True, 2, 0)
    assert (twice.status, twice.on_time, twice.revisions, twice.late_revisions) == ("replaced", True, 3, 2)
    assert twice.received_at == at(26, 9)
    assert twice.file == "西山县安全生产旬报表.xlsx"


def test_a_refused_correction_wins_over_the_accepted_return_before_it(warehouse: Warehouse, settings: Settings) -> None:
    arrive(
        warehouse,
        outcome(received("439904", content="v1", at=at(21, 9)), accident("A-1", "2026-11-12")),
        refused(received("439904", content="v2", at=at(22, 9))),
    )
    cell = matrix_of(warehouse, settings).cell("439904", "safety", X2.key)
    assert (cell.status, cell.revisions, cell.errors, cell.warnings) == ("refused", 2, 1, 0)
    assert cell.on_time is True  # the unit did report in time; the figures it sent last are the problem


def test_problem_counts_are_those_of_the_current_file(warehouse: Warehouse, settings: Settings) -> None:
    first = outcome(received("439902", content="v1"), problems=[problem("warning"), problem("warning", row=6)])
    arrive(warehouse, first, outcome(received("439902", content="v2", at=at(22, 9)), problems=[problem()]))
    cell = matrix_of(warehouse, settings).cell("439902", "safety", X2.key)
    assert (cell.errors, cell.warnings) == (0, 1)


def test_a_month_shows_each_of_its_ten_day_returns_with_their_own_deadlines(
    warehouse: Warehouse, settings: Settings
) -> None:
    arrive(warehouse, outcome(received("439902", period="2026-11-x1", at=at(11, 9))))
    matrix = matrix_of(warehouse, settings, today=date(2026, 11, 25), periods=(parse_period("2026-11"),))
    assert [c.key for c in matrix.columns] == ["safety/2026-11-x1", "safety/2026-11-x2", "safety/2026-11-x3"]
    assert [c.deadline.due for c in matrix.columns] == [date(2026, 11, 12), DUE, date(2026, 12, 2)]
    assert [c.status for c in matrix.row("439902")] == ["on_time", "missing", "pending"]


def test_periods_within_a_longer_period() -> None:
    assert [p.key for p in periods_within(parse_period("2026-Q4"), "month")] == ["2026-10", "2026-11", "2026-12"]
    assert periods_within(X2, "month") == []
    assert periods_within(X2, "ten_day") == [X2]


def test_the_deadline_setting_is_named_after_the_cadence() -> None:
    assert working_days_after(Deadlines(ten_day_working_days=3), "ten_day") == 3
    with pytest.raises(KeyError, match="month_working_days"):
        working_days_after(Deadlines(), "month")


def mixed_period(warehouse: Warehouse) -> None:
    """城关区 on time; 东湖县 on time then corrected late; 西山县 refused; 南岭县 late; the rest missing."""
    arrive(
        warehouse,
        outcome(received("439901", at=at(21, 9))),
        outcome(received("439902", content="v1", at=at(22, 9))),
        outcome(received("439902", content="v2", at=at(26, 9))),
        refused(received("439903", at=at(23, 9))),
        outcome(received("439904", at=at(25, 9))),
    )


def test_json_has_every_unit_and_column_in_a_stable_shape(warehouse: Warehouse, settings: Settings) -> None:
    mixed_period(warehouse)
    data = json.loads(json.dumps(matrix_json(matrix_of(warehouse, settings)), ensure_ascii=False))
    assert [p["key"] for p in data["periods"]] == [X2.key]
    assert data["return_kinds"] == [{"id": "safety", "name_zh": "安全生产旬报表", "cadence": "ten_day"}]
    assert [u["code"] for u in data["units"]] == [u.code for u in settings.units]
    cells = {u["code"]: u["cells"]["safety/2026-11-x2"] for u in data["units"]}
    assert cells["439902"] == {
        "status": "replaced",
        "label_zh": "更正1",
        "on_time": True,
        "received_at": "2026-11-26T09:00:00+08:00",
        "revisions": 2,
        "late_revisions": 1,
        "file": "东湖县安全生产旬报表.xlsx",
        "errors": 0,
        "warnings": 0,
        "due": "2026-11-24",
    }
    assert (cells["439903"]["status"], cells["439903"]["errors"]) == ("refused", 1)
    assert cells["439909"]["received_at"] is None and cells["439909"]["on_time"] is None
    assert set(data["summary"]) == set(STATUSES)
    assert data["summary"] == {"on_time": 1, "replaced": 1, "late": 1, "pending": 0, "refused": 1, "missing": 5}


def test_timeliness_counts_first_arrivals_acceptance_and_late_corrections(
    warehouse: Warehouse, settings: Settings
) -> None:
    mixed_period(warehouse)
    figures = timeliness(matrix_of(warehouse, settings))
    # 9 returns due; 城关区, 东湖县 and 西山县 first reported in time; 3 of the 4 received were accepted.
    assert (figures.expected, figures.received, figures.received_by_deadline, figures.accepted) == (9, 4, 3, 3)
    assert figures.submission_timely == pytest.approx(3 / 9)
    assert figures.validation_pass == pytest.approx(3 / 4)
    assert figures.revisions == 1
    assert timeliness(matrix_of(warehouse, settings), "439904").submission_timely == 0.0


def test_returns_not_yet_due_do_not_count_against_timeliness(warehouse: Warehouse, settings: Settings) -> None:
    arrive(warehouse, outcome(received("439901", at=at(21, 9))))
    figures = timeliness(matrix_of(warehouse, settings, today=date(2026, 11, 23)))
    assert (figures.expected, figures.submission_timely, figures.validation_pass) == (1, 1.0, 1.0)
    nothing = timeliness(matrix_of(warehouse, settings, today=date(2026, 11, 20), periods=(X2.next(),)))
    assert (nothing.expected, nothing.submission_timely, nothing.validation_pass) == (0, None, None)


def test_the_table_shows_every_unit_with_its_short_label(warehouse: Warehouse, settings: Settings) -> None:
    mixed_period(warehouse)
    arrive(warehouse, outcome(received("439905", period="2026-11-x3", at=at(30, 9))))
    periods = (X2, X2.next())
    console = Console(record=True, width=140, color_system=None)
    console.print(render_matrix_table(matrix_of(warehouse, settings, today=date(2026, 11, 30), periods=periods)))
    lines = {line.split("│")[1].strip(): line for line in console.export_text().splitlines() if line.count("│") > 2}
    assert set(lines) == {u.name for u in settings.units}
    labels = {name: [cell.strip() for cell in line.split("│")[2:-1]] for name, line in lines.items()}
    assert labels["城关区"] == ["按时", "待报"]
    assert labels["东湖县"] == ["更正1", "待报"]
    assert labels["西山县"] == ["退回", "待报"]
    assert labels["南岭县"] == ["逾期", "待报"]
    assert labels["北坪县"] == ["未报", "按时"]


def test_the_table_colours_each_status(warehouse: Warehouse, settings: Settings) -> None:
    mixed_period(warehouse)
    console = Console(record=True, width=140, color_system="truecolor", force_terminal=True)
    console.print(render_matrix_table(matrix_of(warehouse, settings)))
    html = console.export_html(inline_styles=True)
    colours = {label: html.split(label)[0].rsplit("color: ", 1)[1].split(";")[0] for label in ("按时", "逾期", "未报")}
    assert len(set(colours.values())) == 3  # good, late and missing never look alike


def test_the_brief_says_what_the_matrix_says(warehouse: Warehouse, settings: Settings) -> None:
    mixed_period(warehouse)
    matrix = matrix_of(warehouse, settings)
    infos = {i.unit_code: i for i in matrix_submissions(matrix, "safety", X2)}
    assert [code for code in infos] == [u.code for u in settings.units]
    assert (infos["439901"].status, infos["439904"].status, infos["439909"].status) == ("on_time", "late", "missing")
    assert (infos["439902"].status, infos["439902"].detail) == ("on_time", "已更正1次，其中截止后1次")
    assert infos["439903"].status == "refused" and "第5行" in infos["439903"].detail
    pending = submission_info(matrix_of(warehouse, settings, today=DUE).cell("439909", "safety", X2.key))
    assert (pending.status, pending.detail) == ("missing", "报送截止日为11月24日，尚未到期")


def test_the_single_file_summary_uses_the_same_status_function(warehouse: Warehouse, settings: Settings) -> None:
    mixed_period(warehouse)
    arrive(warehouse, outcome(received("439905", at=at(21, 9))))
    matrix = matrix_of(warehouse, settings)
    slots = warehouse.slot_statuses("safety", X2.key)
    single = {code: (s.received_at, s.status == "refused", s.problems) for code, s in slots.items() if s.revisions == 1}
    legacy = summarise_submissions(settings.units, single, DUE, matrix.timezone)
    from_matrix = {i.unit_code: i for i in matrix_submissions(matrix, "safety", X2)}
    assert all(info == from_matrix[info.unit_code] for info in legacy if info.unit_code != "439902")


def test_a_month_so_far_shows_its_begun_ten_days_and_its_monthly_returns(
    warehouse: Warehouse, settings: Settings
) -> None:
    arrive(warehouse, outcome(received(at=ON_TIME)))
    november = parse_period("2026-11")
    matrix = submission_matrix(
        warehouse, settings, [november], ["safety", "debt", "key_tasks"], today=AFTER, started_by=AFTER
    )
    assert [column.key for column in matrix.columns] == [
        "safety/2026-11-x1",
        "safety/2026-11-x2",
        "safety/2026-11-x3",
        "debt/2026-11",
        "key_tasks/2026-11",
    ]
    assert matrix.cell("439902", "safety", X2.key).status == "on_time"
    assert matrix.cell("439902", "debt", "2026-11").status == "pending"  # due in December
    # A day in the month's second 旬: the third has not begun and is left out.
    early = submission_matrix(warehouse, settings, [november], ["safety"], today=DUE, started_by=date(2026, 11, 15))
    assert [column.key for column in early.columns] == ["safety/2026-11-x1", "safety/2026-11-x2"]


def test_status_lists_every_return_kind_unless_told_and_refuses_an_unknown_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from govbrief.cli.main import app

    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    every = CliRunner().invoke(app, ["status", "--period", "2026-10", "--json"])
    assert every.exit_code == 0, every.output
    kinds = [kind["id"] for kind in json.loads(every.stdout)["return_kinds"]]
    assert kinds == ["safety", "debt", "key_tasks"]
    columns = [column["key"] for column in json.loads(every.stdout)["columns"]]
    assert columns[-2:] == ["debt/2026-10", "key_tasks/2026-10"] and len(columns) == 5

    debt_only = CliRunner().invoke(app, ["status", "--period", "2026-10", "--returns", "debt", "--json"])
    assert [c["key"] for c in json.loads(debt_only.stdout)["columns"]] == ["debt/2026-10"]

    ten_days = CliRunner().invoke(app, ["status", "--period", "2026-10-x3", "--json"])
    assert [kind["id"] for kind in json.loads(ten_days.stdout)["return_kinds"]] == ["safety"]  # no monthly return

    wrong = CliRunner().invoke(app, ["status", "--returns", "safty"])
    assert wrong.exit_code == 2 and "safty" in wrong.stderr and "safety" in wrong.stderr
