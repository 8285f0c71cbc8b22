"""Brief delivery dates on China's working days, checked by hand against the State Council's 2026
holiday notice (see tests/unit/test_workdays.py): 春节 2月15日-23日 off, 2月14日(周六) and
2月28日(周六) worked; 国庆 10月1日-7日 off, 9月20日(周日) and 10月10日(周六) worked; 清明 4月4-6日;
劳动节 5月1-5日 off, 5月9日(周六) worked. And the same dates as Prefect's own scheduler computes them."""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import asyncio
import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from typer.testing import CliRunner

from flows.deployments import FlowRef, deployment_specs, prefect_schedule, runner_deployment
from govbrief.briefs.schedule import DeliveryPlanner
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.cli.main import app
from govbrief.config import CalendarOverride, CalendarSettings, ScheduleSettings, Settings, load_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YEAR_2026 = datetime(2026, 1, 1, tzinfo=SHANGHAI)

# (period, delivery day), worked out on a paper calendar with the default 3 / 5 / 10 working days.
HAND_CHECKED_2026 = {
    # 春节: 2月中旬 closes Fri 20th; 21st-23rd off → Tue 24th, Wed 25th, Thu 26th.
    "2026-02-x1": date(2026, 2, 13),  # 11th, 12th, 13th (the make-up Saturday 14th is not needed)
    "2026-02-x2": date(2026, 2, 26),
    "2026-02-x3": date(2026, 3, 4),  # 2月下旬 ends on the make-up Saturday 28th: Mon 2nd … Wed 4th
    "2026-01": date(2026, 2, 6),  # 5th working day of February: 2nd-6th
    "2026-02": date(2026, 3, 6),
    "2025-Q4": date(2026, 1, 15),  # 1st-2nd off, Sun 4th worked: 4, 5, 6, 7, 8, 9, 12, 13, 14, 15
    # 清明 and 劳动节
    "2026-03-x3": date(2026, 4, 3),  # 1st, 2nd, 3rd; then 4th-6th off
    "2026-Q1": date(2026, 4, 15),  # 1, 2, 3, 7, 8, 9, 10, 13, 14, 15
    "2026-04-x3": date(2026, 5, 8),  # 1st-5th off: 6th, 7th, 8th
    "2026-04": date(2026, 5, 11),  # 6, 7, 8, Sat 9 (worked), 11
    # 国庆: 9月下旬 closes Wed 30th; 1st-7th off; Thu 8th, Fri 9th, the make-up Saturday 10th.
    "2026-09-x2": date(2026, 9, 23),
    "2026-09-x3": date(2026, 10, 10),
    "2026-09": date(2026, 10, 13),  # 8, 9, 10, 12, 13
    "2026-Q3": date(2026, 10, 20),  # 8, 9, 10, 12, 13, 14, 15, 16, 19, 20
    "2026-10-x1": date(2026, 10, 14),  # 上旬 closes on the make-up Saturday: 12th, 13th, 14th
}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings()


def deliveries_by_period(settings: Settings, year: int) -> dict[str, datetime]:
    return {d.period.key: d.at for d in DeliveryPlanner(settings).in_year(year)}


def at_nine(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI)


def test_2026_delivery_dates_around_spring_festival_and_national_day_match_the_hand_checked_list(
    settings: Settings,
) -> None:
    planned = deliveries_by_period(settings, 2026)
    assert {key: planned[key] for key in HAND_CHECKED_2026} == {k: at_nine(d) for k, d in HAND_CHECKED_2026.items()}


def test_a_year_has_one_delivery_per_period_all_on_working_days_at_nine_in_shanghai(settings: Settings) -> None:
    deliveries = DeliveryPlanner(settings).in_year(2026)
    kinds = [d.kind for d in deliveries]
    assert (kinds.count(PeriodKind.TEN_DAY), kinds.count(PeriodKind.MONTH), kinds.count(PeriodKind.QUARTER)) == (
        36,
        12,
        4,
    )
    # The first 旬简报 of the year is last December's 下旬; 2026年12月下旬's goes out in 2027.
    assert deliveries[0].period == Period.ten_day(2025, 12, 3)
    assert all(d.at.utcoffset() == timedelta(hours=8) and (d.at.hour, d.at.minute) == (9, 0) for d in deliveries)
    assert all(chinese_calendar.is_workday(d.at.date()) for d in deliveries)


def test_a_make_up_saturday_counts_as_a_working_day(settings: Settings) -> None:
    four_days = settings.model_copy(update={"schedule": ScheduleSettings(ten_day_working_days=4, time="08:30")})
    planned = deliveries_by_period(four_days, 2026)
    assert planned["2026-02-x1"] == datetime(2026, 2, 14, 8, 30, tzinfo=SHANGHAI)  # 11, 12, 13, Sat 14


def test_a_brief_on_its_delivery_day_briefs_the_period_that_closed_before(settings: Settings) -> None:
    # The flows' default (period=None) is the latest closed period; the schedules pass the period
    # explicitly anyway, and in 2026 the two agree on every date, National Day week included.
    for delivery in DeliveryPlanner(settings).in_year(2026):
        assert Period.latest_closed(delivery.kind, delivery.at.date()) == delivery.period


def test_overrides_from_config_move_the_dates_of_a_year_chinese_calendar_does_not_know(settings: Settings) -> None:
    # 2027: suppose 1月1日 (Fri) is off and Sunday 3 January is worked.
    overrides = (
        CalendarOverride(date=date(2027, 1, 1), workday=False, note="元旦"),
        CalendarOverride(date=date(2027, 1, 3), workday=True, note="调休"),
    )
    with_2027 = settings.model_copy(update={"calendar": CalendarSettings(overrides=overrides)})
    # 2026年12月下旬 closes Thu 31st: Sun 3rd, Mon 4th, Tue 5th.
    assert deliveries_by_period(with_2027, 2027)["2026-12-x3"] == at_nine(date(2027, 1, 5))
    assert DeliveryPlanner(with_2027).calendar.coverage_warning(2027) is None
    assert DeliveryPlanner(settings).calendar.coverage_warning(2027) is not None


# ----- what Prefect itself schedules ------------------------------------------------------


def prefect_dates(deployment_schedules: list[Any], start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """(run time, period) of every run Prefect's scheduler would create between start and end.

    The scheduler service calls the server schema's date generator for each deployment schedule
    and merges the schedule's parameters into the run's (prefect/server/models/deployments.py)."""
    from prefect.server.schemas.schedules import RRuleSchedule

    runs = []
    for deployment_schedule in deployment_schedules:
        server_schedule = RRuleSchedule.model_validate(deployment_schedule.schedule.model_dump())
        for moment in asyncio.run(server_schedule.get_dates(start=start, end=end)):
            runs.append((moment, deployment_schedule.parameters["period"]))
    return sorted(runs)


def test_prefect_schedules_the_briefs_exactly_on_the_delivery_dates_for_twelve_months(settings: Settings) -> None:
    from prefect.client.schemas.actions import DeploymentScheduleCreate

    specs = {spec.flow.name: spec for spec in deployment_specs(settings, start=NEW_YEAR_2026)}
    window_end = datetime(2027, 1, 1, tzinfo=SHANGHAI)
    expected = [(d.at, d.period.key) for d in DeliveryPlanner(settings).between(NEW_YEAR_2026, window_end)]
    # The flows that exist go through flow.to_deployment, as serve does; the 季总结 through its schedules.
    served = [
        *runner_deployment(specs["ten-day-brief"]).schedules,
        *runner_deployment(specs["monthly-brief"]).schedules,
    ]
    quarterly = [
        DeploymentScheduleCreate.from_schedule(prefect_schedule(s)) for s in specs["quarterly-brief"].schedules
    ]
    runs = prefect_dates([*served, *quarterly], NEW_YEAR_2026, window_end)

    assert runs == sorted(expected)
    assert len(runs) == 52
    assert [r for r in runs if r[1] in HAND_CHECKED_2026] == sorted(
        (at_nine(day), key) for key, day in HAND_CHECKED_2026.items() if day.year == 2026
    )
    assert all(run.utcoffset() == timedelta(hours=8) for run, _ in runs)


def test_prefect_polls_the_inbox_on_round_minutes_of_the_city_clock(settings: Settings) -> None:
    from prefect.server.schemas.schedules import IntervalSchedule

    inbox = next(spec for spec in deployment_specs(settings, start=NEW_YEAR_2026) if spec.flow.name == "inbox-poll")
    schedule = prefect_schedule(inbox.schedules[0])
    server_schedule = IntervalSchedule(
        interval=schedule.interval, anchor_date=schedule.anchor_date, timezone=schedule.timezone
    )
    runs = asyncio.run(server_schedule.get_dates(n=3, start=datetime(2026, 3, 2, 8, 58, tzinfo=SHANGHAI)))
    assert [(r.hour, r.minute) for r in runs] == [(9, 0), (9, 5), (9, 10)]
    assert inbox.parameters == {"config": str(settings.source_file)}


# ----- the commands -----------------------------------------------------------------------


def test_calendar_prints_the_years_delivery_dates() -> None:
    result = CliRunner().invoke(app, ["calendar", "--year", "2026"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "2026-10-10" in line)
    assert "周六" in line and "旬简报" in line and "2026年9月下旬" in line
    assert "缺失" not in result.output


def test_calendar_json_and_the_warning_for_a_year_without_holidays() -> None:
    result = CliRunner().invoke(app, ["calendar", "--year", "2027", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["holidays_known"] is False
    assert len(payload["deliveries"]) == 52
    assert "2027年节假日安排缺失" in result.stderr and "[calendar] overrides" in result.stderr


def test_serve_dry_run_lists_the_deployments_with_their_next_runs() -> None:
    result = CliRunner().invoke(app, ["serve", "--dry-run", "--start", "2026-09-24"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.split("├")
    ten_day = next(row for row in rows if "ten-day-brief/scheduled" in row)
    assert "2026-10-10 周六 09:00  2026-09-x3" in ten_day
    monthly = next(row for row in rows if "monthly-brief/scheduled" in row)
    assert "2026-10-13 周二 09:00  2026-09" in monthly
    assert "inbox-poll/scheduled" in result.stdout and "every 5 min" in result.stdout
    # The 12 months reach into 2027, whose holidays are not yet known.
    assert "2027年节假日安排缺失" in result.stderr


def test_serve_refuses_to_start_when_a_configured_flow_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.deployments

    monkeypatch.setattr(flows.deployments, "ALERT_CHECK", FlowRef("alert-check", "flows/no_such.py:alert_check"))
    listed = CliRunner().invoke(app, ["serve", "--dry-run", "--start", "2026-01-01"])
    served = CliRunner().invoke(app, ["serve", "--start", "2026-01-01"])
    assert listed.exit_code == 0 and "flows/no_such.py:alert_check" in listed.stderr
    assert served.exit_code == 2 and "flows/no_such.py:alert_check" in served.stderr
    assert "服务中 serving" not in served.stdout
