"""The submission-status matrix: every configured unit × return kind × period.

Like Dagster's partition status view: each column is one return kind for one
period, each row a unit, each cell the status of that slot with the facts
behind it (arrival, revisions, file, problems). Built from the warehouse in
three queries whatever the number of periods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from govbrief.calendar.deadlines import Deadline, return_deadline
from govbrief.calendar.periods import Period, PeriodKind
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings, Unit
from govbrief.glossary import load_glossary
from govbrief.problems import Problem
from govbrief.status.classify import (
    STATUSES,
    SlotFacts,
    SubmissionStatus,
    late_revisions,
    on_time,
    submission_status,
)
from govbrief.warehouse import SlotSummary, Warehouse

CellKey = tuple[str, str, str]  # unit_code, return_kind, period_key


@dataclass(frozen=True)
class ReturnKindInfo:
    """A return kind as the matrix names it."""

    id: str  # safety
    name_zh: str  # 安全生产旬报表
    cadence: str  # ten_day


@dataclass(frozen=True)
class MatrixColumn:
    """One return kind for one period, with its deadline."""

    return_kind: ReturnKindInfo
    period: Period
    deadline: Deadline

    @property
    def key(self) -> str:
        """The column's key in JSON, e.g. safety/2026-11-x2."""
        return f"{self.return_kind.id}/{self.period.key}"


@dataclass(frozen=True)
class SubmissionCell:
    """One unit's return of one kind for one period: its status and the facts under it."""

    unit_code: str
    return_kind: str
    period_key: str
    deadline: Deadline
    status: SubmissionStatus
    on_time: bool | None  # the first file arrived by the deadline; None when nothing arrived
    received_at: datetime | None  # arrival of the current file
    revisions: int  # distinct files received: 0 none, 1 one, 2 = corrected once
    late_revisions: int  # files that replaced an earlier one after the deadline (数据修订次数)
    file: str | None  # the current file's original name
    problems: tuple[Problem, ...] = ()  # of the current file

    @property
    def key(self) -> CellKey:
        return self.unit_code, self.return_kind, self.period_key

    @property
    def corrections(self) -> int:
        """How many times the unit replaced its return (更正N)."""
        return max(self.revisions - 1, 0)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")


def build_cell(
    key: CellKey,
    deadline: Deadline,
    facts: SlotFacts | None,
    today: date | None,
    *,
    file: str | None = None,
    problems: Sequence[Problem] = (),
) -> SubmissionCell:
    """A cell from a slot's facts (None: nothing received) through the shared status function."""
    unit_code, return_kind, period_key = key
    return SubmissionCell(
        unit_code=unit_code,
        return_kind=return_kind,
        period_key=period_key,
        deadline=deadline,
        status=submission_status(facts, deadline, today),
        on_time=on_time(facts, deadline),
        received_at=None if facts is None else facts.received_at,
        revisions=0 if facts is None else facts.revisions,
        late_revisions=late_revisions(facts, deadline),
        file=file,
        problems=tuple(problems),
    )


def slot_facts(summary: SlotSummary) -> SlotFacts:
    """The facts the status function needs, from the warehouse's summary of a slot."""
    return SlotFacts(
        received_at=summary.received_at,
        refused=summary.status == "refused",
        revisions=summary.revisions,
        receipts=summary.receipts,
    )


@dataclass(frozen=True)
class StatusMatrix:
    """Units as rows, (period, return kind) columns, one cell per unit and column."""

    units: tuple[Unit, ...]
    columns: tuple[MatrixColumn, ...]
    cells: Mapping[CellKey, SubmissionCell]
    today: date
    timezone: ZoneInfo

    @property
    def periods(self) -> tuple[Period, ...]:
        """The distinct periods of the columns, in column order."""
        return tuple(dict.fromkeys(column.period for column in self.columns))

    @property
    def return_kinds(self) -> tuple[ReturnKindInfo, ...]:
        """The distinct return kinds of the columns, in column order."""
        return tuple(dict.fromkeys(column.return_kind for column in self.columns))

    def cell(self, unit_code: str, return_kind: str, period_key: str) -> SubmissionCell:
        """The cell of one unit in one column (KeyError when the matrix has no such column)."""
        return self.cells[(unit_code, return_kind, period_key)]

    def row(self, unit_code: str) -> list[SubmissionCell]:
        """One unit's cells, in column order."""
        return [self.cell(unit_code, column.return_kind.id, column.period.key) for column in self.columns]

    def column_cells(self, column: MatrixColumn) -> list[SubmissionCell]:
        """Every unit's cell in one column, in configured unit order."""
        return [self.cell(unit.code, column.return_kind.id, column.period.key) for unit in self.units]

    def summary(self) -> dict[SubmissionStatus, int]:
        """How many cells have each status (every status present, zeros included)."""
        counts = dict.fromkeys(STATUSES, 0)
        for cell in self.cells.values():
            counts[cell.status] += 1
        return counts


def return_kind_info(return_kind: str) -> ReturnKindInfo:
    """The glossary's name and cadence of a return kind."""
    returns = load_glossary().returns
    if return_kind not in returns:
        known = ", ".join(sorted(returns))
        raise KeyError(f"unknown return kind {return_kind!r} (known: {known}) / 未知报表类型 {return_kind}")
    kind = returns[return_kind]
    return ReturnKindInfo(id=kind.id, name_zh=kind.name_zh, cadence=kind.cadence)


def periods_within(period: Period, cadence: str) -> list[Period]:
    """The periods of a cadence that end within `period`: a month holds three 旬, a 旬 holds no month."""
    current = Period.containing(PeriodKind(cadence), period.start)
    found = []
    while current.end <= period.end:
        if current.start >= period.start:
            found.append(current)
        current = current.next()
    return found


def matrix_columns(
    settings: Settings,
    periods: Sequence[Period],
    kinds: Sequence[ReturnKindInfo],
    calendar: WorkCalendar,
    started_by: date | None = None,
) -> list[MatrixColumn]:
    """One column per return kind and period of its cadence within the requested periods; finer first.
    With `started_by`, periods that have not begun by that day are left out."""
    columns = {
        (kind.id, inner.key): MatrixColumn(kind, inner, return_deadline(settings, kind.cadence, inner, calendar))
        for period in periods
        for kind in kinds
        for inner in periods_within(period, kind.cadence)
        if started_by is None or inner.start <= started_by
    }
    order = {kind.id: i for i, kind in enumerate(kinds)}
    return sorted(
        columns.values(),
        key=lambda c: (c.period.end, -c.period.start.toordinal(), order[c.return_kind.id]),
    )


def submission_matrix(
    warehouse: Warehouse,
    settings: Settings,
    periods: Sequence[Period],
    return_kinds: Sequence[str],
    today: date,
    *,
    calendar: WorkCalendar | None = None,
    started_by: date | None = None,
) -> StatusMatrix:
    """Every configured unit's status for each return kind in each period.

    A period longer than a return kind's cadence shows each of its periods of
    that cadence (a month → its three 旬 of the safety return, and the month of
    the debt return); with `started_by`, only the periods begun by that day.
    """
    kinds = [return_kind_info(kind) for kind in return_kinds]
    calendar = calendar or WorkCalendar.from_settings(settings)
    columns = matrix_columns(settings, periods, kinds, calendar, started_by)
    slots = warehouse.slot_overview([k.id for k in kinds], sorted({c.period.key for c in columns}))
    cells = {
        (unit.code, column.return_kind.id, column.period.key): _cell(column, unit, slots, today)
        for column in columns
        for unit in settings.units
    }
    return StatusMatrix(
        units=settings.units,
        columns=tuple(columns),
        cells=cells,
        today=today,
        timezone=ZoneInfo(settings.city.timezone),
    )


def _cell(
    column: MatrixColumn, unit: Unit, slots: Mapping[tuple[str, str, str], SlotSummary], today: date
) -> SubmissionCell:
    summary = slots.get((column.return_kind.id, column.period.key, unit.code))
    key = (unit.code, column.return_kind.id, column.period.key)
    if summary is None:
        return build_cell(key, column.deadline, None, today)
    return build_cell(
        key, column.deadline, slot_facts(summary), today, file=summary.original_name, problems=summary.problems
    )
