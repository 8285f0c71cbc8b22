"""The demo's 政府债务化解月报表: every unit's clean-template workbook for every month asked for.

Deterministic for a seed; all figures are whole hundredths of 亿元, computed in
integer cents so that every month rolls forward exactly: hidden_balance = last
month's + hidden_new − Σ resolved. The year's first month starts from the target
table's 年初隐性债务余额 (or the plan's opening stock); later years continue.

The story, in the target month's year (earlier years are ordinary): 东湖县 falls
more than 5 pp behind 序时进度 on its 化债 task from March on; 临江市 falls behind in
May and June, then recovers; in the target month 南岭县 reports new hidden debt and
安平县 misses part of a payment (paid_on_time < due, the rest overdue).
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from govbrief.calendar.periods import Period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import Settings, Unit
from govbrief.demo.randomness import rng_for
from govbrief.demo.safety_returns import return_path
from govbrief.demo.writer import write_return_workbook
from govbrief.glossary import load_glossary
from govbrief.targets.plans import OPENING_HIDDEN_HEADER, unit_amounts

RETURN_ID = "debt"
LAGGING_UNIT = "439902"  # 东湖县: behind on its 化债 task from LAG_FROM_MONTH to the year's end
LAG_FROM_MONTH = 3
DIPPING_UNIT = "439907"  # 临江市: behind in DIP_MONTHS only
DIP_MONTHS = (5, 6)
NEW_HIDDEN_UNIT = "439904"  # 南岭县: new hidden debt in the target month
NEW_HIDDEN_CENTS = 35
MISSED_PAYMENT_UNIT = "439908"  # 安平县: part of a payment missed in the target month
LAG_BELOW_TIME_PROGRESS = (0.08, 0.11)  # how far a lagging month's completion sits below 序时进度
LAST_SUBMISSION_WORKDAY = 5  # returns arrive within the first five working days of the next month
TASK_HEADER = "年度化债任务（亿元）"
CAPACITY_HEADER = "综合财力（亿元）"


@dataclass(frozen=True)
class MonthlyReturn:
    """One generated monthly return: whose, which month, its rows as written (column id → cell), when sent."""

    unit: Unit
    period: Period
    rows: list[dict[str, object]]
    submitted_at: datetime


@dataclass
class DebtBook:
    """One unit's running figures in cents: hidden stock, this year's resolved total, legal debt."""

    hidden: int
    legal: int
    limit: int
    resolved_ytd: int = 0
    year: int = 0
    channel_weights: list[float] = field(default_factory=list)


def demo_months(target: Period) -> list[Period]:
    """Every month from January of last year up to `target` (同比 of 本年累计 needs last year's too)."""
    first = Period.month(target.year - 1, 1)
    months = [first]
    while months[-1] != target:
        months.append(months[-1].next())
    return months


def submission_time(rng: random.Random, period: Period, calendar: WorkCalendar, zone: ZoneInfo) -> datetime:
    """Office hours on one of the first five working days after the month."""
    day = calendar.nth_workday_after(period.end, rng.randint(1, LAST_SUBMISSION_WORKDAY))
    return datetime.combine(day, time(rng.randint(9, 16), rng.randrange(60)), zone)


def planned_share(rng: random.Random, unit_code: str, period: Period, story: bool) -> float:
    """The share of the annual task done by the month's end: near 序时进度, or behind where the story says."""
    progress = period.time_progress()
    lagging = unit_code == LAGGING_UNIT and period.index >= LAG_FROM_MONTH
    dipping = unit_code == DIPPING_UNIT and period.index in DIP_MONTHS
    if story and (lagging or dipping):
        return progress - rng.uniform(*LAG_BELOW_TIME_PROGRESS)
    if story and unit_code in (LAGGING_UNIT, DIPPING_UNIT):
        return progress - rng.uniform(0.0, 0.01)  # on time, without a lead that would mask the lag
    return progress + rng.uniform(-0.01, 0.04)


def split_cents(total: int, weights: Sequence[float]) -> list[int]:
    """`total` cents shared in proportion to `weights`, largest remainders first, summing exactly."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _cents(amount: float) -> int:
    return round(amount * 100)


def _open_book(settings: Settings, unit: Unit, year: int, seed: int) -> DebtBook:
    rng = rng_for(seed, unit.code, "debt-habits")
    configured = unit_amounts(settings.paths.targets, year, OPENING_HIDDEN_HEADER).get(unit.code)
    opening = configured or settings.debt.plan_opening_stock.get(unit.code) or rng.uniform(10, 30)
    capacity = unit_amounts(settings.paths.targets, year, CAPACITY_HEADER).get(unit.code) or 50.0
    legal = _cents(capacity * rng.uniform(0.9, 2.4))
    weights = [rng.uniform(0.2, 1.0) for _ in settings.debt.channels]
    return DebtBook(_cents(opening), legal, round(legal * rng.uniform(1.05, 1.2)), channel_weights=weights)


def _task_cents(settings: Settings, unit: Unit, book: DebtBook, year: int, rng: random.Random) -> int:
    """The year's 化债 task in cents; a new year restarts the year's total and may raise the limit."""
    if book.year != year:
        book.year, book.resolved_ytd = year, 0
        book.limit = max(book.limit, round(book.legal * rng.uniform(1.05, 1.2)))
    return _cents(unit_amounts(settings.paths.targets, year, TASK_HEADER).get(unit.code, 1.0))


def _debt_row(
    settings: Settings, unit: Unit, period: Period, book: DebtBook, rng: random.Random, target: Period
) -> dict[str, object]:
    """The month's one row, advancing the unit's book."""
    task = _task_cents(settings, unit, book, period.year, rng)
    share = planned_share(rng, unit.code, period, story=period.year == target.year)
    cumulative = max(book.resolved_ytd, round(task * share))
    resolved = cumulative - book.resolved_ytd
    new = NEW_HIDDEN_CENTS if (unit.code, period) == (NEW_HIDDEN_UNIT, target) else 0
    book.resolved_ytd, book.hidden = cumulative, book.hidden + new - resolved
    book.legal += rng.randint(-20, 40)
    due = rng.randint(10, 150)
    missed = rng.randint(5, due // 2) if (unit.code, period) == (MISSED_PAYMENT_UNIT, target) else 0
    row: dict[str, int] = {
        "legal_balance": book.legal, "debt_limit": book.limit, "hidden_balance": book.hidden, "hidden_new": new,
        "due": due, "paid_on_time": due - missed, "overdue_balance": missed,
    }  # fmt: skip
    channels = zip(settings.debt.channels, split_cents(resolved, book.channel_weights), strict=True)
    row.update({channel.column_id: cents for channel, cents in channels})
    return {"county": unit.name} | {column: cents / 100 for column, cents in row.items()}


def build_debt_returns(settings: Settings, months: Sequence[Period], *, seed: int = 2026) -> list[MonthlyReturn]:
    """Every unit's debt return for every month in `months`, in memory.

    The months should run from a January without gaps: the stock carries from one to the next."""
    ordered = sorted(set(months))
    if not ordered:
        return []
    calendar, zone = WorkCalendar.from_settings(settings), ZoneInfo(settings.city.timezone)
    returns: list[MonthlyReturn] = []
    for unit in settings.units:
        book = _open_book(settings, unit, ordered[0].year, seed)
        for period in ordered:
            rng = rng_for(seed, unit.code, period.key, RETURN_ID)
            row = _debt_row(settings, unit, period, book, rng, ordered[-1])
            returns.append(MonthlyReturn(unit, period, [row], submission_time(rng, period, calendar, zone)))
    return returns


def write_monthly_return(settings: Settings, return_id: str, generated: MonthlyReturn) -> Path:
    """Write one monthly return in the clean template into the drop; its mtime is the submission time."""
    kind = load_glossary().returns[return_id]
    title = f"{generated.unit.name}{kind.name_zh}（{generated.period.label_zh}）"
    path = return_path(settings, kind, generated.unit, generated.period)
    write_return_workbook(path, title, [(kind.sheets[0], generated.rows)], generated.submitted_at)
    stamp = generated.submitted_at.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def generate_debt_returns(settings: Settings, months: list[Period], *, seed: int = 2026) -> list[Path]:
    """Write every unit's clean-template debt return for every month into the drop folder."""
    return [write_monthly_return(settings, RETURN_ID, one) for one in build_debt_returns(settings, months, seed=seed)]
