"""Real `govbrief` processes for the lock, kill-and-rerun and backfill tests.

The processes talk to one temporary Prefect server (the harness the test module
starts) instead of each starting an ephemeral one: that saves 10-20 s a process.
They are synchronised through what they leave behind — the run lock's row, a
marker file from the test-only GOVBRIEF_TEST_FAULT hook (flows/stages.py), the
outbox — never through sleeps of a guessed length.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[2]
GOVBRIEF = str(REPO / ".venv" / "bin" / "govbrief")
PERIOD = "2026-11-x2"


@pytest.fixture(scope="module")
def prefect_api() -> Iterator[str]:
    """One temporary Prefect server for the module's flows and processes; its API URL."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        url = PREFECT_API_URL.value()
        assert url
        yield str(url)


@pytest.fixture(scope="module")
def demo_drop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's returns for the 旬 (西山县's refused, 北坪县's late, the intake cases), generated once."""
    from govbrief.calendar.periods import parse_period
    from govbrief.config import load_settings
    from govbrief.demo import generate_safety_returns
    from govbrief.demo.intake_cases import stage_intake_cases

    state = tmp_path_factory.mktemp("template") / "state"
    env = {"GOVBRIEF_STATE_DIR": str(state)}
    with _environment(env):
        settings = load_settings(None)
        target = parse_period(PERIOD)
        generate_safety_returns(settings, [target], awkward_period=target)
        stage_intake_cases(settings, target)
        return settings.paths.drop


def state_with(drop: Path, state: Path) -> Path:
    """A fresh state folder holding a copy of the drop (modification times kept: they are receipt times)."""
    shutil.copytree(drop, state / "drop", copy_function=shutil.copy2)
    return state


def process_env(prefect_api: str, state: Path, **extra: str) -> dict[str, str]:
    """The environment of a `govbrief` process: this state, the shared Prefect server, no fault unless given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVBRIEF_", "PYTEST"))}
    env.update(PREFECT_API_URL=prefect_api, GOVBRIEF_STATE_DIR=str(state), GOVBRIEF_MAIL_TRANSPORT="outbox")
    env.update(extra)
    return env


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start `govbrief ARGS`, output piped as text."""
    return subprocess.Popen(
        [GOVBRIEF, *args], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str], timeout: float = 600) -> tuple[int, str, str]:
    """Wait for the process: its exit code, stdout and stderr."""
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def wait_until(condition: Callable[[], bool], what: str, process: subprocess.Popen[str], timeout: float = 600) -> None:
    """Poll an observable condition until it holds; fail if the process exits first or it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the process exited ({process.returncode}) before {what}:\n{out[-2000:]}\n{err[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def lock_row_exists(url: str, lock_key: str) -> Callable[[], bool]:
    """Whether the run lock `lock_key` is held in the warehouse at `url`."""

    def check() -> bool:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                query = sa.text("SELECT count(*) FROM run_locks WHERE lock_key = :key")
                return bool(connection.execute(query, {"key": lock_key}).scalar())
        except (sa.exc.OperationalError, sa.exc.ProgrammingError):  # not migrated yet
            return False
        finally:
            engine.dispose()

    return check


def outbox_messages(outbox: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every .eml in the outbox, sorted."""
    parser = BytesParser(policy=policy.default)
    found = []
    for path in sorted(outbox.glob("*.eml")):
        message = parser.parsebytes(path.read_bytes())
        found += [(address.addr_spec, str(message["Subject"])) for address in message["To"].addresses]
    return sorted(found)


WAREHOUSE_ROWS = {
    "observations": "SELECT return_kind, period_key, unit_code, sheet_id, file_sha256, row_no, record"
    " FROM observations",
    "return_slots": "SELECT return_kind, period_key, unit_code, sha256, status, revisions FROM return_slots",
    "briefs": "SELECT kind, period_key, version, content_hash, subject, is_correction, note FROM briefs",
    "deliveries": "SELECT item, recipient, message_id, status FROM send_log WHERE channel = 'brief'",
    "notices": "SELECT item, unit_code, period_key, file_sha256, recipient, message_id, status FROM send_log"
    " WHERE channel = 'returned'",
    "alert_notices": "SELECT item, recipient, message_id, status FROM send_log WHERE channel = 'alert'",
}


def warehouse_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """The rows a run leaves that a rerun must reproduce: everything but ids, run ids, times and attempt counts."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(_plain(row) for row in connection.execute(sa.text(query)))
                for table, query in WAREHOUSE_ROWS.items()
            }
    finally:
        engine.dispose()


def _plain(row: sa.Row[Any]) -> tuple[Any, ...]:
    return tuple(json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else str(v) for v in row)


class _environment:
    """Set environment variables for a block (module-scoped fixtures cannot use monkeypatch)."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.saved: dict[str, str | None] = {}

    def __enter__(self) -> None:
        for key, value in self.values.items():
            self.saved[key] = os.environ.get(key)
            os.environ[key] = value

    def __exit__(self, *exc: object) -> None:
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
