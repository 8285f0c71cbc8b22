"""The brief flows: 旬简报, 月通报 and 季总结, one body for all three (flows/pipeline.py), one flow
per kind of the registry (govbrief/briefs/registry.py) so each has its own name, run names,
deployment and schedule: ten-day-brief, monthly-brief, quarterly-brief."""

from __future__ import annotations

from prefect import Flow, flow

from flows.hooks import FAILURE_HOOKS
from flows.pipeline import run_pipeline
from govbrief.briefs.registry import BRIEFS, BriefKind
from govbrief.model import RunSummary


def brief_flow(kind: BriefKind) -> Flow[..., RunSummary]:
    """The flow of one kind of brief, named `<kind>_brief` in this module (its deployment entrypoint)."""

    def brief(
        period: str | None = None,
        send: bool = True,
        force: bool = False,
        config: str | None = None,
        counties: list[str] | None = None,
    ) -> RunSummary:
        """Gather → validate → load → compute → render → deliver, for one period (default: the latest closed)."""
        return run_pipeline(kind, period, send=send, force=force, config=config, counties=counties)

    brief.__name__ = brief.__qualname__ = f"{kind.id}_brief"
    return flow(name=kind.flow_name, flow_run_name=f"{kind.name_zh} {{period}}", log_prints=False, **FAILURE_HOOKS)(
        brief
    )


BRIEF_FLOWS: dict[str, Flow[..., RunSummary]] = {kind.id: brief_flow(kind) for kind in BRIEFS}
ten_day_brief = BRIEF_FLOWS["ten_day"]
monthly_brief = BRIEF_FLOWS["monthly"]
quarterly_brief = BRIEF_FLOWS["quarterly"]
