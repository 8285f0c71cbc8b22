"""月通报: the monthly bulletin, from county returns (safety 旬 returns, monthly debt and
key-task returns) to a leader's inbox (flows/pipeline.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from prefect import flow

from flows.hooks import FAILURE_HOOKS
from flows.pipeline import BriefSpec, run_pipeline
from govbrief.briefs.registry import returns_needed
from govbrief.calendar.periods import PeriodKind
from tasks.monthly import compute_monthly

MONTHLY = BriefSpec("monthly", "月通报", PeriodKind.MONTH, partial(returns_needed, "monthly"), compute_monthly)


@flow(name="monthly-brief", flow_run_name="月通报 {period}", log_prints=False, **FAILURE_HOOKS)
def monthly_brief(
    period: str | None = None,
    send: bool = True,
    force: bool = False,
    config: str | None = None,
    counties: list[str] | None = None,
) -> dict[str, Any]:
    """Gather → validate → load → compute → render → deliver, for one month (default: the latest closed)."""
    return run_pipeline(MONTHLY, period, send=send, force=force, config=config, counties=counties)
