"""Brief versions: whether a rendering is a new version, a 更正 of one already sent, or the same
brief again — and the rendered brief stored in the warehouse and on disk.

A rerun whose content is unchanged keeps the stored version (and costs no rendering when its
files are on disk). Changed content before anything went out is a new version; after a version
reached anyone it is a 更正, whose note names the changed figures. Every version records the
accepted returns it was made from (the registry's `returns_needed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govbrief.briefs.correction_notes import correction_note, diff_figures
from govbrief.briefs.registry import brief_kind
from govbrief.calendar.periods import parse_period
from govbrief.config import Settings
from govbrief.model import BriefStatus, BriefSummary
from govbrief.render.context import BriefContext
from govbrief.render.rendered_brief import (
    RenderedBrief,
    brief_files,
    content_hash,
    read_brief_files,
    render_brief,
    write_brief_files,
)
from govbrief.warehouse import BriefRecord, Warehouse


@dataclass(frozen=True)
class StoredBrief:
    """A rendered brief together with its warehouse record and its files on disk."""

    record: BriefRecord
    rendered: RenderedBrief
    files: dict[str, Path]

    def summary(self) -> BriefSummary:
        """What the run summary says about the brief."""
        return {
            "kind": self.record.kind,
            "period": self.record.period_key,
            "version": self.record.version,
            "subject": self.record.subject,
            "html": str(self.files["brief.html"]),
            "folder": str(self.files["brief.html"].parent),
        }


def publish_version(
    settings: Settings, warehouse: Warehouse, context: BriefContext, data: dict[str, Any]
) -> StoredBrief:
    """Render and store the brief; a rerun with the same content keeps the existing version."""
    if unchanged := already_rendered(settings, warehouse, context):
        return unchanged
    correction = correction_for(warehouse, context, data)
    context = {**context, "correction": correction}
    kind = brief_kind(context["kind"])
    rendered = render_brief(context, html_template=kind.html_template, text_template=kind.text_template)
    record = warehouse.save_brief(
        kind=rendered.kind,
        period_key=rendered.period_key,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        data=data,
        source_files=source_files(warehouse, rendered.kind, rendered.period_key),
        content_hash=rendered.content_hash,
        is_correction=correction is not None,
        note=correction or "",
    )
    files = write_brief_files(rendered, version_folder(settings, record), data)
    return StoredBrief(record=record, rendered=rendered, files=files)


def version_status(stored_before: BriefRecord | None, record: BriefRecord) -> BriefStatus:
    """'unchanged' when the run kept the version stored before it, else 'correction' or 'new'."""
    if stored_before is not None and stored_before.id == record.id:
        return "unchanged"
    return "correction" if record.is_correction else "new"


def version_folder(settings: Settings, record: BriefRecord) -> Path:
    """state/briefs/<kind>/<period>/v<N>/."""
    return settings.briefs_dir / record.kind / record.period_key / f"v{record.version}"


def already_rendered(settings: Settings, warehouse: Warehouse, context: BriefContext) -> StoredBrief | None:
    """The latest version when the figures are unchanged and its files are on disk: a rerun
    then costs no rendering (the PDF alone takes a second)."""
    latest = warehouse.latest_brief(context["kind"], context["period"]["key"])
    if latest is None or latest.content_hash != content_hash(context):
        return None
    folder = version_folder(settings, latest)
    rendered = read_brief_files(folder, context, latest.subject, latest.content_hash)
    return None if rendered is None else StoredBrief(record=latest, rendered=rendered, files=brief_files(folder))


def correction_for(warehouse: Warehouse, context: BriefContext, data: dict[str, Any]) -> str | None:
    """The 更正 note this rendering carries: the stored one for unchanged content, a new one for
    content that differs from a version already sent, None before anything went out."""
    versions = warehouse.brief_versions(context["kind"], context["period"]["key"])
    if versions and versions[-1].content_hash == content_hash(context):
        return versions[-1].note if versions[-1].is_correction else None
    sent = [v for v in versions if was_delivered(warehouse, v)]
    if not sent:
        return None
    previous = sent[-1]
    changes = diff_figures(warehouse.brief_body(previous.id).data, data)
    return correction_note(changes, previous.version, version=versions[-1].version + 1)


def was_delivered(warehouse: Warehouse, brief: BriefRecord) -> bool:
    """Whether any recipient has this version."""
    return any(delivery.status == "sent" for delivery in warehouse.deliveries_for(brief.id))


def source_files(warehouse: Warehouse, kind: str, period_key: str) -> list[str]:
    """sha256 of every accepted return the brief's figures come from (本期, 同比, 累计)."""
    accepted: set[str] = set()
    for return_kind, periods in brief_kind(kind).returns_needed(parse_period(period_key)).items():
        slots = warehouse.slot_overview([return_kind], [p.key for p in periods])
        accepted.update(slot.sha256 for slot in slots.values() if slot.status == "accepted")
    return sorted(accepted)
