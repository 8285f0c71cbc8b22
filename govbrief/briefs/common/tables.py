"""The 旬简报 tables: 重点行业领域, 隐患排查整治, 监管执法.

Cells are text formatted once here (govbrief.formatting); `lights` colour the
cells a reader should notice. Hazard and enforcement figures are year to date.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from govbrief.briefs.common.submissions import STATUS_ZH, SubmissionInfo, status_by_unit
from govbrief.config import Unit
from govbrief.formatting import fmt_amount, fmt_count, fmt_date_range_zh, fmt_percent
from govbrief.metrics.change import change
from govbrief.metrics.progress import printed_percents
from govbrief.metrics.ranking import rank_units, ranked_order
from govbrief.metrics.result import CITY, SafetyMetrics
from govbrief.render.context import Light, Table

SECTOR_COLUMNS = [
    ["sector", "行业领域"],
    ["period_count", "本旬起数"],
    ["period_deaths", "本旬死亡"],
    ["ytd_count", "累计起数"],
    ["ytd_deaths", "累计死亡"],
    ["ytd_count_yoy", "累计起数同比"],
]
HAZARD_COLUMNS = [
    ["rank", "排名"],
    ["unit", "县市区"],
    ["units_checked", "检查单位（家次）"],
    ["general_found", "一般隐患发现"],
    ["general_fixed", "一般隐患整改"],
    ["general_fix_rate", "一般隐患整改率"],
    ["major_found", "重大隐患发现"],
    ["major_fixed", "重大隐患整改"],
    ["overdue", "逾期未改"],
]
# Enforcement cells: (key, header, indicator id); money has two decimals, the rest are counts.
ENFORCEMENT_FIELDS = [
    ("units", "执法检查单位数（家次）", "enf_units"),
    ("cases", "立案（起）", "enf_cases"),
    ("penalties", "行政处罚（起）", "enf_penalties"),
    ("fines", "罚款（万元）", "enf_fines"),
    ("suspensions", "责令停产整顿（家）", "enf_suspensions"),
    ("closures", "取缔关闭（家）", "enf_closures"),
    ("illegal", "打非治违（起）", "enf_illegal"),
]
LIGHTS: dict[str, Light] = {"green": "green", "yellow": "yellow", "orange": "orange", "red": "red"}
NEW_NOTE = "同比“—”表示去年同期为零（新增）。"


def _ytd_span(metrics: SafetyMetrics) -> str:
    return fmt_date_range_zh(*metrics.period.year_to_date())


def sector_table(metrics: SafetyMetrics) -> Table:
    """Sector × (本旬起数, 本旬死亡, 累计起数, 累计死亡, 累计起数同比), with the 合计 row."""
    now, ytd, before = (metrics.sector_records(w) for w in ("period", "ytd", "ytd_last_year"))
    rows, lights, has_new = [], {}, False
    for position, sector in enumerate(ytd):
        yoy = change(ytd[sector]["count"], before[sector]["count"])
        has_new = has_new or yoy.trend == "new"
        rows.append(_sector_row(sector, now[sector], ytd[sector], yoy.cell_zh))
        if yoy.rose:
            lights[str(position)] = {"ytd_count_yoy": _light("yellow")}
    total_yoy = metrics.yoy("acc_count", "ytd")
    total = _sector_row("合计", _column_sums(now), _column_sums(ytd), total_yoy.cell_zh)
    note = f"累计为{_ytd_span(metrics)}。" + (NEW_NOTE if has_new or total_yoy.trend == "new" else "")
    return Table(columns=SECTOR_COLUMNS, rows=rows, total=total, lights=lights, note=note)


def _column_sums(records: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    return {key: sum(row[key] for row in records.values()) for key in ("count", "deaths")}


def _sector_row(label: str, now: Mapping[str, int], ytd: Mapping[str, int], yoy_cell: str) -> dict[str, str]:
    return {
        "sector": label,
        "period_count": fmt_count(now["count"]),
        "period_deaths": fmt_count(now["deaths"]),
        "ytd_count": fmt_count(ytd["count"]),
        "ytd_deaths": fmt_count(ytd["deaths"]),
        "ytd_count_yoy": yoy_cell,
    }


def _light(value: str | None) -> Light:
    """A grading light as a context light ("" for none)."""
    return LIGHTS.get(value or "", "")


def hazard_table(metrics: SafetyMetrics) -> Table:
    """Units × hazard figures (year to date), ranked by general fix rate, best first. Cells carry the
    lights decided with the figures (govbrief.metrics.lights); a unit without this period's return is
    not ranked and its latest 逾期未整改 is 未报送."""
    ytd = metrics.window_records("ytd")
    missing = set(metrics.missing_units("period"))
    raw = metrics.unit_values("ytd")["hz_general_fix_rate"]
    rates = printed_percents(raw.where(~raw.index.isin(missing)))  # ranked and tied as printed
    ranks = rank_units(rates, higher_is_better=True).to_dict()
    rows, lights = [], {}
    for position, code in enumerate(ranked_order(rates, higher_is_better=True)):
        rank = "—" if code in missing else ("" if math.isnan(ranks[code]) else str(int(ranks[code])))
        row = _hazard_row(metrics.unit_name(code), ytd[code], rank)
        if code in missing:
            row["overdue"] = "未报送"
        rows.append(row)
        lights[str(position)] = _hazard_lights(metrics, code)
    total = _hazard_row("全市", ytd[CITY], "")
    if missing:
        total["overdue"] = f"{fmt_count(ytd[CITY]['hz_overdue'])}（不含未报送单位）"
    note = (
        f"本年累计（{_ytd_span(metrics)}）；按一般隐患整改率由高到低排名，整改率相同的并列同一名次，"
        "未发现一般隐患的不排名；逾期未整改为各地最近一期数据。"
    )
    return Table(columns=HAZARD_COLUMNS, rows=rows, total=total, lights=lights, note=note)


def _hazard_row(label: str, values: Mapping[str, float], rank: str) -> dict[str, str]:
    return {
        "rank": rank,
        "unit": label,
        "units_checked": fmt_count(values["hz_units_checked"]),
        "general_found": fmt_count(values["hz_general_found"]),
        "general_fixed": fmt_count(values["hz_general_fixed"]),
        "general_fix_rate": fmt_percent(values["hz_general_fix_rate"]),
        "major_found": fmt_count(values["hz_major_found"]),
        "major_fixed": fmt_count(values["hz_major_fixed"]),
        "overdue": fmt_count(values["hz_overdue"]),
    }


def _hazard_lights(metrics: SafetyMetrics, code: str) -> dict[str, Light]:
    """The cells' lights as decided with the figures: fix rates by their bands, overdue hazards."""
    cells = {"general_fix_rate": "hz_general_fix_rate", "major_fixed": "hz_major_fix_rate", "overdue": "hz_overdue"}
    lights: dict[str, Light] = {}
    for key, figure in cells.items():
        light = _light(metrics.light(figure, code))
        if light and light != "green":
            lights[key] = light
    return lights


def enforcement_table(metrics: SafetyMetrics) -> Table:
    """Units × enforcement figures, year to date, in configured order, with the 全市 row."""
    ytd = metrics.window_records("ytd")
    rows = [_enforcement_row(unit.name, ytd[unit.code]) for unit in metrics.units]
    inspected = fmt_count(metrics.value("enf_units", "period"))
    cases = fmt_count(metrics.value("enf_cases", "period"))
    fines = fmt_amount(metrics.value("enf_fines", "period"))
    note = f"本年累计（{_ytd_span(metrics)}）。本旬全市执法检查{inspected}家次、立案{cases}起、罚款{fines}万元。"
    columns = [["unit", "县市区"], *([key, header] for key, header, _ in ENFORCEMENT_FIELDS)]
    total = _enforcement_row("全市", ytd[CITY])
    return Table(columns=columns, rows=rows, total=total, lights={}, note=note)


def _enforcement_row(label: str, values: Mapping[str, float]) -> dict[str, str]:
    row = {"unit": label}
    for key, _, indicator_id in ENFORCEMENT_FIELDS:
        value = values[indicator_id]
        row[key] = fmt_amount(value) if indicator_id == "enf_fines" else fmt_count(value)
    return row


SUBMISSION_COLUMNS = [["unit", "县市区"], ["status", "报送情况"], ["detail", "说明"]]
STATUS_DETAIL = {"refused": "报表未通过数据校验，已退回重报", "missing": "截至发文时未报送"}


def submission_table(units: Sequence[Unit], submissions: Sequence[SubmissionInfo]) -> Table:
    """Every unit's return of the period: 按时报送, 逾期报送, 未报送 or 退回重报 — never the validation
    detail, which goes to the clerk in the 退回重报 mail."""
    status = status_by_unit(units, submissions)
    rows = [
        {
            "unit": unit.name,
            "status": STATUS_ZH[status[unit.code].status],
            "detail": STATUS_DETAIL.get(status[unit.code].status, ""),
        }
        for unit in units
    ]
    return Table(columns=SUBMISSION_COLUMNS, rows=rows, total=None, lights={}, note="")
