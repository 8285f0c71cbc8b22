"""月通报: the monthly bulletin, from county returns (safety 旬 returns, monthly debt and
key-task returns) to a leader's inbox.

Reads like a table of contents; every step is a task over the govbrief core.
"""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows.stages import timed
from govbrief import progress
from govbrief.config import Settings, load_settings
from govbrief.gather import split_units
from govbrief.model import ReceivedFile
from govbrief.periods import Period, PeriodKind, history_needed, parse_period
from tasks.alerts import send_immediate_alerts
from tasks.deliver import deliver_brief, notify_clerks
from tasks.gather import gather_drop, gather_returns
from tasks.ingest import load_returns, report_quality, validate_returns
from tasks.monthly import MONTHLY_RETURNS, SAFETY_RETURN, compute_monthly
from tasks.render import render_and_store


@flow(name="monthly-brief", flow_run_name="月通报 {period}", log_prints=False)
def monthly_brief(
    period: str | None = None, send: bool = True, force: bool = False, config: str | None = None
) -> dict[str, Any]:
    """Gather → validate → load → compute → render → deliver, for one month (default: the latest closed)."""
    settings = load_settings(config)
    target = parse_period(period) if period else Period.latest_closed(PeriodKind.MONTH, settings.today())
    if target.kind is not PeriodKind.MONTH:
        raise ValueError(f"a 月通报 needs a month, got {target.key}")
    timings: dict[str, float] = {}
    run_id = str(flow_run.get_id() or "local")

    files = timed(timings, "gather", lambda: gather_all(settings, returns_needed(target)))
    outcomes = timed(timings, "validate", lambda: validate_returns(settings, files))
    timed(timings, "load", lambda: load_returns(settings, files, outcomes, run_id))
    quality_report = report_quality(settings, outcomes, run_label=f"{target.key}-{run_id[:8]}")
    notices = notify_clerks(settings, outcomes) if send else None
    alerts = send_immediate_alerts(settings, outcomes) if send else None  # new hidden debt, missed payments
    context, data = timed(timings, "compute", lambda: compute_monthly(settings, target))
    brief = timed(timings, "render", lambda: render_and_store(settings, context, data))
    delivery = timed(timings, "deliver", lambda: deliver_brief(settings, brief, force) if send else None)
    return {
        "kind": "monthly",
        "period": target.key,
        "run_id": run_id,
        "files_received": len(files),
        "files_processed": len(outcomes),
        "data": data,
        "brief": brief.summary(),
        "delivery": delivery,
        "notices": notices,
        "alerts": alerts,
        "quality_report": quality_report,
        "timings": timings,
    }


def returns_needed(month: Period) -> dict[str, list[Period]]:
    """Return kind → periods: every 旬 and every month from January of last year to the month's end."""
    last_xun = Period.containing(PeriodKind.TEN_DAY, month.end)
    months = history_needed(month)
    return {SAFETY_RETURN: history_needed(last_xun), **{kind: months for kind in MONTHLY_RETURNS}}


def gather_all(settings: Settings, wanted: dict[str, list[Period]]) -> list[ReceivedFile]:
    """Every return kind's files: the shared drop in one task per kind, each own-source unit in one
    task per kind, all concurrently."""
    shared, own = split_units(settings)
    progress.stage("采集 gather", total=len(wanted) * (len(own) + (1 if shared else 0)))
    futures = []
    for kind, periods in wanted.items():
        if shared:
            futures.append(gather_drop.submit(settings, kind, periods))
        futures += [gather_returns.submit(settings, [u.code], kind, periods, label=f"{u.name} {kind}") for u in own]
    return [f for future in futures for f in future.result()]
