"""Immediate alerts: each red event reaches every leader once, across reruns, corrections and mail failures."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from email.policy import default
from html import unescape
from pathlib import Path

import pytest

from govbrief.alerts import alert_events, alert_recipients, send_alerts
from govbrief.alerts.send import AlertReport
from govbrief.config import Settings, load_settings
from govbrief.model import ReturnOutcome
from govbrief.warehouse import Warehouse, connect
from tests.support.mail import RecordingMailer, down
from tests.warehouse.builders import UNIT_NAMES, accident, outcome, received

TODAY = date(2026, 11, 21)
MAJOR = accident("A-2", "2026-11-02", deaths=3, serious_injuries=5, summary="<b>大货车</b>追尾")


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings()


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    with connect(f"sqlite:///{tmp_path / 'w.db'}") as opened:
        yield opened


def run(warehouse: Warehouse, mailer: RecordingMailer, settings: Settings, *outcomes: ReturnOutcome) -> AlertReport:
    """What the flow's alert step does with the outcomes of one run."""
    return send_alerts(warehouse, mailer, settings, alert_events(outcomes, UNIT_NAMES), today=TODAY)


def leaders(settings: Settings) -> set[str]:
    return {r.email for r in settings.recipients if "leader" in r.roles}


def addressees(mailer: RecordingMailer) -> list[str]:
    return sorted(email.utils.parseaddr(str(m["To"]))[1] for m in mailer.messages)


def test_a_major_accident_goes_to_every_leader_and_nobody_else(settings: Settings, warehouse: Warehouse) -> None:
    mailer = RecordingMailer()
    report = run(warehouse, mailer, settings, outcome(received(), MAJOR))
    assert addressees(mailer) == sorted(leaders(settings))
    assert len(report.sent) == 3  # the demo city's three leaders; analyst and ops are not alerted
    assert {m["Subject"] for m in mailer.messages} == {"【紧急】东湖县发生较大道路交通事故"}


def test_the_alert_states_the_particulars_in_both_bodies(settings: Settings, warehouse: Warehouse) -> None:
    mailer = RecordingMailer()
    run(warehouse, mailer, settings, outcome(received(), MAJOR))
    back = email.message_from_bytes(mailer.messages[0].as_bytes(), policy=default)
    assert isinstance(back, EmailMessage)
    text, html = back.get_body(("plain",)), back.get_body(("html",))
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    sentence = "东湖县11月2日发生一起较大道路交通事故，死亡3人、重伤5人。"
    assert sentence in text.get_content()
    assert sentence in unescape(html.get_content())


def test_a_rerun_sends_nothing_again(settings: Settings, warehouse: Warehouse) -> None:
    run(warehouse, RecordingMailer(), settings, outcome(received(), MAJOR))
    again = RecordingMailer()
    report = run(warehouse, again, settings, outcome(received(), MAJOR))
    assert again.messages == [] and len(report.skipped) == 3


def test_a_corrected_return_with_the_same_accident_is_not_alerted_again(
    settings: Settings, warehouse: Warehouse
) -> None:
    run(warehouse, RecordingMailer(), settings, outcome(received(), MAJOR))
    later = received(content="v2", at=received().received_at + timedelta(hours=3))
    mailer = RecordingMailer()
    corrected = MAJOR | {"serious_injuries": 6}
    report = run(warehouse, mailer, settings, outcome(later, corrected, accident("A-7", "2026-11-20", deaths=4)))
    assert {m["Subject"] for m in mailer.messages} == {"【紧急】东湖县发生较大道路交通事故"}
    assert all("A-7" in key.item for key in report.sent) and len(report.sent) == 3
    assert all("死亡4人" in m.get_body(("plain",)).get_content() for m in mailer.messages)  # type: ignore[union-attr]


def test_a_failed_alert_is_retried_next_run_and_sent_once(settings: Settings, warehouse: Warehouse) -> None:
    mailer = RecordingMailer(refuse=down())
    first = run(warehouse, mailer, settings, outcome(received(), MAJOR))
    assert len(first.failed) == 3 and mailer.messages == []
    mailer.refuse = None  # the server is back
    second = run(warehouse, mailer, settings, outcome(received(), MAJOR))
    third = run(warehouse, mailer, settings, outcome(received(), MAJOR))
    assert len(second.sent) == 3 and len(third.skipped) == 3
    assert addressees(mailer) == sorted(leaders(settings))
    records = warehouse.send_records(channel="alert", item="accident:439902:A-2")
    assert {(r.status, r.attempts) for r in records} == {("sent", 2)}
    assert {str(m["Message-ID"]) for m in mailer.messages} == {r.message_id for r in records}


def test_other_roles_can_be_chosen(settings: Settings) -> None:
    assert [r.name for r in alert_recipients(settings, ("analyst",))] == ["督查室"]


def test_a_backlog_alerts_only_the_events_of_the_newest_two_periods(settings: Settings, warehouse: Warehouse) -> None:
    from govbrief.alerts import urgent_events

    last_month = outcome(received(period="2026-10-x2", content="old"), accident("A-1", "2026-10-15", deaths=4))
    this_x2 = outcome(received(period="2026-11-x2"), MAJOR)
    newest = outcome(received("439903", period="2026-11-x3"))
    warehouse.save_outcomes([last_month, this_x2, newest], run_id="backlog")

    urgent, old = urgent_events(warehouse, settings, alert_events([last_month, this_x2, newest], UNIT_NAMES))
    assert [e.event_key for e in urgent] == ["accident:439902:A-2"]
    assert [e.event_key for e in old] == ["accident:439902:A-1"]
    mailer = RecordingMailer()
    send_alerts(warehouse, mailer, settings, urgent, today=TODAY)
    assert {m["Subject"] for m in mailer.messages} == {"【紧急】东湖县发生较大道路交通事故"}
    bodies = [m.get_body(preferencelist=("plain",)) for m in mailer.messages]
    assert all(body is not None and "11月2日" in body.get_content() for body in bodies)
