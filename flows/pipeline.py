"""The one pipeline every brief runs: gather → validate → load → compute → render → deliver.

A brief kind differs only in which returns it needs and how its figures are
computed (a BriefSpec); everything else — intake, quality report, 退回重报 and
【紧急】 notices, rendering, 更正 versions, delivery — is the same tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from prefect.runtime import flow_run

from flows.stages import timed
from govbrief import progress
from govbrief.briefs.context import BriefContext
from govbrief.config import Settings, Unit, load_settings
from govbrief.gather import split_units
from govbrief.intake.identify import units_named
from govbrief.model import ReceivedFile
from govbrief.periods import Period, PeriodKind, parse_period
from tasks.alerts import send_immediate_alerts
from tasks.deliver import deliver_brief, notify_clerks
from tasks.gather import gather_drop, gather_returns
from tasks.ingest import load_returns, report_quality, validate_returns
from tasks.render import render_and_store

Compute = Callable[[Settings, Period], tuple[BriefContext, dict[str, Any]]]


@dataclass(frozen=True)
class BriefSpec:
    """What makes one kind of brief: its period kind, the returns it reads, its compute task."""

    kind: str  # ten_day | monthly | quarterly
    kind_zh: str  # 旬简报
    period_kind: PeriodKind
    returns_needed: Callable[[Period], dict[str, list[Period]]]  # return kind → periods to gather
    compute: Compute  # a Prefect task: (settings, period) → (context, data)


def target_period(spec: BriefSpec, period: str | None, settings: Settings) -> Period:
    """The period asked for, or the latest closed one of the brief's kind."""
    target = parse_period(period) if period else Period.latest_closed(spec.period_kind, settings.today())
    if target.kind is not spec.period_kind:
        raise ValueError(f"a {spec.kind_zh} needs a {spec.period_kind} period, got {target.key}")
    return target


def run_pipeline(
    spec: BriefSpec,
    period: str | None,
    *,
    send: bool,
    force: bool,
    config: str | None,
    counties: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Run every stage for one period inside the calling flow and return the run's summary.

    `counties` (codes or names) limits intake to those units' returns — a rerun after
    one county resubmits; the brief itself always covers the whole city."""
    settings = load_settings(config)
    target = target_period(spec, period, settings)
    units = select_units(settings, counties)
    timings: dict[str, float] = {}
    run_id = str(flow_run.get_id() or "local")

    files = timed(timings, "gather", lambda: gather_all(settings, spec.returns_needed(target), units))
    outcomes = timed(timings, "validate", lambda: validate_returns(settings, files))
    timed(timings, "load", lambda: load_returns(settings, files, outcomes, run_id))
    quality_report = report_quality(settings, outcomes, run_label=f"{target.key}-{run_id[:8]}")
    notices = notify_clerks(settings, outcomes) if send else None
    alerts = send_immediate_alerts(settings, outcomes) if send else None
    context, data = timed(timings, "compute", lambda: spec.compute(settings, target))
    brief = timed(timings, "render", lambda: render_and_store(settings, context, data))
    delivery = timed(timings, "deliver", lambda: deliver_brief(settings, brief, force) if send else None)
    return {
        "kind": spec.kind,
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
