"""Render a brief context as a Word document (GB/T 9704 layout) with docxtpl.

The layout lives in the Word template of the brief's kind (reports_templates/ten_day.docx,
monthly.docx, quarterly.docx, built by scripts/build_docx_template.py); this module only fills it. The template is
rendered by the same hardened Jinja2 environment as the HTML, with autoescape on:
free text from returns (简要情况) goes in as text, never as document XML, and a
template that uses `|safe` or `{% autoescape %}` is refused. The context stays
plain data: the template places a chart's cid on a paragraph of its own, and that
paragraph is swapped for the chart image afterwards. docxtpl and python-docx are
imported inside the functions so the CLI starts fast.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.environment import Template

from govbrief.render.charts import render_chart_png
from govbrief.render.context import BriefContext, ChartSpec
from govbrief.render.sandbox import HardenedEnvironment, refuse_unescaping
from govbrief.render.templates import DEFAULT_TEMPLATES_DIR

DOCX_TEMPLATE = "{kind}.docx"  # built by scripts/build_docx_template.py, one per brief kind
CHART_WIDTH_MM = 145  # 14.5 cm of the 15.6 cm type area
# The document XML is markup escaped the way HTML is, so it is checked as an HTML template.
XML_TEMPLATE_NAME = "word-document.html.j2"


class _DocxEnvironment(HardenedEnvironment):
    """docxtpl compiles the document XML with `from_string`, which bypasses the guarded loader."""

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        """Compile after refusing templates that switch escaping off."""
        if isinstance(source, str):
            refuse_unescaping(self, source, XML_TEMPLATE_NAME, None)
        return super().from_string(source, globals, template_class)


def docx_template_path(kind: str) -> Path:
    """The Word template of a brief kind: reports_templates/{kind}.docx."""
    return DEFAULT_TEMPLATES_DIR / DOCX_TEMPLATE.format(kind=kind)


def word_template_source(path: Path) -> str:
    """The Jinja source docxtpl compiles from a Word template's document XML, one paragraph a line
    (and docxtpl's paragraph-level tags, whose paragraphs it removed, on lines of their own)."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(path))
    template.init_docx()
    source = str(template.patch_xml(template.get_xml()))
    return re.sub(r"(<w:p[ >])", r"\n\1", source).replace("</w:p>", "</w:p>\n")


def render_docx(context: BriefContext, *, template: Path | None = None) -> bytes:
    """The brief as DOCX bytes, from the Word template of its kind unless `template` is given."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template or docx_template_path(context["kind"])))
    environment = _DocxEnvironment(autoescape=True, undefined=StrictUndefined)
    document.render(dict(context), jinja_env=environment, autoescape=True)
    _insert_charts(document.docx, context["charts"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _insert_charts(document: Any, charts: list[ChartSpec]) -> None:
    """Replace each paragraph that holds only a chart's cid by the chart, 14.5 cm wide, with its alt text."""
    from docx.shared import Mm

    by_cid = {chart["cid"]: chart for chart in charts}
    for paragraph in document.paragraphs:
        chart = by_cid.get(paragraph.text.strip())
        if chart is None:
            continue
        paragraph.clear()
        picture = paragraph.add_run().add_picture(io.BytesIO(render_chart_png(chart)), width=Mm(CHART_WIDTH_MM))
        picture._inline.docPr.set("descr", chart["alt"])
