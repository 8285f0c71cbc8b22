"""The inbox poll and the immediate-alert check: the two small flows scheduled every few minutes.

inbox-poll takes in the returns that arrived since the last look (new or
changed content only) with the brief pipeline's own gather, validate and load
tasks, sends their 退回重报 notices and 【紧急】 alerts, then deals with the
briefs they made stale: reruns them (a 更正 version, sent once) when
[inbox] correction_rerun = "auto", or marks them for an analyst ("manual").
alert-check retries the 【紧急】 alerts a mail outage kept from going out. The two share one
run lock: while one runs, the other skips its turn.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows.hooks import POLLER_FAILURE_HOOKS
from flows.pipeline import gather_all
from flows.runner import BriefRunFailed, run_brief
from flows.stages import as_is, timed
from govbrief.calendar.periods import Period, parse_period
from govbrief.config import Settings, load_settings
from govbrief.inbox.stale_briefs import due_for_auto_rerun
from govbrief.inbox.watch import left_over_by_unfinished, merged
from govbrief.warehouse import LockPolicy, RunLockHeld, run_lock
from govbrief.warehouse.correction_marks import CorrectionMark
from govbrief.warehouse.locks import supersede_unfinished_runs
from tasks.alerts import send_immediate_alerts
from tasks.common import lock_policy, warehouse_for
from tasks.deliver import notify_clerks
from tasks.inbox import close_mark, describe_arrivals, mark_stale_briefs, retry_unsent_alerts, scan_drop_locations
from tasks.ingest import load_returns, report_quality, validate_returns

INBOX_LOCK = "inbox"
POLL_RUN_KIND = "inbox"  # the runs table's `kind` of a poll (brief runs have their brief's kind)


@flow(name="inbox-poll", flow_run_name="inbox poll", log_prints=False, **POLLER_FAILURE_HOOKS)
def inbox_poll(config: str | None = None) -> dict[str, Any]:
    """Take in new or changed returns, notify and alert, then rerun or mark the briefs they made stale."""
    settings = load_settings(config)
    run_id = str(flow_run.get_id() or uuid.uuid4())
    return exclusive(settings, run_id, "收件检查 inbox poll", lambda: poll(settings, run_id))


def exclusive(settings: Settings, run_id: str, what: str, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `work` holding the inbox lock; when a poll or alert check already holds it, skip this turn
    (the next one comes in minutes) instead of sending the same notice or alert twice."""
    engine = warehouse_for(settings).engine
    policy = LockPolicy(wait_s=0.0, lease_s=lock_policy(settings).lease_s)
    try:
        with run_lock(engine, INBOX_LOCK, run_id=run_id, what=what, policy=policy, clock=settings.clock):
            return work()
    except RunLockHeld as exc:
        return {"skipped": str(exc)}


def poll(settings: Settings, run_id: str) -> dict[str, Any]:
    """One look at the drop locations, and what follows from it. The returns an unfinished earlier
    poll loaded are read again so their notices and alerts still go out (once)."""
    timings: dict[str, float] = {}
    scan = scan_drop_locations(settings)
    left = left_over_by_unfinished(warehouse_for(settings), POLL_RUN_KIND, run_id)
    wanted = merged(scan.wanted, left.wanted)
    summary: dict[str, Any] = {"scan": scan.summary(), "files": {"new": [], "changed": [], "refused": []}}
    if wanted:
        summary.update(
            recorded_take_in(settings, run_id, lambda: take_in(settings, wanted, run_id, left.files, timings))
        )
    summary["corrections"] = timed(timings, "deliver", lambda: handle_stale_briefs(settings))
    summary["timings"] = timings
    return summary


def recorded_take_in(settings: Settings, run_id: str, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Take in as a recorded run (a quiet poll leaves no row): unfinished, what it loaded is followed up
    by the next poll; completed, it closes the earlier unfinished ones."""
    warehouse = warehouse_for(settings)
    warehouse.start_run(flow="inbox-poll", kind=POLL_RUN_KIND, period_key="", run_id=run_id)
    try:
        taken = work()
    except BaseException:
        warehouse.finish_run(run_id, status="failed")
        raise
    supersede_unfinished_runs(warehouse.engine, POLL_RUN_KIND, "", run_id)
    warehouse.finish_run(run_id, status="completed", summary={"files": taken["files"]})
    return taken


def take_in(
    settings: Settings,
    wanted: dict[str, list[Period]],
    run_id: str,
    reread: frozenset[str],
    timings: dict[str, float],
) -> dict[str, Any]:
    """Gather the periods holding new content, validate and load the returns not yet taken in,
    then send their notices and alerts (the stages timed as the brief pipeline times them)."""
    files = timed(timings, "gather", lambda: gather_all(settings, wanted))
    outcomes = timed(timings, "validate", lambda: validate_returns(settings, as_is(files), reread))
    described = describe_arrivals(settings, outcomes)
    timed(timings, "load", lambda: load_returns(settings, as_is(files), as_is(outcomes), run_id))
    return {
        "files": described,
        "quality_report": report_quality(settings, as_is(outcomes), run_label=f"inbox-{run_id[:8]}"),
        "notices": notify_clerks(settings, as_is(outcomes)),
        "alerts": send_immediate_alerts(settings, as_is(outcomes)),
    }


def handle_stale_briefs(settings: Settings) -> dict[str, Any]:
    """Mark the briefs a new return made stale; in "auto" mode rerun every open one."""
    mode = settings.inbox.correction_rerun
    new, still_open = mark_stale_briefs(settings)
    result: dict[str, Any] = {"mode": mode, "marked": [_label(m) for m in new], "rerun": {}, "failed": {}}
    if mode == "auto":
        for mark in [m for m in still_open if due_for_auto_rerun(m)]:
            outcome = rerun_marked_brief(settings, mark)
            result["failed" if "error" in outcome else "rerun"][_label(mark)] = outcome
    result["pending"] = [_label(m) for m in still_open if mode == "manual" or not due_for_auto_rerun(m)]
    return result


def rerun_marked_brief(settings: Settings, mark: CorrectionMark) -> dict[str, Any]:
    """Run the marked brief again as a subflow (a 更正 when figures changed, sent once) and close the mark."""
    attempts = mark.attempts + 1
    try:
        run = run_brief(settings, parse_period(mark.period_key), send=True, force=False)
    except (BriefRunFailed, ValueError) as exc:
        outcome: dict[str, Any] = {"error": str(exc), "attempts": attempts}
        close_mark(settings, mark, "rerun_failed", outcome)
        return outcome
    delivery = run["delivery"]
    outcome = {
        "attempts": attempts,
        "version": run["brief"]["version"],
        "subject": run["brief"]["subject"],
        "sent": list(delivery["sent"]) if delivery else [],
    }
    if undelivered := dict(delivery["failed"]) if delivery else {}:  # the next poll sends to these recipients again
        outcome["error"] = "; ".join(f"{who}: {why}" for who, why in undelivered.items())
    close_mark(settings, mark, "rerun_failed" if "error" in outcome else "done", outcome)
    return outcome


def _label(mark: CorrectionMark) -> str:
    return f"{mark.kind}:{mark.period_key}"


@flow(name="alert-check", flow_run_name="alert check", log_prints=False, **POLLER_FAILURE_HOOKS)
def alert_check(config: str | None = None) -> dict[str, Any]:
    """Send again the 【紧急】 alerts that are failed, or pending long after their run died."""
    settings = load_settings(config)
    run_id = str(flow_run.get_id() or uuid.uuid4())
    return exclusive(settings, run_id, "紧急预警重发 alert check", lambda: retry_unsent_alerts(settings))
