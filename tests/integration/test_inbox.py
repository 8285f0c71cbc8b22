"""The inbox poll and the alert check on the ephemeral Prefect, told as one story so Prefect starts once:
a 旬简报 goes out; a poll with nothing new does nothing; a county corrects its return and a "manual"
poll marks the brief for an analyst without sending anything; an "auto" poll sends the 更正 version
to each recipient once; polling again finds nothing; a new 较大 accident return fires one 【紧急】
alert to each leader; one sent during a mail outage goes out with the next alert check.
"""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import json
import os
import re
import shutil
import time
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import govbrief.cli.main  # noqa: F401  (registers every command on the app)
from flows.brief import ten_day_brief
from flows.inbox import INBOX_LOCK, alert_check, inbox_poll
from govbrief.calendar.periods import parse_period
from govbrief.cli.app import app
from govbrief.config import REPO_ROOT, Settings, load_settings
from govbrief.demo import generate_safety_returns
from govbrief.glossary import load_glossary
from govbrief.warehouse import connect, run_lock

pytestmark = [pytest.mark.prefect]

TODAY = date(2026, 11, 25)  # in the 下旬: the 中旬's brief is out, the 下旬's returns are arriving
BRIEFED = "2026-11-x2"
ARRIVING = "2026-11-x3"
BRIEF = f"ten_day:{BRIEFED}"
SAFETY_ZH = load_glossary().returns["safety"].name_zh


def outbox(settings: Settings) -> dict[str, tuple[str, list[str]]]:
    """Every message in the outbox: file name → (subject, addressees)."""
    parser = BytesParser(policy=policy.default)
    found = {}
    for path in sorted(settings.mail.outbox.glob("*.eml")):
        message = parser.parsebytes(path.read_bytes())
        found[path.name] = (str(message["Subject"]), sorted(a.addr_spec for a in message["To"].addresses))
    return found


def new_messages(settings: Settings, before: dict[str, tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    return [message for name, message in outbox(settings).items() if before.get(name) != message]


def return_file(settings: Settings, period: str, unit_code: str) -> Path:
    return settings.paths.drop / period / f"{settings.unit(unit_code).name}{SAFETY_ZH}.xlsx"


def correct_inspections(settings: Settings) -> str:
    """城关区 sends its 中旬 return again an hour later, with five more enforcement inspections."""
    original = return_file(settings, BRIEFED, "439901")
    corrected = original.with_name(f"城关区{SAFETY_ZH}（更正）.xlsx")
    book = load_workbook(original)
    cell = book[load_glossary().sheet("enforcement").name_zh].cell(row=3, column=2)
    cell.value = int(cell.value or 0) + 5
    book.save(corrected)
    later = original.stat().st_mtime + 3600
    os.utime(corrected, (later, later))
    return corrected.name


def add_major_accident(path: Path, unit: str, accident_id: str) -> None:
    """A 较大 road accident (3 deaths) in the unit's 下旬 return."""
    book = load_workbook(path)
    row = {
        "county": unit,
        "accident_id": accident_id,
        "occurred_on": date(2026, 11, 22),
        "sector": "道路交通",
        "deaths": 3,
        "serious_injuries": 2,
        "direct_loss_wan": 180.0,
        "grade": "较大",
        "summary": "货车与客车相撞",
    }
    sheet = load_glossary().sheet("accidents")
    book[sheet.name_zh].append([row.get(column.id) for column in sheet.columns])
    book.save(path)


def arrive(settings: Settings, stash: Path, unit_code: str, accident_id: str) -> None:
    """The unit's 下旬 return reaches the drop, reporting a 较大 accident."""
    target = return_file(settings, ARRIVING, unit_code)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(stash / target.name, target)
    add_major_accident(target, settings.unit(unit_code).name, accident_id)
    ten_minutes_ago = time.time() - 600
    os.utime(target, (ten_minutes_ago, ten_minutes_ago))  # fully copied in, not still arriving


def auto_config(tmp_path: Path) -> str:
    """The shipped config with [inbox] correction_rerun = "auto" (targets still found beside the repo's)."""
    text = (REPO_ROOT / "config" / "city.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^targets = .*$", f'targets = "{REPO_ROOT / "config" / "targets"}"', text)
    text = re.sub(r'(?m)^correction_rerun = "manual"', 'correction_rerun = "auto"', text)
    path = tmp_path / "auto.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def pending_json() -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["inbox", "--pending", "--json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)["pending"]
    return rows


def test_the_inbox_poll_takes_in_corrections_reruns_or_marks_briefs_and_alerts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    for name in ("GOVBRIEF_DROP_DIR", "GOVBRIEF_CONFIG", "GOVBRIEF_MAIL_TRANSPORT", "GOVBRIEF_WAREHOUSE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Settings, "today", lambda self: TODAY)
    settings = load_settings(None)
    generate_safety_returns(settings, [parse_period(BRIEFED), parse_period(ARRIVING)])
    stash = tmp_path / "x3"
    shutil.move(settings.paths.drop / ARRIVING, stash)  # the 下旬's returns have not arrived yet
    recipients = sorted(r.email for r in settings.recipients_for("ten_day"))
    leaders = sorted(r.email for r in settings.recipients if "leader" in r.roles)
    assert ten_day_brief(period=BRIEFED, send=True)["brief"]["version"] == 1

    with (
        connect(settings.warehouse_url) as warehouse,
        run_lock(warehouse.engine, INBOX_LOCK, run_id="another-poll", what="收件检查"),
    ):
        assert "正在运行" in alert_check()["skipped"]  # a poll is running: this turn is skipped, not queued

    sent = outbox(settings)
    quiet = inbox_poll()
    assert quiet["scan"]["new_content"] == [] and quiet["scan"]["files_seen"] == len(settings.units)
    assert quiet["files"] == {"new": [], "changed": [], "refused": []}
    assert quiet["corrections"]["marked"] == [] and new_messages(settings, sent) == []

    corrected = correct_inspections(settings)
    touched = return_file(settings, BRIEFED, "439902")
    os.utime(touched, (touched.stat().st_mtime + 600,) * 2)  # opened and saved, bytes unchanged
    manual = inbox_poll()
    assert manual["files"] == {"new": [], "changed": [corrected], "refused": []}
    assert manual["scan"]["touched_unchanged"] == [touched.name]
    assert manual["corrections"]["marked"] == [BRIEF] and manual["corrections"]["pending"] == [BRIEF]
    assert new_messages(settings, sent) == []  # nothing resent: an analyst decides
    [pending] = pending_json()
    assert (pending["period"], pending["units"]) == (BRIEFED, ["城关区"])
    assert pending["command"] == f"govbrief inbox --rerun {BRIEFED}"

    auto = auto_config(tmp_path)
    rerun = inbox_poll(config=auto)
    assert rerun["scan"]["new_content"] == [] and rerun["corrections"]["rerun"][BRIEF]["version"] == 2
    corrections = new_messages(settings, sent)
    assert all(subject.startswith("【更正】") for subject, _ in corrections)
    assert sorted(address for _, to in corrections for address in to) == recipients
    with connect(settings.warehouse_url) as warehouse:
        latest = warehouse.latest_brief("ten_day", BRIEFED)
        assert latest is not None and latest.is_correction
        assert [(d.status, d.attempts) for d in warehouse.deliveries_for(latest.id)] == [("sent", 1)] * len(recipients)
    assert pending_json() == []

    sent = outbox(settings)
    again = CliRunner().invoke(app, ["inbox", "--json", "--config", auto])
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert summary["scan"]["new_content"] == [] and summary["corrections"]["rerun"] == {}
    assert new_messages(settings, sent) == []

    arrive(settings, stash, "439902", "DH-2026-901")
    accident = inbox_poll(config=auto)
    assert accident["files"]["new"] == [return_file(settings, ARRIVING, "439902").name]
    assert len(accident["alerts"]["sent"]) == len(leaders)
    alerts = new_messages(settings, sent)
    assert [subject for subject, _ in alerts] == ["【紧急】东湖县发生较大道路交通事故"] * len(leaders)
    assert sorted(address for _, to in alerts for address in to) == leaders
    assert accident["corrections"]["rerun"] == {}  # the 下旬 has no brief yet

    sent = outbox(settings)
    monkeypatch.setenv("GOVBRIEF_MAIL_TRANSPORT", "smtp")  # the mail server (localhost:587) is down
    arrive(settings, stash, "439903", "XS-2026-901")
    outage = inbox_poll(config=auto)
    assert outage["alerts"]["sent"] == [] and len(outage["alerts"]["failed"]) == len(leaders)
    monkeypatch.delenv("GOVBRIEF_MAIL_TRANSPORT")
    check = alert_check(config=auto)
    assert check["retried"] == ["accident:439903:XS-2026-901"] and check["withdrawn"] == []
    retried = new_messages(settings, sent)
    assert [subject for subject, _ in retried] == ["【紧急】西山县发生较大道路交通事故"] * len(leaders)
    assert alert_check(config=auto)["retried"] == []
