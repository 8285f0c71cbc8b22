"""季总结: the quarterly summary, from county returns (safety 旬 returns, monthly debt and
key-task returns up to the quarter's last month) to a leader's inbox (flows/pipeline.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from prefect import flow

from flows.hooks import FAILURE_HOOKS
from flows.pipeline import BriefSpec, run_pipeline
from govbrief.briefs.registry import returns_needed
from govbrief.calendar.periods import PeriodKind
from tasks.quarterly import compute_quarterly

QUARTERLY = BriefSpec(
    "quarterly", "季总结", PeriodKind.QUARTER, partial(returns_needed, "quarterly"), compute_quarterly
)


@flow(name="quarterly-brief", flow_run_name="季总结 {period}", log_prints=False, **FAILURE_HOOKS)
def quarterly_brief(
    period: str | None = None,
    send: bool = True,
    force: bool = False,
    config: str | None = None,
    counties: list[str] | None = None,
) -> dict[str, Any]:
    """Gather → validate → load → compute → render → deliver, for one quarter (default: the latest closed)."""
    return run_pipeline(QUARTERLY, period, send=send, force=force, config=config, counties=counties)
