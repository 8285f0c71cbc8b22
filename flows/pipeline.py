"""The one pipeline every brief runs: gather → validate → load → compute → render → deliver.

A brief kind differs only in which returns it needs and how its figures are
computed (its BriefKind in govbrief/briefs/registry.py); everything else — intake,
quality report, 退回重报 and 【紧急】 notices, rendering, 更正 versions, delivery — is
the same tasks.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from prefect.runtime import flow_run

from flows.stages import as_is, timed
from govbrief.briefs.registry import BriefKind
from govbrief.briefs.versions import version_status
from govbrief.calendar.periods import Period, parse_period
from govbrief.config import Settings, Unit, load_settings
from govbrief.intake.gather import split_units
from govbrief.intake.identify import units_named
from govbrief.model import ReceivedFile, RunSummary
from govbrief.warehouse import HeldLock, LockHolder, RunLockHeld, run_lock
from govbrief.warehouse.locks import files_to_follow_up, supersede_unfinished_runs
from tasks import stage_progress as progress
from tasks.alerts import send_immediate_alerts
from tasks.artifacts import publish_run_artifacts
from tasks.common import lock_policy, warehouse_for
from tasks.compute import compute_brief
from tasks.deliver import deliver_brief, notify_clerks
from tasks.gather import gather_drop, gather_returns
from tasks.ingest import load_returns, report_quality, validate_returns
from tasks.render import render_and_store


class _RefusalWithoutTraceback(logging.Filter):
    """A run refused by the run lock did nothing wrong: its log line says why, without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], RunLockHeld):
            record.exc_info, record.exc_text = None, None
        return True


logging.getLogger("prefect.flow_runs").addFilter(_RefusalWithoutTraceback())


def target_period(spec: BriefKind, period: str | None, settings: Settings) -> Period:
    """The period asked for, or the latest closed one of the brief's kind."""
    target = parse_period(period) if period else Period.latest_closed(spec.period_kind, settings.today())
    if target.kind is not spec.period_kind:
        raise ValueError(f"a {spec.name_zh} needs a {spec.period_kind} period, got {target.key}")
    return target


def run_pipeline(
    spec: BriefKind,
    period: str | None,
    *,
    send: bool,
    force: bool,
    config: str | None,
    counties: Sequence[str] | None = None,
) -> RunSummary:
    """Run every stage for one period inside the calling flow and return the run's summary.

    `counties` (codes or names) limits intake to those units' returns — a rerun after
    one county resubmits; the brief itself always covers the whole city. The whole run
    holds the brief and period's run lock: a second run of them waits, then is refused."""
    settings = load_settings(config)
    target = target_period(spec, period, settings)
    units = select_units(settings, counties)
    run_id = str(flow_run.get_id() or uuid.uuid4())
    engine = warehouse_for(settings).engine
    what = f"{spec.name_zh} {target.key}"
    key, policy = f"{spec.id}:{target.key}", lock_policy(settings)
    waiting = _say_waiting(what)
    with run_lock(engine, key, run_id=run_id, what=what, policy=policy, clock=settings.clock, on_wait=waiting) as lock:
        warehouse = warehouse_for(settings)
        warehouse.start_run(flow=f"{spec.id}-brief", kind=spec.id, period_key=target.key, run_id=run_id)
        reread = files_to_follow_up(engine, spec.id, target.key, run_id)
        try:
            summary = _stages(LockedRun(spec, settings, target, units, run_id, lock, reread), send=send, force=force)
        except BaseException:
            warehouse.finish_run(run_id, status="failed")
            raise
        supersede_unfinished_runs(engine, spec.id, target.key, run_id)
        warehouse.finish_run(run_id, status="completed", summary=_run_record(summary))
        return summary


@dataclass(frozen=True)
class LockedRun:
    """What the stages of one run share: the brief, the period, the lock it holds, the files to re-read."""

    spec: BriefKind
    settings: Settings
    target: Period
    units: list[Unit] | None
    run_id: str
    lock: HeldLock
    reread: frozenset[str]  # loaded by an unfinished earlier run of the brief and period: follow them up again


def _stages(run: LockedRun, *, send: bool, force: bool) -> RunSummary:
    spec, settings, target, run_id = run.spec, run.settings, run.target, run.run_id
    timings: dict[str, float] = {}
    files = timed(timings, "gather", lambda: gather_all(settings, spec.returns_needed(target), run.units))
    outcomes = timed(timings, "validate", lambda: validate_returns(settings, as_is(files), run.reread))
    timed(timings, "load", lambda: load_returns(settings, as_is(files), as_is(outcomes), run_id))
    quality_report = report_quality(settings, as_is(outcomes), run_label=f"{target.key}-{run_id[:8]}")
    run.lock.ensure_held()  # a run that lost its lock (suspended past its lease) must not mail anyone
    notices = notify_clerks(settings, as_is(outcomes)) if send else None
    alerts = send_immediate_alerts(settings, as_is(outcomes)) if send else None
    context, data = timed(timings, "compute", lambda: compute_brief(settings, spec.id, target))
    stored_before = warehouse_for(settings).latest_brief(spec.id, target.key)
    brief = timed(timings, "render", lambda: render_and_store(settings, as_is(context), as_is(data)))
    publish_run_artifacts(settings, list(spec.returns_needed(target)), target, as_is(data), brief.files)
    run.lock.ensure_held()
    delivery = timed(timings, "deliver", lambda: deliver_brief(settings, as_is(brief), force) if send else None)
    return {
        "kind": spec.id,
        "period": target.key,
        "run_id": run_id,
        "files_received": len(files),
        "files_processed": len(outcomes),
        "data": data,
        "brief": brief.summary(),
        "brief_status": version_status(stored_before, brief.record),
        "files": {name: str(path) for name, path in brief.files.items()},
        "delivery": delivery,
        "notices": notices,
        "alerts": alerts,
        "quality_report": quality_report,
        "timings": timings,
    }


def _run_record(summary: RunSummary) -> dict[str, Any]:
    """What the runs table keeps of a completed run."""
    delivery = summary["delivery"]
    return {
        "version": summary["brief"]["version"],
        "brief_status": summary["brief_status"],
        "sent": len(delivery["sent"]) if delivery else 0,
        "failed": len(delivery["failed"]) if delivery else 0,
        "timings": summary["timings"],
    }


def _say_waiting(what: str) -> Callable[[LockHolder], None]:
    def say(holder: LockHolder) -> None:
        print(f"等待：{what} 正在运行（{holder.describe()}）/ waiting for the run holding {what}", file=sys.stderr)

    return say


def select_units(settings: Settings, counties: Sequence[str] | None) -> list[Unit] | None:
    """The units named (by code or name, with or without 县/区/市); None for all of them."""
    if not counties:
        return None
    chosen: list[Unit] = []
    for name in counties:
        found = units_named(name, settings.units)
        if len(found) != 1:
            raise ValueError(f"未知县市区 / unknown county: {name!r}")
        chosen.append(found[0])
    return chosen


def gather_all(
    settings: Settings, wanted: dict[str, list[Period]], units: Sequence[Unit] | None = None
) -> list[ReceivedFile]:
    """Every return kind's files, concurrently: the shared drop in one task per kind, units with
    their own source in batches (one unit each by default). With `units`, only their files are
    kept (a file naming no unit is then left for a full run to refuse)."""
    shared, own = split_units(settings)
    codes = {unit.code for unit in units or settings.units}
    own = [unit for unit in own if unit.code in codes]
    batches = [own[i : i + settings.run.gather_batch] for i in range(0, len(own), settings.run.gather_batch)]
    share_drop = any(unit.code in codes for unit in shared)
    progress.stage("采集 gather", total=len(wanted) * (len(batches) + (1 if share_drop else 0)))
    futures = []
    for kind, periods in wanted.items():
        if share_drop:
            futures.append(gather_drop.submit(settings, kind, periods))
        futures += [
            gather_returns.submit(settings, [u.code for u in batch], kind, periods, label=_label(batch, kind))
            for batch in batches
        ]
    files = [file for future in futures for file in future.result()]
    return files if units is None else [file for file in files if file.unit_code in codes]


def _label(batch: Sequence[Unit], kind: str) -> str:
    return "、".join(unit.name for unit in batch[:3]) + f" {kind}"
