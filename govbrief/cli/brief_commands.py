"""Analysts' commands beyond `run`: preview a brief without sending it, backfill a range of periods.

`govbrief preview KIND --period P` renders and stores the brief like `run --no-send` and
prints the paths of its files. `govbrief backfill KIND --from P --to P` runs each period's
brief once, in order, in one process (one Prefect start-up), with a progress bar and a
summary table; run again after an interruption, it checks the done periods quickly
(unchanged figures keep their stored version, nobody gets a brief twice) and goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from govbrief.calendar.periods import Period
from govbrief.cli.app import (
    BriefKindArgument,
    ConfigOption,
    PeriodOption,
    app,
    err,
    out,
    period_or_exit,
    quiet_libraries,
    settings_or_exit,
)
from govbrief.config import Settings
from govbrief.model import BackfillRow
from tasks import stage_progress as progress

PREVIEW_FILES = ("brief.html", "brief.pdf", "brief.docx", "brief.txt")


@app.command("preview")
def preview(
    kind: BriefKindArgument,
    period: PeriodOption = None,
    config: ConfigOption = None,
) -> None:
    """Render a brief to files and print their paths; send nothing. 预览简报（不发送）。"""
    quiet_libraries()
    from flows.runner import BriefRunFailed, run_brief

    settings = settings_or_exit(config)
    target = period_or_exit(period, kind.period_kind, settings)
    try:
        with err.status(f"生成预览 rendering {target.label_zh}…") if err.is_terminal else _nothing():
            summary = run_brief(settings, target, send=False, force=False)
    except (BriefRunFailed, ValueError) as exc:
        err.print(f"[red]预览失败 / preview failed[/red]: {exc}")
        raise typer.Exit(1) from None
    err.print(f"{summary['brief']['subject']}  v{summary['brief']['version']}（本次未发送 / nothing sent）")
    for name in PREVIEW_FILES:
        if name in summary["files"]:
            out.print(summary["files"][name], soft_wrap=True, highlight=False)


@app.command("backfill")
def backfill(
    kind: BriefKindArgument,
    start: Annotated[str, typer.Option("--from", help="First period, e.g. 2026-01-x1.")],
    end: Annotated[str, typer.Option("--to", help="Last period, e.g. 2026-12-x3.")],
    no_send: Annotated[bool, typer.Option("--no-send", help="Render and store, send nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Send again to recipients who already have it.")] = False,
    config: ConfigOption = None,
) -> None:
    """Run the brief for every period from --from to --to, in order; resumable. 补跑简报。Exit 1 if any failed."""
    quiet_libraries()
    from flows.backfill import backfill_periods

    settings = settings_or_exit(config)
    first = period_or_exit(start, kind.period_kind, settings)
    last = period_or_exit(end, kind.period_kind, settings)
    try:
        periods = backfill_periods(kind.period_kind, first.key, last.key)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    rows = run_periods(settings, periods, send=not no_send, force=force)
    out.print(summary_table(rows))
    if any(row["status"] == "failed" for row in rows):
        raise typer.Exit(1)


def run_periods(settings: Settings, periods: list[Period], *, send: bool, force: bool) -> list[BackfillRow]:
    """Each period's brief in order, in this process, with the progress bar; one summary row each."""
    from flows.backfill import backfill_period

    rows = []
    with backfill_progress(err, len(periods)) as show:
        for period in periods:
            show(period.label_zh)
            rows.append(backfill_period(period, send=send, force=force, config=str(settings.source_file)))
            _print_row(err, rows[-1])
    return rows


class _PeriodStages:
    """Progress sink for one backfill: the bar counts periods, its label names the period and stage."""

    def __init__(self, bar: Progress, task: TaskID) -> None:
        self.bar, self.task, self.period = bar, task, ""

    def begin(self, period_label: str) -> None:
        if self.period:
            self.bar.advance(self.task)
        self.period = period_label
        self.bar.update(self.task, description=period_label)

    def stage(self, name: str, total: int | None = None) -> None:
        self.bar.update(self.task, description=f"{self.period} · {name}")

    def advance(self, steps: int = 1) -> None:
        pass


@contextmanager
def backfill_progress(console: Console, total: int) -> Iterator[Any]:
    """A bar over the periods on a terminal (yields `show(period_label)`); nothing when piped."""
    if not console.is_terminal:
        yield lambda label: None
        return
    columns = (TextColumn("补跑 backfill {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        sink = _PeriodStages(bar, bar.add_task("", total=total))
        progress.use(sink)
        try:
            yield sink.begin
        finally:
            progress.use(None)


def _print_row(console: Console, row: BackfillRow) -> None:
    mark = "[red]✗[/red]" if row["status"] == "failed" else "[green]✓[/green]"
    detail = row["error"] or f"v{row['version']} {row['status_zh']}, {row['sent']} sent"
    console.print(f"{mark} {row['period']} {row['label']}: {detail} ({row['seconds']} s)", highlight=False)


def summary_table(rows: list[BackfillRow]) -> Table:
    """One line per period: version, what happened to it, deliveries, seconds."""
    table = Table(title=f"补跑结果 backfill: {len(rows)} periods")
    table.add_column("期次 period", no_wrap=True)
    table.add_column("版本", justify="right", no_wrap=True)
    table.add_column("结果 result", min_width=14)
    for header in ("发送", "已有", "失败", "秒"):  # sent, had it already, failed, seconds
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        version = "" if row["version"] is None else f"v{row['version']}"
        result = row["status_zh"] + (f": {row['error']}" if row["error"] else "")
        cells = (row["sent"], row["skipped"], row["failed"], row["seconds"])
        table.add_row(row["label"], version, result, *(str(cell) for cell in cells))
    return table


@contextmanager
def _nothing() -> Iterator[None]:
    yield
