"""The demo's 安全生产旬报表: every unit's clean-template workbook for every 旬 asked for.

Deterministic for a seed. The data carry the awkward cases the briefs must
handle: one 较大 road accident in 东湖县 in the year-to-date, one scenic area
at 70-79 % of capacity, and, in the demo's target 旬, a return validation must
refuse (西山县: a negative count and the unknown sector 交通运输) and a late one
(北坪县, four working days after the 旬).
"""

from __future__ import annotations

import os
import random
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from govbrief.calendar.periods import Period, ten_days_between
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings, Unit
from govbrief.demo.accident_rows import (
    ROAD,
    Accident,
    major_figures,
    make_accident,
    ordinary_accident,
    ordinary_figures,
)
from govbrief.demo.activity import (
    SCENIC_AREAS,
    HazardLedger,
    enforcement_record,
    hazard_sectors,
    scenic_records,
)
from govbrief.demo.randomness import rng_for, weighted
from govbrief.demo.writer import write_return_workbook
from govbrief.glossary import ReturnKind, load_glossary

REFUSED_UNIT = "439903"  # 西山县: its return in the target 旬 must be refused
LATE_UNIT = "439905"  # 北坪县: its return in the target 旬 arrives late
MAJOR_ACCIDENT_UNIT = "439902"  # 东湖县: the year's one 较大 accident
CROWDED_UNIT = "439904"  # 南岭县: a scenic area at 70-79 % of capacity in the last 旬
UNKNOWN_SECTOR = "交通运输"  # what a clerk writes for 道路交通; not in the glossary's list
LATE_WORKING_DAYS = 4
ACCIDENTS_PER_TEN_DAYS = {0: 45, 1: 35, 2: 15, 3: 5}
MAX_ACCIDENTS_PER_TEN_DAYS = max(ACCIDENTS_PER_TEN_DAYS)
ID_PREFIXES = {
    "439901": "CG", "439902": "DH", "439903": "XS", "439904": "NL", "439905": "BP",
    "439906": "QX", "439907": "LJ", "439908": "AP", "439909": "GX",
}  # fmt: skip
RETURN_ID = "safety"


def demo_periods(target: Period) -> list[Period]:
    """Every 旬 from January of last year up to `target`.

    Not just from the same 旬 last year: 同比 of the year-to-date (本年累计)
    compares with last year's January-to-same-旬 total, so all of those
    旬 must exist too.
    """
    return ten_days_between(Period.ten_day(target.year - 1, 1, 1), target)


@dataclass(frozen=True)
class SafetyReturn:
    """One generated return: whose, which 旬, each sheet's rows as written (column id → cell), when sent."""

    unit: Unit
    period: Period
    sheets: dict[str, list[dict[str, object]]]
    submitted_at: datetime


@dataclass(frozen=True)
class DemoPlan:
    """Where the deliberate cases go."""

    seed: int
    last: Period
    major_at: tuple[str, Period]
    awkward: Period | None
    calendar: WorkCalendar
    timezone: ZoneInfo


@dataclass
class UnitHistory:
    """What carries from 旬 to 旬 within a unit: accident numbering and open hazards, per year."""

    prefix: str
    backlog: int
    sectors: tuple[str, ...]
    numbers: dict[int, int] = field(default_factory=dict)
    ledgers: dict[int, HazardLedger] = field(default_factory=dict)

    def next_id(self, year: int) -> str:
        """The next accident number of the year, e.g. DH-2026-017."""
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"{self.prefix}-{year}-{self.numbers[year]:03d}"

    def ledger(self, year: int) -> HazardLedger:
        """The year's hazard ledger (a new year starts with nothing open)."""
        return self.ledgers.setdefault(year, HazardLedger(self.backlog))


def _plan(settings: Settings, periods: list[Period], seed: int, awkward: Period | None) -> DemoPlan:
    last = periods[-1]
    before = last.previous()
    major_period = before if before in periods and before.year == last.year else last
    codes = [unit.code for unit in settings.units]
    major_unit = MAJOR_ACCIDENT_UNIT if MAJOR_ACCIDENT_UNIT in codes else codes[0]
    calendar = WorkCalendar.from_settings(settings)
    return DemoPlan(seed, last, (major_unit, major_period), awkward, calendar, ZoneInfo(settings.city.timezone))


def _history(seed: int, unit: Unit, all_sectors: tuple[str, ...]) -> UnitHistory:
    rng = rng_for(seed, unit.code, "habits")
    prefix = ID_PREFIXES.get(unit.code, f"U{unit.code[-2:]}")
    sectors = hazard_sectors(rng, all_sectors, unit.code in SCENIC_AREAS)
    return UnitHistory(prefix, backlog=rng.choice((1, 2, 3, 6)), sectors=sectors)


def _accidents(rng: random.Random, unit: Unit, period: Period, plan: DemoPlan) -> list[Accident]:
    """This 旬's accidents in date order (numbered later, so numbers follow dates); never more than 3."""
    planted: list[Accident] = []
    if plan.major_at == (unit.code, period):
        planted.append(make_accident(rng, unit.name, period, "", major_figures(rng), stated=True))
    if period == plan.awkward and unit.code == REFUSED_UNIT:
        road = make_accident(rng, unit.name, period, "", ordinary_figures(rng, ROAD), stated=True)
        planted.append(replace(road, sector=UNKNOWN_SECTOR))
    count = min(weighted(rng, ACCIDENTS_PER_TEN_DAYS), MAX_ACCIDENTS_PER_TEN_DAYS - len(planted))
    ordinary = [ordinary_accident(rng, unit.name, period, "") for _ in range(count)]
    return sorted(ordinary + planted, key=lambda accident: accident.occurred_on)


def _submitted_at(rng: random.Random, unit: Unit, period: Period, plan: DemoPlan) -> datetime:
    """The 1st or 2nd working day after the 旬, office hours; the late unit's target return on the 4th."""
    late = period == plan.awkward and unit.code == LATE_UNIT
    day = plan.calendar.nth_workday_after(period.end, LATE_WORKING_DAYS if late else rng.choice((1, 2)))
    return datetime.combine(day, time(rng.randint(9, 16), rng.randrange(60)), plan.timezone)


def _spoil_hazards(rows: list[dict[str, object]]) -> None:
    """The refused return's clerk typed the first sector's fixed count with a minus sign."""
    fixed = rows[0]["general_fixed"]
    assert isinstance(fixed, int)
    rows[0]["general_fixed"] = -max(fixed, 1)


def build_unit_return(unit: Unit, period: Period, plan: DemoPlan, history: UnitHistory) -> SafetyReturn:
    """One unit's return for one 旬, advancing its history (numbering, open hazards)."""
    rng = rng_for(plan.seed, unit.code, period.key)
    accidents = [replace(a, accident_id=history.next_id(period.year)) for a in _accidents(rng, unit, period, plan)]
    ledger = history.ledger(period.year)
    sheets: dict[str, list[dict[str, object]]] = {
        "accidents": [asdict(accident) for accident in accidents],
        "hazards": [ledger.record(rng, unit.name, sector) for sector in history.sectors],
        "enforcement": [enforcement_record(rng, unit.name)],
    }
    if unit.code in SCENIC_AREAS:
        crowded = unit.code == CROWDED_UNIT and period == plan.last
        sheets["scenic"] = scenic_records(rng, unit.name, unit.code, period, crowded=crowded)
    if period == plan.awkward and unit.code == REFUSED_UNIT:
        _spoil_hazards(sheets["hazards"])
    return SafetyReturn(unit, period, sheets, _submitted_at(rng, unit, period, plan))


def build_safety_returns(
    settings: Settings, periods: list[Period], *, seed: int = 2026, awkward_period: Period | None = None
) -> list[SafetyReturn]:
    """Every unit's return for every 旬 in `periods`, in memory (what generate_safety_returns writes)."""
    ordered = sorted(set(periods))
    if not ordered:
        return []
    plan = _plan(settings, ordered, seed, awkward_period)
    all_sectors = load_glossary().sectors[RETURN_ID]
    returns: list[SafetyReturn] = []
    for unit in settings.units:
        history = _history(seed, unit, all_sectors)
        returns.extend(build_unit_return(unit, period, plan, history) for period in ordered)
    return returns


def return_path(settings: Settings, kind: ReturnKind, unit: Unit, period: Period) -> Path:
    """Where a unit drops its return: {drop}/{period key}/{unit name}{return name}.xlsx."""
    return settings.paths.drop / period.key / f"{unit.name}{kind.name_zh}.xlsx"


def write_safety_return(settings: Settings, generated: SafetyReturn) -> Path:
    """Write one return in the clean template; its mtime is the submission time."""
    kind = load_glossary().returns[RETURN_ID]
    title = f"{generated.unit.name}{kind.name_zh}（{generated.period.label_zh}）"
    sheets = [(kind.sheet(sheet_id), rows) for sheet_id, rows in generated.sheets.items()]
    path = return_path(settings, kind, generated.unit, generated.period)
    write_return_workbook(path, title, sheets, generated.submitted_at)
    stamp = generated.submitted_at.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def generate_safety_returns(
    settings: Settings, periods: list[Period], *, seed: int = 2026, awkward_period: Period | None = None
) -> list[Path]:
    """Write every unit's clean-template safety return for every 旬 into the drop folder."""
    generated = build_safety_returns(settings, periods, seed=seed, awkward_period=awkward_period)
    return [write_safety_return(settings, one) for one in generated]
