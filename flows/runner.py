"""Run a flow from the command line and turn its final state into a summary or a clear error."""

from __future__ import annotations

from typing import Any

from govbrief.config import Settings
from govbrief.periods import Period, PeriodKind


class BriefRunFailed(Exception):
    """The flow ended in a failed or crashed state; the message says why."""


def run_ten_day(settings: Settings, period: Period, *, send: bool, force: bool) -> dict[str, Any]:
    """Run the 旬简报 flow in this process (ephemeral Prefect unless PREFECT_API_URL is set)."""
    from flows.ten_day import ten_day_brief

    state = ten_day_brief(
        period=period.key, send=send, force=force, config=str(settings.source_file), return_state=True
    )
    return _completed(state)


def _completed(state: Any) -> dict[str, Any]:
    """The flow's summary, or BriefRunFailed saying why it did not complete."""
    result = state.result(raise_on_failure=False)
    if not state.is_completed():
        raise BriefRunFailed(f"{state.name}: {result if isinstance(result, BaseException) else state.message}")
    assert isinstance(result, dict)
    return result


def run_monthly(settings: Settings, period: Period, *, send: bool, force: bool) -> dict[str, Any]:
    """Run the 月通报 flow in this process (ephemeral Prefect unless PREFECT_API_URL is set)."""
    from flows.monthly import monthly_brief

    state = monthly_brief(
        period=period.key, send=send, force=force, config=str(settings.source_file), return_state=True
    )
    return _completed(state)


def run_brief(settings: Settings, period: Period, *, send: bool, force: bool) -> dict[str, Any]:
    """The flow of the brief issued for this kind of period: 旬 → 旬简报, month → 月通报."""
    run = run_monthly if period.kind is PeriodKind.MONTH else run_ten_day
    return run(settings, period, send=send, force=force)
