"""`govbrief serve` for real: the embedded Prefect server starts, the deployments are registered,
Prefect's own scheduler creates the brief runs of the next 12 months exactly on the delivery dates
of the working-day calendar, and Ctrl-C stops the server it started.

Nothing here runs a brief: the first delivery is days away. The scheduler's loop is shortened
(an ordinary Prefect setting) so the test does not wait for its default minute.
"""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from govbrief.briefs.schedule import DeliveryPlanner
from govbrief.calendar.periods import PeriodKind
from govbrief.config import REPO_ROOT, load_settings
from tests.e2e.conftest import free_port
from tests.integration.test_production import BIN, base_env, start, stop

pytestmark = [pytest.mark.prefect]

FLOW_OF = {
    PeriodKind.TEN_DAY: "ten-day-brief",
    PeriodKind.MONTH: "monthly-brief",
    PeriodKind.QUARTER: "quarterly-brief",
}
BRIEF_FLOWS = set(FLOW_OF.values())
DEPLOYMENTS = {
    "ten-day-brief/scheduled",
    "monthly-brief/scheduled",
    "quarterly-brief/scheduled",
    "inbox-poll/scheduled",
    "alert-check/scheduled",
    "backfill/on-demand",
}
STARTUP_SECONDS = 180  # a fresh Prefect database migrates first
WINDOW = timedelta(days=360)  # well inside the 12 months serve schedules, whatever the exact start


def api(port: int, path: str, body: dict[str, Any] | None = None) -> Any:
    url = f"http://127.0.0.1:{port}/api/{path}"
    response = httpx.post(url, json=body or {}, timeout=10) if body is not None else httpx.get(url, timeout=10)
    response.raise_for_status()
    return response.json()


def healthy(port: int) -> bool:
    try:
        return bool(api(port, "health"))
    except httpx.HTTPError:
        return False


def deployment_names(port: int) -> set[str]:
    """flow/deployment of every deployment registered so far."""
    flows_by_id = {f["id"]: f["name"] for f in api(port, "flows/filter", {})}
    return {f"{flows_by_id.get(d['flow_id'], '?')}/{d['name']}" for d in api(port, "deployments/filter", {})}


def scheduled_brief_runs(port: int) -> list[tuple[datetime, str, str]]:
    """(start, flow, period) of every scheduled run of a brief deployment, through the REST API."""
    flows_by_id = {f["id"]: f["name"] for f in api(port, "flows/filter", {})}
    runs = api(port, "flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}, "limit": 200})
    found = []
    for run in runs:
        flow = flows_by_id.get(run["flow_id"])
        if flow in BRIEF_FLOWS:
            found.append((datetime.fromisoformat(run["expected_start_time"]), flow, run["parameters"]["period"]))
    return sorted(found)


def wait_for(condition: Any, what: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not condition():
        assert process.poll() is None, f"govbrief serve exited before {what}:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{log.read_text()[-3000:]}"
        time.sleep(0.5)  # polling a starting server, not timing anything


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`govbrief serve` running on a free port with its own Prefect home and state, until the tests end."""
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {**base_env(tmp), "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2"}
    log = tmp / "serve.log"
    launched = datetime.now(ZoneInfo("Asia/Shanghai"))
    process = start([str(BIN / "govbrief"), "serve", "--port", str(port)], env, REPO_ROOT, log)
    try:
        wait_for(lambda: healthy(port), "the embedded server", process, log)
        wait_for(lambda: deployment_names(port) >= DEPLOYMENTS, "the deployments", process, log)
        ready = datetime.now(ZoneInfo("Asia/Shanghai"))
        settings = load_settings(None)
        expected = DeliveryPlanner(settings).between(launched, launched + WINDOW)
        wanted = sorted((d.at, FLOW_OF[d.kind], d.period.key) for d in expected if d.at > ready)

        def window(runs: list[tuple[datetime, str, str]]) -> list[tuple[datetime, str, str]]:
            return [r for r in runs if ready < r[0] <= launched + WINDOW]

        wait_for(lambda: len(window(scheduled_brief_runs(port))) >= len(wanted), "the runs", process, log)
        runs = window(scheduled_brief_runs(port))
        yield {"port": port, "process": process, "log": log, "wanted": wanted, "runs": runs}
    finally:
        stop(process)


def test_serve_registers_every_deployment_on_its_embedded_server(served: dict[str, Any]) -> None:
    assert deployment_names(served["port"]) == DEPLOYMENTS


def test_prefects_scheduled_runs_fall_exactly_on_the_working_day_delivery_dates(served: dict[str, Any]) -> None:
    wanted = served["wanted"]
    assert len(wanted) >= 45  # about 36 旬简报, 12 月通报 and 4 季总结 a year
    assert served["runs"] == wanted
    assert all(at.astimezone(ZoneInfo("Asia/Shanghai")).hour == 9 for at, _, _ in served["runs"])


def test_ctrl_c_stops_serve_and_the_server_it_started(served: dict[str, Any]) -> None:
    process, port = served["process"], served["port"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0, served["log"].read_text()[-3000:]
    assert not healthy(port)
    assert "已停止 stopped." in served["log"].read_text()
