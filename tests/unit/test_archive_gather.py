"""Gather and archive: every file stored untouched by sha256; the latest return wins."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from govbrief.archive import store
from govbrief.config import Settings, load_settings
from govbrief.gather import gather_unit, latest_per_slot, query_for
from govbrief.glossary import load_glossary
from govbrief.periods import parse_period
from govbrief.sources import FoundFile
from govbrief.sources.folder import FolderSource

PERIOD = parse_period("2026-11-x2")


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path))
    return load_settings()


def drop(settings: Settings, name: str, content: bytes, mtime: float, folder: str = PERIOD.key) -> Path:
    path = settings.paths.drop / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (mtime, mtime))
    return path


def test_archive_keeps_bytes_untouched_and_read_only(settings: Settings) -> None:
    unit = settings.unit("439902")
    query = query_for(unit, load_glossary().returns["safety"], PERIOD)
    content = b"PK\x03\x04 not really a workbook"
    found = FoundFile("东湖县安全生产旬报表.xlsx", "/drop/x.xlsx", content, datetime(2026, 11, 21, tzinfo=UTC))
    received = store(settings.archive_dir, found, query)
    archived = Path(received.archive_path)
    assert archived.read_bytes() == content
    assert received.sha256 == hashlib.sha256(content).hexdigest() and received.sha256 in archived.name
    assert archived.suffix == ".xlsx"
    assert oct(archived.stat().st_mode)[-3:] == "444"
    again = store(settings.archive_dir, found, query)  # storing twice keeps one copy
    assert again.archive_path == received.archive_path
    assert len(list(settings.archive_dir.rglob("*.xlsx"))) == 1


def test_gather_finds_each_units_files_by_pattern_and_ignores_lock_files(settings: Settings) -> None:
    drop(settings, "东湖县安全生产旬报表.xlsx", b"donghu", 1_763_700_000)
    drop(settings, "~$东湖县安全生产旬报表.xlsx", b"lock", 1_763_700_000)
    drop(settings, "西山县安全生产旬报表.xlsx", b"xishan", 1_763_700_000)
    drop(settings, "东湖县安全生产旬报表.xlsx", b"other period", 1_763_700_000, folder="2026-11-x1")
    kind = load_glossary().returns["safety"]
    files = gather_unit(settings, settings.unit("439902"), kind, [PERIOD])
    assert [(f.original_name, f.period_key, f.unit_code) for f in files] == [
        ("东湖县安全生产旬报表.xlsx", PERIOD.key, "439902")
    ]


def test_a_later_return_replaces_the_earlier_one(settings: Settings) -> None:
    drop(settings, "东湖县安全生产旬报表.xlsx", b"first", 1_763_700_000)
    drop(settings, "东湖县安全生产旬报表（更正）.xlsx", b"second", 1_763_800_000)
    kind = load_glossary().returns["safety"]
    files = gather_unit(settings, settings.unit("439902"), kind, [PERIOD])
    assert len(files) == 2  # both archived
    [latest] = latest_per_slot(files)
    assert Path(latest.archive_path).read_bytes() == b"second"


def test_folder_source_lists_oldest_first(tmp_path: Path) -> None:
    for name, mtime in (("b.xlsx", 2_000), ("a.xlsx", 3_000), ("c.csv", 1_000), ("notes.txt", 500)):
        (tmp_path / name).write_bytes(name.encode())
        os.utime(tmp_path / name, (mtime, mtime))
    source = FolderSource(tmp_path, "*")
    query = query_for(
        load_settings().unit("439901"), load_glossary().returns["safety"], PERIOD
    )
    assert [f.name for f in source.find(query)] == ["c.csv", "b.xlsx", "a.xlsx"]
