"""Turn a brief's context into its rendered forms and files, with a stable content hash."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from govbrief.model import Attachment
from govbrief.render.context import BriefContext

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The issue date changes with the day a brief is rendered; a rerun on another
# day with the same figures is the same brief, so the hash leaves it out. The
# 更正 note is derived from the figures and the earlier version: leaving it out
# lets a rerun of a corrected version find that version again.
VOLATILE_KEYS = frozenset({"issued_on_zh", "correction"})


@dataclass(frozen=True)
class RenderedBrief:
    """A brief in every form we send, ready to store and deliver."""

    kind: str
    period_key: str
    subject: str
    html: str
    text: str
    images: Mapping[str, bytes] = field(default_factory=dict)  # Content-ID → PNG
    content_hash: str = ""
    attachments: tuple[Attachment, ...] = ()  # the PDF leaders print, the DOCX staff edit


def content_hash(context: BriefContext) -> str:
    """sha256 of what the brief says (not when it was rendered)."""
    # Absent sections (None) do not count, so adding an optional section to the contract
    # does not turn every stored brief into a "changed" one.
    stable = {k: v for k, v in context.items() if k not in VOLATILE_KEYS and v is not None}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def subject_for(context: BriefContext) -> str:
    """Subject line: names the brief, the period and the issue number."""
    prefix = "【更正】" if context["correction"] else ""
    return f"{prefix}{context['city']}{context['title']}（{context['period']['label_zh']}，{context['issue_label']}）"


def render_brief(context: BriefContext, *, html_template: str, text_template: str) -> RenderedBrief:
    """HTML (CSS inlined), plain text, chart images, PDF and DOCX, all from one context."""
    from govbrief.render.charts import render_chart_png
    from govbrief.render.docx import render_docx
    from govbrief.render.pdf import render_pdf
    from govbrief.render.templates import render_html, render_text

    return RenderedBrief(
        kind=context["kind"],
        period_key=context["period"]["key"],
        subject=subject_for(context),
        html=render_html(context, template=html_template),
        text=render_text(context, template=text_template),
        images={chart["cid"]: render_chart_png(chart) for chart in context["charts"]},
        content_hash=content_hash(context),
        attachments=(
            Attachment(f"{document_name(context)}.pdf", render_pdf(context), "application/pdf"),
            Attachment(f"{document_name(context)}.docx", render_docx(context), DOCX_TYPE),
        ),
    )


def document_name(context: BriefContext) -> str:
    """示范市安全生产和政府债务化解旬简报（2026年11月中旬）: the attachments' file name."""
    return f"{context['city']}{context['title']}（{context['period']['label_zh']}）"


def write_brief_files(rendered: RenderedBrief, folder: Path, data: Mapping[str, Any]) -> dict[str, Path]:
    """Write brief.html, brief.txt, the charts and data.json into `folder`, atomically each."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "brief.html": rendered.html.encode(),
        "brief.txt": rendered.text.encode(),
        "data.json": json.dumps(data, ensure_ascii=False, indent=2, default=str).encode(),
    }
    files.update({f"{cid}.png": png for cid, png in rendered.images.items()})
    files.update({f"brief{PurePath(a.filename).suffix}": a.content for a in rendered.attachments})
    written = {}
    for name, content in files.items():
        target = folder / name
        tmp = target.with_name(f".{name}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)
        written[name] = target
    return written


def read_brief_files(folder: Path, context: BriefContext, subject: str, content_hash: str) -> RenderedBrief | None:
    """A version already rendered into `folder` (a rerun with unchanged content need not render
    again); None when any of its files is missing."""
    name = document_name(context)
    try:
        return RenderedBrief(
            kind=context["kind"],
            period_key=context["period"]["key"],
            subject=subject,
            html=(folder / "brief.html").read_text(encoding="utf-8"),
            text=(folder / "brief.txt").read_text(encoding="utf-8"),
            images={chart["cid"]: (folder / f"{chart['cid']}.png").read_bytes() for chart in context["charts"]},
            content_hash=content_hash,
            attachments=(
                Attachment(f"{name}.pdf", (folder / "brief.pdf").read_bytes(), "application/pdf"),
                Attachment(f"{name}.docx", (folder / "brief.docx").read_bytes(), DOCX_TYPE),
            ),
        )
    except FileNotFoundError:
        return None


def brief_files(folder: Path) -> dict[str, Path]:
    """The files of a rendered version, by name."""
    return {path.name: path for path in sorted(folder.iterdir()) if path.is_file() and not path.name.startswith(".")}
