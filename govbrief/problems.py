"""Problems found in a return: the one shape readers, validation and reports share.

A problem names where it is (file, sheet, row, column), which rule it breaks,
the offending value, and says so in Chinese and English. Severity is data:
an ``error`` refuses the return, a ``warning`` accepts it and reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One rule broken by one cell, row, sheet or file."""

    severity: Severity
    rule: str
    message_zh: str
    message_en: str
    file: str = ""
    sheet: str = ""
    row: int | None = None  # 1-based row number as the clerk sees it in Excel
    column: str = ""  # the Chinese header as written in the glossary
    value: str = ""

    def location_zh(self) -> str:
        """Where the problem is, in the words a county clerk uses."""
        parts = [p for p in (self.file, self.sheet and f"工作表“{self.sheet}”") if p]
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "，".join(parts)

    def location_en(self) -> str:
        """Where the problem is, in English."""
        parts = [p for p in (self.file, self.sheet and f"sheet {self.sheet!r}") if p]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def describe(self) -> str:
        """One bilingual line: location, rule, message (zh / en)."""
        where_zh, where_en = self.location_zh(), self.location_en()
        return (
            f"[{self.severity}] {where_zh}：{self.message_zh}（规则 {self.rule}）"
            f" / {where_en}: {self.message_en} (rule {self.rule})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output and the warehouse."""
        return asdict(self)


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem refuses the return."""
    return any(p.severity == "error" for p in problems)


def format_problems(problems: Iterable[Problem]) -> list[str]:
    """The lines `check-returns` prints and 退回重报 emails list: errors first, each with its value."""
    ordered = sorted(problems, key=lambda p: p.severity != "error")  # stable: found order within a severity
    return [p.describe() + (f" 〔值 value: “{p.value}”〕" if p.value else "") for p in ordered]
