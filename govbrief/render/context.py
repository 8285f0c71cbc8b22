"""The plain-data context a brief template receives.

This is the contract between the numbers (govbrief.metrics, govbrief.briefs)
and the renderers (govbrief.render: HTML email, text, later PDF and DOCX).
Everything is already formatted as strings, once, in Python, so every form of
a brief says the same thing. Templates only place these values; they never
compute or format. Only dicts, lists, str, int, float, bool and None appear.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Light = Literal["green", "yellow", "orange", "red", ""]


class PeriodInfo(TypedDict):
    key: str  # 2026-11-x2
    label_zh: str  # 2026年11月中旬
    range_zh: str  # 11月11日—11月20日


class MajorAccident(TypedDict):
    unit: str  # 东湖县
    occurred_on_zh: str  # 11月12日
    sector: str
    grade: str  # 较大
    deaths: str
    serious_injuries: str
    direct_loss_wan: str  # "120.00"
    summary: str  # free text from the return: ALWAYS escaped by the template engine


class Overview(TypedDict):
    sentences: list[str]  # generated from the numbers, e.g. "全市共发生生产安全事故3起、死亡2人，…"
    major_accidents: list[MajorAccident]


class Table(TypedDict):
    """A table: `columns` are (key, Chinese header) pairs; each row maps key → cell text.
    `lights` optionally maps a row index (as str) → key → light for coloured cells."""

    columns: list[list[str]]  # [["unit", "县市区"], ["general_fix_rate", "整改率"], …]
    rows: list[dict[str, str]]
    total: dict[str, str] | None  # the 全市 / 合计 row, same keys
    lights: dict[str, dict[str, Light]]
    note: str  # a line under the table, may be ""


class Alert(TypedDict):
    level: Literal["red", "orange", "yellow"]
    indicator: str  # acc_major_plus, hz_general_fix_rate, …
    unit: str  # unit name, or 全市
    text: str  # one Chinese sentence for 存在问题


class Submission(TypedDict):
    unit: str
    status: Literal["on_time", "late", "missing", "refused"]
    status_zh: str  # 按时报送 / 逾期报送 / 未报送 / 退回重报
    detail: str  # e.g. the first problems of a refused return


class ChartSeries(TypedDict):
    name: str
    values: list[float]


class ChartSpec(TypedDict):
    """One chart: `series` drawn as `kind` (grouped bars or lines); `lines`, if given, drawn as lines
    over them, e.g. the 序时进度 over the counties' 化债进度 bars."""

    cid: str  # Content-ID of the inline image, short: "chart1"
    title: str
    kind: Literal["bar", "line"]
    categories: list[str]
    series: list[ChartSeries]
    lines: NotRequired[list[ChartSeries]]  # overlaid lines, one value per category
    y_label: str
    alt: str  # text alternative for the image: names what the lines show too


class EscalationItem(TypedDict):
    """One line of the 督办 list: who, on what, which rung (and by whom), and the streak behind it."""

    unit: str  # 东湖县
    target: str  # 年度化债任务 / 死亡控制指标 / a key task's name
    level: str  # 书面说明 / 分管市领导约谈 / 常务副市长约谈
    action: str  # 向市政府作出书面说明 / 由分管市领导约谈主要负责同志
    streak_zh: str  # 连续8个月滞后


class MonthlySections(TypedDict):
    """What the 月通报 adds to the 旬简报's sections (docs/domain.md §5.3), already formatted."""

    ranking_table: Table  # 县市区排名: rank, 进位/退位 and a light per indicator group
    quota_sentences: list[str]  # 死亡控制指标使用 vs 序时进度
    quota_table: Table
    debt_sentences: list[str]  # balances, limit usage, 化债进度 vs 序时进度, payments, ratio band
    debt_table: Table
    channel_table: Table  # 化债渠道（“六个一批”）
    key_task_table: Table  # 重点工作完成 vs 序时进度
    escalations: list[EscalationItem]  # 督办: most severe first
    recoveries: list[str]  # e.g. "临江市年度化债任务已追上序时进度（此前连续2个月滞后）。"


class FollowUp(TypedDict):
    """What became of one of last quarter's 约谈: the unit, on what, and where it stands now."""

    unit: str  # 东湖县
    target: str  # 年度化债任务
    level: str  # last quarter's rung: 分管市领导约谈 / 常务副市长约谈
    status: Literal["caught_up", "improving", "still_lagging", "escalated"]
    status_zh: str  # 已追上序时进度 / 差距缩小 / 仍滞后 / 仍滞后，升级为常务副市长约谈
    gap_then: str  # "-8.5个百分点" (behind 序时进度 at last quarter's end)
    gap_now: str


class QuarterlySections(TypedDict):
    """What the 季总结 adds to the 月通报's sections (docs/domain.md §5.4), already formatted."""

    trend_sentences: list[str]  # 环比 and 同比 of accidents, deaths, 化债 over the quarter
    trend_table: Table  # indicator × (本季, 上季, 环比, 上年同季, 同比, 本年累计)
    interviews: list[EscalationItem]  # 本季约谈: units at 分管 or 常务 rung in the quarter
    half_year_interviews: list[EscalationItem] | None  # Q2/Q4: the half-year 常务副市长约谈 list; None in Q1/Q3
    half_year_label: str | None  # Q2/Q4: 2026年上半年 / 2026年下半年; None in Q1/Q3
    follow_ups: list[FollowUp]  # last quarter's 约谈 and where each stands now
    band_changes: Table  # 债务风险等级变化: unit × (上季末, 本季末, 变化), lights on the bands
    band_sentences: list[str]  # "本季债务风险等级上升的有西山县（黄→橙）…"
    commendations: list[str]  # 通报表扬: top counties and those that caught up, one sentence each
    achievements: list[str]  # 成效
    problems: list[str]  # 问题
    measures: list[str]  # 措施


class BriefContext(TypedDict):
    kind: Literal["ten_day", "monthly", "quarterly"]
    kind_zh: str  # 旬简报
    title: str  # 安全生产和政府债务化解旬简报
    issue_label: str  # 第32期
    period: PeriodInfo
    city: str  # 示范市
    office: str
    issued_on_zh: str  # 2026年11月25日
    correction: str | None  # 更正 note, None for a first version
    overview: Overview  # 一、总体情况
    sector_table: Table  # 二、重点行业领域
    hazard_table: Table  # 三、隐患排查整治
    enforcement_table: Table  # 四、监管执法
    debt_alerts: list[str]  # 五、债务风险提示 (only red flags); empty → "本期无债务风险红色提示"
    debt_note: str  # e.g. "债务数据按月报送，本旬无新增红色提示。"
    submissions: list[Submission]  # 六、报送情况
    submission_summary: str  # "9个县市区中，8个按时报送，1个退回重报（西山县）。"
    alerts: list[Alert]  # 七、存在问题 (from the alerts, most severe first)
    next_steps: list[str]  # 下步工作
    # In order: chart1 (总体情况); chart2 (化债进度, 月通报 and 季总结); chart3… (季总结: 季度趋势).
    charts: list[ChartSpec]
    monthly: MonthlySections | None  # 月通报 and 季总结 (over the quarter); None in a 旬简报
    quarterly: QuarterlySections | None  # 季总结 only
