"""check-returns: per file, the unit and period it was matched to, the verdict and every problem."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from govbrief.calendar.periods import parse_period
from govbrief.cli.main import app
from govbrief.config import load_settings
from govbrief.demo import generate_safety_returns
from govbrief.demo.intake_cases import stage_intake_cases
from govbrief.intake.returns_check import check_files

TARGET = parse_period("2026-11-x2")


@pytest.fixture(scope="module")
def drop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's target 旬 as counties sent it, plus three files no county should send."""
    state = tmp_path_factory.mktemp("state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVBRIEF_STATE_DIR", str(state))
        settings = load_settings()
        generate_safety_returns(settings, [TARGET.previous(), TARGET], awkward_period=TARGET)
        stage_intake_cases(settings, TARGET)
    folder = settings.paths.drop / TARGET.key
    shutil.rmtree(settings.paths.drop / TARGET.previous().key)
    (folder / "新区安全生产旬报表.pdf.xlsx").write_bytes(b"%PDF-1.7 not a workbook")
    (folder / "东湖县=HYPERLINK(1)旬报表.xlsx").write_bytes(b"")
    (folder / "高新区安全生产旬报表-副本.xlsx").symlink_to("/etc/hostname")
    return folder


def run(args: list[str], state: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env={"GOVBRIEF_STATE_DIR": str(state)})
    return result.exit_code, result.stdout


def test_json_names_unit_period_status_and_every_problem(drop: Path) -> None:
    code, out = run(["check-returns", str(drop), "--json"], drop.parent.parent)
    assert code == 1  # something was refused
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert files["旬报表-2026年11月中旬.xlsx"]["county"] == "安平县"  # named only in its content
    assert files["安全生产旬报表.xlsx"]["county"] == "清溪县"  # named by its folder
    assert {f["period"] for f in files.values()} == {TARGET.key}
    refused = files["西山县安全生产旬报表.xlsx"]
    assert refused["status"] == "refused"
    rules = {(p["rule"], p["sheet"], p["row"], p["column"]) for p in refused["problems"]}
    assert rules == {
        ("negative_count", "隐患排查", 3, "一般隐患已整改（项）"),
        ("unknown_sector", "事故明细", 4, "行业领域"),
    }
    assert all(p["message_zh"] and p["message_en"] for p in refused["problems"])
    assert [p["rule"] for p in files["新区安全生产旬报表.pdf.xlsx"]["problems"]] == ["content_mismatch"]
    assert [p["rule"] for p in files["东湖县=HYPERLINK(1)旬报表.xlsx"]["problems"]] == ["empty_file"]
    assert [p["rule"] for p in files["高新区安全生产旬报表-副本.xlsx"]["problems"]] == ["symlink_refused"]
    assert files["南岭县安全生产旬报表（更正）.xlsx"]["status"] == "accepted"
    assert files["南岭县安全生产旬报表.xlsx"]["status"] == "accepted"  # checked apart from its correction


def test_a_good_file_passes_and_the_text_output_says_so(drop: Path) -> None:
    code, out = run(["check-returns", str(drop / "城关区安全生产旬报表.xlsx"), "--period", TARGET.key], drop)
    assert code == 0
    assert "城关区 · 2026-11-x2" in out and "accepted" in out


def test_problems_csv_escapes_formula_like_cells(drop: Path, tmp_path: Path) -> None:
    target = tmp_path / "problems.csv"
    run(["check-returns", str(drop), "--csv", str(target)], drop.parent.parent)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel and WPS open UTF-8 Chinese only with a BOM
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    files = [row[0] for row in rows[1:]]
    assert any(f.endswith("=HYPERLINK(1)旬报表.xlsx") for f in files)
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_a_return_from_no_configured_unit_is_refused_with_a_suggestion(tmp_path: Path, drop: Path) -> None:
    folder = tmp_path / TARGET.key
    folder.mkdir()
    book = openpyxl.load_workbook(drop / "城关区安全生产旬报表.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = cell.value.replace("城关区", "城关镇")
    book.save(folder / "安全生产旬报表.xlsx")
    [check] = check_files([folder], load_settings())
    assert check.status == "refused" and check.county == ""
    [unknown] = [p for p in check.problems if p.rule == "unknown_unit"]
    assert "城关镇" in unknown.message_zh and "城关区" in unknown.message_zh  # what it says, what it may mean
