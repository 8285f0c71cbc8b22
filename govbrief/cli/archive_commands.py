"""`govbrief archive`: write the static index of every brief version into the state folder."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console

from govbrief.briefs.archive_page import write_archive_index
from govbrief.config import Settings
from govbrief.warehouse import connect


def run_archive(console: Console, settings: Settings) -> Path:
    """Build state/briefs/index.html from the warehouse and the brief folders; say where it is."""
    with connect(settings.warehouse_url) as warehouse:
        index = write_archive_index(
            warehouse, settings.briefs_dir, zone=ZoneInfo(settings.city.timezone), now=settings.now()
        )
    console.print(f"简报归档 archive index: {index}")
    return index
