"""旬简报: the ten-day brief, from county returns to a leader's inbox.

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
from govbrief.periods import Period, PeriodKind, history_needed, parse_period
from tasks.alerts import send_immediate_alerts
from tasks.compute import compute_ten_day
from tasks.deliver import deliver_brief, notify_clerks
from tasks.gather import gather_drop, gather_returns
from tasks.ingest import load_returns, report_quality, validate_returns
from tasks.render import render_and_store

RETURN_KIND = "safety"


@flow(name="ten-day-brief", flow_run_name="旬简报 {period}", log_prints=False)
def ten_day_brief(
    period: str | None = None, send: bool = True, force: bool = False, config: str | None = None
) -> dict[str, Any]:
    """Gather → validate → load → compute → render → deliver, for one 旬 (default: the latest closed)."""
    settings = load_settings(config)
    target = parse_period(period) if period else Period.latest_closed(PeriodKind.TEN_DAY, settings.today())
    timings: dict[str, float] = {}
    run_id = str(flow_run.get_id() or "local")
    needed = history_needed(target)

    files = timed(timings, "gather", lambda: _gather(settings, needed))
    outcomes = timed(timings, "validate", lambda: validate_returns(settings, files))
    timed(timings, "load", lambda: load_returns(settings, files, outcomes, run_id))
    quality_report = report_quality(settings, outcomes, run_label=f"{target.key}-{run_id[:8]}")
    notices = notify_clerks(settings, outcomes) if send else None
    alerts = send_immediate_alerts(settings, outcomes) if send else None
    context, data = timed(timings, "compute", lambda: compute_ten_day(settings, target))
    brief = timed(timings, "render", lambda: render_and_store(settings, context, data))
    delivery = timed(timings, "deliver", lambda: deliver_brief(settings, brief, force) if send else None)
    return {
        "kind": "ten_day",
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


def _gather(settings: Settings, needed: list[Period]) -> list[Any]:
    """The shared drop in one task; units with their own source in batches (one unit each by
    default), all concurrently."""
    shared, own = split_units(settings)
    size = settings.run.gather_batch
    batches = [own[i : i + size] for i in range(0, len(own), size)]
    progress.stage("采集 gather", total=len(own) + (1 if shared else 0))
    futures = [gather_drop.submit(settings, RETURN_KIND, needed)] if shared else []
    futures += [
        gather_returns.submit(
            settings, [u.code for u in batch], RETURN_KIND, needed, label="、".join(u.name for u in batch[:3])
        )
        for batch in batches
    ]
    return [f for future in futures for f in future.result()]
