"""The 季总结's supervision sections: 约谈 lists, last quarter's 约谈 followed up, debt risk
band changes and 通报表扬, from QuarterlyMetrics."""

from __future__ import annotations

from govbrief.briefs.monthly.ranking_table import RANKED_BY, signed
from govbrief.briefs.monthly.sections import escalation_item
from govbrief.formatting import fmt_percent, join_names, round_half_up
from govbrief.metrics.debt_result import QUOTA_TARGET, DebtMetrics
from govbrief.metrics.escalation import EscalationEntry
from govbrief.metrics.quarter_supervision import BandChange, FollowUpEntry
from govbrief.metrics.quarterly_result import QuarterlyMetrics
from govbrief.metrics.ranking import ranked_order
from govbrief.render.context import EscalationItem, FollowUp, Light, Table

BAND_ZH: dict[str, str] = {"green": "绿", "yellow": "黄", "orange": "橙", "red": "红"}
MOVE_ZH = {"up": "上升", "down": "下降", "same": "持平", "unknown": "—"}
STATUS_ZH = {"caught_up": "已追上序时进度", "improving": "差距缩小", "still_lagging": "仍滞后"}
BAND_COLUMNS = [
    ["unit", "县市区"],
    ["ratio_then", "上季末债务率"],
    ["ratio_now", "本季末债务率"],
    ["move", "风险等级变化"],
]
COMMENDED = 3  # 通报表扬 names the top three of the ranking


def interview_items(debt: DebtMetrics, entries: tuple[EscalationEntry, ...] | None) -> list[EscalationItem] | None:
    """A 约谈 list as the brief prints it (None stays None: no half-year list in Q1 and Q3)."""
    return None if entries is None else [escalation_item(debt, entry) for entry in entries]


def gap_zh(gap_pp: float | None, target: str = "") -> str:
    """-8.5个百分点 (— when unknown). The death quota reads as its own table does: use minus
    序时进度, so + is ahead of time (bad) there, while every other target's − is behind."""
    if gap_pp is None:
        return "—"
    shown = -gap_pp if target == QUOTA_TARGET else gap_pp
    return f"{signed(round_half_up(shown, 1))}个百分点"


def follow_up_rows(metrics: QuarterlyMetrics) -> list[FollowUp]:
    """Last quarter's 约谈, each with where it stands now."""
    return [_follow_up(metrics.now.debt, entry) for entry in metrics.follow_ups]


def _follow_up(debt: DebtMetrics, entry: FollowUpEntry) -> FollowUp:
    if entry.status == "escalated" and entry.level_now is not None:
        status_zh = f"仍滞后，升级为{entry.level_now.level_name_zh}"
    else:
        status_zh = STATUS_ZH[entry.status]
    return FollowUp(
        unit=debt.unit_name(entry.unit_code),
        target=debt.target_name(entry.target),
        level=entry.level_then.level_name_zh,
        status=entry.status,
        status_zh=status_zh,
        gap_then=gap_zh(entry.gap_then, entry.target),
        gap_now=gap_zh(entry.gap_now, entry.target),
    )


def band_table(metrics: QuarterlyMetrics) -> Table:
    """Units × debt ratio and band at last quarter's end and this one, bands lit."""
    rows: list[dict[str, str]] = []
    lights: dict[str, dict[str, Light]] = {}
    for position, band in enumerate(metrics.bands):
        rows.append(_band_row(metrics.now.debt.unit_name(band.unit_code), band))
        cells: dict[str, Light] = {"ratio_then": band.light_then or "", "ratio_now": band.light_now or ""}
        lights[str(position)] = {key: light for key, light in cells.items() if light}
    note = "债务率为法定债务余额占综合财力的比例，按配置的债务率区间亮灯（绿、黄、橙、红）。"
    return Table(columns=BAND_COLUMNS, rows=rows, total=None, lights=lights, note=note)


def _band_row(name: str, band: BandChange) -> dict[str, str]:
    """上升（黄→橙） / 下降（橙→黄） / 持平（黄） / — when a band is unknown."""
    if band.move in ("up", "down"):
        move = f"{MOVE_ZH[band.move]}（{_band_zh(band.light_then)}→{_band_zh(band.light_now)}）"
    else:
        move = MOVE_ZH[band.move] + (f"（{_band_zh(band.light_now)}）" if band.move == "same" else "")
    return {
        "unit": name,
        "ratio_then": fmt_percent(band.ratio_then),
        "ratio_now": fmt_percent(band.ratio_now),
        "move": move,
    }


def _band_zh(light: str | None) -> str:
    return BAND_ZH.get(light or "", "—")


def band_moves(metrics: QuarterlyMetrics, move: str) -> str:
    """西山县（黄→橙）、南岭县（橙→红）: the units whose band moved this way, "" when none."""
    moved = [b for b in metrics.bands if b.move == move]
    name = metrics.now.debt.unit_name
    return join_names([f"{name(b.unit_code)}（{_band_zh(b.light_then)}→{_band_zh(b.light_now)}）" for b in moved])


def band_sentences(metrics: QuarterlyMetrics) -> list[str]:
    """Which units' debt risk band rose or fell since last quarter's end."""
    up, down = band_moves(metrics, "up"), band_moves(metrics, "down")
    unknown = join_names([metrics.now.debt.unit_name(b.unit_code) for b in metrics.bands if b.move == "unknown"])
    if not up and not down:
        if unknown:
            return [f"本季债务风险等级无升降（缺少上季末或本季末债务率的：{unknown}）。"]
        return ["本季各县市区债务风险等级与上季末相比均无变化。"]
    parts = [f"{word}的有{names}" for word, names in (("上升", up), ("下降", down)) if names]
    return [f"本季债务风险等级{'；'.join(parts)}。"]


def commendations(metrics: QuarterlyMetrics) -> list[str]:
    """通报表扬: the top of the 化债 ranking that is on time, and those that caught up with 序时进度."""
    debt = metrics.now.debt
    lines = []
    if top := _top_units(debt):
        figures = "、".join(fmt_percent(debt.value(RANKED_BY, code)) for code in top)
        names = join_names([debt.unit_name(code) for code in top])
        lines.append(f"{names}年度化债任务完成进度位居全市前列（分别为{figures}），达到或快于序时进度，予以通报表扬。")
    lines += [
        f"{debt.unit_name(code)}{debt.target_name(target)}本季追上序时进度，予以通报表扬。"
        for code, target in metrics.caught_up
    ]
    return lines


def _top_units(debt: DebtMetrics) -> list[str]:
    """The first COMMENDED units of the 化债 ranking, of those at or ahead of 序时进度."""
    progress = debt.values[RANKED_BY].reindex([unit.code for unit in debt.units])
    gaps = {code: debt.value("resolve_gap_pp", code) for code in progress.index}
    on_time = [code for code in ranked_order(progress, True) if (gap := gaps[code]) is not None and gap >= 0]
    return on_time[:COMMENDED]
