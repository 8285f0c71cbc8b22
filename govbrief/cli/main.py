"""govbrief's command line: the one front door for people.

Heavy libraries (Prefect, Great Expectations, matplotlib) are imported inside
the commands that need them, so `govbrief --help` and `check-config` start fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from govbrief.briefs.registry import BriefKind
from govbrief.calendar.periods import Period, PeriodKind, parse_period
from govbrief.cli.app import (
    BRIEF_KIND_NAMES,
    BriefKindArgument,
    ConfigOption,
    PeriodOption,
    app,
    brief_kind_arg,
    err,
    out,
    period_or_exit,
    quiet_libraries,
    settings_or_exit,
    today_in_city,
    warn,
)
from govbrief.config import Settings

CountiesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--counties",
        help="Take in only these counties' returns (code or name; repeat or comma-separate). "
        "The brief still covers the whole city. 仅重新接收指定县市区的报表。",
    ),
]


@app.command("check-config")
def check_config(config: ConfigOption = None) -> None:
    """Validate the configuration and name every problem. 检查配置。"""
    from govbrief.cli.config_check import check_settings

    settings = settings_or_exit(config)
    report = check_settings(settings, today=today_in_city(settings))
    for warning in report.warnings:
        warn(warning, "warning")
    for problem in report.problems:
        err.print(f"[red]problem[/red] {problem}")
    if report.problems:
        raise typer.Exit(1)
    out.print(f"[green]配置有效 / configuration OK[/green]: {settings.source_file} ({len(settings.units)} units)")


@app.command("period")
def show_period(
    text: Annotated[str, typer.Argument(help="e.g. 2026-11-x2 or 2026年第四季度")],
    config: ConfigOption = None,
) -> None:
    """Show a period's dates, neighbours and 序时进度. 显示期次信息。"""
    from govbrief.calendar.workdays import WorkCalendar

    settings = settings_or_exit(config)
    period = period_or_exit(text, parse_period(text).kind, settings)
    calendar = WorkCalendar.from_settings(settings)
    ytd = period.year_to_date()
    out.print(f"{period.key}  {period.label_zh}  {period.start} – {period.end} ({period.days} days)")
    out.print(
        f"previous 环比 {period.previous().key} · same period last year 同比 {period.same_period_last_year().key}"
    )
    out.print(f"year to date 本年累计 {ytd[0]} – {ytd[1]} · 序时进度 {period.time_progress():.1%}")
    due = calendar.nth_workday_after(period.end, settings.deadlines.ten_day_working_days)
    out.print(f"returns due 报送截止 {due} ({settings.deadlines.ten_day_working_days} working days after)")
    if warning := calendar.coverage_warning(period.year):
        warn(warning)


@app.command("run")
def run(
    kind: BriefKindArgument,
    period: PeriodOption = None,
    no_send: Annotated[bool, typer.Option("--no-send", help="Render and store, send nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Send again to recipients who already have it.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the brief's data as JSON on stdout.")] = False,
    counties: CountiesOption = None,
    config: ConfigOption = None,
) -> None:
    """Run a brief's flow for a period. 运行简报流程。"""
    settings = settings_or_exit(config)
    target = period_or_exit(period, kind.period_kind, settings)
    names = [name.strip() for item in counties or [] for name in item.replace("，", ",").split(",") if name.strip()]
    _run_brief(settings, target, send=not no_send, force=force, as_json=as_json, counties=names)


@app.command("demo")
def demo(
    period: PeriodOption = None,
    no_send: Annotated[bool, typer.Option("--no-send", help="Render and store, send nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the brief's data as JSON on stdout.")] = False,
    config: ConfigOption = None,
    kind: Annotated[
        BriefKind,
        typer.Option(
            "--kind", parser=brief_kind_arg, metavar=BRIEF_KIND_NAMES, help="Which brief (default: the 旬简报)."
        ),
    ] = "ten-day",  # type: ignore[assignment]  # parsed into a BriefKind by Typer
    year: Annotated[
        bool,
        typer.Option(
            "--year",
            help="A year of briefs instead: every 旬简报, 月通报 and 季总结 of the 12 months up to --period "
            "(a month; default: the latest closed quarter's last month). 一年的简报。",
        ),
    ] = False,
) -> None:
    """Generate demo returns for the nine units, then run the brief (--kind). 生成演示数据并出简报。"""
    from govbrief.demo import demo_periods, generate_safety_returns
    from govbrief.demo.intake_cases import stage_intake_cases

    settings = settings_or_exit(config)
    if year:
        _demo_year(settings, period, send=not no_send)
        return
    if kind.period_kind is not PeriodKind.TEN_DAY:
        target = period_or_exit(period, kind.period_kind, settings)
        _demo_with_debt(settings, target, send=not no_send, as_json=as_json)
        return
    target = period_or_exit(period, PeriodKind.TEN_DAY, settings)
    periods = demo_periods(target)
    console = err if as_json else out
    with console.status(f"生成演示报表 generating demo returns ({len(periods)} 旬 × {len(settings.units)} units)…"):
        paths = generate_safety_returns(settings, periods, awkward_period=target)
        stage_intake_cases(settings, target)
    console.print(f"演示报表 demo returns: {len(paths)} workbooks in {settings.paths.drop}")
    _run_brief(settings, target, send=not no_send, force=False, as_json=as_json)


def _demo_with_debt(settings: Settings, target: Period, *, send: bool, as_json: bool) -> None:
    """Safety, debt and key-task returns from January of last year up to the end of `target`
    (a month or a quarter), then its brief (月通报 or 季总结)."""
    _demo_returns_to(settings, Period.month(target.year, target.end.month), err if as_json else out)
    _run_brief(settings, target, send=send, force=False, as_json=as_json)


def _demo_year(settings: Settings, period: str | None, *, send: bool) -> None:
    """Returns up to a month, then every brief of the 12 months to it, in the order they are issued."""
    quiet_libraries()
    from govbrief.cli.brief_commands import run_periods, summary_table
    from govbrief.demo.year import year_of_briefs

    if period is None:
        quarter = Period.latest_closed(PeriodKind.QUARTER, today_in_city(settings))
        last_month = Period.month(quarter.year, quarter.end.month)
    else:
        last_month = period_or_exit(period, PeriodKind.MONTH, settings)
    _demo_returns_to(settings, last_month, out)
    rows = run_periods(settings, year_of_briefs(last_month), send=send, force=False)
    out.print(summary_table(rows))
    if any(row["status"] == "failed" for row in rows):
        raise typer.Exit(1)


def _demo_returns_to(settings: Settings, month: Period, console: Console) -> None:
    """The demo's safety, debt and key-task returns from January of last year to `month`."""
    from govbrief.demo import demo_periods, generate_safety_returns
    from govbrief.demo.debt_returns import demo_months, generate_debt_returns
    from govbrief.demo.key_task_returns import generate_key_task_returns

    last_xun = Period.containing(PeriodKind.TEN_DAY, month.end)
    with console.status("生成演示报表 generating demo returns (safety, debt, key tasks)…"):
        paths = generate_safety_returns(settings, demo_periods(last_xun))
        paths += generate_debt_returns(settings, demo_months(month))
        paths += generate_key_task_returns(settings, demo_months(month))
    console.print(f"演示报表 demo returns: {len(paths)} workbooks in {settings.paths.drop}")


@app.command("check-returns")
def check_returns(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of returns.", exists=True)],
    period: PeriodOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")] = False,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Also write every problem to this CSV.")] = None,
    config: ConfigOption = None,
) -> None:
    """Check returns before sending them; nothing is loaded. 报送前检查报表。Exit 1 if any is refused."""
    quiet_libraries()
    from govbrief.cli.returns_commands import print_checks, run_checks, write_checks_csv

    settings = settings_or_exit(config)
    target = period_or_exit(period, PeriodKind.TEN_DAY, settings) if period else None
    with err.status("检查中 checking…") if not as_json and err.is_terminal else _nothing():
        checks = run_checks(paths, settings, target)
    if csv_out is not None:
        write_checks_csv(csv_out, checks)
    if as_json:
        sys.stdout.write(json.dumps({"files": [c.to_dict() for c in checks]}, ensure_ascii=False, indent=2) + "\n")
    else:
        print_checks(out, checks)
    if any(c.status == "refused" for c in checks):
        raise typer.Exit(1)


@app.command("check-templates")
def check_templates(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Template files or folders (default: reports_templates/).", exists=True)
    ] = None,
) -> None:
    """Lint report templates before they are used. 检查报告模板。Exit 1 if any is refused."""
    from govbrief.cli.template_commands import run_check_templates

    if not run_check_templates(out, paths or []):
        raise typer.Exit(1)


@app.command("archive")
def archive(config: ConfigOption = None) -> None:
    """Write the static index of every brief and version (state/briefs/index.html). 简报归档索引。"""
    from govbrief.cli.archive_commands import run_archive

    run_archive(out, settings_or_exit(config))


@app.command("status")
def status(
    period: PeriodOption = None,
    returns: Annotated[
        str | None,
        typer.Option("--returns", help="Return kinds, comma-separated (default: all: safety,debt,key_tasks)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the matrix as JSON on stdout.")] = False,
    config: ConfigOption = None,
) -> None:
    """Submission status, unit × return × period (a month: its 旬 and its monthly returns). 报送情况矩阵。"""
    from govbrief.glossary import load_glossary
    from govbrief.status import matrix_json, periods_within, render_matrix_table, submission_matrix
    from govbrief.warehouse import connect

    settings = settings_or_exit(config)
    today = today_in_city(settings)
    chosen = parse_period(period) if period else Period.containing(PeriodKind.MONTH, today)
    glossary = load_glossary()
    known = list(glossary.returns)
    # By default every return kind the period holds a period of (a 旬 holds no monthly return).
    fitting = [kind for kind in known if periods_within(chosen, glossary.returns[kind].cadence)]
    kinds = [kind.strip() for kind in returns.split(",") if kind.strip()] if returns else fitting
    if unknown := [kind for kind in kinds if kind not in known]:
        shown = escape(", ".join(unknown))
        err.print(f"[red]未知报表 / unknown return kind[/red]: {shown} (known: {', '.join(known)})")
        raise typer.Exit(2)
    started = today if chosen.start <= today else None  # a past or current period: hide what has not begun
    warehouse = connect(settings.warehouse_url)
    matrix = submission_matrix(warehouse, settings, [chosen], kinds, today, started_by=started)
    if as_json:
        sys.stdout.write(json.dumps(matrix_json(matrix), ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        out.print(render_matrix_table(matrix))


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _run_brief(
    settings: Settings, target: Period, *, send: bool, force: bool, as_json: bool, counties: list[str] | None = None
) -> None:
    quiet_libraries()
    from flows.runner import BriefRunFailed, run_brief
    from govbrief.cli.run_view import print_summary, progress_view

    console = err if as_json else out
    try:
        with progress_view(console):
            summary = run_brief(settings, target, send=send, force=force, counties=counties)
    except (BriefRunFailed, ValueError) as exc:
        err.print(f"[red]简报运行失败 / brief run failed[/red]: {exc}")
        raise typer.Exit(1) from None
    print_summary(console, summary)
    if as_json:
        sys.stdout.write(json.dumps(summary["data"], ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def main() -> None:
    app()


# Command modules register themselves on `app` when imported.
from govbrief.cli import brief_commands, deploy_commands, inbox_commands, schedule_commands  # noqa: E402, F401

if __name__ == "__main__":
    main()
