"""Cell parsers: one raw spreadsheet cell → a typed canonical value, or the reason it cannot be.

Each parser returns a `Parsed` (value plus at most one `CellIssue`) and never
raises: the workbook reader turns issues into Problems with the cell's
location, so one pass reports every bad cell. These are type rules only
("a count is a whole number ≥ 0"); business rules live in the validation suites.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from govbrief.problems import Severity

T_co = TypeVar("T_co", covariant=True)
N = TypeVar("N", int, float)

# Words that say "none": in a count or amount they are an explicit zero.
ZERO_WORDS = frozenset({"无", "没有", "零"})
# Marks that fill a cell without a figure: read like a blank cell (0 plus a warning when required).
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "―", "/", "//", "\\", "…", "……"})
NOTHING_MARKERS = ZERO_WORDS | PLACEHOLDERS
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, Lotus leap-year bug included
MAX_EXCEL_SERIAL = 2_958_465  # 9999-12-31
WHOLE_TOLERANCE = 1e-9
MAX_COUNT = 10**9  # far above any real count; keeps counts inside int64


@dataclass(frozen=True)
class CellIssue:
    """Why a cell could not be read as-is: rule id, severity and bilingual message."""

    rule: str
    severity: Severity
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Parsed(Generic[T_co]):
    """A parser's answer: the canonical value (None when blank or unreadable) and any issue."""

    value: T_co | None
    issue: CellIssue | None = None


def _error(rule: str, zh: str, en: str, raw: object) -> CellIssue:
    """An error naming the offending value in both languages."""
    return CellIssue(rule, "error", f"{zh}：{show(raw)}", f"{en}: {show(raw)}")


def show(raw: object) -> str:
    """A cell as the clerk typed it: Excel's 3.0 shows as 3, a blank as an empty string."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime) and raw == datetime(raw.year, raw.month, raw.day):
        return raw.date().isoformat()
    return str(raw).strip()


def is_blank(raw: object) -> bool:
    """True for an empty cell, whitespace, NaN, or a "nothing" marker such as 无 or —."""
    if raw is None:
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        return text == "" or text in NOTHING_MARKERS
    return False


def _text_number(text: str) -> float | None:
    """A number written as text (full-width digits, thousands separators, spaces), or None."""
    cleaned = unicodedata.normalize("NFKC", text).translate(_MINUS_SIGNS).replace(" ", "").strip()
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    return float(cleaned) if _NUMBER.fullmatch(cleaned) else None


def _as_float(raw: object) -> float | None:
    """The numeric value of a non-blank cell, or None when it is not a number."""
    if isinstance(raw, bool | date | timedelta):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        return _text_number(raw)
    return None


BLANK_AS_ZERO = CellIssue("blank_count", "warning", "单元格为空，按0计", "blank cell, read as 0")


def _blank_issue(raw: object) -> CellIssue:
    """Blank, or a mark such as — standing in for a figure: both read as 0 with a warning."""
    mark = show(raw)
    if not mark:
        return BLANK_AS_ZERO
    return CellIssue("blank_count", "warning", f"未填数字（“{mark}”），按0计", f"no figure ({mark!r}), read as 0")


def _says_zero(raw: object) -> bool:
    return isinstance(raw, str) and unicodedata.normalize("NFKC", raw).strip() in ZERO_WORDS


def _numeric(raw: object, required: bool, zero: N) -> Parsed[N] | float:
    """The final answer for a blank, "none" or unreadable cell, else the cell's value as a float."""
    if is_blank(raw):
        if not required:
            return Parsed(None)
        return Parsed(zero) if _says_zero(raw) else Parsed(zero, _blank_issue(raw))
    number = _as_float(raw)
    if number is None and isinstance(raw, str) and "%" in unicodedata.normalize("NFKC", raw):
        return Parsed(
            None, _error("percent_not_allowed", "应填写数值，不能填写百分比", "a percentage is not a figure", raw)
        )
    if number is None or math.isinf(number):
        return Parsed(None, _error("not_a_number", "不是数字", "not a number", raw))
    return number


def parse_number(raw: object, *, required: bool = True) -> Parsed[float]:
    """A number ≥ 0; blank → 0 with a warning when required, else None."""
    number = _numeric(raw, required, 0.0)
    if isinstance(number, Parsed):
        return number
    if number < 0:
        return Parsed(None, _error("negative_number", "不能为负数", "is negative", raw))
    return Parsed(number)


def parse_int(raw: object, *, required: bool = True) -> Parsed[int]:
    """A count: a whole number ≥ 0; blank → 0 with a warning when required, else None."""
    number = _numeric(raw, required, 0)
    if isinstance(number, Parsed):
        return number
    if number < 0:
        return Parsed(None, _error("negative_count", "数量不能为负数", "negative count", raw))
    if abs(number - round(number)) > WHOLE_TOLERANCE:
        return Parsed(None, _error("fractional_count", "数量应为整数", "count not whole", raw))
    if number >= MAX_COUNT:
        return Parsed(None, _error("count_too_large", "数量大得不合理", "count implausibly large", raw))
    return Parsed(round(number))


def _date_from_serial(serial: float) -> date | None:
    if 1 <= serial <= MAX_EXCEL_SERIAL:
        return EXCEL_EPOCH + timedelta(days=math.floor(serial))
    if serial == int(serial) and (match := _COMPACT_DATE.fullmatch(str(int(serial)))):
        return _safe_date(*match.groups())
    return None


def _safe_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_from_text(text: str) -> date | None:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if match := _DATE.fullmatch(cleaned) or _COMPACT_DATE.fullmatch(cleaned):
        return _safe_date(*match.groups()[:3])
    if _NUMBER.fullmatch(cleaned):
        return _date_from_serial(float(cleaned))
    return None


def _as_date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return _date_from_serial(float(raw))
    return _date_from_text(raw) if isinstance(raw, str) else None


def parse_date(raw: object) -> Parsed[date]:
    """A calendar date from an Excel date, a serial number or 2023/3/5, 2023-03-05, 2023年3月5日, 2023.3.5."""
    if is_blank(raw):
        return Parsed(None)
    day = _as_date(raw)
    if day is None:
        return Parsed(None, _error("not_a_date", "不是有效日期", "not a valid date", raw))
    return Parsed(day)


def parse_text(raw: object) -> Parsed[str]:
    """Stripped text; None for blank, 无 or —. Whole numbers lose Excel's ".0" (an id typed as 17)."""
    return Parsed(None) if is_blank(raw) else Parsed(show(raw))
