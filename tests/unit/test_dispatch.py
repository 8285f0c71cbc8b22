"""Delivery: each recipient gets a brief version once; failures are retried, not duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest

from govbrief.config import Recipient
from govbrief.delivery.dispatch import brief_item, deliver
from govbrief.delivery.once import message_id
from govbrief.render.rendered_brief import RenderedBrief
from govbrief.warehouse import BriefRecord, SendKey, Warehouse, connect
from tests.support.mail import RecordingMailer, refusing

SENDER = "示范市督查室 <duchashi@shifan.example.gov.cn>"
LEADERS = (
    Recipient(name="市长", email="mayor@shifan.example.gov.cn"),
    Recipient(name="常务副市长", email="evm@shifan.example.gov.cn"),
)
RENDERED = RenderedBrief(
    kind="ten_day",
    period_key="2026-11-x2",
    subject="示范市安全生产和政府债务化解旬简报（2026年11月中旬，第32期）",
    html="<p>全市共发生生产安全事故3起</p><img src='cid:chart1'>",
    text="全市共发生生产安全事故3起",
    images={"chart1": b"\x89PNG\r\n\x1a\nfake"},
    content_hash="h1",
)


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return connect(f"sqlite:///{tmp_path / 'w.db'}")


@pytest.fixture
def brief(warehouse: Warehouse) -> BriefRecord:
    return warehouse.save_brief(
        kind="ten_day",
        period_key="2026-11-x2",
        subject=RENDERED.subject,
        html=RENDERED.html,
        text=RENDERED.text,
        data={},
        source_files=[],
        content_hash="h1",
    )


def test_each_recipient_gets_one_personal_message(warehouse: Warehouse, brief: BriefRecord) -> None:
    mailer = RecordingMailer()
    report = deliver(warehouse, mailer, brief, RENDERED, LEADERS, sender=SENDER)
    assert [key.recipient for key in report.sent] == [r.email for r in LEADERS]
    assert [m["To"].addresses[0].addr_spec for m in mailer.messages] == [r.email for r in LEADERS]
    assert mailer.messages[0]["To"].addresses[0].display_name == "市长"
    assert mailer.messages[0]["Subject"] == RENDERED.subject
    assert {d.status for d in warehouse.deliveries_for(brief.id)} == {"sent"}


def test_a_rerun_sends_nothing_twice_unless_forced(warehouse: Warehouse, brief: BriefRecord) -> None:
    mailer = RecordingMailer()
    deliver(warehouse, mailer, brief, RENDERED, LEADERS, sender=SENDER)
    again = deliver(warehouse, mailer, brief, RENDERED, LEADERS, sender=SENDER)
    assert again.sent == [] and [key.recipient for key in again.skipped] == [r.email for r in LEADERS]
    assert len(mailer.messages) == 2
    forced = deliver(warehouse, mailer, brief, RENDERED, LEADERS[:1], sender=SENDER, force=True)
    assert [key.recipient for key in forced.sent] == [LEADERS[0].email]
    assert mailer.messages[-1]["Message-ID"] != mailer.messages[0]["Message-ID"]


def test_one_unreachable_recipient_does_not_stop_the_others(warehouse: Warehouse, brief: BriefRecord) -> None:
    flaky = RecordingMailer(refuse=refusing(LEADERS[0].email))
    report = deliver(warehouse, flaky, brief, RENDERED, LEADERS, sender=SENDER)
    assert [key.recipient for key in report.sent] == [LEADERS[1].email]
    assert "550" in report.failed[SendKey("brief", brief_item(brief), LEADERS[0].email)]
    healed = RecordingMailer()
    retry = deliver(warehouse, healed, brief, RENDERED, LEADERS, sender=SENDER)
    assert [key.recipient for key in retry.sent] == [LEADERS[0].email]
    assert [key.recipient for key in retry.skipped] == [LEADERS[1].email]
    # the retry is the same message the mailer refused: a client that got it anyway sees one
    assert healed.messages[0]["Message-ID"] == flaky.refused[0]["Message-ID"]


def test_message_ids_are_stable_per_version_and_recipient(brief: BriefRecord) -> None:
    def mid(recipient: str, item: str = brief_item(brief)) -> str:
        return message_id(SendKey("brief", item, recipient), SENDER)

    first = mid("mayor@shifan.example.gov.cn")
    assert first == mid("MAYOR@shifan.example.gov.cn")
    assert first != mid("evm@shifan.example.gov.cn")
    assert first != mid("mayor@shifan.example.gov.cn", "ten_day/2026-11-x2/v2")
    assert first.startswith("<gb.brief.") and first.endswith("@shifan.example.gov.cn>")
    assert brief_item(brief) == "ten_day/2026-11-x2/v1"
