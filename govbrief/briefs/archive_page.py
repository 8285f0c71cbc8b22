"""The briefs archive: a static index.html of every version of every brief in the state folder.

The folders under state/briefs/<kind>/<period>/v<N>/ say which briefs exist; the
warehouse says when each version was made, whether it was a 更正 and which returns
(by sha256) it was made from. Rendered by the hardened templates: every value escaped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from govbrief.briefs.registry import BY_ID, name_zh
from govbrief.calendar.periods import PeriodError, parse_period
from govbrief.render.templates import template_environment
from govbrief.warehouse import BriefRecord, Warehouse

TEMPLATE = "archive_index.html.j2"
INDEX_NAME = "index.html"
DOCUMENTS: tuple[tuple[str, str], ...] = (("brief.html", "网页"), ("brief.pdf", "PDF"), ("brief.docx", "Word"))
SHORT_ID = 12  # enough of a sha256 to tell returns apart on a page; the full id is in the title


def write_archive_index(warehouse: Warehouse, briefs_dir: Path, *, zone: ZoneInfo, now: datetime) -> Path:
    """Write briefs_dir/index.html (atomically) and return its path."""
    html = render_archive_index(warehouse, briefs_dir, zone=zone, generated_at=now)
    briefs_dir.mkdir(parents=True, exist_ok=True)
    target = briefs_dir / INDEX_NAME
    tmp = target.with_name(f".{INDEX_NAME}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target


def render_archive_index(warehouse: Warehouse, briefs_dir: Path, *, zone: ZoneInfo, generated_at: datetime) -> str:
    """The index page as HTML."""
    context = {
        "title": "简报归档",
        "generated_zh": _datetime_zh(generated_at, zone),
        "kinds": archive_kinds(warehouse, briefs_dir, zone=zone),
    }
    return template_environment().get_template(TEMPLATE).render(context)


def archive_kinds(warehouse: Warehouse, briefs_dir: Path, *, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Plain data for the page: kinds in 旬/月/季 order, periods newest first, versions oldest first."""
    kinds = []
    for kind in sorted(_kinds_on_disk(briefs_dir), key=_kind_order):
        periods = [
            _period_entry(warehouse, briefs_dir, kind, key, zone)
            for key in sorted(_periods_on_disk(briefs_dir / kind), reverse=True)
        ]
        periods = [p for p in periods if p["versions"]]
        if periods:
            kinds.append({"kind": kind, "kind_zh": name_zh(kind), "periods": periods})
    return kinds


def _period_entry(warehouse: Warehouse, briefs_dir: Path, kind: str, key: str, zone: ZoneInfo) -> dict[str, Any]:
    versions = [_version_entry(warehouse, briefs_dir, record, zone) for record in warehouse.brief_versions(kind, key)]
    return {"key": key, "label_zh": _period_label(key), "versions": versions}


def _version_entry(warehouse: Warehouse, briefs_dir: Path, record: BriefRecord, zone: ZoneInfo) -> dict[str, Any]:
    folder = f"{record.kind}/{record.period_key}/v{record.version}"
    sources = warehouse.brief_body(record.id).source_files
    return {
        "version": record.version,
        "subject": record.subject,
        "created_zh": _datetime_zh(record.created_at, zone),
        "correction": record.is_correction,
        "note": record.note,
        "links": [
            {"href": f"{folder}/{name}", "label": label}
            for name, label in DOCUMENTS
            if (briefs_dir / folder / name).is_file()
        ],
        "sources": [{"short": sha[:SHORT_ID], "full": sha} for sha in sources],
    }


def _kinds_on_disk(briefs_dir: Path) -> Iterator[str]:
    return (p.name for p in briefs_dir.iterdir() if p.is_dir()) if briefs_dir.is_dir() else iter(())


def _periods_on_disk(kind_dir: Path) -> Iterator[str]:
    return (p.name for p in kind_dir.iterdir() if p.is_dir())


def _kind_order(kind: str) -> tuple[int, str]:
    order = list(BY_ID)
    return (order.index(kind) if kind in order else len(order), kind)


def _period_label(key: str) -> str:
    try:
        return parse_period(key).label_zh
    except PeriodError:
        return key  # a folder named by hand: show it as it is


def _datetime_zh(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
