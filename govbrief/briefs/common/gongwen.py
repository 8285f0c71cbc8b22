"""The parts of a 公文 every brief shares, as plain data (govbrief.render.document): numbered
headings, paragraphs with their lead-ins, 附件 pages, the 版记, the 联系人 line, and the way a
writer names several units at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from govbrief.config import Settings
from govbrief.formatting import fmt_full_date_zh
from govbrief.render.document import Annex, Distribution, LeadStyle, Paragraph, Section, Table


@dataclass(frozen=True)
class Finding:
    """One 主要问题 theme: its title, its sentences, and the units it names (for 下步工作)."""

    title: str
    text: str
    units: tuple[str, ...] = ()
    theme: str = ""  # quota, sector, hazard, reporting, progress, red_line: what 下步工作 answers


NUMERALS = "一二三四五六七八九十"
UNIT_SUFFIXES = ("县", "区", "市")


def numeral(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 (a brief never needs more)."""
    if n <= 10:
        return NUMERALS[n - 1]
    return "十" + NUMERALS[n - 11]


def heading(n: int, title: str) -> str:
    """一、总体情况."""
    return f"{numeral(n)}、{title}"


def paragraph(text: str, lead: str = "", style: LeadStyle = "") -> Paragraph:
    """A paragraph of running text; a lead-in is set 楷体 unless `style` says bold."""
    return Paragraph(lead=lead, lead_style=style or ("kai" if lead else ""), text=text)


def numbered(items: Sequence[tuple[str, str]]) -> list[Paragraph]:
    """（一）title。text paragraphs, numbered in order: each item is (title, text)."""
    return [paragraph(text, f"（{numeral(n)}）{title}。") for n, (title, text) in enumerate(items, start=1)]


def section(
    n: int,
    title: str,
    paragraphs: Sequence[Paragraph],
    *,
    table: Table | None = None,
    table_title: str = "",
    chart: str | None = None,
) -> Section:
    """一、title and what follows it."""
    return Section(
        heading=heading(n, title), paragraphs=list(paragraphs), table_title=table_title, table=table, chart=chart
    )


def annexes(items: Sequence[tuple[str, str, Table, Sequence[str]]]) -> tuple[list[str], list[Annex]]:
    """(附件说明 titles, 附件 pages) from (title, subtitle, table, notes), numbered 附件1, 附件2 …"""
    pages = [
        Annex(label=f"附件{n}", title=title, subtitle=subtitle, table=table, notes=list(notes))
        for n, (title, subtitle, table, notes) in enumerate(items, start=1)
    ]
    return [page["title"] for page in pages], pages


def distribution(settings: Settings, issued_on: date) -> Distribution:
    """The 版记: 报/送/发 from the configuration, the issuer and the date it is printed (issued)."""
    document = settings.document
    return Distribution(
        report_to=_line("报", document.report_to),
        copy_to=_line("送", document.copy_to),
        issue_to=_line("发", document.issue_to),
        issuer=settings.issuer,
        printed_on_zh=f"{fmt_full_date_zh(issued_on)}印发",
    )


def _line(head: str, text: str) -> str:
    """报：…。 — the last item of a 版记 line ends with 。 ("" stays "")."""
    if not text:
        return ""
    return f"{head}：{text.rstrip('。')}。"


def contact_line(settings: Settings) -> str:
    """联系人：李明　联系电话：0739-8123456 ("" when none is configured)."""
    contact = settings.document.contact
    if not contact.name:
        return ""
    phone = f"　联系电话：{contact.phone}" if contact.phone else ""
    return f"联系人：{contact.name}{phone}"


def short_name(name: str) -> str:
    """东湖县 → 东湖: how a list of units is written (东湖、清溪2县)."""
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def units_zh(names: Sequence[str]) -> str:
    """One unit by its name (东湖县); several as the office writes them: 东湖、清溪2县 (all counties),
    东湖、城关、高新3个县市区 (mixed)."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    shortened = "、".join(short_name(name) for name in names)
    suffixes = {name[-1] for name in names}
    if len(suffixes) == 1 and next(iter(suffixes)) in UNIT_SUFFIXES:
        return f"{shortened}{len(names)}{next(iter(suffixes))}"
    return f"{shortened}{len(names)}个县市区"


def listed(names: Sequence[str]) -> str:
    """东湖县、清溪县和城关区 (full names, for a sentence that names each)."""
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]
