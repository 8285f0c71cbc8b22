"""The work-safety part of a brief, written as a 督查室 writes it: numbers in sentences, each figure
said once, problems grouped by theme with every unit named once, how serious something is said
in words (超出, 已达到, 超序时进度), never in colour tags.

Every sentence is built from SafetyMetrics; a figure that is incomplete (a return is missing)
is not judged, and the units whose returns are missing are named instead (未报送, 待重报后补入).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from govbrief.briefs.common.gongwen import Finding, listed, short_name, units_zh
from govbrief.calendar.periods import XUN_ZH, Period, PeriodKind, ten_days_between
from govbrief.config import Season
from govbrief.formatting import fmt_amount, fmt_count, fmt_date_zh, fmt_pct, fmt_percent, printed_percent, round_half_up
from govbrief.metrics.change import Change, change
from govbrief.metrics.result import CITY, MajorAccident, SafetyMetrics
from govbrief.metrics.windows import YOY_BASE, Window

SHARE_WORDS = ((0.9, "九成以上"), (0.8, "八成以上"), (0.7, "七成以上"), (0.6, "六成以上"), (0.5, "一半以上"))
SCENIC_BAND = "scenic_peak_load"
SMALL_BASE = 5  # below this many last year, a change in deaths is said in people, not in percent
GRADE_ORDER = ["较大", "重大", "特别重大"]


@dataclass(frozen=True)
class Missing:
    """Who has no accepted return for the period, and why (refused, or never sent)."""

    refused: tuple[str, ...] = ()  # unit names
    absent: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()  # a month or quarter with some of its 旬 returns in, not all

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.refused, *self.absent, *self.partial)

    def note(self, what: str = "本期数据") -> str:
        """（西山县本期数据待重报后补入，北坪县未报送）, "" when nobody is missing."""
        parts = []
        if self.refused:
            parts.append(f"{units_zh(self.refused)}{what}待重报后补入")
        if self.absent:
            parts.append(f"{units_zh(self.absent)}未报送")
        if self.partial:
            parts.append(f"{units_zh(self.partial)}旬报表未报齐")
        return f"（{'，'.join(parts)}）" if parts else ""


def period_missing(metrics: SafetyMetrics) -> Missing:
    """Over a month or a quarter: the units with none of the period's 旬 returns, and those with some."""
    period = metrics.period
    whole = len(ten_days_between(*(Period.containing(PeriodKind.TEN_DAY, d) for d in (period.start, period.end))))
    absent = tuple(metrics.unit_name(c) for c in metrics.missing_units("period") if metrics.missing(c) >= whole)
    partial = tuple(metrics.unit_name(c) for c in metrics.missing_units("period") if metrics.missing(c) < whole)
    return Missing(absent=absent, partial=partial)


def period_name(period: Period) -> str:
    """11月中旬 / 10月 / 第三季度: the period without its year, as a sentence opens."""
    if period.kind is PeriodKind.TEN_DAY:
        return f"{period.end.month}月{XUN_ZH[(period.index - 1) % 3]}"
    if period.kind is PeriodKind.MONTH:
        return f"{period.index}月"
    return period.label_zh.removeprefix(f"{period.year}年")


def scope_word(period: Period) -> str:
    """本旬 / 本月 / 本季."""
    return {PeriodKind.TEN_DAY: "本旬", PeriodKind.MONTH: "本月"}.get(period.kind, "本季")


# ----- 总体情况 ----------------------------------------------------------------------------------


def paired(count: Change, deaths: Change, basis: str = "同比") -> str:
    """同比分别下降25.0%和33.3% / 同比均持平 / 起数同比上升50.0%，死亡人数同比持平."""
    if count.trend == deaths.trend == "flat":
        return f"{basis}均持平"
    if count.trend == deaths.trend and count.trend in ("up", "down"):
        verb = "上升" if count.trend == "up" else "下降"
        return f"{basis}分别{verb}{fmt_pct(abs(count.pct or 0))}和{fmt_pct(abs(deaths.pct or 0))}"
    return f"起数{basis}{count.label_zh}，死亡人数{basis}{deaths.label_zh}"


def counts(metrics: SafetyMetrics, window: Window, *, verb: str = "发生", noun: str = "生产安全事故") -> str:
    """全市发生生产安全事故4起、死亡2人，同比分别下降… — or no accident at all, said as such. A death
    toll against a small one last year is compared in people (比去年同期（1人）增加4人)."""
    count = metrics.value("acc_count", window) or 0.0
    deaths = metrics.value("acc_deaths", window) or 0.0
    base_window = YOY_BASE[window]
    before_count = metrics.value("acc_count", base_window) or 0.0
    before_deaths = metrics.value("acc_deaths", base_window) or 0.0
    if count == 0:
        if not before_count:
            return f"全市未发生{noun}，与去年同期持平"
        return f"全市未发生{noun}（去年同期{fmt_count(before_count)}起、死亡{fmt_count(before_deaths)}人）"
    head = f"全市{verb}{noun}{fmt_count(count)}起"
    count_change = metrics.yoy("acc_count", window)
    if deaths == 0:
        then = f"去年同期{fmt_count(before_deaths)}人" if before_deaths else "去年同期亦无死亡"
        return f"{head}，同比{count_change.label_zh}，未造成人员死亡（{then}）"
    if before_deaths < SMALL_BASE and deaths != before_deaths:
        more = "增加" if deaths > before_deaths else "减少"
        people = f"死亡人数比去年同期（{fmt_count(before_deaths)}人）{more}{fmt_count(abs(deaths - before_deaths))}人"
        return f"{head}、死亡{fmt_count(deaths)}人，起数同比{count_change.label_zh}，{people}"
    return f"{head}、死亡{fmt_count(deaths)}人，{paired(count_change, metrics.yoy('acc_deaths', window))}"


def overview(metrics: SafetyMetrics, missing: Missing) -> str:
    """The accidents of the period, of the month so far (in a 旬简报), of the year, and the death quota."""
    period = metrics.period
    opening = f"{period_name(period)}（{period.range_zh}），{counts(metrics, 'period')}"
    sentences = [f"{opening}{majors_in_period(metrics)}{missing.note()}。"]
    first, _ = period.month_to_date()
    if period.kind is PeriodKind.TEN_DAY and first != period.start:
        sentences.append(f"{period.end.month}月份，{counts(metrics, 'month', verb='共发生', noun='事故')}。")
    sentences.append(f"今年以来，{counts(metrics, 'ytd', verb='累计发生', noun='事故')}{quota_clause(metrics)}。")
    return "".join(sentences)


def month_overview(metrics: SafetyMetrics, missing: Missing) -> str:
    """A month (or a quarter) in one paragraph: its accidents against last year and the period
    before, the sector with most, its 较大 accidents as cases, the year so far and the death quota,
    the hazards fixed and the enforcement."""
    period = metrics.period
    head = f"{period_name(period)}，{counts(metrics, 'period')}"
    count = metrics.value("acc_count", "period") or 0.0
    if count and metrics.complete(CITY, "period_previous"):
        head += "，" + paired(metrics.mom("acc_count"), metrics.mom("acc_deaths"), "环比")
    sentences = [f"{head}{_leading_sector(metrics)}{missing.note()}。"]
    if case := typical_cases(metrics):
        sentences.append(case)
    no_grave = "" if any(a.grade != GRADE_ORDER[0] for a in metrics.major_accidents) else "，未发生重大及以上事故"
    ytd = counts(metrics, "ytd", verb="累计发生", noun="事故")
    sentences.append(f"今年以来，{ytd}{no_grave}{quota_clause(metrics, with_progress=False)}。")
    sentences.append(_work_done(metrics))
    return "".join(sentences)


def _leading_sector(metrics: SafetyMetrics) -> str:
    """，其中道路交通事故12起、死亡6人 — the sector with most accidents in the period (a sole leader)."""
    now = {s: r for s, r in metrics.sector_records("period").items() if r["count"]}
    if len(now) < 2:
        return ""
    top = max(now, key=lambda s: (now[s]["count"], now[s]["deaths"]))
    if sum(1 for r in now.values() if r["count"] == now[top]["count"]) > 1:
        return ""
    deaths = f"、死亡{fmt_count(now[top]['deaths'])}人" if now[top]["deaths"] else ""
    return f"，其中{top}事故{fmt_count(now[top]['count'])}起{deaths}"


def _work_done(metrics: SafetyMetrics) -> str:
    """全市累计一般隐患整改率99.4%；10月执法检查1398家次、立案93起、罚款135.02万元。"""
    parts = []
    rate = metrics.value("hz_general_fix_rate", "ytd")
    if rate is not None and metrics.complete(CITY, "ytd"):
        parts.append(f"全市累计一般隐患整改率{fmt_percent(rate)}")
    inspected = metrics.value("enf_units", "period")
    if inspected and metrics.complete(CITY, "period"):
        parts.append(
            f"{period_name(metrics.period)}执法检查{fmt_count(inspected)}家次、"
            f"立案{fmt_count(metrics.value('enf_cases', 'period'))}起、"
            f"罚款{fmt_amount(metrics.value('enf_fines', 'period'))}万元"
        )
    return "；".join(parts) + "。" if parts else ""


def majors_in_period(metrics: SafetyMetrics) -> str:
    """，未发生较大及以上事故 / ，其中较大事故1起 ("" when no accident at all)."""
    if not metrics.value("acc_count", "period"):
        return ""
    majors = [a for a in metrics.major_accidents if a.in_period]
    if not majors:
        return "，未发生较大及以上事故"
    return f"，其中{_grades(majors)}事故{len(majors)}起"


def _grades(accidents: Sequence[MajorAccident]) -> str:
    return "、".join(sorted({a.grade for a in accidents}, key=GRADE_ORDER.index))


def quota_clause(metrics: SafetyMetrics, *, with_progress: bool = True) -> str:
    """；死亡控制指标使用率72.3%，低于序时进度（91.5%）19.2个百分点 ("" without a complete city figure);
    without the （91.5%） where the brief has said the 序时进度 already."""
    used, quota = metrics.value("death_quota_used", "ytd"), metrics.quotas.get(CITY)
    if used is None or quota is None or not metrics.complete(CITY, "ytd"):
        return ""
    progress = metrics.time_progress
    gap = printed_percent(used) - printed_percent(progress)
    shown = f"（{fmt_percent(progress)}）" if with_progress else ""
    if gap == 0:
        relation = f"与序时进度{shown}持平"
    else:
        side = "超序时进度" if gap > 0 else "低于序时进度"
        relation = f"{side}{shown}{round_half_up(abs(gap), 1)}个百分点"
    return f"；死亡控制指标使用率{fmt_percent(used)}，{relation}"


def typical_cases(metrics: SafetyMetrics) -> str | None:
    """The month's 较大及以上 accidents told as typical cases: how many and where they stand in the
    year, then each as the return tells it (time, place, what happened, toll and loss). No cause the
    data does not hold is added."""
    first, _ = metrics.period.month_to_date()
    cases = [a for a in metrics.major_accidents if a.occurred_on >= first]
    if not cases:
        return None
    in_period = all(a.in_period for a in cases) and metrics.period.kind is PeriodKind.TEN_DAY
    scope = "本旬" if in_period else "本月"
    in_year = len(metrics.major_accidents)
    standing = "为今年以来唯一一起" if in_year == len(cases) == 1 else f"今年以来累计{in_year}起"
    stories = "".join(f"{story(metrics, a)}。" for a in cases)
    return f"{scope}发生{_grades(cases)}事故{len(cases)}起，{standing}。{stories}"


def story(metrics: SafetyMetrics, accident: MajorAccident) -> str:
    """The return's own account, with the unit named where it is not (11月12日16时许，东湖县S203线…)."""
    unit = metrics.unit_name(accident.unit_code)
    told = accident.summary.strip().rstrip("。")
    if not told:
        hurt = [f"{accident.deaths}人死亡"] if accident.deaths else []
        hurt += [f"{accident.serious_injuries}人重伤"] if accident.serious_injuries else []
        toll = f"造成{'、'.join(hurt)}，" if hurt else ""
        return (
            f"{fmt_date_zh(accident.occurred_on)}，{unit}发生一起{accident.sector}事故，{toll}"
            f"直接经济损失{fmt_amount(accident.direct_loss_wan)}万元"
        )
    if unit in told or short_name(unit) in told:
        return told
    when, comma, rest = told.partition("，")
    if comma and any(mark in when for mark in ("月", "日", "时")):
        return f"{when}，{unit}{rest}"
    return f"{unit}{told}"


# ----- 主要问题 ----------------------------------------------------------------------------------


def quota_finding(metrics: SafetyMetrics) -> Finding | None:
    """Death quotas: each unit over, at, or ahead of its pace (running ahead of 序时进度 is what is
    bad), named once with its figures and what rose."""
    flagged = [u for u in metrics.units if metrics.light("death_quota_used", u.code) in ("yellow", "orange", "red")]
    if not flagged:
        return None
    flagged.sort(
        key=lambda u: (-_over_quota(metrics, u.code), -(metrics.value("death_quota_used", "ytd", u.code) or 0))
    )
    over = any(metrics.light("death_quota_used", u.code) == "red" for u in flagged)
    title = "部分地区事故死亡超出全年控制指标" if over else "部分地区死亡控制指标超序时进度"
    text = "；".join(_quota_words(metrics, u.code) for u in flagged) + "。"
    if busiest := _most_accidents(metrics, {u.code for u in flagged}):
        text += busiest
    return Finding(title, text, tuple(u.name for u in flagged), theme="quota")


def _used(metrics: SafetyMetrics, code: str) -> float:
    return metrics.value("death_quota_used", "ytd", code) or 0.0


def _over_quota(metrics: SafetyMetrics, code: str) -> float:
    return (metrics.value("acc_deaths", "ytd", code) or 0.0) - (metrics.quotas.get(code) or 0.0)


def _most_accidents(metrics: SafetyMetrics, named: set[str]) -> str:
    """临江市累计事故32起，居全市首位，同比上升14.3%。 — when the unit with most accidents is not named
    already and its accidents rose (a sole leader only)."""
    if not metrics.complete(CITY, "ytd"):
        return ""
    totals = metrics.unit_values("ytd")["acc_count"].dropna()
    if totals.empty or (totals == totals.max()).sum() > 1:
        return ""
    code = str(totals.idxmax())
    rose = metrics.yoy("acc_count", "ytd", code)
    if code in named or not rose.rose:
        return ""
    name = metrics.unit_name(code)
    return f"{name}累计事故{fmt_count(totals.max())}起，居全市首位，同比{rose.label_zh}。"


def _quota_words(metrics: SafetyMetrics, code: str) -> str:
    quota = metrics.quotas.get(code) or 0.0
    deaths = metrics.value("acc_deaths", "ytd", code) or 0.0
    head = f"{metrics.unit_name(code)}累计死亡{fmt_count(deaths)}人"
    if deaths > quota:
        head += f"，超出全年控制指标（{fmt_count(quota)}人）{fmt_count(deaths - quota)}人"
    elif deaths == quota:
        head += "，已达到全年控制指标"
    else:
        used = metrics.value("death_quota_used", "ytd", code) or 0.0
        ahead = round_half_up(printed_percent(used) - printed_percent(metrics.time_progress), 1)
        head += f"，死亡控制指标使用率{fmt_percent(used)}，超序时进度{ahead}个百分点"
    return head + _rises(metrics, code)


def _rises(metrics: SafetyMetrics, code: str) -> str:
    """，事故起数、死亡人数同比分别上升28.6%和225.0% (only what rose)."""
    if not metrics.complete(code, "ytd_last_year"):
        return ""
    count, deaths = metrics.yoy("acc_count", "ytd", code), metrics.yoy("acc_deaths", "ytd", code)
    if count.trend == deaths.trend == "up":
        return f"，事故起数、死亡人数同比分别上升{fmt_pct(count.pct)}和{fmt_pct(deaths.pct)}"
    if count.rose:
        return f"，事故起数同比{count.label_zh}"
    if deaths.rose:
        return f"，死亡人数同比{deaths.label_zh}"
    return ""


def sector_finding(metrics: SafetyMetrics, seasons: Sequence[Season], day: date) -> Finding | None:
    """Key sectors: the sector with most deaths this year and its share, the sectors whose accidents
    rose on last year, and the season's risks to them."""
    ytd, before = metrics.sector_records("ytd"), metrics.sector_records("ytd_last_year")
    total_deaths = sum(row["deaths"] for row in ytd.values())
    lead = max(ytd, key=lambda s: ytd[s]["deaths"]) if ytd else ""
    sentences = []
    if lead and ytd[lead]["deaths"]:
        share = ytd[lead]["deaths"] / total_deaths
        words = next((w for bound, w in SHARE_WORDS if share >= bound), f"的{fmt_percent(share)}")
        deaths_change = change(ytd[lead]["deaths"], before.get(lead, {}).get("deaths"))
        sentences.append(
            f"{lead}累计死亡{fmt_count(ytd[lead]['deaths'])}人，同比{deaths_change.label_zh}，占全市死亡人数{words}"
        )
    risen = risen_sectors(ytd, before, exclude=lead)
    if risen:
        pcts = [fmt_pct(pct) for _, pct in risen]
        sentences.append(
            f"{listed([s for s, _ in risen])}事故起数同比{'分别' if len(risen) > 1 else ''}上升{listed(pcts)}"
        )
    if not sentences:
        return None
    touched = {lead, *(s for s, _ in risen)}
    active = [season.name for season in seasons if season.covers(day) and set(season.sectors) & touched]
    tail = f"当前正值{listed(active)}，防控压力加大。" if active else ""
    title = f"{listed([lead, risen[0][0]])}风险突出" if risen and lead else f"{lead or risen[0][0]}事故多发"
    return Finding(title, "；".join(sentences) + "。" + tail, theme="sector")


def risen_sectors(
    ytd: Mapping[str, Mapping[str, int]], before: Mapping[str, Mapping[str, int]], exclude: str
) -> list[tuple[str, float]]:
    """Sectors (but `exclude`) whose accidents this year rose on last year, most first: (sector, percent)."""
    found = []
    for sector, row in ytd.items():
        moved = change(row["count"], before.get(sector, {}).get("count"))
        if sector != exclude and moved.trend == "up" and moved.pct is not None:
            found.append((sector, moved.pct))
    return sorted(found, key=lambda item: -item[1])


def hazard_finding(metrics: SafetyMetrics) -> Finding | None:
    """Hazards: the overdue ones by unit, the major ones still open this year, the units below their
    fix-rate band."""
    overdue = {
        u.name: metrics.value("hz_overdue", "ytd", u.code) or 0.0
        for u in metrics.units
        if metrics.light("hz_overdue", u.code) == "yellow"
    }
    weak = [u.name for u in metrics.units if metrics.light("hz_general_fix_rate", u.code) in ("yellow", "red")]
    sentences = []
    if overdue:
        sentences.append(f"全市逾期未整改隐患{fmt_count(sum(overdue.values()))}项，其中{_by_count(overdue, '项')}")
    found, fixed = metrics.value("hz_major_found", "ytd"), metrics.value("hz_major_fixed", "ytd")
    if found and fixed is not None and fixed < found and metrics.complete(CITY, "ytd"):
        still = fmt_count(found - fixed)
        sentences.append(f"今年以来发现重大隐患{fmt_count(found)}项、整改{fmt_count(fixed)}项，尚有{still}项未整改")
    band = metrics.bands.get("hz_general_fix_rate")
    if weak and band is not None and band.yellow is not None:
        sentences.append(f"{units_zh(weak)}一般隐患整改率低于{fmt_percent(band.yellow)}")
    scenic = [a for a in metrics.alerts if a.indicator == SCENIC_BAND]
    sentences += [a.text.rstrip("。") for a in scenic]
    if not sentences:
        return None
    title = "隐患整改和景区管控存在短板" if scenic and len(sentences) > len(scenic) else "隐患整改不到位"
    if scenic and len(sentences) == len(scenic):
        title = "景区客流管控压力较大"
    units = [*overdue, *weak, *(a.unit_name for a in scenic)]
    return Finding(title, "；".join(sentences) + "。", tuple(dict.fromkeys(units)), theme="hazard")


def deaths_over_quota(metrics: SafetyMetrics) -> list[str]:
    """The names of the units whose quota light is red (over or at their quota)."""
    return [u.name for u in metrics.units if metrics.light("death_quota_used", u.code) == "red"]


def _by_count(counts_by_unit: Mapping[str, float], measure: str) -> str:
    """西山县、安平县各2项，南岭县1项 — units grouped by their count, most first."""
    groups: dict[float, list[str]] = {}
    for name, n in counts_by_unit.items():
        groups.setdefault(n, []).append(name)
    parts = []
    for n in sorted(groups, reverse=True):
        names = groups[n]
        each = "各" if len(names) > 1 else ""
        parts.append(f"{'、'.join(names)}{each}{fmt_count(n)}{measure}")
    return "，".join(parts)
