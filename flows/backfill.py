"""补跑 backfill: a brief for every period from one to another, in order, each once.

Resumable and idempotent by construction: a period whose figures are unchanged keeps
its stored version (tasks/render.py) and recipients who have it are skipped
(tasks/deliver.py), so running a backfill again after an interruption costs the done
periods a quick check and continues with the rest. Each period holds its own run lock.

From the Prefect UI/API: a run of the `backfill` flow with parameters kind
(ten_day | monthly | quarterly), start, end, send; the brief runs appear as its subflows.
A preview is a run of the brief's own flow (`ten-day-brief`, `monthly-brief`, `quarterly-brief`)
with send=false: it renders and stores the brief and mails nobody.
The command line's `govbrief backfill` runs the same `backfill_period` for each period
in one process, with a progress bar.
"""

from __future__ import annotations

import time

from prefect import flow
from prefect.artifacts import create_table_artifact

from flows.runner import BriefRunFailed, run_brief
from govbrief.briefs.registry import brief_kind
from govbrief.calendar.periods import Period, PeriodKind, parse_period
from govbrief.config import load_settings
from govbrief.model import BackfillRow, RunSummary

STATUS_ZH = {
    "new": "新生成 new",
    "correction": "更正 correction",
    "unchanged": "未变 unchanged",
    "failed": "失败 failed",
}


def backfill_periods(kind: PeriodKind, start: str, end: str) -> list[Period]:
    """Every period of `kind` from `start` to `end`, inclusive, oldest first."""
    first, last = parse_period(start), parse_period(end)
    if first.kind is not kind or last.kind is not kind:
        raise ValueError(f"补跑需要{kind}期次 / a backfill of this brief needs {kind} periods: {start}, {end}")
    if last < first:
        raise ValueError(f"起始期次晚于结束期次 / {start} comes after {end}")
    periods = [first]
    while periods[-1] != last:
        periods.append(periods[-1].next())
    return periods


def backfill_period(period: Period, *, send: bool, force: bool, config: str | None) -> BackfillRow:
    """Run the brief of one period (a subflow inside a flow) and return its row of the backfill summary."""
    started = time.perf_counter()
    try:
        summary = run_brief(load_settings(config), period, send=send, force=force)
    except (BriefRunFailed, ValueError) as exc:
        return period_row(period, None, str(exc), time.perf_counter() - started)
    return period_row(period, summary, "", time.perf_counter() - started)


def period_row(period: Period, summary: RunSummary | None, error: str, seconds: float) -> BackfillRow:
    """One line of the backfill summary: the version kept or made, what went to whom, or why it failed."""
    status = summary["brief_status"] if summary else "failed"
    delivery = summary["delivery"] if summary else None
    return BackfillRow(
        period=period.key,
        label=period.label_zh,
        seconds=round(seconds, 1),
        status=status,
        status_zh=STATUS_ZH[status],
        version=summary["brief"]["version"] if summary else None,
        sent=len(delivery["sent"]) if delivery else 0,
        skipped=len(delivery["skipped"]) if delivery else 0,
        failed=len(delivery["failed"]) if delivery else 0,
        error=error,
    )


@flow(name="backfill", flow_run_name="补跑 {kind} {start}–{end}", log_prints=False)
def backfill(
    kind: str, start: str, end: str, send: bool = True, force: bool = False, config: str | None = None
) -> list[BackfillRow]:
    """Each period's brief from `start` to `end` in order, as subflows; the summary as a table artifact."""
    rows = [
        backfill_period(period, send=send, force=force, config=config)
        for period in backfill_periods(brief_kind(kind).period_kind, start, end)
    ]
    create_table_artifact(
        table=[dict(row) for row in rows],
        key=f"govbrief-backfill-{kind.replace('_', '-')}",
        description=f"补跑 {start}–{end} / backfill summary",
    )
    return rows
