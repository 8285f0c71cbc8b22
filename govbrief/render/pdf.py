"""The printed form of a brief: an A4 PDF with the Chinese fonts embedded, made with WeasyPrint.

The HTML is the email template of the brief's kind with the print stylesheet
(`<kind>.print.html.j2`, e.g. ten_day.print.html.j2, extends ten_day.html.j2),
so the PDF says exactly what the email says. WeasyPrint is
imported inside render_pdf: it takes about a second to import and the CLI must
not pay that at start-up. Charts keep their `cid:` sources; the URL fetcher
serves them as SVG (vector, sharp when printed) and refuses every other URL,
so an edited template can make the renderer read neither files nor the network.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from govbrief.render.charts import render_chart_svg
from govbrief.render.context import BriefContext
from govbrief.render.fonts import ensure_font_aliases
from govbrief.render.templates import template_environment

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

PRINT_TEMPLATE = "{kind}.print.html.j2"  # extends the email template of that kind
CHART_SCHEME = "cid:"
# Their warnings (missing glyph, fetch refused, subsetting notes) are not the
# reader's business; real failures still raise or log at ERROR.
QUIET_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")

log = logging.getLogger(__name__)


def render_pdf(context: BriefContext, *, templates_dir: Path | None = None) -> bytes:
    """The brief as an A4 PDF: GB/T 9704 margins and fonts (embedded, subset), page numbers, vector charts."""
    ensure_font_aliases()  # before WeasyPrint loads fontconfig
    import weasyprint

    _quiet_libraries()
    html = template_environment(templates_dir).get_template(PRINT_TEMPLATE.format(kind=context["kind"])).render(context)
    charts = {chart["cid"]: render_chart_svg(chart) for chart in context["charts"]}
    document = weasyprint.HTML(string=html, url_fetcher=_chart_fetcher(charts))
    _repeat_header_rows(document.etree_element)
    pdf: bytes = document.write_pdf()
    return pdf


def _quiet_libraries() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def _chart_fetcher(charts: Mapping[str, bytes]) -> URLFetcher:
    """A URL fetcher that serves `cid:NAME` from the charts and refuses anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no type hints
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            name = url.removeprefix(CHART_SCHEME)
            if url.startswith(CHART_SCHEME) and name in charts:
                return URLFetcherResponse(url, charts[name], {"Content-Type": "image/svg+xml"})
            log.warning("PDF: %s is not fetched: only the brief's own charts are / PDF 仅使用简报自带的图表", url)
            raise ValueError(f"not a chart of this brief: {url}")

    return ChartFetcher()


def _repeat_header_rows(root: Element) -> None:
    """Move each table's leading all-<th> row into a <thead>, which WeasyPrint repeats on every page.

    The shared table partials write the header as a plain first row (the email
    output must not change), and the HTML parser files it under <tbody>.
    """
    for table in root.iter("table"):
        body = table.find("tbody")
        first_row = body.find("tr") if body is not None else None
        if body is None or first_row is None or not _is_header_row(first_row):
            continue
        body.remove(first_row)
        head = Element("thead")
        head.append(first_row)
        table.insert(list(table).index(body), head)


def _is_header_row(row: Element) -> bool:
    cells = list(row)
    return bool(cells) and all(cell.tag == "th" for cell in cells)
