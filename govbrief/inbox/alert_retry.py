"""Immediate alerts that did not go out (a failed send, or a run that died mid-send), rebuilt for a retry.

The send log keeps which event went to whom, not the message itself.
The event is rebuilt from the accepted rows of the return that reported it, so
the retried 【紧急】 says what the warehouse holds now; an event a later
correction withdrew is not sent at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from govbrief.alerts import AlertEvent, alert_events
from govbrief.calendar.periods import parse_period
from govbrief.glossary import load_glossary
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.warehouse import Warehouse

# A 'pending' row younger than this may be a send in progress in another run: leave it alone.
PENDING_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class UnsentAlert:
    """An event some recipient has not received."""

    event_key: str
    return_kind: str
    period_key: str
    unit_code: str


@dataclass
class RetryPlan:
    """The events to send again, and the unsent ones no accepted return reports any more."""

    events: list[AlertEvent] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)


def unsent_alerts(warehouse: Warehouse, *, now: datetime | None = None) -> list[UnsentAlert]:
    """Events with a failed attempt, or a pending one older than the grace period."""
    cutoff = (now or warehouse.clock.now()) - PENDING_GRACE
    rows = warehouse.unsent("alert", stale_before=cutoff)
    found = {(r.item, r.return_kind or "", r.period_key or "", r.unit_code or "") for r in rows}
    return [UnsentAlert(*row) for row in sorted(found)]


def retry_plan(warehouse: Warehouse, unsent: Sequence[UnsentAlert], unit_names: Mapping[str, str]) -> RetryPlan:
    """The unsent events as the accepted returns report them now."""
    plan = RetryPlan()
    wanted = {alert.event_key for alert in unsent}
    slots = sorted({(a.return_kind, a.period_key, a.unit_code) for a in unsent})
    outcomes = [_accepted_return(warehouse, *slot) for slot in slots]
    rebuilt = {e.event_key: e for e in alert_events([o for o in outcomes if o], unit_names) if e.event_key in wanted}
    plan.events = [rebuilt[key] for key in sorted(rebuilt)]
    plan.withdrawn = sorted(wanted - rebuilt.keys())
    return plan


def _accepted_return(warehouse: Warehouse, return_kind: str, period_key: str, unit_code: str) -> ReturnOutcome | None:
    """The slot's accepted rows as an outcome (None when the slot holds no accepted return)."""
    period = parse_period(period_key)
    frames: dict[str, pd.DataFrame] = {}
    for sheet in load_glossary().returns[return_kind].sheets:
        rows = warehouse.load_observations(sheet.id, period.start, period.end, unit_codes=[unit_code])
        rows = rows[rows["period_key"] == period_key]
        if not rows.empty:
            frames[sheet.id] = rows.reset_index(drop=True)
    if not frames:
        return None
    sha = str(next(iter(frames.values()))["file_sha256"].iloc[0])
    received = ReceivedFile(
        sha256=sha,
        unit_code=unit_code,
        return_kind=return_kind,
        period_key=period_key,
        original_name="",
        origin="",
        size=0,
        received_at=warehouse.clock.now(),  # only orders several returns; this is the one
        archive_path="",
    )
    return ReturnOutcome(file=received, frames=frames)
