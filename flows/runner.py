"""Run a brief's flow from the command line and turn its final state into a summary or a clear error."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Settings

# Period kind → (module, flow function) of the brief issued for it. Imported on demand:
# importing Prefect costs seconds the CLI's other commands should not pay.
BRIEF_FLOWS = {
    PeriodKind.TEN_DAY: ("flows.ten_day", "ten_day_brief"),
    PeriodKind.MONTH: ("flows.monthly", "monthly_brief"),
    PeriodKind.QUARTER: ("flows.quarterly", "quarterly_brief"),
}


class BriefRunFailed(Exception):
    """The flow ended in a failed or crashed state; the message says why."""


def brief_flow(kind: PeriodKind) -> Any:
    """The Prefect flow of the brief issued for this kind of period."""
    if kind not in BRIEF_FLOWS:
        raise ValueError(f"no brief is issued for a {kind} period / 该期次类型无简报")
    module, name = BRIEF_FLOWS[kind]
    return getattr(importlib.import_module(module), name)


def run_brief(
    settings: Settings,
    period: Period,
    *,
    send: bool,
    force: bool,
    counties: Sequence[str] | None = None,
) -> dict[str, Any]:
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


def _completed(state: Any) -> dict[str, Any]:
    """The flow's summary, or BriefRunFailed saying why it did not complete."""
    result = state.result(raise_on_failure=False)
    if not state.is_completed():
        raise BriefRunFailed(f"{state.name}: {result if isinstance(result, BaseException) else state.message}")
    assert isinstance(result, dict)
    return result
