"""Inbox watching without Prefect: what is new in the drop, which delivered briefs a return made stale,
how their correction marks live, and which unsent 【紧急】 alerts are rebuilt for a retry."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from govbrief.alerts import alert_events, send_alerts
from govbrief.briefs.registry import BY_ID
from govbrief.calendar.periods import parse_period
from govbrief.config import Settings, load_settings
from govbrief.glossary import load_glossary
from govbrief.inbox.alert_retry import PENDING_GRACE, retry_plan, unsent_alerts
from govbrief.inbox.stale_briefs import (
    due_for_auto_rerun,
    finish_mark,
    mark_stale,
    open_marks,
    rerun_command,
    stale_briefs,
)
from govbrief.inbox.watch import arrivals, left_over_by_unfinished, merged, scan_inbox
from govbrief.intake.gather import gather_shared, split_units
from govbrief.warehouse import SendAbout, SendKey, Warehouse, connect
from govbrief.warehouse.locks import supersede_unfinished_runs
from tests.support.mail import RecordingMailer, down
from tests.warehouse import conftest as backends
from tests.warehouse.builders import UNIT_NAMES, accident, outcome, received, refused

# The warehouse tests' fixtures: every test taking `warehouse` runs on SQLite and on PostgreSQL.
pg_database, pg_url, sqlite_url = backends.pg_database, backends.pg_url, backends.sqlite_url
warehouse_url, warehouse = backends.warehouse_url, backends.warehouse

TODAY = date(2026, 11, 25)
XUN = "2026-11-x2"
LEADER = "mayor@shifan.example.gov.cn"


# ----- new, changed and unchanged files ------------------------------------------------------
@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, Warehouse]]:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("GOVBRIEF_DROP_DIR", raising=False)
    monkeypatch.delenv("GOVBRIEF_WAREHOUSE_URL", raising=False)
    settings = load_settings(None)
    with connect(settings.warehouse_url) as opened:
        yield settings, opened


def drop(settings: Settings, period: str, name: str, content: bytes, *, minutes_late: int = 0) -> Path:
    path = settings.paths.drop / period / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    stamp = datetime(2026, 11, 21, 9, 0, tzinfo=UTC).timestamp() + 60 * minutes_late
    os.utime(path, (stamp, stamp))
    return path


def take_in(settings: Settings, warehouse: Warehouse, period: str) -> None:
    """What the pipeline's gather and load record for a period's files."""
    shared, _ = split_units(settings)
    files = gather_shared(settings, shared, load_glossary().returns["safety"], [parse_period(period)])
    warehouse.record_files(files)


def test_files_never_taken_in_are_new_and_name_their_periods(city: tuple[Settings, Warehouse]) -> None:
    settings, warehouse = city
    drop(settings, XUN, "东湖县安全生产旬报表.xlsx", b"donghu v1")
    drop(settings, "2026-11-x1", "西山县安全生产旬报表.xlsx", b"xishan v1")
    drop(settings, "2024-11-x2", "东湖县安全生产旬报表.xlsx", b"too old to poll")
    scan = scan_inbox(settings, warehouse, TODAY)
    assert sorted(scan.new_content) == ["东湖县安全生产旬报表.xlsx", "西山县安全生产旬报表.xlsx"]
    assert {kind: sorted(p.key for p in periods) for kind, periods in scan.wanted.items()} == {
        "safety": ["2026-11-x1", XUN]
    }


def test_files_taken_in_are_not_new_even_when_touched(city: tuple[Settings, Warehouse]) -> None:
    settings, warehouse = city
    donghu = drop(settings, XUN, "东湖县安全生产旬报表.xlsx", b"donghu v1")
    drop(settings, XUN, "西山县安全生产旬报表.xlsx", b"xishan v1")
    take_in(settings, warehouse, XUN)
    assert scan_inbox(settings, warehouse, TODAY).wanted == {}

    later = donghu.stat().st_mtime + 3600
    os.utime(donghu, (later, later))  # opened and saved without a change
    scan = scan_inbox(settings, warehouse, TODAY)
    assert scan.wanted == {} and scan.touched == ["东湖县安全生产旬报表.xlsx"]
    assert scan.summary()["files_seen"] == 2


def test_a_changed_or_added_file_is_new_content(city: tuple[Settings, Warehouse]) -> None:
    settings, warehouse = city
    drop(settings, XUN, "东湖县安全生产旬报表.xlsx", b"donghu v1")
    take_in(settings, warehouse, XUN)
    drop(settings, XUN, "东湖县安全生产旬报表.xlsx", b"donghu v2, corrected", minutes_late=90)
    drop(settings, XUN, "东湖县安全生产旬报表（更正）.xlsx", b"donghu v3", minutes_late=95)
    scan = scan_inbox(settings, warehouse, TODAY)
    assert sorted(scan.new_content) == ["东湖县安全生产旬报表.xlsx", "东湖县安全生产旬报表（更正）.xlsx"]
    assert [p.key for p in scan.wanted["safety"]] == [XUN]


def test_a_period_waits_while_a_file_in_it_may_still_be_copied_in(city: tuple[Settings, Warehouse]) -> None:
    settings, warehouse = city
    drop(settings, XUN, "东湖县安全生产旬报表.xlsx", b"donghu v1")
    copying = drop(settings, XUN, "西山县安全生产旬报表.xlsx", b"xishan, half", minutes_late=10)
    copied_at = datetime.fromtimestamp(copying.stat().st_mtime, UTC)
    scan = scan_inbox(settings, warehouse, TODAY, now=copied_at + timedelta(seconds=20))
    assert scan.wanted == {} and scan.arriving == ["西山县安全生产旬报表.xlsx"]
    settled = scan_inbox(settings, warehouse, TODAY, now=copied_at + timedelta(minutes=2))
    assert [p.key for p in settled.wanted["safety"]] == [XUN] and settled.arriving == []


def test_arrivals_tell_new_from_replacing_and_leave_out_a_return_read_again(sqlite_warehouse: Warehouse) -> None:
    loaded = received("439902", XUN)
    sqlite_warehouse.save_outcomes([outcome(loaded)], run_id="r1")
    again = outcome(loaded)  # named by its content only: read again on every gather
    replacing = outcome(received("439902", XUN, content="v2"))
    first = refused(received("439903", XUN))
    assert arrivals(sqlite_warehouse, [again, replacing, first]) == {
        "new": [first.file.original_name],
        "changed": [replacing.file.original_name],
        "refused": [first.file.original_name],
    }


def test_polls_left_unfinished_leave_what_they_loaded_to_the_next(sqlite_warehouse: Warehouse) -> None:
    done, killed, failed = received("439902", "2026-11-x1"), received("439903", XUN), received("439904", XUN)
    for run_id, file, status in (("done", done, "completed"), ("killed", killed, None), ("failed", failed, "failed")):
        sqlite_warehouse.start_run(flow="inbox-poll", kind="inbox", period_key="", run_id=run_id)
        sqlite_warehouse.save_outcomes([outcome(file)], run_id=run_id)
        if status:
            sqlite_warehouse.finish_run(run_id, status=status)
    left = left_over_by_unfinished(sqlite_warehouse, "inbox", "now")
    assert left.files == {killed.sha256, failed.sha256}
    assert merged({"safety": [parse_period("2026-11-x1")]}, left.wanted) == {
        "safety": [parse_period("2026-11-x1"), parse_period(XUN)]
    }
    supersede_unfinished_runs(sqlite_warehouse.engine, "inbox", "", "now")  # the next poll completed
    assert left_over_by_unfinished(sqlite_warehouse, "inbox", "later").files == frozenset()


# ----- stale briefs and their marks (SQLite and PostgreSQL) ------------------------------------
def deliver(
    warehouse: Warehouse, period: str, sources: list[str], *, content: str = "h1", kind: str = "ten_day"
) -> int:
    brief = warehouse.save_brief(
        kind=kind,
        period_key=period,
        subject="示范市安全生产旬简报",
        html="<p>…</p>",
        text="…",
        data={},
        source_files=sources,
        content_hash=content,
    )
    key = SendKey("brief", f"{kind}/{period}/v{brief.version}", LEADER)
    warehouse.mark_send_pending(key, SendAbout(brief_id=brief.id), transport="outbox", message_id=f"<{content}@x>")
    warehouse.mark_sent(key, "sent")
    return brief.version


def briefed(warehouse: Warehouse) -> str:
    """东湖县's return went into a delivered 旬简报; returns its sha256."""
    first = received("439902", XUN)
    warehouse.save_outcomes([outcome(first, accident("A-1", "2026-11-12"))], run_id="r1")
    deliver(warehouse, XUN, [first.sha256])
    return first.sha256


def correct(warehouse: Warehouse, unit: str = "439902", content: str = "v2") -> str:
    later = received(unit, XUN, content=content, at=received().received_at + timedelta(days=1))
    warehouse.save_outcomes([outcome(later, accident("A-1", "2026-11-12", deaths=1))], run_id="r2")
    return later.sha256


def test_a_delivered_brief_is_stale_once_a_correction_is_accepted(warehouse: Warehouse) -> None:
    briefed(warehouse)
    assert stale_briefs(warehouse, TODAY) == []
    sha = correct(warehouse)
    [stale] = stale_briefs(warehouse, TODAY)
    assert (stale.kind, stale.period_key, stale.delivered_version) == ("ten_day", XUN, 1)
    assert (stale.new_files, stale.units) == ((sha,), ("439902",))


def test_a_refused_correction_or_an_undelivered_brief_makes_nothing_stale(warehouse: Warehouse) -> None:
    briefed(warehouse)
    later = received("439902", XUN, content="bad", at=received().received_at + timedelta(days=1))
    warehouse.save_outcomes([refused(later)], run_id="r2")
    other = received("439903", "2026-11-x1")
    warehouse.save_outcomes([outcome(other)], run_id="r3")
    warehouse.save_brief(  # rendered with --no-send: nobody has it
        kind="ten_day",
        period_key="2026-11-x1",
        subject="s",
        html="",
        text="",
        data={},
        source_files=[],
        content_hash="x1",
    )
    assert stale_briefs(warehouse, TODAY) == []


def test_one_arrival_is_marked_once_and_stays_closed_after_its_rerun(warehouse: Warehouse) -> None:
    briefed(warehouse)
    correct(warehouse)
    [mark] = mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="manual")
    assert mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="manual") == []
    assert [(m.kind, m.period_key, m.units, m.status) for m in open_marks(warehouse, TODAY)] == [
        ("ten_day", XUN, ["439902"], "pending")
    ]
    assert rerun_command(mark) == f"govbrief inbox --rerun {XUN}"
    # The rerun's figures came out unchanged: no new version, the brief still looks stale, but it was handled.
    finish_mark(warehouse, mark.mark_id, "done", {"version": 1})
    assert mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="auto") == []
    assert open_marks(warehouse, TODAY) == []


def test_a_failing_automatic_rerun_is_tried_three_times_then_left_to_an_analyst(warehouse: Warehouse) -> None:
    briefed(warehouse)
    correct(warehouse)
    [mark] = mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="auto")
    due = []
    for attempt in (1, 2, 3):
        finish_mark(warehouse, mark.mark_id, "rerun_failed", {"error": "SMTP 421", "attempts": attempt})
        [failed] = open_marks(warehouse, TODAY)
        due.append(due_for_auto_rerun(failed))
    assert due == [True, True, False]
    assert (failed.status, failed.details["error"]) == ("rerun_failed", "SMTP 421")


def test_a_completed_brief_run_leaves_a_failed_correction_rerun_open(warehouse: Warehouse) -> None:
    briefed(warehouse)
    correct(warehouse)
    [mark] = mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="auto")
    finish_mark(warehouse, mark.mark_id, "rerun_failed", {"error": "SMTP 421", "attempts": 1})
    supersede_unfinished_runs(warehouse.engine, "ten_day", XUN, "a-completed-brief-run")  # shares the runs table
    assert [m.status for m in open_marks(warehouse, TODAY)] == ["rerun_failed"]


def test_a_second_arrival_supersedes_the_open_mark_of_the_same_brief(warehouse: Warehouse) -> None:
    briefed(warehouse)
    correct(warehouse)
    mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="manual")
    late = received("439903", XUN)
    warehouse.save_outcomes([outcome(late)], run_id="r3")
    [new] = mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="manual")
    assert new.units == ["439902", "439903"]
    assert [m.mark_id for m in open_marks(warehouse, TODAY)] == [new.mark_id]


def test_a_mark_closes_itself_when_a_later_delivered_version_covers_its_returns(warehouse: Warehouse) -> None:
    first = briefed(warehouse)
    sha = correct(warehouse)
    mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="manual")
    deliver(warehouse, XUN, [sha], content="h2")  # an analyst ran `govbrief run ten-day` and the 更正 went out
    assert first != sha
    assert open_marks(warehouse, TODAY) == []
    assert stale_briefs(warehouse, TODAY) == []


def test_a_rerun_that_reached_only_some_recipients_stays_open(warehouse: Warehouse) -> None:
    briefed(warehouse)
    sha = correct(warehouse)
    [mark] = mark_stale(warehouse, stale_briefs(warehouse, TODAY), mode="auto")
    deliver(warehouse, XUN, [sha], content="h2")  # v2 reached the mayor …
    finish_mark(warehouse, mark.mark_id, "rerun_failed", {"error": "vice.mayor: 421", "attempts": 1})  # … not everyone
    assert [(m.mark_id, due_for_auto_rerun(m)) for m in open_marks(warehouse, TODAY)] == [(mark.mark_id, True)]


def test_a_monthly_brief_reads_the_returns_of_its_month_and_of_its_three_xun() -> None:
    inside = BY_ID["monthly"].returns_inside(parse_period("2026-11"))
    assert {kind: [p.key for p in ps] for kind, ps in inside.items()} == {
        "safety": ["2026-11-x1", "2026-11-x2", "2026-11-x3"],
        "debt": ["2026-11"],
        "key_tasks": ["2026-11"],
    }


def test_a_correction_to_a_xun_makes_the_delivered_monthly_brief_stale_too(warehouse: Warehouse) -> None:
    first = briefed(warehouse)
    deliver(warehouse, "2026-11", [first], kind="monthly")
    correct(warehouse)
    assert sorted((s.kind, s.period_key) for s in stale_briefs(warehouse, TODAY)) == [
        ("monthly", "2026-11"),
        ("ten_day", XUN),
    ]


# ----- unsent alerts -------------------------------------------------------------------------
@pytest.fixture
def sqlite_warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    with connect(f"sqlite:///{tmp_path / 'w.db'}") as opened:
        yield opened


MAJOR = accident("DH-2026-031", "2026-11-14", deaths=3, serious_injuries=2)


def alert_through_outage(warehouse: Warehouse, settings: Settings) -> RecordingMailer:
    accepted = outcome(received("439902", XUN), MAJOR)
    warehouse.save_outcomes([accepted], run_id="r1")
    mailer = RecordingMailer(refuse=down())
    report = send_alerts(warehouse, mailer, settings, alert_events([accepted], UNIT_NAMES), today=TODAY)
    assert report.failed and not report.sent
    return mailer


def test_an_alert_that_failed_is_rebuilt_from_the_accepted_return_and_sent(sqlite_warehouse: Warehouse) -> None:
    settings = load_settings(None)
    mailer = alert_through_outage(sqlite_warehouse, settings)
    [unsent] = unsent_alerts(sqlite_warehouse)
    assert unsent.event_key == "accident:439902:DH-2026-031"
    plan = retry_plan(sqlite_warehouse, [unsent], UNIT_NAMES)
    assert [e.title_zh for e in plan.events] == ["东湖县发生较大道路交通事故"]
    assert "死亡3人、重伤2人" in plan.events[0].text_zh
    mailer.refuse = None  # the server is back
    report = send_alerts(sqlite_warehouse, mailer, settings, plan.events, today=TODAY)
    leaders = {r.email for r in settings.recipients if "leader" in r.roles}
    assert len(report.sent) == len(leaders) == len(mailer.messages)
    assert unsent_alerts(sqlite_warehouse) == []


def test_an_event_a_correction_withdrew_is_not_retried(sqlite_warehouse: Warehouse) -> None:
    settings = load_settings(None)
    alert_through_outage(sqlite_warehouse, settings)
    fixed = received("439902", XUN, content="v2", at=received().received_at + timedelta(hours=2))
    sqlite_warehouse.save_outcomes([outcome(fixed, replace_deaths(MAJOR, 0))], run_id="r2")
    plan = retry_plan(sqlite_warehouse, unsent_alerts(sqlite_warehouse), UNIT_NAMES)
    assert plan.events == [] and plan.withdrawn == ["accident:439902:DH-2026-031"]


def replace_deaths(row: dict[str, object], deaths: int) -> dict[str, object]:
    return {**row, "deaths": deaths, "serious_injuries": 0}


def test_a_pending_alert_is_left_to_its_run_until_the_grace_period_is_over(sqlite_warehouse: Warehouse) -> None:
    accepted = outcome(received("439902", XUN), MAJOR)
    sqlite_warehouse.save_outcomes([accepted], run_id="r1")
    [event] = alert_events([accepted], UNIT_NAMES)
    about = SendAbout(event.title_zh, None, "safety", XUN, "439902", accepted.file.sha256, "accident")
    key = SendKey("alert", event.event_key, LEADER)
    sqlite_warehouse.mark_send_pending(key, about, transport="outbox", message_id="<m>")  # the run died here
    now = datetime.now(UTC)
    assert unsent_alerts(sqlite_warehouse, now=now) == []
    assert [u.event_key for u in unsent_alerts(sqlite_warehouse, now=now + PENDING_GRACE + timedelta(seconds=1))] == [
        event.event_key
    ]
