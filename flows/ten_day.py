"""旬简报: the ten-day brief, from county returns to a leader's inbox (flows/pipeline.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from prefect import flow

from flows.hooks import FAILURE_HOOKS
from flows.pipeline import BriefSpec, run_pipeline
from govbrief.briefs.registry import returns_needed
from govbrief.calendar.periods import PeriodKind
from tasks.compute import compute_ten_day

TEN_DAY = BriefSpec("ten_day", "旬简报", PeriodKind.TEN_DAY, partial(returns_needed, "ten_day"), compute_ten_day)


@flow(name="ten-day-brief", flow_run_name="旬简报 {period}", log_prints=False, **FAILURE_HOOKS)
def ten_day_brief(
    period: str | None = None,
    send: bool = True,
    force: bool = False,
    config: str | None = None,
    counties: list[str] | None = None,
) -> dict[str, Any]:
    """Gather → validate → load → compute → render → deliver, for one 旬 (default: the latest closed)."""
    return run_pipeline(TEN_DAY, period, send=send, force=force, config=config, counties=counties)
