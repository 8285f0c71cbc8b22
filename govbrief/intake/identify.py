"""Whose return is it, and for which period: read from the file name, folders, 县市区 column and title rows.

Clerks name their unit every way: 东湖县, 东湖, the code 439902, in the file
name, the folder, the 县市区 column or only in a title row. The evidence is
taken in that order; the first source naming exactly one unit decides, and
every other source must agree.

Substring traps are avoided on purpose:
- a short name followed by a place suffix is another place: 东湖 matches 东湖县
  but not 东湖镇, 东湖乡 or 东湖区 (城关 does not match 城关镇: many counties
  have a 城关镇, the town of their seat, and guessing would misfile a return);
- the longest mention wins: in 临江新区 the unit 临江新区 is named, not 临江市;
- the city's own name (示范市) can be masked with `ignore`;
- codes are read everywhere but in title rows, where digits are dates and
  telephone numbers.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Unit
from govbrief.problems import Problem

EvidenceSource = Literal["file_name", "folder", "column", "title"]
COUNTY_COLUMN = "县市区"
# After a short name these make another place: a county, district, town, township, village, street…
PLACE_SUFFIXES = "县区市州盟旗镇乡村街路巷社屯寨"
# A 合计 row's 县市区 cell names no unit.
TOTAL_LABELS = frozenset({"合计", "总计", "小计"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class UnitMatch:
    """The unit a return belongs to (None when unknown), where that was read, and the problems found.

    `unit` is the best reading even when an error refuses the file, so that the
    refusal reaches the right clerk; errors in `problems` decide acceptance.
    """

    unit: Unit | None
    found_in: EvidenceSource | None
    problems: list[Problem]


@dataclass(frozen=True)
class Evidence:
    """The units one source names; `label` is the file or folder name."""

    source: EvidenceSource
    label: str
    units: tuple[Unit, ...]

    @property
    def where_zh(self) -> str:
        return {
            "file_name": f"文件名“{self.label}”",
            "folder": f"文件夹“{self.label}”",
            "column": f"“{COUNTY_COLUMN}”列",
            "title": "标题行",
        }[self.source]

    @property
    def where_en(self) -> str:
        return {
            "file_name": f"the file name {self.label!r}",
            "folder": f"folder {self.label!r}",
            "column": f"column {COUNTY_COLUMN}",
            "title": "the title rows",
        }[self.source]


def normalized(text: str) -> str:
    """Full-width letters and digits folded (NFKC), whitespace removed: 东 湖 县 → 东湖县."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


@functools.cache  # keyed by configured units only: a bounded set
def _mention(code: str, name: str, short: str, with_code: bool) -> re.Pattern[str]:
    alternatives = [re.escape(name)]
    if short != name:
        alternatives.append(f"{re.escape(short)}(?![{PLACE_SUFFIXES}])")
    if with_code:
        alternatives.append(rf"(?<!\d){code}(?!\d)")
    return re.compile("|".join(alternatives))


def units_named(text: str, units: Sequence[Unit], *, ignore: Sequence[str] = (), codes: bool = True) -> list[Unit]:
    """The distinct units a free text names, in order of mention; a mention inside a longer one does not count."""
    masked = normalized(text)
    for ignored in filter(None, map(normalized, ignore)):
        masked = masked.replace(ignored, "|")  # a mask no name or code can match across
    spans = [
        (found.start(), found.end(), unit)
        for unit in units
        for found in _mention(unit.code, unit.name, unit.short_name, codes).finditer(masked)
    ]
    kept = [
        (start, unit)
        for start, end, unit in spans
        if not any(s <= start and end <= e and e - s > end - start for s, e, other in spans if other.code != unit.code)
    ]
    return _distinct(unit for _, unit in sorted(kept, key=lambda item: item[0]))


def _distinct(units: Iterable[Unit]) -> list[Unit]:
    seen: dict[str, Unit] = {}
    for unit in units:
        seen.setdefault(unit.code, unit)
    return list(seen.values())


def identify_unit(
    units: Sequence[Unit],
    *,
    file_name: str,
    folders: Sequence[str],
    county_values: Sequence[str],
    title_texts: Sequence[str],
    ignore: Sequence[str] = (),
) -> UnitMatch:
    """Which configured unit sent this return: file name, then folders (nearest first), 县市区 values, titles."""
    column_units, problems = _column_units(units, county_values, ignore, file_name)
    evidence = [
        _evidence("file_name", [_stem(file_name)], units, ignore, label=file_name),
        *(_evidence("folder", [folder], units, ignore, label=folder) for folder in folders),
        Evidence("column", "", tuple(column_units)),
        _evidence("title", title_texts, units, ignore),
    ]
    decided = next((e for e in evidence if len(e.units) == 1), None)
    problems += [_ambiguous(e, file_name) for e in evidence if len(e.units) > 1 and _counts(e, decided)]
    if decided is None:
        problems += [] if problems else [_unknown(units, file_name)]
        return UnitMatch(None, None, problems)
    unit = decided.units[0]
    disagreeing = [e for e in evidence if len(e.units) == 1 and e.units[0].code != unit.code]
    problems += [_conflict(decided, e, file_name) for e in disagreeing]
    return UnitMatch(unit, decided.source, problems)


def _stem(file_name: str) -> str:
    return PurePath(file_name).stem


def _evidence(
    source: EvidenceSource, texts: Sequence[str], units: Sequence[Unit], ignore: Sequence[str], *, label: str = ""
) -> Evidence:
    codes = source != "title"
    named = _distinct(u for text in texts for u in units_named(text, units, ignore=ignore, codes=codes))
    return Evidence(source, label, tuple(named))


def _counts(evidence: Evidence, decided: Evidence | None) -> bool:
    """Title rows are the weakest evidence: naming several units there matters only when nothing else decides."""
    return evidence.source != "title" or decided is None


def _column_units(
    units: Sequence[Unit], values: Sequence[str], ignore: Sequence[str], file_name: str
) -> tuple[list[Unit], list[Problem]]:
    """The units the 县市区 column names, and an unknown_unit error for each value that is none."""
    named: list[Unit] = []
    problems: list[Problem] = []
    distinct_values = dict.fromkeys(v for v in map(normalized, values) if v and v not in TOTAL_LABELS)
    for value in distinct_values:
        found = _exact_unit(value, units) or units_named(value, units, ignore=ignore)
        named += found
        problems += [] if found else [_unknown_value(value, units, file_name)]
    return _distinct(named), problems


def _exact_unit(value: str, units: Sequence[Unit]) -> list[Unit]:
    return [u for u in units if value in (u.code, u.name, u.short_name)][:1]


def closest_unit(value: str, units: Sequence[Unit]) -> Unit | None:
    """The configured unit whose name or short name is closest to a misspelt one (东湖镇 → 东湖县)."""
    by_name = {n: u for u in units for n in (u.name, u.short_name)}
    close = difflib.get_close_matches(value, list(by_name), n=1, cutoff=0.5)
    return by_name[close[0]] if close else None


# ----- problems -----------------------------------------------------------------


def _unknown(units: Sequence[Unit], file_name: str) -> Problem:
    example = units[0].name if units else "东湖县"
    return Problem(
        "error",
        "unknown_unit",
        f"无法识别报送单位：文件名、文件夹、“{COUNTY_COLUMN}”列和标题行都没有写明本市的单位。"
        f"请在文件名或表内“{COUNTY_COLUMN}”列写明单位名称（如“{example}”）",
        f"cannot tell which unit sent the return: neither the file name, its folders, column {COUNTY_COLUMN} "
        f"nor the title rows name a unit of this city. Write the unit's name (e.g. {example}) in the file name "
        f"or in column {COUNTY_COLUMN}",
        file=file_name,
    )


def _unknown_value(value: str, units: Sequence[Unit], file_name: str) -> Problem:
    closest = closest_unit(value, units)
    if closest:
        hint_zh, hint_en = f"，是否应为“{closest.name}”？", f"; did you mean {closest.name}?"
    else:
        names = "、".join(u.name for u in units)
        hint_zh, hint_en = f"，应为以下之一：{names}", f"; it must be one of: {names}"
    return Problem(
        "error",
        "unknown_unit",
        f"“{COUNTY_COLUMN}”列的“{value}”不是本市的报送单位{hint_zh}",
        f"{value!r} in column {COUNTY_COLUMN} is not a unit of this city{hint_en}",
        file=file_name,
        column=COUNTY_COLUMN,
        value=value,
    )


def _ambiguous(evidence: Evidence, file_name: str) -> Problem:
    names = "、".join(u.name for u in evidence.units)
    return Problem(
        "error",
        "ambiguous_unit",
        f"{evidence.where_zh}同时写有多个单位（{names}），无法确定报送单位，请只写本单位名称",
        f"{evidence.where_en} names several units ({names}); cannot tell which one sent the return. "
        "Name only your own unit",
        file=file_name,
        column=COUNTY_COLUMN if evidence.source == "column" else "",
        value=names,
    )


def _conflict(decided: Evidence, other: Evidence, file_name: str) -> Problem:
    """Sources naming different units: an error, or a warning when only a title row disagrees
    (a template copied from a neighbouring county and not retitled)."""
    ours, theirs = decided.units[0].name, other.units[0].name
    return Problem(
        "warning" if other.source == "title" else "error",
        "conflicting_unit",
        f"{decided.where_zh}写的是“{ours}”，但{other.where_zh}写的是“{theirs}”，请核对报送单位后重新报送",
        f"{decided.where_en} names {ours} but {other.where_en} names {theirs}; check which unit this return is for",
        file=file_name,
        column=COUNTY_COLUMN if other.source == "column" else "",
        value=theirs,
    )


# ----- the period -----------------------------------------------------------------

_XUN = "上中下"
_SEP = r"[.\-/_]"
_TEN_DAY_KEY = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-x([123])(?!\d)", re.IGNORECASE)
# 2026年11月中旬, 2026年11月份中旬, 2026.11中旬, 2026-11-中旬, 202611中旬
_TEN_DAY = re.compile(rf"(?<!\d)(\d{{4}})(?:年|{_SEP})?(\d{{1,2}})(?:月份?|{_SEP})?([{_XUN}])旬")
_TEN_DAY_NO_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}})月份?([{_XUN}])旬")
# 2026年11月, 2026-11, 2026.11 — but not a date (2026年11月3日, 2026-11-03) nor a 旬 (11月中旬);
# 月 and 份 are refused after the digits so that backtracking cannot cut "11月份中旬" short.
_NOT_MONTH_END = rf"(?![\d.\-/_月份日号]|[{_XUN}]旬)"
_MONTH = re.compile(rf"(?<!\d)(\d{{4}})(?:年|{_SEP})(\d{{1,2}})(?:月份?)?{_NOT_MONTH_END}")
_MONTH_NO_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}})月份?{_NOT_MONTH_END}")
# A year on its own (2026, 2026年, 2026年度), never the year of a date or a month.
_BARE_YEAR = re.compile(r"(?<![\d.\-/])(20\d{2})(?:年度?)?(?![\d.\-/年月])")


def identify_period(
    *, file_name: str, folders: Sequence[str], title_texts: Sequence[str], kind: PeriodKind
) -> Period | None:
    """The period the file name, folders or titles state, or None when they state none or disagree.

    A period without a year (11月中旬) takes the year stated on its own elsewhere
    (a folder 2026, a title 2026年度), never the year of a date such as a
    填报日期, which may fall in the next year.
    """
    texts = [normalized(t) for t in (_stem(file_name), *folders, *title_texts)]
    found = {p for text in texts for p in _periods_in(text, kind)}
    if not found:
        years = {int(y) for text in texts for y in _BARE_YEAR.findall(text)}
        found = {p for text in texts for p in _yearless_periods_in(text, kind, years)} if len(years) == 1 else set()
    return found.pop() if len(found) == 1 else None


def _periods_in(text: str, kind: PeriodKind) -> list[Period]:
    if kind is PeriodKind.TEN_DAY:
        keys = [_ten_day(y, m, "123".index(x)) for y, m, x in _TEN_DAY_KEY.findall(text)]
        return _valid(keys + [_ten_day(y, m, _XUN.index(x)) for y, m, x in _TEN_DAY.findall(text)])
    if kind is PeriodKind.MONTH:
        return _valid([_month(y, m) for y, m in _MONTH.findall(text)])
    return []  # returns come every 旬 or every month


def _yearless_periods_in(text: str, kind: PeriodKind, years: set[int]) -> list[Period]:
    (year,) = years
    if kind is PeriodKind.TEN_DAY:
        return _valid([_ten_day(str(year), m, _XUN.index(x)) for m, x in _TEN_DAY_NO_YEAR.findall(text)])
    if kind is PeriodKind.MONTH:
        return _valid([_month(str(year), m) for m in _MONTH_NO_YEAR.findall(text)])
    return []


def _plausible(year: str, month: str) -> bool:
    # 4 digits are not always a year (0000, 1111): returns are from this century.
    return 2000 <= int(year) <= 2099 and 1 <= int(month) <= 12


def _ten_day(year: str, month: str, xun_index: int) -> Period | None:
    return Period.ten_day(int(year), int(month), xun_index + 1) if _plausible(year, month) else None


def _month(year: str, month: str) -> Period | None:
    return Period.month(int(year), int(month)) if _plausible(year, month) else None


def _valid(periods: Iterable[Period | None]) -> list[Period]:
    return [p for p in periods if p is not None]
