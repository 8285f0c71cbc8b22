"""The plain-data brief a template receives, laid out as a 公文 (GB/T 9704-2012): the contract
between the writing (govbrief.briefs) and the renderers (HTML mail, text, PDF, DOCX).

A brief is running text: a 版头 (the brief's name, 第N期, the issuing office and the issue
date), a title, a few opening paragraphs, numbered sections (一、二、三、 in 黑体) of paragraphs
whose lead-in may be a （一）-level heading (楷体) or a 1.-level one (bold), the one or two tables
a reader needs in the body, the 附件说明 and the 落款, then the 附件 pages (the full tables),
then the 版记 (报/送/发, 印发机关 and 印发日期). Everything is already formatted as strings,
once, in Python, so every form of a brief says the same thing; templates place values, never
compute or format. Only dicts, lists, str, int, float, bool and None appear.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Light = Literal["green", "yellow", "orange", "red", ""]
LeadStyle = Literal["", "kai", "bold"]  # （一）-level lead-ins in 楷体, 1.-level ones in bold 仿宋


class PeriodInfo(TypedDict):
    key: str  # 2026-11-x2
    label_zh: str  # 2026年11月中旬
    range_zh: str  # 11月11日—11月20日


class Table(TypedDict):
    """A table: `columns` are (key, Chinese header) pairs; each row maps key → cell text.
    `lights` optionally maps a row index (as str) → key → light for coloured cells (annex
    tables only: the light was decided with the figure, in govbrief.metrics)."""

    columns: list[list[str]]  # [["unit", "县市区"], ["general_fix_rate", "整改率"], …]
    rows: list[dict[str, str]]
    total: dict[str, str] | None  # the 全市 / 合计 row, same keys
    lights: dict[str, dict[str, Light]]
    note: str  # a line under the table (注：…), may be ""


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


class Paragraph(TypedDict):
    """One paragraph of running text (first line indented two characters)."""

    lead: str  # "（一）安全生产。" or "1. " or ""
    lead_style: LeadStyle
    text: str


class Section(TypedDict):
    """一、总体情况 and what follows it: paragraphs, then at most a body table and a chart."""

    heading: str  # 一、总体情况
    paragraphs: list[Paragraph]
    table_title: str  # "" when there is no body table
    table: Table | None
    chart: str | None  # the cid of a chart placed after the paragraphs


class Annex(TypedDict):
    """One 附件 page after the 落款: a full table with its own title."""

    label: str  # 附件1
    title: str  # 各县市区隐患排查整治情况表
    subtitle: str  # （2026年1月1日—11月30日）, may be ""
    table: Table
    notes: list[str]  # 注：1. … 2. …


class Distribution(TypedDict):
    """The 版记 on the last page, between two rules."""

    report_to: str  # 报：市委、市政府主要领导，市政府各位副市长。
    copy_to: str  # 送：市安委会各成员单位。 ("" when none)
    issue_to: str  # 发：各县市区人民政府。
    issuer: str  # 示范市人民政府督查室
    printed_on_zh: str  # 2026年12月3日印发


class BriefContext(TypedDict):
    kind: Literal["ten_day", "monthly", "quarterly"]
    kind_zh: str  # 旬简报
    title: str  # the brief's name in the 版头: 示范市安全生产和政府债务化解旬简报
    issue_label: str  # 第33期
    period: PeriodInfo
    city: str  # 示范市
    office: str  # the issuing office: 示范市人民政府督查室
    issued_on_zh: str  # the issue date (the scheduled delivery day; a 更正 carries its own): 2026年12月3日
    correction: str | None  # 更正 note, None for a first version
    completeness: str | None  # said at the top when most returns are missing, else None
    doc_title: str  # 11月下旬全市安全生产和政府债务化解情况
    opening: list[Paragraph]  # before 一、 (the 月通报's 按照…现将…通报如下。), may be []
    sections: list[Section]
    annex_list: list[str]  # 附件说明, in order: 各县市区隐患排查整治情况表 …
    contact: str  # 联系人：…　联系电话：…
    annexes: list[Annex]
    distribution: Distribution
    # In order of first appearance; each placed by a Section's `chart`.
    charts: list[ChartSpec]
