"""A brief run that fails or crashes emails ops once: real flow runs on Prefect, the notice in the outbox.

(A flow-run process killed under a worker is reported Crashed by the worker, which runs the same
hook: checked by hand with SIGKILL against the production setup of test_production.py.)"""

from __future__ import annotations

import flows.pipeline  # first: flows/ sets Prefect's quiet, offline defaults before Prefect is imported

# isort: split
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client

from flows.brief import ten_day_brief
from flows.hooks import notice_for
from govbrief.config import load_settings
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.ops.failure_notices import send_failure_notice
from govbrief.warehouse import connect

pytestmark = [pytest.mark.prefect]
WRONG_KIND_PERIOD = "2026-11"  # a month: the 旬简报 refuses it before reading anything
OPS = "ops@shifan.example.gov.cn"  # the ops recipient in config/city.toml


def outbox_messages(outbox: Path) -> list[EmailMessage]:
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(outbox.glob("*.eml"))]  # type: ignore[misc]


def plain_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def test_a_failed_brief_run_sends_ops_one_notice_naming_flow_period_and_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GOVBRIEF_DROP_DIR", str(tmp_path / "drop"))
    settings = load_settings()

    state = ten_day_brief(period=WRONG_KIND_PERIOD, return_state=True)

    assert state.is_failed()
    [notice] = outbox_messages(settings.mail.outbox)
    assert [a.addr_spec for a in notice["To"].addresses] == [OPS]
    assert notice["Subject"].startswith("【运行失败】ten-day-brief 2026-11")
    text = plain_text(notice)
    assert "ten-day-brief" in text and f"期次 Period: {WRONG_KIND_PERIOD}" in text and "Failed" in text
    assert "ValueError" in text and "needs a ten_day period" in text

    # The hook firing again for the same run (a retry, a re-executed run) sends nothing more.
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(state.state_details.flow_run_id)
    with connect(settings.warehouse_url) as warehouse:
        again = send_failure_notice(
            notice_for("ten-day-brief", flow_run, state, settings),
            settings,
            mailer_from_settings(settings.mail),
            warehouse,
        )
        assert again.sent == [] and len(again.skipped) == 1
        [logged] = warehouse.send_records(channel="ops")
    assert (logged.recipient, logged.status, logged.item) == (OPS, "sent", f"run-failed/{flow_run.id}")
    assert len(outbox_messages(settings.mail.outbox)) == 1


def test_a_crashed_brief_run_sends_ops_a_notice_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    settings = load_settings()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise SystemExit("interrupted while reading the configuration")  # a BaseException: the run crashes

    monkeypatch.setattr(flows.pipeline, "load_settings", interrupted)
    with pytest.raises(SystemExit):
        ten_day_brief(period="2026-11-x1")

    [notice] = outbox_messages(settings.mail.outbox)
    assert notice["Subject"] == "【运行失败】ten-day-brief 2026-11-x1: Crashed"
    assert "interrupted while reading the configuration" in plain_text(notice)


def test_a_failing_inbox_poll_mails_ops_once_a_day_not_every_five_minutes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.inbox import inbox_poll

    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    settings = load_settings()
    missing = str(tmp_path / "moved-away.toml")  # the poll's configuration is gone: every poll fails

    states = [inbox_poll(config=missing, return_state=True) for _ in range(3)]

    assert all(state.is_failed() for state in states)
    [notice] = outbox_messages(settings.mail.outbox)
    assert [a.addr_spec for a in notice["To"].addresses] == [OPS]
    assert notice["Subject"].startswith("【运行失败】inbox-poll")
    text = plain_text(notice)
    assert "moved-away.toml" in text
    assert "今天的后续失败不再通知" in text and "later failures today are not mailed" in text
    with connect(settings.warehouse_url) as warehouse:
        [logged] = warehouse.send_records(channel="ops")
    assert logged.item == f"poll-failed/inbox-poll/{settings.today().isoformat()}" and logged.status == "sent"
