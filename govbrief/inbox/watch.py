"""Inbox watching: which returns in the drop locations are new or changed since they were last taken in.

A poll runs every few minutes over every period of this year and last, so it
must cost little when nothing arrived: it lists the sources (no bytes read)
and skips every file whose path, size and modification time match a receipt
already recorded in the warehouse. Only the rest are hashed; a file touched
but byte-identical to a recorded one is not new. The periods holding new
content are then gathered, validated and loaded by the brief pipeline's own
tasks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from govbrief.calendar.periods import Period, PeriodKind, history_needed, parse_period
from govbrief.config import Settings
from govbrief.glossary import ReturnKind, load_glossary
from govbrief.intake.gather import names_another_return, query_for, source_of, split_units
from govbrief.intake.sources import FoundFile
from govbrief.model import ReturnOutcome
from govbrief.warehouse import Warehouse

Stamp = tuple[str, str, str, int, datetime]  # return kind, period key, origin, size, modification time
Content = tuple[str, str, str]  # return kind, period key, sha256
Verdict = Literal["known", "touched", "arriving", "new"]
# A file modified this recently may still be being copied in (a network share, a slow upload):
# its period waits for the next poll rather than refuse a half-written workbook.
SETTLE = timedelta(seconds=60)


@dataclass(frozen=True)
class Receipts:
    """What the warehouse already took in for the scanned periods."""

    stamps: frozenset[Stamp] = field(default_factory=frozenset)
    contents: frozenset[Content] = field(default_factory=frozenset)


@dataclass
class InboxScan:
    """What one look at the drop locations found."""

    wanted: dict[str, list[Period]] = field(default_factory=dict)  # return kind → periods with new content
    new_content: list[str] = field(default_factory=list)  # names of files whose bytes were never taken in
    touched: list[str] = field(default_factory=list)  # touched since, but byte-identical to a receipt
    arriving: list[str] = field(default_factory=list)  # modified within SETTLE: their periods wait
    known: int = 0  # same path, size and time as a receipt: not even read
    periods_scanned: int = 0
    waiting: set[tuple[str, Period]] = field(default_factory=set)  # periods with a file still arriving

    def settle(self) -> None:
        """Leave out of `wanted` every period a file is still arriving in: gather would take it half-written."""
        for kind_id, period in self.waiting:
            if period in self.wanted.get(kind_id, []):
                self.wanted[kind_id].remove(period)
        self.wanted = {kind_id: periods for kind_id, periods in self.wanted.items() if periods}

    def add(self, verdict: Verdict, kind_id: str, period: Period, name: str) -> None:
        """Count one file found for this return kind and period."""
        if verdict == "known":
            self.known += 1
        elif verdict == "touched":
            self.touched.append(name)
        elif verdict == "arriving":
            self.arriving.append(name)
            self.waiting.add((kind_id, period))
        else:
            self.new_content.append(name)
            periods = self.wanted.setdefault(kind_id, [])
            if period not in periods:
                periods.append(period)

    def summary(self) -> dict[str, object]:
        """Plain data for a flow's summary."""
        return {
            "periods_scanned": self.periods_scanned,
            "files_seen": self.known + len(self.touched) + len(self.new_content) + len(self.arriving),
            "new_content": list(self.new_content),
            "touched_unchanged": list(self.touched),
            "still_arriving": list(self.arriving),
            "periods_with_new_content": {kind: [p.key for p in ps] for kind, ps in self.wanted.items()},
        }


def poll_window(today: date, return_kinds: Sequence[ReturnKind]) -> dict[str, list[Period]]:
    """Every period of each return's cadence from January of last year up to the one containing today:
    the open periods and the recent ones a correction can still arrive for."""
    return {kind.id: history_needed(Period.containing(PeriodKind(kind.cadence), today)) for kind in return_kinds}


def scan_inbox(settings: Settings, warehouse: Warehouse, today: date, now: datetime | None = None) -> InboxScan:
    """The periods of the drop locations holding content the warehouse has not taken in yet."""
    window = poll_window(today, list(load_glossary().returns.values()))
    receipts = known_receipts(warehouse, window)
    settled_before = (now or settings.clock.now()) - SETTLE
    scan = InboxScan(periods_scanned=sum(len(periods) for periods in window.values()))
    for kind_id, periods in window.items():
        for period in periods:
            for found in found_files(settings, kind_id, period):
                verdict = classify(found, kind_id, period.key, receipts, settled_before)
                scan.add(verdict, kind_id, period, found.name)
    scan.settle()
    return scan


def classify(found: FoundFile, kind_id: str, period_key: str, receipts: Receipts, settled_before: datetime) -> Verdict:
    """'known' by its stamp without reading it; 'arriving' while it may still be copied in;
    'touched' when its bytes were taken in already; else 'new'."""
    if (kind_id, period_key, found.origin, found.size, found.received_at) in receipts.stamps:
        return "known"
    if found.received_at > settled_before:
        return "arriving"
    if found.refusal is None and (kind_id, period_key, content_sha256(found)) in receipts.contents:
        return "touched"
    return "new"


def content_sha256(found: FoundFile) -> str:
    """The sha256 the archive would file these bytes under, streamed (a big file never sits in memory)."""
    if found.content is not None:
        return hashlib.sha256(found.content).hexdigest()
    assert found.path is not None
    with found.path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def found_files(settings: Settings, kind_id: str, period: Period) -> Iterator[FoundFile]:
    """Every file the sources hold for one return kind and period, as gather would find them
    (the shared drop once, units with their own source one by one), without archiving any."""
    kind = load_glossary().returns[kind_id]
    shared, own = split_units(settings)
    if shared:
        for found in source_of(settings, settings.default_source).find(query_for(None, kind, period)):
            if not names_another_return(found.name, kind):
                yield found
    for unit in own:
        yield from source_of(settings, settings.source_for(unit)).find(query_for(unit, kind, period))


def known_receipts(warehouse: Warehouse, window: Mapping[str, Sequence[Period]]) -> Receipts:
    """Stamps and contents of every file the warehouse recorded for the window's periods."""
    stamps: set[Stamp] = set()
    contents: set[Content] = set()
    for kind_id, periods in window.items():
        for receipt in warehouse.receipts(kind_id, [p.key for p in periods]):
            stamps.add((kind_id, receipt.period_key, receipt.origin, receipt.size, receipt.received_at))
            contents.add((kind_id, receipt.period_key, receipt.sha256))
    return Receipts(frozenset(stamps), frozenset(contents))


def arrivals(warehouse: Warehouse, outcomes: Sequence[ReturnOutcome]) -> dict[str, list[str]]:
    """Before loading: the returns filling an empty slot ('new'), replacing one ('changed'), and the
    refused among them. A file read again only because its name does not say whose it is, is neither."""
    held: dict[tuple[str, str, str], str] = {}
    for kind in sorted({o.file.return_kind for o in outcomes}):
        slots = warehouse.known_slots(kind, sorted({o.file.period_key for o in outcomes}))
        held.update({(kind, period, unit): sha for (period, unit), sha in slots.items()})
    described: dict[str, list[str]] = {"new": [], "changed": [], "refused": []}
    for outcome in outcomes:
        file = outcome.file
        current = held.get((file.return_kind, file.period_key, file.unit_code))
        if current == file.sha256:
            continue
        described["new" if current is None else "changed"].append(file.original_name)
        if outcome.status == "refused":
            described["refused"].append(file.original_name)
    return described


@dataclass(frozen=True)
class LeftOver:
    """What a killed run loaded but may not have followed up (退回重报 notices, 【紧急】 alerts)."""

    wanted: dict[str, list[Period]]  # return kind → periods to gather again
    files: frozenset[str]  # sha256 to read again although loaded


def left_over_by_unfinished(warehouse: Warehouse, kind: str, run_id: str) -> LeftOver:
    """The slots last written by an unfinished (killed or failed) earlier run of this kind, as
    periods to gather and files to re-read. A run stays unfinished until a later one completes,
    so a second kill before the load loses nothing."""
    wanted: dict[str, list[Period]] = {}
    files: set[str] = set()
    for kind_id, period_key, sha in warehouse.unfinished_slots(kind, "", run_id):
        periods = wanted.setdefault(kind_id, [])
        if (period := parse_period(period_key)) not in periods:
            periods.append(period)
        files.add(sha)
    return LeftOver(wanted, frozenset(files))


def merged(*wanted: Mapping[str, Sequence[Period]]) -> dict[str, list[Period]]:
    """return kind → the periods any of `wanted` asks for, in order."""
    union: dict[str, set[Period]] = {}
    for one in wanted:
        for kind_id, periods in one.items():
            union.setdefault(kind_id, set()).update(periods)
    return {kind_id: sorted(periods) for kind_id, periods in union.items()}
