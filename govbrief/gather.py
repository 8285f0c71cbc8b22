"""Gather: find each unit's returns for the periods needed and archive them untouched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from govbrief.archive import store
from govbrief.config import Settings, Unit
from govbrief.glossary import ReturnKind
from govbrief.model import ReceivedFile
from govbrief.periods import Period
from govbrief.sources import SourceQuery, make_source


def query_for(unit: Unit, kind: ReturnKind, period: Period) -> SourceQuery:
    """The source query for one unit, return kind and period."""
    return SourceQuery(
        unit_code=unit.code,
        unit_name=unit.name,
        unit_short_name=unit.short_name,
        return_kind=kind.id,
        return_zh=kind.name_zh,
        period_key=period.key,
        period_zh=period.label_zh,
    )


def gather_unit(
    settings: Settings, unit: Unit, kind: ReturnKind, periods: Sequence[Period]
) -> list[ReceivedFile]:
    """Archive every file the unit sent for these periods (before anything parses them)."""
    source = make_source(settings.source_for(unit), base=settings.source_file.parent)
    received: list[ReceivedFile] = []
    for period in periods:
        query = query_for(unit, kind, period)
        received.extend(store(settings.archive_dir, found, query) for found in source.find(query))
    return received


def latest_per_slot(files: Iterable[ReceivedFile]) -> list[ReceivedFile]:
    """The latest file per (unit, return, period): a later return replaces an earlier one."""
    latest: dict[tuple[str, str, str], ReceivedFile] = {}
    for f in files:
        slot = (f.unit_code, f.return_kind, f.period_key)
        current = latest.get(slot)
        if current is None or (f.received_at, f.original_name) > (current.received_at, current.original_name):
            latest[slot] = f
    return sorted(latest.values(), key=lambda f: (f.period_key, f.unit_code))
