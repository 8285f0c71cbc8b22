"""A year of demo briefs — 36 旬简报, 12 月通报, 4 季总结 — says the same figures in every form.

The demo's returns for the year are taken in by the real flows once; then every
brief of the year is assembled from the warehouse and rendered as the email's
HTML, its text alternative, the PDF and the DOCX. Every figure, sentence and
list entry of the context must be found in each form. One module, so the Prefect
start-up and the intake are paid once.
"""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import docx
import lxml.html
import pypdf
import pytest

from flows.brief import monthly_brief
from govbrief.briefs.monthly.assemble import assemble_monthly
from govbrief.briefs.quarterly.assemble import assemble_quarterly
from govbrief.briefs.ten_day.assemble import assemble_ten_day
from govbrief.calendar.periods import Period, PeriodKind, parse_period
from govbrief.config import Settings, load_settings
from govbrief.demo import demo_periods, generate_safety_returns
from govbrief.demo.debt_returns import demo_months, generate_debt_returns
from govbrief.demo.key_task_returns import generate_key_task_returns
from govbrief.demo.year import year_of_briefs
from govbrief.render.context import BriefContext
from govbrief.render.rendered_brief import RenderedBrief, render_brief
from govbrief.warehouse import Warehouse, connect

pytestmark = [pytest.mark.prefect]

LAST_MONTH = parse_period("2026-09")  # the year up to the latest closed quarter: four 季总结
ISSUED_ON = date(2026, 11, 27)
Assemble = Callable[..., tuple[BriefContext, dict[str, Any]]]
ASSEMBLERS: dict[PeriodKind, Assemble] = {
    PeriodKind.TEN_DAY: assemble_ten_day,
    PeriodKind.MONTH: assemble_monthly,
    PeriodKind.QUARTER: assemble_quarterly,
}
YEAR = year_of_briefs(LAST_MONTH)


@pytest.fixture(scope="module")
def year_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Warehouse]]:
    """The demo's returns, January 2025 to the year's last month, taken in by the 月通报 flow."""
    state = tmp_path_factory.mktemp("year") / "state"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVBRIEF_STATE_DIR", str(state))
        patch.delenv("GOVBRIEF_DROP_DIR", raising=False)
        patch.delenv("GOVBRIEF_CONFIG", raising=False)
        settings = load_settings(None)
        generate_safety_returns(settings, demo_periods(Period.containing(PeriodKind.TEN_DAY, LAST_MONTH.end)))
        generate_debt_returns(settings, demo_months(LAST_MONTH))
        generate_key_task_returns(settings, demo_months(LAST_MONTH))
        monthly_brief(period=LAST_MONTH.key, send=False)
        with connect(settings.warehouse_url) as warehouse:
            yield settings, warehouse


def figures(context: BriefContext) -> set[str]:
    """Every figure, sentence and list entry the brief says: cells of every table, sentences,
    escalation and follow-up entries, alerts, submissions."""
    found: set[str] = set()
    collect(dict(context), found)
    return {text for text in found if re.search(r"\d", text)}


def collect(value: Any, found: set[str], key: str = "") -> None:
    if key in {"charts", "columns", "lights", "kind", "cid", "key", "issued_on_zh", "status", "level"}:
        return
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, dict):
        for child_key, child in value.items():
            collect(child, found, str(child_key))
    elif isinstance(value, list):
        for child in value:
            collect(child, found)


def squeezed(text: str) -> str:
    """Layout differs between forms (line breaks, table cells, page numbers); the words do not."""
    return re.sub(r"\s+", "", text)


def forms(rendered: RenderedBrief) -> dict[str, str]:
    attachments = {a.filename.rsplit(".", 1)[1]: a.content for a in rendered.attachments}
    document = docx.Document(io.BytesIO(attachments["docx"]))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return {
        "html": lxml.html.fromstring(rendered.html).text_content(),
        "text": rendered.text,
        "pdf": "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(attachments["pdf"])).pages),
        "docx": "\n".join([*(p.text for p in document.paragraphs), *cells]),
    }


@pytest.mark.parametrize("period", YEAR, ids=lambda period: period.key)
def test_every_form_of_the_brief_says_the_same_figures(year_state: tuple[Settings, Warehouse], period: Period) -> None:
    settings, warehouse = year_state
    context, _ = ASSEMBLERS[period.kind](settings, warehouse, period, issued_on=ISSUED_ON)
    kind = context["kind"]
    rendered = render_brief(context, html_template=f"{kind}.html.j2", text_template=f"{kind}.txt.j2")
    said = figures(context)
    assert len(said) > 20  # a brief with figures, not an empty shell
    for form, text in forms(rendered).items():
        flat = squeezed(text)
        missing = sorted(figure for figure in said if squeezed(figure) not in flat)
        assert not missing, f"{period.key} {form} lacks {missing[:5]}"
