"""The Prefect deployments, generated from the configuration: the three briefs on their
working-day dates, the inbox poll and the immediate-alert check on intervals.

Why one schedule per delivery date: cron cannot say "the 3rd working day after the 旬", so the
dates come from the working-day calendar (govbrief/schedule.py). Each date is an RRule schedule
holding one RDATE in the city's time zone, and carries `period` as a schedule parameter, so a
scheduled run briefs exactly the period it was planned for, even when it starts late, and its
run name reads "旬简报 2026-09-x3". Prefect's scheduler turns each schedule into exactly that
run; a cron or RRULE recurrence would repeat beyond the computed dates. The dates cover the
next 12 months and are recomputed by every `govbrief serve` (and `govbrief deploy`), which
replaces the deployment's schedules and its future auto-scheduled runs.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from govbrief.briefs.registry import BRIEFS, BriefKind
from govbrief.briefs.schedule import Delivery, DeliveryPlanner, rrule_text
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Schedule

DEPLOYMENT_NAME = "scheduled"
WINDOW_MONTHS = 12
SCHEDULED_AHEAD = "P366D"  # ISO 8601, as Prefect's settings read a duration
# Interval runs fall on round minutes of the city's clock (09:00, 09:05 …), whenever serve started.
INTERVAL_ANCHOR = datetime(2020, 1, 1)


@dataclass(frozen=True)
class FlowRef:
    """A flow by its Prefect name and its file entrypoint (imported only when a deployment is built)."""

    name: str
    entrypoint: str

    @property
    def module(self) -> str:
        return self.entrypoint.split(":")[0].removesuffix(".py").replace("/", ".")

    @property
    def function(self) -> str:
        return self.entrypoint.split(":")[1]


BRIEF_FLOWS = {kind.id: FlowRef(kind.flow_name, f"flows/brief.py:{kind.id}_brief") for kind in BRIEFS}
INBOX_POLL = FlowRef("inbox-poll", "flows/inbox.py:inbox_poll")
ALERT_CHECK = FlowRef("alert-check", "flows/inbox.py:alert_check")
BACKFILL = FlowRef("backfill", "flows/backfill.py:backfill")


@dataclass(frozen=True)
class ScheduleSpec:
    """One Prefect schedule as plain data: an RRule text or an interval, in a time zone."""

    timezone: str
    rrule: str | None = None
    interval_seconds: int | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    slug: str | None = None
    # The planned run (briefs) or the first run on or after the window's start (intervals).
    first_run: datetime | None = None


@dataclass(frozen=True)
class DeploymentSpec:
    """One deployment as plain data; `runner_deployments` and `govbrief deploy` build Prefect objects from it."""

    flow: FlowRef
    schedules: tuple[ScheduleSpec, ...]
    parameters: Mapping[str, Any]
    tags: tuple[str, ...]
    description: str
    deployment_name: str = DEPLOYMENT_NAME
    concurrency_limit: int | None = 1  # one run of each at a time: a late poll never overlaps the next

    @property
    def name(self) -> str:
        """flow-name/deployment-name, as `prefect deployment run` takes it."""
        return f"{self.flow.name}/{self.deployment_name}"

    @property
    def entrypoint(self) -> str:
        return self.flow.entrypoint


class FlowNotAvailable(LookupError):
    """A configured deployment's flow module or function does not exist (yet)."""


def deployment_specs(
    settings: Settings,
    *,
    start: datetime | None = None,
    months: int = WINDOW_MONTHS,
    calendar: WorkCalendar | None = None,
) -> list[DeploymentSpec]:
    """Every deployment the configuration asks for, with the brief dates of the `months` from `start`."""
    start = start if start is not None else settings.now()
    planner = DeliveryPlanner(settings, calendar)
    upcoming = planner.upcoming(start, months)
    config = {"config": str(settings.source_file)}
    briefs = [_brief_spec(settings, kind, [d for d in upcoming if d.brief == kind], config) for kind in BRIEFS]
    every = settings.schedule
    return [
        *briefs,
        _interval_spec(settings, INBOX_POLL, every.inbox_poll_minutes, start, config, "收件检查 inbox poll"),
        _interval_spec(settings, ALERT_CHECK, every.alert_check_minutes, start, config, "紧急预警 alert check"),
        _on_demand_spec(BACKFILL, config, "补跑 backfill: kind, start, end (e.g. ten_day, 2026-01-x1, 2026-06-x3)"),
    ]


def _on_demand_spec(flow: FlowRef, config: dict[str, str], what: str) -> DeploymentSpec:
    """A deployment with no schedule: analysts start it from the UI or API with parameters."""
    return DeploymentSpec(
        flow=flow,
        schedules=(),
        parameters=config,
        tags=("govbrief", flow.name),
        description=f"{what}; run on demand.",
        deployment_name="on-demand",
        concurrency_limit=None,  # each brief and period is locked on its own
    )


def _brief_spec(
    settings: Settings, kind: BriefKind, deliveries: list[Delivery], config: dict[str, str]
) -> DeploymentSpec:
    zone = settings.city.timezone
    schedules = tuple(
        ScheduleSpec(
            zone, rrule=rrule_text([d.at]), parameters={"period": d.period.key}, slug=d.period.key, first_run=d.at
        )
        for d in deliveries
    )
    days = kind.working_days_after(settings.schedule)
    return DeploymentSpec(
        flow=BRIEF_FLOWS[kind.id],
        schedules=schedules,
        parameters=config,
        tags=("govbrief", "brief", kind.period_kind.value),
        description=f"{kind.name_zh}: working day {days} after the period closes, "
        f"{settings.schedule.time} {zone}; dates from the working-day calendar.",
    )


def _interval_spec(
    settings: Settings, flow: FlowRef, minutes: int, start: datetime, config: dict[str, str], what: str
) -> DeploymentSpec:
    zone = ZoneInfo(settings.city.timezone)
    anchor = INTERVAL_ANCHOR.replace(tzinfo=zone)
    step = timedelta(minutes=minutes)
    first_run = anchor + -((anchor - start) // step) * step  # the first tick at or after `start`
    schedule = ScheduleSpec(settings.city.timezone, interval_seconds=minutes * 60, first_run=first_run)
    return DeploymentSpec(
        flow=flow,
        schedules=(schedule,),
        parameters=config,
        tags=("govbrief", flow.name),
        description=f"{what}: every {minutes} minutes.",
    )


def prefect_schedule(spec: ScheduleSpec) -> Schedule:
    """The Prefect schedule for one ScheduleSpec."""
    from prefect.schedules import Interval, RRule

    parameters = dict(spec.parameters)
    if spec.rrule is not None:
        return RRule(spec.rrule, timezone=spec.timezone, parameters=parameters, slug=spec.slug)
    if spec.interval_seconds is None:
        raise ValueError("a schedule needs an rrule or an interval")
    anchor = INTERVAL_ANCHOR.replace(tzinfo=ZoneInfo(spec.timezone))
    return Interval(
        spec.interval_seconds, anchor_date=anchor, timezone=spec.timezone, parameters=parameters, slug=spec.slug
    )


def load_flow(ref: FlowRef) -> Any:
    """The flow object behind a FlowRef; FlowNotAvailable naming the entrypoint when it is missing."""
    try:
        module = importlib.import_module(ref.module)
    except ModuleNotFoundError as exc:
        if exc.name != ref.module:
            raise FlowNotAvailable(f"{ref.entrypoint}: cannot import / 无法导入: {exc}") from exc
        raise FlowNotAvailable(f"{ref.entrypoint}: module {ref.module} not found / 流程模块不存在") from None
    except ImportError as exc:  # e.g. a half-finished module: name the flow, not just the import
        raise FlowNotAvailable(f"{ref.entrypoint}: cannot import / 无法导入: {exc}") from exc
    flow = getattr(module, ref.function, None)
    if flow is None:
        raise FlowNotAvailable(f"{ref.entrypoint}: no {ref.function} in {ref.module} / 流程函数不存在")
    if flow.name != ref.name:
        raise FlowNotAvailable(f"{ref.entrypoint}: the flow is named {flow.name!r}, expected {ref.name!r}")
    return flow


def missing_flows(specs: list[DeploymentSpec]) -> list[str]:
    """Why each spec's flow cannot be loaded (empty when all are there)."""
    problems = []
    for spec in specs:
        try:
            load_flow(spec.flow)
        except FlowNotAvailable as exc:
            problems.append(str(exc))
    return problems


def runner_deployment(spec: DeploymentSpec) -> RunnerDeployment:
    """The Prefect RunnerDeployment of one spec, for `serve`."""
    from prefect.types.entrypoint import EntrypointType

    deployment: RunnerDeployment = load_flow(spec.flow).to_deployment(
        name=spec.deployment_name,
        schedules=[prefect_schedule(s) for s in spec.schedules],
        parameters=dict(spec.parameters),
        description=spec.description,
        tags=list(spec.tags),
        concurrency_limit=spec.concurrency_limit,
        # By module, not file path: runs load the installed package from any working directory.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return deployment


def runner_deployments(settings: Settings, *, start: datetime | None = None) -> list[RunnerDeployment]:
    """Every configured deployment as a Prefect RunnerDeployment; FlowNotAvailable lists any missing flow."""
    specs = deployment_specs(settings, start=start)
    if problems := missing_flows(specs):
        raise FlowNotAvailable("; ".join(problems))
    return [runner_deployment(spec) for spec in specs]


def serve_deployments(deployments: list[RunnerDeployment], *, port: int, log_file: Path) -> None:
    """Serve the deployments until Ctrl-C: against PREFECT_API_URL when set, else an embedded server.

    Prefect's ephemeral API runs no scheduler, so served schedules would never produce a run;
    the embedded default is a real local Prefect server (scheduler and UI) for this process's life.
    """
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        serve(*deployments, pause_on_shutdown=False, print_starting_message=False)
        return
    with embedded_server(port, log_file) as url, temporary_settings({PREFECT_API_URL: url}):
        serve(*deployments, pause_on_shutdown=False, print_starting_message=False)


@contextmanager
def embedded_server(port: int, log_file: Path) -> Iterator[str]:
    """A local Prefect server on 127.0.0.1:`port` (reused if one already answers there); yields its API URL."""
    base = f"http://127.0.0.1:{port}"
    if _healthy(base):
        yield f"{base}/api"
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    # Prefect's scheduler creates runs 100 days ahead by default; a year lets the UI list every
    # brief of the 12-month window (each date is its own schedule, so the polls stay capped).
    env = {"PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": SCHEDULED_AHEAD, **os.environ}
    with log_file.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    try:
        _wait_until_healthy(process, base, log_file)
        yield f"{base}/api"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(process: subprocess.Popen[bytes], base: str, log_file: Path) -> None:
    # A fresh database migrates first: allow what flows/__init__.py allows the ephemeral server.
    deadline = time.monotonic() + float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300"))
    while not _healthy(base):
        if process.poll() is not None:
            raise EmbeddedServerError(f"the Prefect server exited ({process.returncode}); see {log_file}")
        if time.monotonic() > deadline:
            raise EmbeddedServerError(f"the Prefect server did not answer at {base}; see {log_file}")
        time.sleep(0.5)  # polling a starting server, not timing anything


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


class EmbeddedServerError(RuntimeError):
    """The embedded Prefect server did not start."""
