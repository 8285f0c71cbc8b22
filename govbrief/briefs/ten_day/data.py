"""brief_data: the 旬简报's numbers as JSON (`govbrief run ten-day --json`).

Raw numbers only (int for counts, float otherwise, null where a value does not
exist); keys are stable. Shape:

    {
      "kind": "ten_day",
      "period": {"key": "2026-11-x2", "label_zh": "2026年11月中旬",
                 "start": "2026-11-11", "end": "2026-11-20"},
      "city": {"code": "439900", "name": "示范市", "indicators": INDICATORS},
      "units": [{"code": "439901", "name": "城关区",
                 "status": "on_time" | "late" | "missing" | "refused", "indicators": INDICATORS}, ...],
      "sectors": [{"sector": "道路交通", "period_count", "period_deaths", "ytd_count", "ytd_deaths",
                   "ytd_count_last_year", "ytd_deaths_last_year"}, ...],          # city, glossary order
      "major_accidents": [{"unit_code", "unit", "accident_id", "occurred_on": "2026-11-12", "sector",
                           "grade", "stated_grade", "deaths", "serious_injuries", "direct_loss_wan",
                           "summary", "in_period"}, ...],                         # this year, date order
      "alerts": [{"level": "red" | "orange" | "yellow", "indicator", "unit_code", "unit", "text"}, ...]
    }

INDICATORS maps every indicator id of govbrief.metrics.catalogue (acc_count, acc_deaths, …,
hz_general_fix_rate, …, enf_fines, …) to
    {"period", "period_last_year", "period_previous", "month", "month_last_year", "ytd", "ytd_last_year",
     "yoy_pct", "ytd_yoy_pct", "mom_pct"}
where the *_pct are percent changes (-25.0 = down a quarter; null for a zero or missing base).
Rates and death_quota_used are ratios (0.95 = 95%); death_quota_used exists for "ytd" only.
The city's unit_code in "alerts" is the city's code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from govbrief.briefs.common.submissions import SubmissionInfo, all_alerts, status_by_unit
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.metrics.catalogue import INDICATORS
from govbrief.metrics.change import change
from govbrief.metrics.result import CITY, MajorAccident, SafetyMetrics
from govbrief.metrics.windows import WINDOWS, Window

JsonNumber = int | float | None
CHANGES: dict[str, tuple[Window, Window]] = {
    "yoy_pct": ("period", "period_last_year"),
    "ytd_yoy_pct": ("ytd", "ytd_last_year"),
    "mom_pct": ("period", "period_previous"),
}


def brief_data(
    metrics: SafetyMetrics, *, settings: Settings, period: Period, submissions: Sequence[SubmissionInfo]
) -> dict[str, Any]:
    """The brief's numbers as a JSON-serialisable dict (shape in the module docstring)."""
    by_unit = _indicators_by_unit(metrics)
    statuses = status_by_unit(metrics.units, submissions)
    city_code = settings.city.code
    return {
        "kind": "ten_day",
        "period": {
            "key": period.key,
            "label_zh": period.label_zh,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "city": {"code": city_code, "name": settings.city.name, "indicators": by_unit[CITY]},
        "units": [
            {"code": u.code, "name": u.name, "status": statuses[u.code].status, "indicators": by_unit[u.code]}
            for u in metrics.units
        ],
        "sectors": _sectors(metrics),
        "major_accidents": [_major(metrics, a) for a in metrics.major_accidents],
        "alerts": [
            {
                "level": a.level,
                "indicator": a.indicator,
                "unit_code": city_code if a.unit_code == CITY else a.unit_code,
                "unit": a.unit_name,
                "text": a.text,
            }
            for a in all_alerts(metrics, submissions)
        ],
    }


def _indicators_by_unit(metrics: SafetyMetrics) -> dict[str, dict[str, dict[str, JsonNumber]]]:
    """unit_code (CITY included) → indicator id → window values and percent changes."""
    records = {window: metrics.window_records(window) for window in WINDOWS}
    out: dict[str, dict[str, dict[str, JsonNumber]]] = {}
    for code in records["ytd"]:
        out[code] = {}
        for ind in INDICATORS:
            raw = {window: records[window][code][ind.id] for window in WINDOWS}
            cell: dict[str, JsonNumber] = {w: _number(v, ind.kind == "count") for w, v in raw.items()}
            for key, (current, base) in CHANGES.items():
                cell[key] = change(raw[current], raw[base]).pct
            out[code][ind.id] = cell
    return out


def _number(value: float, whole: bool) -> JsonNumber:
    """NaN → None; counts as int."""
    if math.isnan(value):
        return None
    return int(value) if whole else float(value)


def _sectors(metrics: SafetyMetrics) -> list[dict[str, Any]]:
    """City figures per sector."""
    now, ytd, before = (metrics.sector_records(w) for w in ("period", "ytd", "ytd_last_year"))
    return [
        {
            "sector": sector,
            "period_count": now[sector]["count"],
            "period_deaths": now[sector]["deaths"],
            "ytd_count": ytd[sector]["count"],
            "ytd_deaths": ytd[sector]["deaths"],
            "ytd_count_last_year": before[sector]["count"],
            "ytd_deaths_last_year": before[sector]["deaths"],
        }
        for sector in ytd
    ]


def _major(metrics: SafetyMetrics, accident: MajorAccident) -> dict[str, Any]:
    return {
        "unit_code": accident.unit_code,
        "unit": metrics.unit_name(accident.unit_code),
        "accident_id": accident.accident_id,
        "occurred_on": accident.occurred_on.isoformat(),
        "sector": accident.sector,
        "grade": accident.grade,
        "stated_grade": accident.stated_grade,
        "deaths": accident.deaths,
        "serious_injuries": accident.serious_injuries,
        "direct_loss_wan": accident.direct_loss_wan,
        "summary": accident.summary,
        "in_period": accident.in_period,
    }
