"""Two real `govbrief run` processes of the same brief and period never both send: a second one
refuses at once (no wait configured) naming the holder, or waits and then finds nothing left to send.

On the SQLite state and on a PostgreSQL warehouse. The first process holds the lock paused
after its load stage (the test-only GOVBRIEF_TEST_FAULT hook in flows/stages.py) until the
test has seen the others refuse and wait.
"""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
from pathlib import Path

import pytest

from tests.integration.brief_processes import (
    PERIOD,
    demo_drop,
    finish,
    lock_row_exists,
    outbox_messages,
    prefect_api,
    process_env,
    start,
    state_with,
    wait_until,
    warehouse_rows,
)
from tests.warehouse.conftest import pg_database, pg_url

pytestmark = [pytest.mark.prefect]
__all__ = ["demo_drop", "pg_database", "pg_url", "prefect_api"]  # fixtures
RUN = ["run", "ten-day", "--period", PERIOD]
BRIEF_RECIPIENTS = 4


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_second_run_refuses_or_waits_and_only_one_sends(
    backend: str, request: pytest.FixtureRequest, prefect_api: str, demo_drop: Path, tmp_path: Path
) -> None:
    state = state_with(demo_drop, tmp_path / "state")
    url = request.getfixturevalue("pg_url") if backend == "postgres" else f"sqlite:///{state / 'govbrief.db'}"
    faults = tmp_path / "faults"
    faults.mkdir()
    common = {"GOVBRIEF_WAREHOUSE_URL": url, "COLUMNS": "250"}

    first = start(
        RUN,
        process_env(
            prefect_api, state, GOVBRIEF_TEST_FAULT="pause-after:load", GOVBRIEF_TEST_FAULT_DIR=str(faults), **common
        ),
    )
    wait_until(lambda: (faults / "paused-load").exists(), "the first run paused after its load", first)
    assert lock_row_exists(url, f"ten_day:{PERIOD}")()

    refusing = start(RUN, process_env(prefect_api, state, GOVBRIEF_RUN_LOCK_WAIT_SECONDS="0", **common))
    waiting = start(RUN, process_env(prefect_api, state, GOVBRIEF_RUN_LOCK_WAIT_SECONDS="600", **common))
    code, out, err = finish(refusing)
    assert code == 1, out + err
    assert "旬简报 2026-11-x2 正在运行" in err and "already running" in err and f"进程 {first.pid}" in err
    assert "Traceback" not in err
    assert waiting.stderr is not None
    said = next((line for line in iter(waiting.stderr.readline, "") if "等待" in line), "")  # blocks until it says so
    assert "waiting for the run holding 旬简报 2026-11-x2" in said
    (faults / "resume").touch()

    first_code, first_out, first_err = finish(first)
    second_code, second_out, second_err = finish(waiting)
    assert first_code == 0, first_err[-3000:]
    assert f"{BRIEF_RECIPIENTS} sent via outbox" in first_out
    assert second_code == 0, second_err[-3000:]
    assert "0 sent via outbox" in second_out and f"{BRIEF_RECIPIENTS} already had it" in second_out
    briefs = [(recipient, subject) for recipient, subject in outbox_messages(state / "outbox") if "旬简报" in subject]
    assert len(briefs) == len(set(briefs)) == BRIEF_RECIPIENTS
    subjects = [subject for _, subject in outbox_messages(state / "outbox")]
    assert not [s for s in subjects if "运行失败" in s]  # a refusal by the lock is not a failure to page ops about
    assert [row[3] for row in warehouse_rows(url)["deliveries"]] == ["sent"] * BRIEF_RECIPIENTS
