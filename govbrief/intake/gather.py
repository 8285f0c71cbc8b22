"""Gather: find the returns for the periods needed and archive them untouched.

Units with a source of their own are asked one by one. The city's shared drop
folder is listed once per period; each file's unit is then identified from its
name or folder here, and from its content (县市区 column, title) after reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from govbrief.calendar.periods import Period
from govbrief.config import Settings, SourceSpec, Unit
from govbrief.glossary import ReturnKind, load_glossary
from govbrief.intake.identify import identify_unit
from govbrief.intake.raw_archive import store
from govbrief.intake.sources import ReturnSource, SourceQuery, make_source
from govbrief.model import ReceivedFile


def query_for(unit: Unit | None, kind: ReturnKind, period: Period) -> SourceQuery:
    """The source query for one unit (or, for a shared source, any unit), return kind and period."""
    return SourceQuery(
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "",
        unit_short_name=unit.short_name if unit else "",
        return_kind=kind.id,
        return_zh=kind.name_zh,
        period_key=period.key,
        period_zh=period.label_zh,
    )


def source_of(settings: Settings, spec: SourceSpec) -> ReturnSource:
    return make_source(spec, base=settings.source_file.parent)


def split_units(settings: Settings) -> tuple[list[Unit], list[Unit]]:
    """(units reading the shared drop folder, units asked one by one)."""
    shared: list[Unit] = []
    own: list[Unit] = []
    for unit in settings.units:
        spec = settings.source_for(unit)
        (shared if spec == settings.default_source and source_of(settings, spec).shared else own).append(unit)
    return shared, own


def gather_unit(settings: Settings, unit: Unit, kind: ReturnKind, periods: Sequence[Period]) -> list[ReceivedFile]:
    """Archive every file the unit sent for these periods (before anything parses them)."""
    source = source_of(settings, settings.source_for(unit))
    received: list[ReceivedFile] = []
    for period in periods:
        query = query_for(unit, kind, period)
        received.extend(store(settings.archive_dir, found, query) for found in source.find(query))
    return received


def gather_shared(
    settings: Settings, units: Sequence[Unit], kind: ReturnKind, periods: Sequence[Period]
) -> list[ReceivedFile]:
    """Archive every file in the shared drop for these periods, naming its unit when the
    file or folder name does ("" until its content is read)."""
    source = source_of(settings, settings.default_source)
    received: list[ReceivedFile] = []
    for period in periods:
        query = query_for(None, kind, period)
        for found in source.find(query):
            if names_another_return(found.name, kind):
                continue  # a month's folder holds both monthly returns: each is gathered as its own kind
            match = identify_unit(
                units,
                file_name=found.name,
                folders=found.folders,
                county_values=(),
                title_texts=(),
                ignore=(settings.city.name,),
            )
            unit_code = match.unit.code if match.unit else ""
            received.append(store(settings.archive_dir, found, query, unit_code=unit_code))
    return received


def names_another_return(file_name: str, kind: ReturnKind) -> bool:
    """True when the file's name says it is a different return (重点工作进度月报表 in a debt run)."""
    others = [other.name_zh for other in load_glossary().returns.values() if other.id != kind.id]
    return kind.name_zh not in file_name and any(name in file_name for name in others)


def latest_per_slot(files: Iterable[ReceivedFile]) -> list[ReceivedFile]:
    """The latest file per (unit, return, period): a later return replaces an earlier one.
    Files whose unit is still unknown are all kept: each is its own case."""
    latest: dict[tuple[str, str, str], ReceivedFile] = {}
    unknown: list[ReceivedFile] = []
    for f in files:
        if not f.unit_code:
            unknown.append(f)
            continue
        slot = (f.unit_code, f.return_kind, f.period_key)
        current = latest.get(slot)
        if current is None or (f.received_at, f.original_name) > (current.received_at, current.original_name):
            latest[slot] = f
    return sorted([*latest.values(), *unknown], key=lambda f: (f.period_key, f.unit_code, f.original_name))
