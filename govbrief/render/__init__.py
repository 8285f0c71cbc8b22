"""Rendering a brief context it is given (never building one): the hardened Jinja2 sandbox → HTML
(CSS inlined) and plain text, charts, the PDF and the DOCX; the template lint."""

from govbrief.render.charts import render_chart_png
from govbrief.render.sandbox import UnsafeTemplateError
from govbrief.render.templates import render_html, render_text, template_environment

__all__ = ["UnsafeTemplateError", "render_chart_png", "render_html", "render_text", "template_environment"]
