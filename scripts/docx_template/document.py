"""Build one brief kind's Word template: page, styles, footers, then its sections in order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument

from .blocks import write_entries
from .kinds import BODIES, KIND_ZH
from .ooxml import put_properties_in_order
from .page import FIXED_TIME, set_up_page, write_footers
from .styles import set_up_styles

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "reports_templates"
KINDS = tuple(BODIES)


def build(kind: str, path: Path | None = None) -> Path:
    """Write the template of `kind` (ten_day, monthly, quarterly) to `path` (default: reports_templates/)."""
    target = path or TEMPLATES_DIR / f"{kind}.docx"
    document = Document()
    set_up_page(document)
    set_up_styles(document)
    write_footers(document)
    write_entries(document, BODIES[kind])
    put_properties_in_order(document)
    _describe(document, KIND_ZH[kind])
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(_with_fixed_timestamps(buffer.getvalue()))
    return target


def build_all() -> list[Path]:
    """Write every kind's template into reports_templates/."""
    return [build(kind) for kind in KINDS]


def _describe(document: WordDocument, kind_zh: str) -> None:
    properties = document.core_properties
    properties.title = f"{kind_zh}（GB/T 9704 版式模板）"
    properties.author = properties.last_modified_by = "govbrief"
    properties.comments = "built by scripts/build_docx_template.py; rebuild instead of editing by hand"
    properties.created = properties.modified = FIXED_TIME


def _with_fixed_timestamps(package: bytes) -> bytes:
    """Same bytes for the same script: zip entries get a fixed date instead of the build time."""
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry))
    return result.getvalue()
