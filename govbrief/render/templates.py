"""Render a brief context with the report templates: HTML with CSS inlined, and plain text."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import css_inline
from jinja2 import Environment, StrictUndefined, select_autoescape

from govbrief.config import REPO_ROOT
from govbrief.render.context import BriefContext
from govbrief.render.sandbox import GuardedLoader, HardenedEnvironment, RenderLimits

DEFAULT_TEMPLATES_DIR = REPO_ROOT / "reports_templates"

# Mail clients drop <style> blocks, so every rule is inlined and the block
# removed; remote stylesheets are never fetched.
_INLINER = css_inline.CSSInliner(keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False)
# Optional sections leave runs of empty lines in text; one blank line is enough.
_BLANK_RUNS = re.compile(r"\n{3,}")


def template_environment(templates_dir: Path | None = None, *, limits: RenderLimits | None = None) -> Environment:
    """The hardened environment for a templates folder (default: the repo's reports_templates/).

    Every render through it is bounded by `limits` (default: 5 s, 5 million characters).
    """
    return _environment_for((templates_dir or DEFAULT_TEMPLATES_DIR).resolve(), limits or RenderLimits())


@lru_cache(maxsize=8)
def _environment_for(templates_dir: Path, limits: RenderLimits) -> Environment:
    return HardenedEnvironment(
        loader=GuardedLoader(str(templates_dir)),
        limits=limits,
        # Only HTML is escaped: `.txt.j2` must keep "<" and "&" as written.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(context: BriefContext, *, template: str = "ten_day.html.j2", templates_dir: Path | None = None) -> str:
    """The brief as an HTML document with its CSS inlined into style attributes."""
    html = template_environment(templates_dir).get_template(template).render(context)
    return _INLINER.inline(html)


def render_text(context: BriefContext, *, template: str = "ten_day.txt.j2", templates_dir: Path | None = None) -> str:
    """The brief as plain text, the alternative part of the email."""
    text = template_environment(templates_dir).get_template(template).render(context)
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
