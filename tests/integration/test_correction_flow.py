"""更正 end to end: a brief goes out, a unit corrects its return, the rerun sends a 更正 version once,
the first version stays, and `govbrief archive` lists both.

One test function tells the whole story so the Prefect start-up is paid once.
"""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import json
import os
import re
import shutil
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from flows.brief import ten_day_brief
from govbrief.calendar.periods import parse_period
from govbrief.cli.main import app
from govbrief.config import Settings, load_settings
from govbrief.demo import generate_safety_returns
from govbrief.demo.intake_cases import stage_intake_cases
from govbrief.glossary import load_glossary
from govbrief.warehouse import connect

pytestmark = [pytest.mark.prefect]

PERIOD = "2026-11-x2"
CORRECTING_UNIT = "439901"  # 城关区
EXTRA_INSPECTIONS = 5  # the figure the corrected return changes: 执法检查单位数 of the 旬


def brief_messages(settings: Settings) -> list[EmailMessage]:
    parser = BytesParser(policy=policy.default)
    messages = [parser.parsebytes(p.read_bytes()) for p in sorted(settings.mail.outbox.glob("*.eml"))]
    return [m for m in messages if "旬简报" in str(m["Subject"])]


def addressees(messages: list[EmailMessage]) -> list[str]:
    return sorted(address.addr_spec for m in messages for address in m["To"].addresses)


def correct_return(settings: Settings) -> int:
    """城关区 sends its return again, a minute later, with more enforcement inspections; the old figure."""
    folder = settings.paths.drop / PERIOD
    name_zh = load_glossary().returns["safety"].name_zh
    original = folder / f"{settings.unit(CORRECTING_UNIT).name}{name_zh}.xlsx"
    corrected = folder / f"{settings.unit(CORRECTING_UNIT).name}{name_zh}（更正）.xlsx"
    book = load_workbook(original)
    cell = book[load_glossary().sheet("enforcement").name_zh].cell(row=3, column=2)
    old = int(cell.value or 0)
    cell.value = old + EXTRA_INSPECTIONS
    book.save(corrected)
    later = original.stat().st_mtime + 60
    os.utime(corrected, (later, later))
    return old


def test_a_corrected_return_makes_one_correction_version_sent_once_and_archived(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("GOVBRIEF_DROP_DIR", raising=False)
    monkeypatch.delenv("GOVBRIEF_CONFIG", raising=False)
    settings = load_settings(None)
    target = parse_period(PERIOD)
    generate_safety_returns(settings, [target])
    stage_intake_cases(settings, target)
    recipients = sorted(r.email for r in settings.recipients_for("ten_day"))

    first = ten_day_brief(period=PERIOD, send=True)
    assert first["brief"]["version"] == 1
    first_messages = brief_messages(settings)
    assert addressees(first_messages) == recipients
    assert not any("【更正】" in str(m["Subject"]) for m in first_messages)

    old_inspections = correct_return(settings)
    second = ten_day_brief(period=PERIOD, send=True)

    assert second["brief"]["version"] == 2
    assert second["brief"]["subject"].startswith("【更正】")
    v1, v2 = (Path(first["brief"]["folder"]), Path(second["brief"]["folder"]))
    assert v1 != v2 and (v1 / "brief.html").is_file() and (v1 / "data.json").is_file()
    assert "【更正】" not in (v1 / "brief.html").read_text(encoding="utf-8")
    html = (v2 / "brief.html").read_text(encoding="utf-8")
    assert "更正说明：因城关区更正报表" in html
    new_inspections = old_inspections + EXTRA_INSPECTIONS
    assert f"城关区本期执法检查单位数 {old_inspections}家次→{new_inspections}家次" in html
    old_city = json.loads((v1 / "data.json").read_text(encoding="utf-8"))["city"]["indicators"]["enf_units"]["period"]
    assert f"全市本期执法检查单位数 {old_city}家次→{old_city + EXTRA_INSPECTIONS}家次" in html

    corrections = [m for m in brief_messages(settings) if str(m["Subject"]).startswith("【更正】")]
    assert addressees(corrections) == recipients  # each recipient once
    assert len(brief_messages(settings)) == 2 * len(recipients)  # the first version's mails stay as sent

    with connect(settings.warehouse_url) as warehouse:
        versions = warehouse.brief_versions("ten_day", PERIOD)
        assert [(v.version, v.is_correction) for v in versions] == [(1, False), (2, True)]
        first_sources = set(warehouse.brief_body(versions[0].id).source_files)
        second_sources = set(warehouse.brief_body(versions[1].id).source_files)
    assert len(first_sources) == len(second_sources) == len(settings.units)  # one counting return per unit
    assert len(first_sources - second_sources) == 1  # 城关区's first return gave way to its correction

    # A rerun for one county (short name) takes in only its returns; the brief still covers the city.
    third = ten_day_brief(period=PERIOD, send=True, counties=["城关"])
    assert third["files_received"] == len(list(settings.paths.drop.glob(f"{PERIOD}/城关区*")))
    assert third["files_received"] < second["files_received"]
    assert third["data"] == second["data"]
    assert third["brief"]["version"] == 2
    assert third["delivery"]["sent"] == []
    assert len(brief_messages(settings)) == 2 * len(recipients)
    assert "更正说明" in (v2 / "brief.html").read_text(encoding="utf-8")  # the rerun kept the 更正 banner

    result = CliRunner().invoke(app, ["archive"])
    assert result.exit_code == 0, result.output
    index = settings.briefs_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "旬简报" in page and "2026年11月中旬" in page
    assert "第1版" in page and "第2版" in page and "更正" in page
    links = re.findall(r'href="([^"]+)"', page)
    assert {f"ten_day/{PERIOD}/v1/brief.html", f"ten_day/{PERIOD}/v2/brief.pdf"} <= set(links)
    assert all((index.parent / link).is_file() for link in links)
    assert all(sha[:12] in page for sha in first_sources | second_sources)
    shutil.rmtree(settings.paths.drop)  # the archive needs no returns
    assert CliRunner().invoke(app, ["archive"]).exit_code == 0
