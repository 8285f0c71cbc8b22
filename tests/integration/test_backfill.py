"""`govbrief backfill`: a real process killed part-way, the same command again continues, a third
run (the Prefect `backfill` flow) finds nothing to do; the run artifacts read back through the API."""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from typer.testing import CliRunner

from flows.backfill import backfill
from govbrief.calendar.periods import parse_period, ten_days_between
from govbrief.cli.main import app
from govbrief.config import load_settings
from govbrief.demo import generate_safety_returns
from tasks.artifacts import run_artifact_keys
from tests.integration.brief_processes import outbox_messages, prefect_api, process_env, start, wait_until

pytestmark = [pytest.mark.prefect]
__all__ = ["prefect_api"]  # fixture
FIRST, LAST = "2026-10-x3", "2026-11-x2"
PERIODS = ten_days_between(parse_period(FIRST), parse_period(LAST))
COMMAND = ["backfill", "ten-day", "--from", FIRST, "--to", LAST]
RECIPIENTS = 4


SENT_BRIEFS = "SELECT count(*) FROM send_log WHERE channel = 'brief' AND status = 'sent'"


def count(url: str, what: str) -> int:
    """Briefs stored, or deliveries recorded as sent."""
    query = "SELECT count(*) FROM briefs" if what == "briefs" else SENT_BRIEFS
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql(query).scalar() or 0)
    except sa.exc.OperationalError:  # not created yet
        return 0
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def backfilled(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A backfill process killed once two periods are stored, the same command run again, then the flow."""
    state = tmp_path_factory.mktemp("backfill") / "state"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(state))
        monkeypatch.setenv("GOVBRIEF_MAIL_TRANSPORT", "outbox")
        monkeypatch.delenv("GOVBRIEF_CONFIG", raising=False)
        monkeypatch.delenv("GOVBRIEF_WAREHOUSE_URL", raising=False)
        settings = load_settings(None)
        generate_safety_returns(settings, PERIODS)
        interrupted = start(COMMAND, process_env(prefect_api, state))
        wait_until(lambda: count(settings.warehouse_url, "briefs") >= 2, "two periods stored", interrupted)
        os.kill(interrupted.pid, signal.SIGKILL)
        interrupted.communicate()
        killed = {"briefs": count(settings.warehouse_url, "briefs"), "sent": count(settings.warehouse_url, "sent")}
        resumed = CliRunner().invoke(app, COMMAND, env={"COLUMNS": "200"})
        mail_after_resume = outbox_messages(settings.mail.outbox)
        rows = backfill(kind="ten_day", start=FIRST, end=LAST, send=True)
        mail_after_flow = outbox_messages(settings.mail.outbox)
    return {
        "state": state,
        "killed": killed,
        "resumed": resumed,
        "rows": rows,
        "mail": mail_after_resume,
        "mail_after": mail_after_flow,
    }


def test_an_interrupted_backfill_continues_and_a_third_run_changes_nothing(backfilled: dict[str, Any]) -> None:
    killed = backfilled["killed"]
    assert killed["briefs"] >= 2 and killed["sent"] < len(PERIODS) * RECIPIENTS  # stopped part-way
    resumed = backfilled["resumed"]
    assert resumed.exit_code == 0, resumed.output
    lines = [line for line in resumed.stderr.splitlines() if line.startswith("✓")]
    assert [line.split()[1] for line in lines] == [p.key for p in PERIODS]  # each period once, in order
    assert "未变 unchanged, 0 sent" in lines[0]  # the first period was done: checked, not sent again
    assert f"补跑结果 backfill: {len(PERIODS)} periods" in resumed.stdout
    for period in PERIODS:
        to_period = [m for m in backfilled["mail"] if period.label_zh in m[1] and "旬简报" in m[1]]
        assert len(to_period) == len(set(to_period)) == RECIPIENTS, period.key

    assert [(r["period"], r["status"], r["version"], r["sent"], r["skipped"]) for r in backfilled["rows"]] == [
        (p.key, "unchanged", 1, 0, RECIPIENTS) for p in PERIODS
    ]
    assert backfilled["mail_after"] == backfilled["mail"]


def test_a_brief_run_publishes_its_submissions_figures_and_files(backfilled: dict[str, Any]) -> None:
    """What the backfill flow's last brief run published, read back through the Prefect API."""
    keys = run_artifact_keys("ten_day", LAST)
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=list(keys.values()))))
    latest = {a.key: a for a in sorted(found, key=lambda a: a.created or 0)}
    assert set(latest) == set(keys.values())
    assert len({a.flow_run_id for a in latest.values()}) == 1  # one brief run published them all

    submissions = json.loads(str(latest[keys["submissions"]].data))
    assert [row["县市区"] for row in submissions][:2] == ["城关区", "东湖县"] and len(submissions) == 9
    assert {label for row in submissions for label in list(row.values())[1:]} <= {
        "按时",
        "逾期",
        "未报",
        "退回",
        "待报",
    } | {f"更正{n}" for n in range(1, 5)}
    files_md = str(latest[keys["files"]].data)
    paths = [Path(line.split("](file://", 1)[1].rstrip(")")) for line in files_md.splitlines() if "](file://" in line]
    assert {p.name for p in paths} >= {"brief.html", "brief.pdf", "brief.docx", "brief.txt"}
    assert all(p.is_file() for p in paths)
    data = json.loads((paths[0].parent / "data.json").read_text(encoding="utf-8"))
    figures = {row["指标"]: row for row in json.loads(str(latest[keys["figures"]].data))}
    assert figures["事故起数"]["本期"] == f"{data['city']['indicators']['acc_count']['period']}起"
    assert figures["死亡人数"]["本年累计"] == f"{data['city']['indicators']['acc_deaths']['ytd']}人"
    assert (paths[0].parent / "brief.html").resolve().as_uri() in str(latest[keys["html"]].data)


def test_preview_prints_the_rendered_files_and_sends_nothing(
    backfilled: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(backfilled["state"]))
    monkeypatch.setenv("GOVBRIEF_MAIL_TRANSPORT", "outbox")
    before = outbox_messages(backfilled["state"] / "outbox")

    result = CliRunner().invoke(app, ["preview", "ten-day", "--period", "2026-10-x2"])

    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in paths] == ["brief.html", "brief.pdf", "brief.docx", "brief.txt"]
    assert all(p.is_file() for p in paths) and "2026-10-x2" in str(paths[0])
    assert "nothing sent" in result.stderr
    assert outbox_messages(backfilled["state"] / "outbox") == before


def test_a_backfill_from_a_later_period_to_an_earlier_one_is_refused() -> None:
    result = CliRunner().invoke(app, ["backfill", "ten-day", "--from", LAST, "--to", FIRST])
    assert result.exit_code == 2
    assert "comes after" in result.stderr
