"""The one registry of brief kinds: what each brief is, what it is made from, how it is issued.

The flows (which returns to gather, how to compute the figures), the command line (kind names),
the delivery schedule (working days after the period), the inbox (which briefs a late return
makes stale), the run artifacts and the archive page all read it here, so a brief kind is
described once. Every stored version records the accepted returns it was made from, from the
same `returns_needed`, so the archive never names fewer returns than a brief read.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from govbrief.calendar.periods import Period, PeriodKind, history_needed
from govbrief.config import ScheduleSettings, Settings
from govbrief.glossary import load_glossary

if TYPE_CHECKING:
    from govbrief.render.context import BriefContext
    from govbrief.warehouse import Warehouse


class Assemble(Protocol):
    """warehouse rows → (the context templates place, the figures as JSON), judged on the issue day."""

    def __call__(
        self, settings: Settings, warehouse: Warehouse, period: Period, *, issued_on: date
    ) -> tuple[BriefContext, dict[str, Any]]: ...


SAFETY_RETURN = "safety"
MONTHLY_RETURNS = ("debt", "key_tasks")


@dataclass(frozen=True)
class BriefKind:
    """One kind of brief."""

    id: str  # ten_day: the warehouse's, the templates' and the deployments' name
    name_zh: str  # 旬简报
    cli_name: str  # ten-day: as typed on the command line
    period_kind: PeriodKind
    returns: tuple[str, ...]  # the return kinds it reads
    assembler: str  # "module:function", imported when a brief of this kind is computed
    page_budget: int  # pages of the body (before the 附件) a reader is given at most
    schedule_setting: str  # the [schedule] key: working days after the period when it goes out

    @property
    def flow_name(self) -> str:
        """The Prefect flow's name: ten-day-brief."""
        return f"{self.cli_name}-brief"

    @property
    def html_template(self) -> str:
        return f"{self.id}.html.j2"

    @property
    def text_template(self) -> str:
        return f"{self.id}.txt.j2"

    def working_days_after(self, schedule: ScheduleSettings) -> int:
        """How many working days after its period closes this brief goes out."""
        days: int = getattr(schedule, self.schedule_setting)
        return days

    def assemble(self) -> Assemble:
        """The function that computes this brief's context and data (imported on first use:
        the metrics and pandas cost the command line's other commands nothing)."""
        module, name = self.assembler.split(":")
        function: Assemble = getattr(importlib.import_module(module), name)
        return function

    def returns_needed(self, period: Period) -> dict[str, list[Period]]:
        """Return kind → periods, January of last year on (本年累计, 同比 and 环比 need them):
        旬 returns up to the period's last 旬, monthly returns up to its last month."""
        glossary = load_glossary()
        needed = {}
        for return_kind in self.returns:
            cadence = PeriodKind(glossary.returns[return_kind].cadence)
            needed[return_kind] = history_needed(Period.containing(cadence, period.end))
        return needed

    def returns_inside(self, period: Period) -> dict[str, list[Period]]:
        """Return kind → the periods of its cadence lying inside the brief's period (a month: its three 旬):
        a return for one of them that came after the brief went out makes the brief stale."""
        glossary = load_glossary()
        inside: dict[str, list[Period]] = {}
        for return_kind in self.returns:
            current = Period.containing(PeriodKind(glossary.returns[return_kind].cadence), period.start)
            while current.start <= period.end:
                inside.setdefault(return_kind, []).append(current)
                current = current.next()
        return inside


BRIEFS: tuple[BriefKind, ...] = (
    BriefKind(
        id="ten_day",
        name_zh="旬简报",
        cli_name="ten-day",
        period_kind=PeriodKind.TEN_DAY,
        returns=(SAFETY_RETURN,),
        assembler="govbrief.briefs.ten_day.assemble:assemble_ten_day",
        page_budget=3,
        schedule_setting="ten_day_working_days",
    ),
    BriefKind(
        id="monthly",
        name_zh="月通报",
        cli_name="monthly",
        period_kind=PeriodKind.MONTH,
        returns=(SAFETY_RETURN, *MONTHLY_RETURNS),
        assembler="govbrief.briefs.monthly.assemble:assemble_monthly",
        page_budget=5,
        schedule_setting="month_working_days",
    ),
    BriefKind(
        id="quarterly",
        name_zh="季总结",
        cli_name="quarterly",
        period_kind=PeriodKind.QUARTER,
        returns=(SAFETY_RETURN, *MONTHLY_RETURNS),
        assembler="govbrief.briefs.quarterly.assemble:assemble_quarterly",
        page_budget=8,
        schedule_setting="quarter_working_days",
    ),
)
BY_ID: dict[str, BriefKind] = {brief.id: brief for brief in BRIEFS}


def brief_kind(name: str) -> BriefKind:
    """The brief kind by its id (ten_day) or command-line name (ten-day)."""
    for brief in BRIEFS:
        if name in (brief.id, brief.cli_name):
            return brief
    known = ", ".join(brief.cli_name for brief in BRIEFS)
    raise ValueError(f"未知简报类型 / unknown brief kind {name!r}: {known}")


def brief_for(kind: PeriodKind) -> BriefKind:
    """The brief issued for this kind of period (旬 → 旬简报, month → 月通报, quarter → 季总结)."""
    for brief in BRIEFS:
        if brief.period_kind is kind:
            return brief
    raise ValueError(f"no brief is issued for a {kind} period / 该期次类型无简报")


def name_zh(kind_id: str) -> str:
    """旬简报 for ten_day; an unknown id as it is."""
    return BY_ID[kind_id].name_zh if kind_id in BY_ID else kind_id


def returns_needed(kind: str, period: Period) -> dict[str, list[Period]]:
    """What `brief_kind(kind).returns_needed(period)` says: the returns a brief of this kind reads."""
    return brief_kind(kind).returns_needed(period)
