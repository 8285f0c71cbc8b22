"""Ops commands for schedules: `calendar` (a year's brief delivery dates) and `serve` (run every
deployment on its schedule, one command, for a small office)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from govbrief.briefs.schedule import WEEKDAYS_ZH, Delivery, DeliveryPlanner
from govbrief.cli.app import ConfigOption, app, err, out, quiet_libraries, settings_or_exit, today_in_city, warn
from govbrief.config import Settings

if TYPE_CHECKING:
    from flows.deployments import DeploymentSpec

NEXT_RUNS_SHOWN = 3
DEFAULT_PORT = 4200  # Prefect's own default: the UI is at http://127.0.0.1:4200


@app.command("calendar")
def calendar_command(
    year: Annotated[int | None, typer.Option("--year", "-y", help="Year (default: this year).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the dates as JSON on stdout.")] = False,
    config: ConfigOption = None,
) -> None:
    """The year's brief delivery dates, counted in working days. 简报报送日历。"""
    settings = settings_or_exit(config)
    year = year if year is not None else today_in_city(settings).year
    planner = DeliveryPlanner(settings)
    deliveries = planner.in_year(year)
    if warning := planner.calendar.coverage_warning(year):
        warn(warning)
    if as_json:
        payload = {"year": year, "holidays_known": warning is None, "deliveries": [_as_dict(d) for d in deliveries]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(_deliveries_table(f"{year}年简报报送日历 delivery dates", deliveries))


@app.command("serve")
def serve_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "--list", help="Print the deployments and their next runs, then exit.")
    ] = False,
    start: Annotated[
        datetime | None, typer.Option("--start", help="Plan from this moment, city time (default: now).")
    ] = None,
    port: Annotated[int, typer.Option("--port", help="Port of the embedded Prefect server and UI.")] = DEFAULT_PORT,
    config: ConfigOption = None,
) -> None:
    """Run every deployment on its schedule until Ctrl-C; no other service needed. 运行定时任务。"""
    quiet_libraries()
    from flows.deployments import deployment_specs, missing_flows

    settings = settings_or_exit(config)
    zone = ZoneInfo(settings.city.timezone)
    moment = start.replace(tzinfo=zone) if start is not None and start.tzinfo is None else start
    moment = moment or settings.now()
    specs = deployment_specs(settings, start=moment)
    _print_specs(specs, settings.city.timezone)
    planner = DeliveryPlanner(settings)
    for warning in planner.coverage_warnings(planner.upcoming(moment)):
        warn(warning)
    problems = missing_flows(specs)
    for problem in problems:
        colour = "yellow" if dry_run else "red"
        err.print(f"[{colour}]流程缺失 / flow not available[/{colour}]: {escape(problem)}", highlight=False)
    if problems and not dry_run:
        raise typer.Exit(2)
    if not dry_run:
        _serve(settings, specs, port)


def _serve(settings: Settings, specs: list[DeploymentSpec], port: int) -> None:
    from flows.deployments import EmbeddedServerError, runner_deployment, serve_deployments

    deployments = [runner_deployment(spec) for spec in specs]
    log_file = settings.state_dir / "prefect-server.log"
    out.print(
        f"服务中 serving {len(deployments)} deployments (Prefect UI: http://127.0.0.1:{port} unless "
        f"PREFECT_API_URL is set; server log {log_file}). Ctrl-C 停止 stops."
    )
    try:
        serve_deployments(deployments, port=port, log_file=log_file)
    except KeyboardInterrupt:  # Ctrl-C before Prefect's runner took over (while registering): the same stop
        pass
    except EmbeddedServerError as exc:
        err.print(f"[red]Prefect 服务未启动 / server did not start[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None
    out.print("已停止 stopped.")


def _print_specs(specs: list[DeploymentSpec], zone: str) -> None:
    table = Table(title=f"部署 deployments ({zone})", show_lines=True)
    table.add_column("deployment", no_wrap=True)
    table.add_column("schedule")
    table.add_column("next runs 下次运行", no_wrap=True)
    for spec in specs:
        table.add_row(spec.name, _schedule_summary(spec), _next_runs(spec))
    out.print(table)


def _schedule_summary(spec: DeploymentSpec) -> str:
    if not spec.schedules:
        return "on demand 按需"
    first = spec.schedules[0]
    if first.interval_seconds is not None:
        return f"every {first.interval_seconds // 60} min"
    return f"{len(spec.schedules)} dates / 12 months"


def _next_runs(spec: DeploymentSpec) -> str:
    planned = [s for s in spec.schedules if s.first_run is not None][:NEXT_RUNS_SHOWN]
    if not planned:
        return "none 无"
    return "\n".join(
        f"{_moment(s.first_run)}  {s.parameters.get('period', '')}".rstrip() for s in planned if s.first_run
    )


def _moment(at: datetime) -> str:
    return f"{at:%Y-%m-%d} {WEEKDAYS_ZH[at.weekday()]} {at:%H:%M}"


def _deliveries_table(title: str, deliveries: list[Delivery]) -> Table:
    table = Table(title=title)
    for column in ("date 日期", "weekday", "time", "brief 简报", "period 期次"):
        table.add_column(column)
    for d in deliveries:
        table.add_row(
            f"{d.at:%Y-%m-%d}", d.weekday_zh, f"{d.at:%H:%M}", d.brief_zh, f"{d.period.label_zh} ({d.period.key})"
        )
    return table


def _as_dict(delivery: Delivery) -> dict[str, Any]:
    return {
        "kind": delivery.kind.value,
        "brief": delivery.brief_zh,
        "period": delivery.period.key,
        "period_label": delivery.period.label_zh,
        "date": delivery.at.date().isoformat(),
        "time": f"{delivery.at:%H:%M}",
        "weekday": delivery.weekday_zh,
        "at": delivery.at.isoformat(),
    }
