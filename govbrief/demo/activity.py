"""Demo hazards, enforcement and scenic-area figures for one unit and 旬.

Hazards are tracked in a ledger per unit and year: a 旬 may fix more than it
finds (it closes earlier finds), but the year-to-date fixed never exceeds the
year-to-date found, which is what validation checks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from govbrief.calendar.periods import Period
from govbrief.demo.randomness import weighted

CORE_HAZARD_SECTORS = ("道路交通", "危险化学品", "建筑施工", "火灾", "工矿商贸")
OPTIONAL_HAZARD_SECTORS = ("烟花爆竹", "森林火灾", "其他")
SCENIC_SECTOR = "景区景点"
MAJOR_FOUND_WEIGHTS = {0: 90, 1: 8, 2: 2}
OVERDUE_WEIGHTS = {0: 80, 1: 15, 2: 5}
# A-level scenic areas (name, certified instantaneous capacity) of the units that have them.
SCENIC_AREAS: dict[str, tuple[tuple[str, int], ...]] = {
    "439903": (("西山国家森林公园", 12000), ("云雾山景区", 5000)),
    "439904": (("南岭大峡谷景区", 8000),),
    "439906": (("清溪古镇景区", 15000), ("桃花湾景区", 3000)),
}
# 旬 of Spring Festival, May Day and National Day: crowds, but still below 70 %.
HOLIDAY_TEN_DAYS = frozenset({4, 5, 13, 28})
CROWDED_SHARE = (0.705, 0.785)  # the demo's one 70-79 % case (yellow, below the 80 % stop line)


def hazard_sectors(rng: random.Random, all_sectors: tuple[str, ...], has_scenic: bool) -> tuple[str, ...]:
    """The sectors a unit reports hazards for: the core ones, one or two more, 景区景点 if it has any."""
    extra = rng.sample(OPTIONAL_HAZARD_SECTORS, k=rng.randint(1, 2))
    chosen = {*CORE_HAZARD_SECTORS, *extra, *((SCENIC_SECTOR,) if has_scenic else ())}
    return tuple(sector for sector in all_sectors if sector in chosen)


@dataclass
class OpenHazards:
    """Hazards found this year and not yet fixed, in one sector."""

    general: int = 0
    major: int = 0


@dataclass
class HazardLedger:
    """One unit's open hazards per sector within a year; `backlog` is how many it tends to leave."""

    backlog: int
    open: dict[str, OpenHazards] = field(default_factory=dict)

    def record(self, rng: random.Random, county: str, sector: str) -> dict[str, object]:
        """This 旬's 隐患排查 row for a sector, fixing from the open stock plus new finds."""
        stock = self.open.setdefault(sector, OpenHazards())
        checked = rng.randint(3, 40)
        general_found = rng.randint(0, min(20, checked))
        major_found = weighted(rng, MAJOR_FOUND_WEIGHTS)
        general_open, major_open = stock.general + general_found, stock.major + major_found
        general_fixed = general_open - rng.randint(0, min(general_open, self.backlog))
        major_fixed = major_open if rng.random() < 0.5 else max(0, major_open - 1)
        stock.general, stock.major = general_open - general_fixed, major_open - major_fixed
        return {
            "county": county,
            "sector": sector,
            "units_checked": checked,
            "general_found": general_found,
            "general_fixed": general_fixed,
            "major_found": major_found,
            "major_fixed": major_fixed,
            "major_supervised": major_found,
            "overdue_open": min(stock.general + stock.major, weighted(rng, OVERDUE_WEIGHTS)),
        }


def enforcement_record(rng: random.Random, county: str) -> dict[str, object]:
    """This 旬's one 执法检查 row."""
    cases = rng.randint(0, 8)
    penalties = rng.randint(0, cases)
    return {
        "county": county,
        "units_inspected": rng.randint(15, 90),
        "cases_opened": cases,
        "penalties": penalties,
        "fines_wan": round(penalties * rng.uniform(0.5, 4.0), 2),
        "suspensions": weighted(rng, {0: 80, 1: 15, 2: 5}),
        "closures": weighted(rng, {0: 90, 1: 10}),
        "illegal_cases": rng.randint(0, 4),
    }


def scenic_records(
    rng: random.Random, county: str, unit_code: str, period: Period, *, crowded: bool
) -> list[dict[str, object]]:
    """One 景区承载 row per scenic area; `crowded` puts the first area at 70-79 % of capacity."""
    usual = (0.35, 0.65) if period.index in HOLIDAY_TEN_DAYS else (0.08, 0.45)
    records: list[dict[str, object]] = []
    for position, (name, capacity) in enumerate(SCENIC_AREAS.get(unit_code, ())):
        share = rng.uniform(*(CROWDED_SHARE if crowded and position == 0 else usual))
        records.append(
            {
                "county": county,
                "scenic_area": name,
                "capacity": capacity,
                "peak_visitors": int(capacity * share),
            }
        )
    return records
