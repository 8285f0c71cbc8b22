"""更正: which figures of a brief changed between two versions, and the note that says so."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govbrief.briefs.common.submissions import STATUS_ZH
from govbrief.metrics.catalogue import BY_ID, Indicator

CITY_NAME_ZH = "全市"
STATUS_LABEL_ZH = "报送情况"
# A note leaders read at the top of the brief: the first lines, then how many more.
MAX_NOTE_LINES = 8
# The windows a reader sees, in the order a note lists them; the percent changes follow from these.
WINDOW_LABELS_ZH: dict[str, str] = {
    "period": "本期",
    "month": "本月",
    "ytd": "本年累计",
    "period_previous": "上期",
    "period_last_year": "去年同期",
    "month_last_year": "去年同月",
    "ytd_last_year": "去年同期累计",
}


@dataclass(frozen=True)
class FigureChange:
    """One figure of a brief that a newer version states differently."""

    unit_code: str  # the city's code for 全市 figures
    unit_name: str  # 南岭县, or 全市
    label_zh: str  # 本年累计事故起数, or 报送情况
    old: str  # as the brief prints it: 12起
    new: str
    is_city: bool = False

    def text_zh(self) -> str:
        """南岭县本年累计事故起数 12起→13起"""
        return f"{self.unit_name}{self.label_zh} {self.old}→{self.new}"


def diff_figures(old_data: Mapping[str, Any], new_data: Mapping[str, Any]) -> list[FigureChange]:
    """Every changed figure: units first (in the brief's order), then the city; by window, then indicator."""
    changes: list[FigureChange] = []
    old_units = {unit["code"]: unit for unit in old_data.get("units", [])}
    for unit in new_data.get("units", []):
        before = old_units.get(unit["code"], {})
        changes += _status_change(unit, before)
        changes += _indicator_changes(unit["code"], unit["name"], before.get("indicators", {}), unit["indicators"])
    city_old = old_data.get("city", {}).get("indicators", {})
    city = new_data.get("city", {})
    changes += [
        FigureChange(c.unit_code, CITY_NAME_ZH, c.label_zh, c.old, c.new, is_city=True)
        for c in _indicator_changes(city.get("code", ""), CITY_NAME_ZH, city_old, city.get("indicators", {}))
    ]
    return changes


def correction_note(changes: Sequence[FigureChange], previous_version: int, *, version: int | None = None) -> str:
    """更正说明：因南岭县更正报表，本期简报第2版更正以下数据：…；（另有N项数据随之更正）。"""
    new_version = version if version is not None else previous_version + 1
    units = list(dict.fromkeys(c.unit_name for c in changes if not c.is_city))
    cause = f"因{'、'.join(units)}更正报表，" if units else "因基层单位更正报表，"
    head = f"更正说明：{cause}本期简报第{new_version}版更正第{previous_version}版的以下数据："
    if not changes:
        return f"更正说明：{cause}本期简报第{new_version}版更正第{previous_version}版的文字表述，数据未变。"
    shown = "；".join(c.text_zh() for c in changes[:MAX_NOTE_LINES])
    rest = len(changes) - MAX_NOTE_LINES
    tail = f"；另有{rest}项数据随之更正。" if rest > 0 else "。"
    return head + shown + tail


def _status_change(unit: Mapping[str, Any], before: Mapping[str, Any]) -> list[FigureChange]:
    old, new = before.get("status"), unit.get("status")
    if old is None or new is None or old == new:
        return []
    return [FigureChange(unit["code"], unit["name"], STATUS_LABEL_ZH, _status_zh(old), _status_zh(new))]


def _status_zh(status: str) -> str:
    return _STATUS_BY_NAME.get(status, status)


_STATUS_BY_NAME: dict[str, str] = {str(name): label for name, label in STATUS_ZH.items()}


def _indicator_changes(
    code: str, name: str, old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> Iterator[FigureChange]:
    for window, window_zh in WINDOW_LABELS_ZH.items():
        for indicator_id, values in new.items():
            before = old.get(indicator_id, {}).get(window)
            after = values.get(window)
            if _same(before, after):
                continue
            indicator = BY_ID.get(indicator_id)
            label = indicator.name_zh if indicator else indicator_id
            yield FigureChange(code, name, f"{window_zh}{label}", _shown(before, indicator), _shown(after, indicator))


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, int | float) and isinstance(new, int | float):
        return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-9)
    return bool(old == new)


def _shown(value: Any, indicator: Indicator | None) -> str:
    """A figure as the brief prints it: 13起, 3.25万元, 95.0%; 无 where there is none."""
    if value is None:
        return "无"
    if indicator is None:
        return str(value)
    if indicator.kind == "ratio":
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".rstrip("0").rstrip(".") + indicator.unit_zh
    return f"{int(value)}{indicator.unit_zh}"
