"""Number, percent and date formatting, in one place.

Every brief form (email, text, PDF, DOCX) shows the strings made here, so they
all say the same thing. Rounding is 四舍五入 (half up, on the decimal value a
person would read), not Python's banker's rounding: 6.25% shows as "6.3%".
Unknown values (None, NaN) show as "—".

Text the system writes into CSV or Excel files must never run as a formula:
return cells are free text from outside (简要情况 may contain anything), and a
cell that starts like a formula would run when an analyst opens our CSV in Excel
or WPS (CSV injection, e.g. ``=HYPERLINK(...)``). Following the OWASP guidance,
such text gets a leading single quote, which makes it text (`escape_cell`).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DASH = "—"


def is_missing(value: float | int | None) -> bool:
    """None or NaN: a value nobody can show."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_half_up(value: float, decimals: int = 0) -> str:
    """`value` rounded half up to `decimals` places, as text ("-0.0" never appears)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    return f"{rounded:f}"


def printed(value: float, decimals: int = 0) -> float:
    """The number a reader sees once `value` is printed with `decimals` places (四舍五入): differences,
    ranks, ties and lights are judged on this, so they agree with the printed figures."""
    return float(round_half_up(value, decimals))


def printed_percent(ratio: float) -> float:
    """A ratio as the percent a reader sees (1 decimal): 0.8454 → 84.5."""
    return printed(float(Decimal(repr(float(ratio))) * 100), 1)


def fmt_count(value: float | int | None) -> str:
    """A whole number of things: "3"."""
    if value is None or is_missing(value):
        return DASH
    return round_half_up(float(value), 0)


def fmt_amount(value: float | int | None, decimals: int = 2) -> str:
    """An amount of money or area with fixed decimals: "12.50"."""
    if value is None or is_missing(value):
        return DASH
    return round_half_up(float(value), decimals)


def fmt_percent(ratio: float | None, decimals: int = 1) -> str:
    """A ratio as a percent: 0.25 → "25.0%"."""
    if ratio is None or is_missing(ratio):
        return DASH
    return fmt_pct(float(Decimal(repr(float(ratio))) * 100), decimals)


def fmt_pct(pct: float | None, decimals: int = 1) -> str:
    """A value already in percent: 25.0 → "25.0%"."""
    if pct is None or is_missing(pct):
        return DASH
    return f"{round_half_up(pct, decimals)}%"


def fmt_signed_pct(pct: float | None, decimals: int = 1) -> str:
    """A percent change for a table cell: "+25.0%", "-33.3%", "0.0%"."""
    if pct is None or is_missing(pct):
        return DASH
    text = fmt_pct(pct, decimals)
    return text if text.startswith("-") or float(text[:-1]) == 0 else f"+{text}"


def fmt_date_zh(day: date) -> str:
    """11月12日."""
    return f"{day.month}月{day.day}日"


def fmt_full_date_zh(day: date) -> str:
    """2026年11月12日."""
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_day_tag(day: date) -> str:
    """The "11·12" tag that names an accident by its date."""
    return f"{day.month}·{day.day}"


def fmt_date_range_zh(start: date, end: date) -> str:
    """1月1日—11月20日."""
    return f"{fmt_date_zh(start)}—{fmt_date_zh(end)}"


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """Names joined the Chinese way: 东湖县、西山县."""
    return "、".join(names)


# CSV/Excel escaping. ASCII triggers from OWASP, plus the full-width forms a Chinese input method types.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# "-3" or "+1.5" is read as a number, never as a formula: no quote, so figures stay figures.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_cell(value: object) -> object:
    """The value, with a leading ' when it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(path: str | Path, header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV that Excel and WPS open with Chinese intact (UTF-8 with BOM), every cell escaped."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([escape_cell(cell) for cell in header])
        writer.writerows([escape_cell(cell) for cell in row] for row in rows)
