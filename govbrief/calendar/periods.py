"""Reporting periods: 旬, month, quarter, half-year, year.

A Period is a value: kind, year and index within the year. It knows its date
range, its neighbours (previous period, same period last year), year-to-date,
序时进度, and how to spell itself for the CLI (2026-11-x2) and for people
(2026年11月中旬).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    TEN_DAY = "ten_day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


PER_YEAR = {
    PeriodKind.TEN_DAY: 36,
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF: 2,
    PeriodKind.YEAR: 1,
}
MONTHS_PER = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
XUN_ZH = ("上旬", "中旬", "下旬")
QUARTER_ZH = ("第一季度", "第二季度", "第三季度", "第四季度")
HALF_ZH = ("上半年", "下半年")
ORDINAL_NAMES_ZH = {PeriodKind.QUARTER: QUARTER_ZH, PeriodKind.HALF: HALF_ZH}
KEY_SPELLING = {
    PeriodKind.TEN_DAY: "{year}-{month:02d}-x{xun}",
    PeriodKind.MONTH: "{year}-{index:02d}",
    PeriodKind.QUARTER: "{year}-Q{index}",
    PeriodKind.HALF: "{year}-H{index}",
    PeriodKind.YEAR: "{year}",
}
LABEL_SPELLING = {
    PeriodKind.TEN_DAY: "{year}年{month}月{xun_zh}",
    PeriodKind.MONTH: "{year}年{index}月",
    PeriodKind.QUARTER: "{year}年{name_zh}",
    PeriodKind.HALF: "{year}年{name_zh}",
    PeriodKind.YEAR: "{year}年",
}
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


class PeriodError(ValueError):
    """A period spelling that cannot be understood."""


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. `index` is 1-based within the year (旬 1-36, month 1-12…)."""

    year: int
    kind: PeriodKind
    index: int

    def __post_init__(self) -> None:
        # Without this, "0000" parsed fine and then `start` raised a bare ValueError.
        if not MINYEAR <= self.year <= MAXYEAR:
            raise PeriodError(f"year {self.year} out of range")
        if not 1 <= self.index <= PER_YEAR[self.kind]:
            raise PeriodError(f"{self.kind} index {self.index} out of range")

    # ----- construction -------------------------------------------------
    @classmethod
    def ten_day(cls, year: int, month: int, xun: int) -> Period:
        """The 旬 `xun` (1 上旬, 2 中旬, 3 下旬) of a month."""
        return cls(year, PeriodKind.TEN_DAY, (month - 1) * 3 + xun)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, PeriodKind.MONTH, month)

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        """The period of this kind that contains `day`."""
        if kind is PeriodKind.TEN_DAY:
            return cls.ten_day(day.year, day.month, min(3, (day.day - 1) // 10 + 1))
        return cls(day.year, kind, (day.month - 1) // MONTHS_PER[kind] + 1)

    @classmethod
    def latest_closed(cls, kind: PeriodKind, today: date) -> Period:
        """The most recent period of this kind that has fully ended before `today`."""
        return cls.containing(kind, today).previous()

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse 2026-11-x1, 2026-11, 2026-Q4, 2026-H2, 2026, or the Chinese spellings."""
        return parse_period(text)

    # ----- dates --------------------------------------------------------
    @property
    def start(self) -> date:
        if self.kind is PeriodKind.TEN_DAY:
            month, xun = divmod(self.index - 1, 3)
            return date(self.year, month + 1, xun * 10 + 1)
        return date(self.year, (self.index - 1) * MONTHS_PER[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        if self.kind is PeriodKind.TEN_DAY:
            month, xun = divmod(self.index - 1, 3)
            last = calendar.monthrange(self.year, month + 1)[1]
            return date(self.year, month + 1, last if xun == 2 else (xun + 1) * 10)
        last_month = self.index * MONTHS_PER[self.kind]
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def month_number(self) -> int:
        """The calendar month a 旬 or month falls in (the last month for longer periods)."""
        return self.end.month

    # ----- neighbours ---------------------------------------------------
    def previous(self) -> Period:
        """The period of the same kind just before (环比 base)."""
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, PER_YEAR[self.kind])

    def next(self) -> Period:
        if self.index < PER_YEAR[self.kind]:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def same_period_last_year(self) -> Period:
        """The same period one year earlier (同比 base)."""
        return Period(self.year - 1, self.kind, self.index)

    def year_to_date(self) -> tuple[date, date]:
        """本年累计: 1 January to the end of this period."""
        return date(self.year, 1, 1), self.end

    def month_to_date(self) -> tuple[date, date]:
        """本月: the first of this period's month to the end of this period."""
        return date(self.year, self.end.month, 1), self.end

    def periods_of_year_to_date(self) -> list[Period]:
        """Every period of this kind from the year's first up to and including this one."""
        return [Period(self.year, self.kind, i) for i in range(1, self.index + 1)]

    def time_progress(self) -> float:
        """序时进度 at the end of this period: elapsed days of the year / days in the year."""
        jan1 = date(self.year, 1, 1)
        return ((self.end - jan1).days + 1) / ((date(self.year, 12, 31) - jan1).days + 1)

    def issue_number(self) -> int:
        """第N期: briefs are numbered within the year by their period's index."""
        return self.index

    # ----- spelling -----------------------------------------------------
    @property
    def key(self) -> str:
        """The CLI/storage spelling: 2026-11-x2, 2026-11, 2026-Q4, 2026-H2, 2026."""
        return self._spelled(KEY_SPELLING)

    @property
    def label_zh(self) -> str:
        """2026年11月中旬, 2026年11月, 2026年第四季度, 2026年下半年, 2026年."""
        return self._spelled(LABEL_SPELLING)

    def _spelled(self, spelling: Mapping[PeriodKind, str]) -> str:
        month, xun = divmod(self.index - 1, 3)  # meaningful for a 旬 only
        names = ORDINAL_NAMES_ZH.get(self.kind)
        return spelling[self.kind].format(
            year=self.year,
            index=self.index,
            month=month + 1,
            xun=xun + 1,
            xun_zh=XUN_ZH[xun],
            name_zh=names[self.index - 1] if names else "",
        )

    @property
    def range_zh(self) -> str:
        """11月11日—20日 (within a month), 7月1日—9月30日 (across months)."""
        end = f"{self.end.day}日" if self.end.month == self.start.month else f"{self.end.month}月{self.end.day}日"
        return f"{self.start.month}月{self.start.day}日—{end}"

    def __str__(self) -> str:
        return self.key


_KEY_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-x([123])$", re.I), "ten_day"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
]
_ZH_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})年(\d{1,2})月([上中下])旬$"), "ten_day"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"), "month"),
    (re.compile(r"^(\d{4})年第?([一二三四1-4])季度?$"), "quarter"),
    (re.compile(r"^(\d{4})年([上下])半年$"), "half"),
    (re.compile(r"^(\d{4})年(?:度|全年)?$"), "year"),
]


def _small_number(text: str) -> int:
    return CN_DIGITS[text] if text in CN_DIGITS else int(text)


def _build(kind: str, groups: tuple[str, ...]) -> Period:
    year = int(groups[0])
    if kind == "ten_day":
        xun = "上中下".index(groups[2]) + 1 if groups[2] in "上中下" else int(groups[2])
        month = int(groups[1])
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} out of range")
        return Period.ten_day(year, month, xun)
    if kind == "half" and groups[1] in "上下":
        return Period(year, PeriodKind.HALF, "上下".index(groups[1]) + 1)
    if kind == "year":
        return Period(year, PeriodKind.YEAR, 1)
    return Period(year, PeriodKind(kind), _small_number(groups[1]))


def parse_period(text: str) -> Period:
    """Parse any accepted spelling; raise PeriodError with the accepted forms."""
    cleaned = text.strip().replace(" ", "")
    for pattern, kind in _KEY_PATTERNS + _ZH_PATTERNS:
        if match := pattern.match(cleaned):
            return _build(kind, match.groups())
    raise PeriodError(
        f"cannot read period {text!r} / 无法识别期次 {text!r}; use 2026-11-x1|x2|x3, 2026-11, "
        "2026-Q4, 2026-H2, 2026, 2026年11月上旬 or 2026年第四季度"
    )


def ten_days_between(first: Period, last: Period) -> list[Period]:
    """Every 旬 from `first` to `last` inclusive, in order."""
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


def day_after(period: Period) -> date:
    return period.end + timedelta(days=1)


def history_needed(period: Period) -> list[Period]:
    """Every period of this kind from January of last year up to `period`: what 本年累计,
    同比 (including last year's year-to-date) and 环比 need."""
    first = Period(period.year - 1, period.kind, 1)
    out, current = [], first
    while current <= period:
        out.append(current)
        current = current.next()
    return out
