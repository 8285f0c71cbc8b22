"""Run a brief's flow from the command line and turn its final state into a summary or a clear error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govbrief.briefs.registry import brief_for
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Settings
from govbrief.model import RunSummary


class BriefRunFailed(Exception):
    """The flow ended in a failed or crashed state; the message says why."""


def brief_flow(kind: PeriodKind) -> Any:
    """The Prefect flow of the brief issued for this kind of period (Prefect is imported on first use:
    it costs seconds the command line's other commands should not pay)."""
    from flows.brief import BRIEF_FLOWS

    return BRIEF_FLOWS[brief_for(kind).id]


def run_brief(
    settings: Settings,
    period: Period,
    *,
    send: bool,
    force: bool,
    counties: Sequence[str] | None = None,
) -> RunSummary:
    """Run the brief of this period in this process (ephemeral Prefect unless PREFECT_API_URL is set):
    旬 → 旬简报, month → 月通报, quarter → 季总结."""
    state = brief_flow(period.kind)(
        period=period.key,
        send=send,
        force=force,
        config=str(settings.source_file),
        counties=list(counties) if counties else None,
        return_state=True,
    )
    return _completed(state)


def _completed(state: Any) -> RunSummary:
    """The flow's summary, or BriefRunFailed saying why it did not complete."""
    result = state.result(raise_on_failure=False)
    if not state.is_completed():
        raise BriefRunFailed(f"{state.name}: {result if isinstance(result, BaseException) else state.message}")
    assert isinstance(result, dict)
    summary: RunSummary = result  # type: ignore[assignment]  # what run_pipeline returned
    return summary
