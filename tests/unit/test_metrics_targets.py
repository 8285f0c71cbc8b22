"""Annual targets: the shipped CSVs, a BOM-prefixed file from Excel, and a year without a file."""

from __future__ import annotations

from pathlib import Path

from govbrief.config import Paths, Settings, load_settings
from govbrief.targets.annual import death_quotas, load_targets, targets_path


def _with_targets_dir(folder: Path) -> Settings:
    settings = load_settings()
    paths = Paths(state=settings.paths.state, drop=settings.paths.drop, targets=folder)
    return settings.model_copy(update={"paths": paths})


def test_shipped_targets_give_every_demo_unit_its_quota() -> None:
    settings = load_settings()
    targets = load_targets(settings, 2026)
    assert len(targets) == len(settings.units)
    quotas = death_quotas(settings, 2026)
    assert list(quotas) == [u.code for u in settings.units]
    assert quotas["439902"] == 9.0
    assert quotas["439909"] == 4.0


def test_a_bom_and_a_missing_row_are_handled(tmp_path: Path) -> None:
    csv = "县市区代码,县市区,死亡控制指标（人）,年度化债任务（亿元）,综合财力（亿元）,地区生产总值（亿元）\n"
    csv += "439901,城关区,6,1.80,97.85,651.00\n439902,东湖县,,2.40,62.32,325.50\n"
    (tmp_path / "2027.csv").write_text(csv, encoding="utf-8-sig")
    settings = _with_targets_dir(tmp_path)
    assert targets_path(settings, 2027) == tmp_path / "2027.csv"
    quotas = death_quotas(settings, 2027)
    assert quotas["439901"] == 6.0
    assert quotas["439902"] is None  # blank cell
    assert quotas["439903"] is None  # no row


def test_a_year_without_a_file_gives_no_quotas(tmp_path: Path) -> None:
    settings = _with_targets_dir(tmp_path)
    assert load_targets(settings, 2031).empty
    assert set(death_quotas(settings, 2031).values()) == {None}
