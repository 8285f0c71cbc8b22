"""退回重报: one email per refused file to the unit's clerk, listing every problem, never sent twice."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from email.policy import default
from html import unescape
from pathlib import Path

import pytest

from govbrief.config import Settings, load_settings
from govbrief.delivery.refusal_notices import send_returned_notices
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.problems import Problem, format_problems
from govbrief.warehouse import Warehouse, connect
from tests.support.mail import RecordingMailer, refusing
from tests.warehouse.builders import accident, outcome, received

BEFORE_DUE = date(2026, 11, 23)  # 2026-11-x2 is due on 24 November
DONGHU_CLERK = "clerk.donghu@shifan.example.gov.cn"
PROBLEMS = [
    Problem(
        "error",
        "negative_count",
        "数量不能为负数：-8",
        "a count cannot be negative: -8",
        "东湖县安全生产旬报表.xlsx",
        "隐患排查",
        3,
        "一般隐患已整改（项）",
        "-8",
    ),
    Problem(
        "warning",
        "blank_count",
        "死亡人数为空，按0处理",
        "deaths is blank, read as 0",
        "东湖县安全生产旬报表.xlsx",
        "事故明细",
        5,
        "死亡人数",
    ),
    Problem(
        "error",
        "unknown_sector",
        "行业领域“<b>交通</b>”不在清单内，是否为“道路交通”？",
        "sector '<b>交通</b>' is not in the list; did you mean 道路交通?",
        "东湖县安全生产旬报表.xlsx",
        "事故明细",
        6,
        "行业领域",
        "<b>交通</b>",
    ),
]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings()


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    with connect(f"sqlite:///{tmp_path / 'w.db'}") as opened:
        yield opened


def refused_return(file: ReceivedFile, problems: list[Problem] = PROBLEMS) -> ReturnOutcome:
    return outcome(file, accident("A-1", "2026-11-12"), problems=list(problems))


def stored(warehouse: Warehouse, *outcomes: ReturnOutcome) -> list[ReturnOutcome]:
    """Outcomes as the flow has them after loading: saved in the warehouse."""
    warehouse.save_outcomes(list(outcomes), run_id="run")
    return list(outcomes)


def parsed(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML bodies of the message as a mail client would read them."""
    back = email.message_from_bytes(message.as_bytes(), policy=default)
    assert isinstance(back, EmailMessage)
    text, html = back.get_body(("plain",)), back.get_body(("html",))
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    return text.get_content(), html.get_content()


def test_the_clerk_gets_one_email_listing_every_problem(warehouse: Warehouse, settings: Settings) -> None:
    mailer = RecordingMailer()
    report = send_returned_notices(
        warehouse, mailer, settings, stored(warehouse, refused_return(received("439902"))), today=BEFORE_DUE
    )
    assert len(report.sent) == 1 and len(mailer.messages) == 1
    message = mailer.messages[0]
    assert str(message["Subject"]) == "【退回重报】东湖县安全生产旬报表（2026年11月中旬）"
    (to,) = message["To"].addresses
    assert (to.addr_spec, to.display_name) == (DONGHU_CLERK, "东湖县填报员")
    text, html = parsed(message)
    for line in format_problems(PROBLEMS):  # the very lines check-returns prints
        assert line in text
    shown = unescape(html)
    for problem in PROBLEMS:
        for part in (problem.location_zh(), problem.message_zh, problem.message_en, problem.rule, problem.value):
            assert part in shown
    assert "共发现问题3处（错误2处，提示1处）" in text
    assert "请修改后重新报送" in text and "请于2026年11月24日（报送截止日）前重新报送" in text
    assert "请修改后重新报送" in html and "2026年11月24日" in html


def test_markup_in_a_cell_value_is_shown_not_executed(warehouse: Warehouse, settings: Settings) -> None:
    mailer = RecordingMailer()
    send_returned_notices(
        warehouse, mailer, settings, stored(warehouse, refused_return(received("439902"))), today=BEFORE_DUE
    )
    _, html = parsed(mailer.messages[0])
    assert "<b>交通</b>" not in html and "&lt;b&gt;交通&lt;/b&gt;" in html


def test_a_rerun_sends_nothing_and_a_new_refused_file_gets_its_own_notice(
    warehouse: Warehouse, settings: Settings
) -> None:
    mailer = RecordingMailer()
    first = stored(warehouse, refused_return(received("439902", content="v1")))
    send_returned_notices(warehouse, mailer, settings, first, today=BEFORE_DUE)
    again = send_returned_notices(warehouse, mailer, settings, first, today=BEFORE_DUE)
    assert again.sent == [] and len(again.skipped) == 1 and len(mailer.messages) == 1
    later = first[0].file.received_at.replace(hour=15)
    second = stored(warehouse, refused_return(received("439902", content="v2", at=later)))
    report = send_returned_notices(warehouse, mailer, settings, [*first, *second], today=BEFORE_DUE)
    assert len(report.sent) == 1 and report.sent[0].item.endswith(second[0].file.sha256)
    assert len(mailer.messages) == 2 and mailer.messages[0]["Message-ID"] != mailer.messages[1]["Message-ID"]
    assert [n.status for n in warehouse.send_records(channel="returned", unit_code="439902")] == ["sent", "sent"]


def test_a_failed_notice_is_recorded_does_not_stop_the_others_and_is_retried_once(
    warehouse: Warehouse, settings: Settings
) -> None:
    returns = stored(warehouse, refused_return(received("439902")), refused_return(received("439903")))
    flaky = RecordingMailer(refuse=refusing(DONGHU_CLERK, "451 try again later"))
    report = send_returned_notices(warehouse, flaky, settings, returns, today=BEFORE_DUE)
    assert [k.recipient for k in report.sent] == ["clerk.xishan@shifan.example.gov.cn"]
    assert [(k.recipient, "451" in reason) for k, reason in report.failed.items()] == [(DONGHU_CLERK, True)]
    (failed,) = warehouse.send_records(channel="returned", unit_code="439902")
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 1, None) and "451" in (failed.error or "")
    healed = RecordingMailer()
    retry = send_returned_notices(warehouse, healed, settings, returns, today=BEFORE_DUE)
    assert [k.recipient for k in retry.sent] == [DONGHU_CLERK] and len(retry.skipped) == 1
    assert len(healed.messages) == 1 and healed.messages[0]["Message-ID"] == failed.message_id
    (sent,) = warehouse.send_records(channel="returned", unit_code="439902")
    assert (sent.status, sent.attempts, sent.error) == ("sent", 2, None) and sent.sent_at is not None
    assert send_returned_notices(warehouse, healed, settings, returns, today=BEFORE_DUE).sent == []


def test_only_refused_files_that_still_count_are_notified(warehouse: Warehouse, settings: Settings) -> None:
    wrong = refused_return(received("439902", content="v1"))
    fixed = outcome(received("439902", content="v2", at=wrong.file.received_at.replace(hour=15)))
    fine = outcome(received("439903"))
    mailer = RecordingMailer()
    report = send_returned_notices(warehouse, mailer, settings, stored(warehouse, wrong, fixed, fine), today=BEFORE_DUE)
    assert mailer.messages == [] and report.sent == []
    assert [k.item for k in report.superseded] == [f"safety/2026-11-x2/439902/{wrong.file.sha256}"]


def test_a_unit_without_a_clerk_fails_alone(warehouse: Warehouse, settings: Settings) -> None:
    returns = stored(warehouse, refused_return(received("439999")), refused_return(received("439902")))
    report = send_returned_notices(warehouse, RecordingMailer(), settings, returns, today=BEFORE_DUE)
    assert [k.recipient for k in report.sent] == [DONGHU_CLERK]
    assert [(k.item.split("/")[2], k.recipient) for k in report.failed] == [("439999", "")]
    assert next(iter(report.failed.values())).startswith("no unit '439999'")


def test_after_the_deadline_the_clerk_is_asked_to_resend_at_once(warehouse: Warehouse, settings: Settings) -> None:
    mailer = RecordingMailer()
    returns = stored(warehouse, refused_return(received("439902")))
    send_returned_notices(warehouse, mailer, settings, returns, today=date(2026, 11, 26))
    text, _ = parsed(mailer.messages[0])
    assert "报送截止日2026年11月24日已过，请尽快重新报送" in text and "the deadline (2026-11-24) has passed" in text
