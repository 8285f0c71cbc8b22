"""月通报: the monthly bulletin, from county returns (safety 旬 returns, monthly debt and
key-task returns) to a leader's inbox (flows/pipeline.py)."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.hooks import FAILURE_HOOKS
from flows.pipeline import BriefSpec, run_pipeline
from govbrief.periods import Period, PeriodKind, history_needed
from tasks.monthly import MONTHLY_RETURNS, SAFETY_RETURN, compute_monthly


def returns_needed(month: Period) -> dict[str, list[Period]]:
    """Return kind → periods: every 旬 and every month from January of last year to the month's end."""
    last_xun = Period.containing(PeriodKind.TEN_DAY, month.end)
    months = history_needed(month)
    return {SAFETY_RETURN: history_needed(last_xun), **{kind: months for kind in MONTHLY_RETURNS}}


MONTHLY = BriefSpec("monthly", "月通报", PeriodKind.MONTH, returns_needed, compute_monthly)


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
