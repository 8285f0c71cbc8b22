"""The production setup end to end: a real `prefect server` on PostgreSQL, `govbrief deploy` to a
process work pool, a worker, a ten-day brief run triggered through the API and run by the worker,
the brief in the PostgreSQL warehouse and the mail in the outbox.

The warehouse URL reaches the flow run only through a Prefect Secret block (`--secret`), as a
password-bearing URL would in production. Everything started here is stopped, and both databases
dropped, even when a check fails.
"""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import yaml
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL, temporary_settings
from typer.testing import CliRunner

from flows.deployments import deployment_specs
from flows.register import prefect_yaml
from govbrief.calendar.periods import parse_period
from govbrief.cli.main import app
from govbrief.config import REPO_ROOT, load_settings
from govbrief.demo import generate_safety_returns
from govbrief.warehouse import connect
from tests.e2e.conftest import free_port
from tests.warehouse.conftest import ADMIN_URL

pytestmark = [pytest.mark.postgres, pytest.mark.prefect]

PERIOD = "2026-11-x2"
POOL = "govbrief-test"
WAREHOUSE_SECRET = "govbrief-test-warehouse-url"
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 120  # a fresh PostgreSQL database migrates first: about 9 s here
RUN_SECONDS = 240


@dataclass
class Production:
    api_url: str
    env: dict[str, str]  # what the worker and `govbrief deploy` run with
    tmp: Path
    warehouse_url: str
    logs: Path


def admin(statement: str) -> None:
    """Run one statement on the PostgreSQL admin database, outside a transaction."""
    engine = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


def database_url(driver: str, name: str) -> str:
    return sa.make_url(ADMIN_URL).set(drivername=driver, database=name).render_as_string(hide_password=False)


def start(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """A child in its own process group (the worker's flow runs are its children)."""
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole group, SIGKILL it if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_healthy(api_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"prefect server exited:\n{log.read_text()[-3000:]}"
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling a starting server, not timing anything
    raise AssertionError(f"prefect server not healthy after {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


def base_env(tmp: Path) -> dict[str, str]:
    """Our children's environment: their own Prefect home, no setting leaking in from the session."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "GOVBRIEF_"))}
    env.update(
        PREFECT_HOME=str(tmp / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        GOVBRIEF_STATE_DIR=str(tmp / "state"),
        GOVBRIEF_DROP_DIR=str(tmp / "drop"),
    )
    return env


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    """A Prefect server on a fresh PostgreSQL database, a fresh warehouse database, demo returns."""
    tmp = tmp_path_factory.mktemp("production")
    logs = tmp / "logs"
    logs.mkdir()
    prefect_db, warehouse_db = (f"govbrief_{kind}_{uuid.uuid4().hex[:10]}" for kind in ("prefect", "warehouse"))
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = base_env(tmp)
    server_env = {
        **env,
        "PREFECT_API_DATABASE_CONNECTION_URL": database_url("postgresql+asyncpg", prefect_db),
        # The test triggers its run itself: no scheduled run may start beside it.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    }
    command = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server = None
    try:
        for name in (prefect_db, warehouse_db):
            admin(f'CREATE DATABASE "{name}"')
        server = start(command, server_env, tmp, logs / "server.log")
        with pytest.MonkeyPatch.context() as patch:
            for name in ("GOVBRIEF_STATE_DIR", "GOVBRIEF_DROP_DIR"):
                patch.setenv(name, env[name])  # this process reads the same state and drop as the worker
            generate_safety_returns(load_settings(), [parse_period(PERIOD)])
            wait_until_healthy(api_url, server, logs / "server.log")
            worker_env = {**env, "PREFECT_API_URL": api_url, "PREFECT_WORKER_QUERY_SECONDS": "1"}
            yield Production(api_url, worker_env, tmp, database_url("postgresql+psycopg", warehouse_db), logs)
    finally:
        if server is not None:
            stop(server)
        for name in (prefect_db, warehouse_db):
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def brief_run(production: Production) -> dict[str, Any]:
    """Deploy, start a worker outside the repository, trigger the 旬简报 through the API, wait for it."""
    env = production.env
    with temporary_settings({PREFECT_API_URL: production.api_url}):
        Secret(value=production.warehouse_url).save(WAREHOUSE_SECRET, overwrite=True)
        deploy = subprocess.run(
            [str(BIN / "govbrief"), "deploy", "--work-pool", POOL, "--create-pool",
             "--secret", f"GOVBRIEF_WAREHOUSE_URL={WAREHOUSE_SECRET}"],
            env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr
        worker_log = production.logs / "worker.log"
        worker = start([str(BIN / "prefect"), "worker", "start", "--pool", POOL], env, production.tmp, worker_log)
        try:
            flow_run = run_deployment(
                f"ten-day-brief/{ten_day_spec().deployment_name}",
                parameters={"period": PERIOD},
                timeout=RUN_SECONDS,
                poll_interval=1,
            )
            with get_client(sync_client=True) as client:
                deployments = {f"{client.read_flow(d.flow_id).name}/{d.name}": d for d in client.read_deployments()}
        finally:
            stop(worker)
    return {
        "deploy": deploy,
        "flow_run": flow_run,
        "deployments": deployments,
        "worker_log": worker_log.read_text(errors="replace"),
    }


def ten_day_spec() -> Any:
    return next(s for s in deployment_specs(load_settings()) if s.flow.name == "ten-day-brief")


def test_the_worker_runs_the_triggered_ten_day_brief_into_the_warehouse_and_outbox(
    production: Production, brief_run: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    flow_run = brief_run["flow_run"]
    assert flow_run.state.is_completed(), f"{flow_run.state}\n{brief_run['worker_log'][-4000:]}"
    assert flow_run.work_pool_name == POOL  # run by the worker, not in this process
    assert flow_run.parameters["period"] == PERIOD

    with connect(production.warehouse_url) as warehouse:  # PostgreSQL, reached through the Secret block
        record = warehouse.latest_brief("ten_day", PERIOD)
        assert record is not None
        assert "2026年11月中旬" in warehouse.brief_body(record.id).subject
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", production.env["GOVBRIEF_STATE_DIR"])
    settings = load_settings()
    assert not list(settings.state_dir.glob("*.db"))  # no SQLite fallback warehouse
    parser = BytesParser(policy=policy.default)
    mails = [parser.parsebytes(p.read_bytes()) for p in settings.mail.outbox.glob("*.eml")]
    briefs = sorted(address for m in mails if "旬简报" in str(m["Subject"]) for _, address in getaddresses([m["To"]]))
    assert briefs == sorted(r.email for r in settings.recipients_for("ten_day"))


def test_deploy_registers_every_available_deployment_on_the_pool_with_its_schedules(
    brief_run: dict[str, Any],
) -> None:
    deployments = brief_run["deployments"]
    expected = ("ten-day-brief/scheduled", "monthly-brief/scheduled", "quarterly-brief/scheduled", "backfill/on-demand")
    for name in expected:
        assert name in deployments, brief_run["deploy"].stdout
        assert deployments[name].work_pool_name == POOL
        assert deployments[name].entrypoint.startswith("flows/")
        assert deployments[name].pull_steps == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO_ROOT)}}
        ]
    assert deployments["backfill/on-demand"].schedules == []  # analysts start it with parameters
    ten_day = deployments["ten-day-brief/scheduled"]
    assert len(ten_day.schedules) == len(ten_day_spec().schedules) > 0
    secret_template = "{{ prefect.blocks.secret." + WAREHOUSE_SECRET + " }}"
    assert ten_day.job_variables == {"env": {"GOVBRIEF_WAREHOUSE_URL": secret_template}}


def test_generated_prefect_yaml_matches_the_configuration() -> None:
    specs = deployment_specs(load_settings())[:2]
    text = prefect_yaml(specs, POOL)
    assert "{{" not in text  # `prefect deploy` would resolve a block reference and store the secret itself
    document = yaml.safe_load(text)
    assert document["pull"] == [{"prefect.deployments.steps.set_working_directory": {"directory": str(REPO_ROOT)}}]
    for entry, spec in zip(document["deployments"], specs, strict=True):
        assert (REPO_ROOT / entry["entrypoint"].split(":")[0]).is_file()
        assert entry["name"] == spec.deployment_name
        assert entry["work_pool"] == {"name": POOL}
        assert [s.get("rrule") or s.get("interval") for s in entry["schedules"]] == [
            s.rrule or s.interval_seconds for s in spec.schedules
        ]


def test_deploy_to_a_missing_pool_without_create_pool_exits_2_and_creates_nothing(production: Production) -> None:
    with temporary_settings({PREFECT_API_URL: production.api_url}):
        result = CliRunner().invoke(app, ["deploy", "--work-pool", "no-such-pool"])
        with get_client(sync_client=True) as client, pytest.raises(ObjectNotFound):
            client.read_work_pool("no-such-pool")
    assert result.exit_code == 2, result.output
    assert "no-such-pool" in result.output and "--create-pool" in result.output
