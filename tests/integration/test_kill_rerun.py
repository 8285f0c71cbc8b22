"""A `govbrief run ten-day` process killed at any stage and run again leaves the warehouse an
uninterrupted run leaves, and every recipient with exactly one message.

Each killed run is a real process, SIGKILLed by the test-only GOVBRIEF_TEST_FAULT hook
(flows/stages.py) at a stage boundary or right after the deliver stage's second message
was handed to the mailer; the rerun happens in this process, like the uninterrupted run.
"""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import signal
from pathlib import Path
from typing import Any

import pytest

from flows.brief import ten_day_brief
from tests.integration.brief_processes import (
    PERIOD,
    demo_drop,
    finish,
    outbox_messages,
    prefect_api,
    process_env,
    start,
    state_with,
    warehouse_rows,
)

pytestmark = [pytest.mark.prefect]
__all__ = ["demo_drop", "prefect_api"]  # module fixtures


def run_in_process(state: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(state))
    monkeypatch.setenv("GOVBRIEF_MAIL_TRANSPORT", "outbox")
    monkeypatch.delenv("GOVBRIEF_CONFIG", raising=False)
    monkeypatch.delenv("GOVBRIEF_WAREHOUSE_URL", raising=False)
    return ten_day_brief(period=PERIOD, send=True)


def sqlite_url(state: Path) -> str:
    return f"sqlite:///{state / 'govbrief.db'}"


@pytest.fixture(scope="module")
def uninterrupted(prefect_api: str, demo_drop: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    state = state_with(demo_drop, tmp_path_factory.mktemp("uninterrupted") / "state")
    with pytest.MonkeyPatch.context() as monkeypatch:
        summary = run_in_process(state, monkeypatch)
    return {"rows": warehouse_rows(sqlite_url(state)), "mail": outbox_messages(state / "outbox"), "summary": summary}


def stopped_where_asked(fault: str, rows: dict[str, list[Any]], mail: list[tuple[str, str]]) -> bool:
    """The killed run got exactly as far as the fault says, no further."""
    brief_mail = [m for m in mail if "旬简报" in m[1]]
    statuses = sorted(row[3] for row in rows["deliveries"])
    if fault == "kill-after:load":
        return bool(rows["observations"]) and not rows["briefs"] and not mail
    if fault == "kill-after:render":
        return len(rows["briefs"]) == 1 and not rows["deliveries"] and not brief_mail
    return len(brief_mail) == 2 and statuses == ["pending", "sent"]  # the second one handed over, not yet recorded


@pytest.mark.parametrize("fault", ["kill-after:load", "kill-after:render", "kill-after-send:2"])
def test_a_run_killed_and_run_again_ends_as_if_never_interrupted(
    fault: str,
    uninterrupted: dict[str, Any],
    prefect_api: str,
    demo_drop: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = state_with(demo_drop, tmp_path / "state")
    env = process_env(prefect_api, state, GOVBRIEF_TEST_FAULT=fault)
    code, out, err = finish(start(["run", "ten-day", "--period", PERIOD], env))
    assert code == -signal.SIGKILL, f"{code}\n{out[-2000:]}\n{err[-3000:]}"
    assert stopped_where_asked(fault, warehouse_rows(sqlite_url(state)), outbox_messages(state / "outbox"))

    rerun = run_in_process(state, monkeypatch)

    assert rerun["brief"]["version"] == 1
    assert warehouse_rows(sqlite_url(state)) == uninterrupted["rows"]
    mail = outbox_messages(state / "outbox")
    assert mail == uninterrupted["mail"]
    assert len(mail) == len(set(mail))  # each recipient has each message once
    recipients = {r for r, subject in mail if "旬简报" in subject}
    assert len(recipients) == len(uninterrupted["summary"]["delivery"]["sent"]) == 4
