"""Gather and archive: every file stored untouched by sha256; the latest return wins."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from govbrief.calendar.periods import parse_period
from govbrief.config import Settings, SourceSpec, load_settings
from govbrief.glossary import load_glossary
from govbrief.intake.gather import gather_shared, gather_unit, latest_per_slot, query_for, split_units
from govbrief.intake.raw_archive import store
from govbrief.intake.sources import FolderSource, FoundFile

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
    found = FoundFile(
        "东湖县安全生产旬报表.xlsx", "/drop/x.xlsx", datetime(2026, 11, 21, tzinfo=UTC), len(content), content=content
    )
    received = store(settings.archive_dir, found, query)
    archived = Path(received.archive_path)
    assert archived.read_bytes() == content
    assert received.sha256 == hashlib.sha256(content).hexdigest() and received.sha256 in archived.name
    assert archived.suffix == ".xlsx"
    assert oct(archived.stat().st_mode)[-3:] == "444"
    again = store(settings.archive_dir, found, query)  # storing twice keeps one copy
    assert again.archive_path == received.archive_path
    assert len(list(settings.archive_dir.rglob("*.xlsx"))) == 1


def test_the_shared_drop_names_units_by_file_or_folder_and_ignores_lock_files(settings: Settings) -> None:
    drop(settings, "东湖县安全生产旬报表.xlsx", b"donghu", 1_763_700_000)
    drop(settings, "~$东湖县安全生产旬报表.xlsx", b"lock", 1_763_700_000)
    drop(settings, "报表.xlsx", b"qingxi", 1_763_700_000, folder=f"{PERIOD.key}/清溪")
    drop(settings, "旬报表.xlsx", b"nameless", 1_763_700_000)
    drop(settings, "东湖县安全生产旬报表.xlsx", b"other period", 1_763_700_000, folder="2026-11-x1")
    shared, own = split_units(settings)
    assert len(shared) == 9 and own == []
    files = gather_shared(settings, shared, load_glossary().returns["safety"], [PERIOD])
    found = sorted((f.original_name, f.period_key, f.unit_code, f.folders) for f in files)
    assert found == [
        ("东湖县安全生产旬报表.xlsx", PERIOD.key, "439902", (PERIOD.key,)),
        ("报表.xlsx", PERIOD.key, "439906", ("清溪", PERIOD.key)),
        ("旬报表.xlsx", PERIOD.key, "", (PERIOD.key,)),  # named by its content once read
    ]


def test_a_symlink_in_the_drop_is_recorded_but_never_followed(settings: Settings, tmp_path: Path) -> None:
    secret = tmp_path / "secret.xlsx"
    secret.write_bytes(b"not for the archive")
    link = settings.paths.drop / PERIOD.key / "东湖县安全生产旬报表.xlsx"
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    [received] = gather_shared(settings, settings.units, load_glossary().returns["safety"], [PERIOD])
    assert received.archive_path == "" and received.size == 0
    assert [p.rule for p in received.problems] == ["symlink_refused"]
    assert not settings.archive_dir.exists() or not any(settings.archive_dir.rglob("*.xlsx"))


def test_a_unit_with_its_own_folder_is_asked_by_name(settings: Settings, tmp_path: Path) -> None:
    own = tmp_path / "donghu-ftp"
    (own / PERIOD.key).mkdir(parents=True)
    (own / PERIOD.key / "DH.xlsx").write_bytes(b"donghu")
    spec = SourceSpec(kind="folder", path=str(own), pattern="{period_key}/*")
    unit = settings.unit("439902").model_copy(update={"source": spec})
    custom = settings.model_copy(update={"units": (unit, *settings.units[2:])})
    shared, separate = split_units(custom)
    assert [u.code for u in separate] == ["439902"] and len(shared) == 7
    [received] = gather_unit(custom, unit, load_glossary().returns["safety"], [PERIOD])
    assert (received.original_name, received.unit_code) == ("DH.xlsx", "439902")


def test_a_later_return_replaces_the_earlier_one(settings: Settings) -> None:
    drop(settings, "东湖县安全生产旬报表.xlsx", b"first", 1_763_700_000)
    drop(settings, "东湖县安全生产旬报表（更正）.xlsx", b"second", 1_763_800_000)
    kind = load_glossary().returns["safety"]
    files = gather_shared(settings, settings.units, kind, [PERIOD])
    assert len(files) == 2  # both archived
    [latest] = latest_per_slot(files)
    assert Path(latest.archive_path).read_bytes() == b"second"


def test_folder_source_lists_oldest_first(tmp_path: Path) -> None:
    for name, mtime in (("b.xlsx", 2_000), ("a.xlsx", 3_000), ("c.csv", 1_000), ("notes.txt", 500)):
        (tmp_path / name).write_bytes(name.encode())
        os.utime(tmp_path / name, (mtime, mtime))
    source = FolderSource(tmp_path, "*")
    query = query_for(load_settings().unit("439901"), load_glossary().returns["safety"], PERIOD)
    assert [f.name for f in source.find(query)] == ["c.csv", "b.xlsx", "a.xlsx"]


def test_a_months_folder_gives_each_monthly_return_only_its_own_files(settings: Settings) -> None:
    month = parse_period("2026-10")
    drop(settings, "东湖县政府债务化解月报表.xlsx", b"debt", 1_763_700_000, folder=month.key)
    drop(settings, "东湖县重点工作进度月报表.xlsx", b"tasks", 1_763_700_000, folder=month.key)
    drop(settings, "东湖县10月报表.xlsx", b"unnamed", 1_763_700_000, folder=month.key)
    glossary = load_glossary()
    debt = gather_shared(settings, settings.units, glossary.returns["debt"], [month])
    tasks = gather_shared(settings, settings.units, glossary.returns["key_tasks"], [month])
    assert sorted(f.original_name for f in debt) == ["东湖县10月报表.xlsx", "东湖县政府债务化解月报表.xlsx"]
    assert sorted(f.original_name for f in tasks) == ["东湖县10月报表.xlsx", "东湖县重点工作进度月报表.xlsx"]
