"""`govbrief deploy`: register every brief's deployment on the Prefect server at PREFECT_API_URL,
for a process work pool whose worker (`prefect worker start --pool NAME`) runs in this repository.
The deployments come from the configuration (flows/deployments.py), never from a hand-kept file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from govbrief.cli.app import ConfigOption, app, err, out, quiet_libraries, settings_or_exit, warn
from govbrief.config import Settings

if TYPE_CHECKING:
    from flows.deployments import DeploymentSpec

SecretOption = Annotated[
    list[str] | None,
    typer.Option(
        "--secret",
        metavar="ENV=BLOCK",
        help="Give the flow runs environment variable ENV from the Prefect Secret block BLOCK "
        "(e.g. GOVBRIEF_SMTP_PASSWORD=govbrief-smtp-password); repeatable. 从 Secret 块注入环境变量。",
    ),
]


@app.command("deploy")
def deploy(
    work_pool: Annotated[str, typer.Option("--work-pool", help="The process work pool the worker polls.")],
    create_pool: Annotated[bool, typer.Option("--create-pool", help="Create the work pool if missing.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the deployments; register nothing.")] = False,
    write_prefect_yaml: Annotated[
        Path | None,
        typer.Option("--write-prefect-yaml", help="Write an equivalent prefect.yaml here instead of registering."),
    ] = None,
    secret: SecretOption = None,
    config: ConfigOption = None,
) -> None:
    """Register the brief deployments on the Prefect server (PREFECT_API_URL). 注册部署。"""
    quiet_libraries()
    settings = settings_or_exit(config)
    secrets = parse_secrets(secret or [])
    from flows.deployments import deployment_specs
    from flows.register import available, prefect_yaml

    specs, missing = available(deployment_specs(settings))
    warn_uncovered_years(settings)
    for reason in missing:
        err.print(f"[yellow]not deployed, flow not available / 流程尚不存在，未部署[/yellow]: {reason}", soft_wrap=True)
    show_plan(specs, work_pool, secrets)
    if write_prefect_yaml is not None:
        if secrets:
            err.print(
                "[yellow]--secret is not written to prefect.yaml[/yellow]: `prefect deploy` would store the "
                "secret values in the deployments; give the worker these variables in its environment instead.",
                soft_wrap=True,
            )
        write_prefect_yaml.write_text(prefect_yaml(specs, work_pool), encoding="utf-8")
        out.print(f"prefect.yaml written: {write_prefect_yaml}")
        return
    if not dry_run:
        register_all(specs, work_pool, create_pool=create_pool, secrets=secrets)


def warn_uncovered_years(settings: Settings) -> None:
    """Schedules in a year without holiday data fall on Monday-Friday: say so before they are registered."""
    from govbrief.briefs.schedule import DeliveryPlanner

    planner = DeliveryPlanner(settings)
    for warning in planner.coverage_warnings(planner.upcoming(settings.now())):
        warn(warning)


def parse_secrets(pairs: list[str]) -> dict[str, str]:
    """ENV=BLOCK pairs → {ENV: BLOCK}; a malformed pair exits with code 2."""
    secrets: dict[str, str] = {}
    for pair in pairs:
        env, _, block = pair.partition("=")
        if not env.strip() or not block.strip():
            err.print(f"[red]--secret needs ENV=BLOCK, got {pair!r} / 格式应为 环境变量=Secret块名[/red]")
            raise typer.Exit(2)
        secrets[env.strip()] = block.strip()
    return secrets


def show_plan(specs: list[DeploymentSpec], work_pool: str, secrets: dict[str, str]) -> None:
    """One line per deployment: name, entrypoint, schedules; then where each secret comes from."""
    out.print(f"work pool [bold]{work_pool}[/bold] (process), {len(specs)} deployments:")
    for spec in specs:
        runs = [s.first_run for s in spec.schedules if s.first_run is not None]
        first = f", first {min(runs):%Y-%m-%d %H:%M %Z}" if runs else ""
        out.print(f"  {spec.name}  {spec.entrypoint}  {len(spec.schedules)} schedule(s){first}", soft_wrap=True)
    for env, block in secrets.items():
        out.print(f"  env {env} ← Secret block {block!r}")


def register_all(specs: list[DeploymentSpec], work_pool: str, *, create_pool: bool, secrets: dict[str, str]) -> None:
    """Register on the server at PREFECT_API_URL; exit 2 when there is none or the pool is missing."""
    from flows.register import PoolProblem, api_url, ensure_pool, register

    if not api_url():
        err.print("[red]PREFECT_API_URL is not set / 未设置 PREFECT_API_URL[/red]: point it at a `prefect server`")
        raise typer.Exit(2)

    try:
        if ensure_pool(work_pool, create=create_pool):
            out.print(f"work pool {work_pool} created")
        registered = register(specs, work_pool, secrets=secrets)
    except PoolProblem as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None
    for name, deployment_id in registered.items():
        out.print(f"[green]registered[/green] {name} ({deployment_id})")
    out.print(f"start a worker: prefect worker start --pool {work_pool}")
