"""`govbrief inbox`: poll the drop locations now, list the briefs marked for a correction rerun,
or rerun one of them (issue 5 §4)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from govbrief.briefs.registry import brief_for, name_zh
from govbrief.calendar.periods import PeriodError, parse_period
from govbrief.cli.app import ConfigOption, app, err, out, quiet_libraries, settings_or_exit
from govbrief.config import Settings

if TYPE_CHECKING:  # the warehouse pulls in SQLAlchemy and pandas: only the commands that need it pay
    from govbrief.warehouse import Warehouse
    from govbrief.warehouse.correction_marks import CorrectionMark

STATUS_ZH = {"pending": "待重发", "rerun_failed": "重发失败"}


@app.command("inbox")
def inbox_command(
    pending: Annotated[
        bool, typer.Option("--pending", help="List the briefs marked for a correction rerun. 待更正简报。")
    ] = False,
    rerun: Annotated[
        str | None,
        typer.Option("--rerun", metavar="PERIOD", help="Rerun the brief of this period and close its marks."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")] = False,
    config: ConfigOption = None,
) -> None:
    """Take in new or changed returns now (what the scheduled poll does). 立即检查收件。"""
    settings = settings_or_exit(config)
    if pending:
        _list_pending(settings, as_json=as_json)
    elif rerun is not None:
        _rerun(settings, rerun, as_json=as_json)
    else:
        _poll(settings, as_json=as_json)


def _warehouse(settings: Settings) -> Warehouse:
    from govbrief.warehouse import connect

    return connect(settings.warehouse_url)


def _list_pending(settings: Settings, *, as_json: bool) -> None:
    from govbrief.inbox.stale_briefs import open_marks

    with _warehouse(settings) as warehouse:
        marks = open_marks(warehouse, settings.today())
    names = {unit.code: unit.name for unit in settings.units}
    if as_json:
        rows = [_mark_json(mark, names, settings.city.timezone) for mark in marks]
        sys.stdout.write(json.dumps({"pending": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    if not marks:
        out.print("没有待更正的简报 / no brief is waiting for a correction rerun")
        return
    table = Table(title="待更正简报 briefs marked for a correction rerun")
    for header in ("简报 brief", "期次 period", "更正来源 units", "标记时间 marked", "状态 status", "命令 command"):
        table.add_column(header)
    for mark in marks:
        row = _mark_json(mark, names, settings.city.timezone)
        table.add_row(
            row["brief_zh"],
            row["period_zh"],
            "、".join(row["units"]),
            row["marked_at"],
            row["status_zh"],
            row["command"],
        )
    out.print(table)


def _mark_json(mark: CorrectionMark, names: dict[str, str], city_timezone: str) -> dict[str, Any]:
    from govbrief.inbox.stale_briefs import rerun_command

    return {
        "brief": mark.kind,
        "brief_zh": name_zh(mark.kind),
        "period": mark.period_key,
        "period_zh": parse_period(mark.period_key).label_zh,
        "units": [names.get(code, code) for code in mark.units],
        "files": mark.files,
        "marked_at": mark.marked_at.astimezone(ZoneInfo(city_timezone)).isoformat(timespec="minutes"),
        "status": mark.status,
        "status_zh": STATUS_ZH.get(mark.status, mark.status),
        "error": mark.details.get("error"),
        "command": rerun_command(mark),
    }


def _rerun(settings: Settings, period_text: str, *, as_json: bool) -> None:
    from govbrief.inbox.stale_briefs import finish_mark, open_marks

    try:
        period = parse_period(period_text)
    except PeriodError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    try:
        kind = brief_for(period.kind).id
    except ValueError:
        err.print(f"[red]no brief is issued for {escape(period.key)} / 该期次无简报[/red]")
        raise typer.Exit(2) from None
    quiet_libraries()
    from flows.runner import BriefRunFailed, run_brief

    try:
        summary = run_brief(settings, period, send=True, force=False)
    except (BriefRunFailed, ValueError) as exc:
        err.print(f"[red]简报运行失败 / brief run failed[/red]: {escape(str(exc))}")
        raise typer.Exit(1) from None
    with _warehouse(settings) as warehouse:
        marks = [m for m in open_marks(warehouse, settings.today()) if (m.kind, m.period_key) == (kind, period.key)]
        for mark in marks:
            finish_mark(warehouse, mark.mark_id, "done", {"version": summary["brief"]["version"], "by": "analyst"})
    result = {"brief": summary["brief"], "delivery": summary["delivery"], "marks_closed": len(marks)}
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    sent = len(summary["delivery"]["sent"]) if summary["delivery"] else 0
    out.print(f"{escape(summary['brief']['subject'])} · 第{summary['brief']['version']}版 · 发送 sent {sent}")


def _poll(settings: Settings, *, as_json: bool) -> None:
    quiet_libraries()
    from flows.inbox import inbox_poll

    try:
        summary = inbox_poll(config=str(settings.source_file))
    except Exception as exc:  # the flow failed: say why, never a traceback
        err.print(f"[red]收件检查失败 / inbox poll failed[/red]: {escape(str(exc))}")
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    print_poll(summary)


def print_poll(summary: dict[str, Any]) -> None:
    """One line per kind of arrival, then what happened to the briefs they made stale."""
    if "skipped" in summary:  # another poll or alert check is running
        err.print(f"[yellow]{escape(summary['skipped'])}[/yellow]")
        return
    files, scan = summary["files"], summary["scan"]
    out.print(
        f"检查 {scan['periods_scanned']} 个期次、{scan['files_seen']} 个文件 / scanned: "
        f"新报 new {len(files['new'])} · 更正 changed {len(files['changed'])} · 退回 refused {len(files['refused'])}"
    )
    for label, key in (("新报 new", "new"), ("更正 changed", "changed"), ("退回 refused", "refused")):
        if files[key]:
            out.print(f"  {label}: {escape('、'.join(files[key]))}")
    if scan["still_arriving"]:
        out.print(f"  传输中，下次检查接收 still arriving: {escape('、'.join(scan['still_arriving']))}")
    alerts = (summary.get("alerts") or {}).get("sent", [])
    if alerts:
        out.print(f"【紧急】 alerts sent: {len(alerts)}")
    corrections = summary["corrections"]
    for label in corrections["rerun"]:
        out.print(f"已重发更正 rerun: {escape(label)}")
    for label, outcome in corrections["failed"].items():
        err.print(f"[red]更正重发失败 rerun failed[/red]: {escape(label)}: {escape(str(outcome.get('error')))}")
    if corrections["pending"]:
        out.print(f"待更正 pending: {escape('、'.join(corrections['pending']))} (govbrief inbox --pending)")
