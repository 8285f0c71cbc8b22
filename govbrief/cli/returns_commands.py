"""check-returns output: per file, what it was matched to, its verdict and every problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.formatting import write_csv
from govbrief.intake.returns_check import FileCheck, check_files
from govbrief.problems import format_problems
from govbrief.warehouse import Warehouse, connect

VERDICT = {
    "accepted": "[green]通过 accepted[/green]",
    "accepted_with_warnings": "[yellow]通过（有提示） accepted with warnings[/yellow]",
    "refused": "[red]退回 refused[/red]",
}
CSV_HEADER = [
    "文件 file",
    "县市区 county",
    "期次 period",
    "级别 severity",
    "工作表 sheet",
    "行 row",
    "列 column",
    "规则 rule",
    "值 value",
    "说明 message_zh",
    "message_en",
]


def run_checks(paths: Sequence[Path], settings: Settings, period: Period | None) -> list[FileCheck]:
    """Check files, with the warehouse's accepted rows as context when a warehouse exists."""
    return check_files(paths, settings, period=period, warehouse=_existing_warehouse(settings))


def _existing_warehouse(settings: Settings) -> Warehouse | None:
    """Year-wide rules need earlier returns; never create a database just to check a file."""
    url = settings.warehouse_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    return connect(url)


def print_checks(console: Console, checks: Sequence[FileCheck]) -> None:
    """Per file: what it was matched to, the verdict, then the same lines a 退回重报 email lists."""
    for check in checks:
        matched = f"{check.county or '未识别单位 unknown unit'} · {check.period or '未识别期次 unknown period'}"
        console.print(f"[bold]{check.path}[/bold]  →  {matched}  {VERDICT[check.status]}", soft_wrap=True)
        for line in format_problems(check.problems):
            console.print(f"  - {line}", highlight=False, markup=False, soft_wrap=True)
    refused = sum(1 for c in checks if c.status == "refused")
    console.print(f"{len(checks)} files: {len(checks) - refused} accepted, {refused} refused")


def write_checks_csv(path: Path, checks: Sequence[FileCheck]) -> None:
    """Every problem as a CSV a clerk opens in Excel/WPS (cells that look like formulas are escaped)."""
    rows = [
        [c.path, c.county, c.period, p.severity, p.sheet, p.row, p.column, p.rule, p.value, p.message_zh, p.message_en]
        for c in checks
        for p in c.problems
    ]
    write_csv(path, CSV_HEADER, rows)
