"""How the CLI shows a run: a progress view while it works, a short summary after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from govbrief.model import RunSummary
from tasks import stage_progress as progress

STATUS_ZH = {"on_time": "按时", "late": "逾期", "missing": "未报", "refused": "退回"}


class RichProgress:
    """Shows the current stage; a bar when the stage knows its size."""

    def __init__(self, bar: Progress):
        self.bar = bar
        self.task_id: Any = None

    def stage(self, name: str, total: int | None = None) -> None:
        if self.task_id is not None:
            self.bar.update(self.task_id, completed=self.bar.tasks[0].total or 1, total=self.bar.tasks[0].total or 1)
            self.bar.remove_task(self.task_id)
        self.task_id = self.bar.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task_id is not None:
            self.bar.advance(self.task_id, steps)


@contextmanager
def progress_view(console: Console) -> Iterator[None]:
    """A transient progress view on a terminal; nothing when output is piped."""
    if not console.is_terminal:
        yield
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        progress.use(RichProgress(bar))
        try:
            yield
        finally:
            progress.use(None)


def print_summary(console: Console, summary: RunSummary) -> None:
    """Units accepted/refused, alerts, where the brief went."""
    data, brief, delivery = summary["data"], summary["brief"], summary["delivery"]
    units = data["units"]
    by_status: dict[str, list[str]] = {}
    for unit in units:
        by_status.setdefault(unit["status"], []).append(unit["name"])
    counts = "，".join(
        f"{STATUS_ZH[s]} {len(names)}" + (f"（{'、'.join(names)}）" if s != "on_time" else "")
        for s, names in by_status.items()
    )
    alerts = data["alerts"]
    red = sum(1 for a in alerts if a["level"] == "red")
    # One line per fact, never wrapped (paths stay whole in a log or a narrow terminal).
    say = partial(console.print, soft_wrap=True, highlight=False)
    say(f"[bold]{escape(brief['subject'])}[/bold]  v{brief['version']}")
    say(f"  报送 returns   {len(units)} units: {escape(counts)}")
    say(f"  预警 alerts    {red} red, {len(alerts) - red} yellow")
    say(f"  简报 brief     {escape(str(brief['html']))}")
    if delivery is None:
        say("  发送 delivery  not sent (--no-send)")
        return
    say(
        f"  发送 delivery  {len(delivery['sent'])} sent via {delivery['transport']} → "
        f"{escape(str(delivery['destination']))}"
        f"; {len(delivery['skipped'])} already had it; {len(delivery['failed'])} failed"
    )
    for address, error in delivery["failed"].items():
        say(f"  [red]failed[/red] {escape(address)}: {escape(str(error))}")
