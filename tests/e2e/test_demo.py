"""The README's demo command, end to end: returns → Prefect flow → a real SMTP server.

One demo run (module fixture) feeds every check; it costs the Prefect start-up once.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.e2e.conftest import REPO, Inbox, smtp_config

pytestmark = [pytest.mark.e2e]  # scripts/test.sh runs with --dist loadfile: one demo per session

PERIOD = "2026-11-x2"
UNITS = ("城关区", "东湖县", "西山县", "南岭县", "北坪县", "清溪县", "临江市", "安平县", "高新区")
REFUSED = "西山县"  # the demo's bad return for the target 旬
LEADERS_AND_ANALYSTS = 4  # recipients of the 旬简报 in config/city.toml


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, smtp_inbox: tuple[Inbox, int]) -> dict[str, Any]:
    inbox, port = smtp_inbox
    tmp = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "GOVBRIEF_CONFIG": str(smtp_config(tmp, port))}
    env.pop("GOVBRIEF_STATE_DIR", None)
    first = run_cli(["bash", str(REPO / "scripts" / "demo.sh"), "--period", PERIOD], env, tmp)
    return {"tmp": tmp, "env": env, "inbox": inbox, "first": first}


def briefs(inbox: Inbox) -> list[tuple[list[str], EmailMessage]]:
    return [(rcpts, m) for rcpts, m in inbox.messages if "旬简报" in m["Subject"]]


def notices(inbox: Inbox) -> list[tuple[list[str], EmailMessage]]:
    return [(rcpts, m) for rcpts, m in inbox.messages if m["Subject"].startswith("【退回重报】")]


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def test_demo_succeeds_quietly(demo: dict[str, Any]) -> None:
    result = demo["first"]
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    for noise in ("Traceback", "Warning", "WARNING", "Error flushing", "CancelledError", "telemetry"):
        assert noise not in output, output[-3000:]
    assert "2026年11月中旬" in result.stdout
    assert "sent via smtp" in result.stdout


def test_each_recipient_gets_one_readable_brief(demo: dict[str, Any]) -> None:
    messages = briefs(demo["inbox"])
    recipients = sorted(r for rcpts, _ in messages for r in rcpts)
    assert len(recipients) == LEADERS_AND_ANALYSTS == len(set(recipients))
    _, message = messages[0]
    assert "2026年11月中旬" in message["Subject"]
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds[0] == "text/plain"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and "总体情况" in text.get_content()
    html = html_of(message)
    for unit in UNITS:
        assert unit in html
    assert "总体情况" in html and "报送情况" in html  # Chinese as text, not entities
    assert not re.search(r"&#\d{4,};", html)
    assert "锟斤拷" not in html and "\ufffd" not in html


def test_chart_is_an_inline_image_referenced_by_cid(demo: dict[str, Any]) -> None:
    _, message = briefs(demo["inbox"])[0]
    html = html_of(message)
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert images
    for image in images:
        cid = image["Content-ID"].strip("<>")
        assert f"cid:{cid}" in html
        assert image.get_content_disposition() == "inline"
        assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"


def test_refused_unit_is_named_in_submissions(demo: dict[str, Any]) -> None:
    _, message = briefs(demo["inbox"])[0]
    html = html_of(message)
    section = html[html.index("报送情况") :]
    assert REFUSED in section and "退回重报" in section


def test_city_totals_in_the_email_match_the_warehouse(demo: dict[str, Any]) -> None:
    db = demo["tmp"] / "state" / "govbrief.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT record FROM observations WHERE sheet_id = 'accidents' AND period_key = ?", (PERIOD,)
        ).fetchall()
    records = [json.loads(r[0]) for r in rows]
    count, deaths = len(records), sum(int(r["deaths"]) for r in records)
    html = html_of(briefs(demo["inbox"])[0][1])
    assert f"全市共发生生产安全事故{count}起、死亡{deaths}人" in html


def hand_count(drop: Path, keys: list[str], skip: set[tuple[str, str]]) -> dict[str, int]:
    """Count the generated workbooks with openpyxl, independently of govbrief's reader: the unit
    is what the 县市区 column says, and of two returns from a unit the later one counts."""
    totals = {"acc_count": 0, "acc_deaths": 0, "hz_general_found": 0, "enf_units": 0}
    for key in keys:
        latest: dict[str, Path] = {}
        for path in sorted((drop / key).rglob("*.xlsx"), key=lambda p: p.stat().st_mtime):
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            unit = str(next(book["执法检查"].iter_rows(min_row=3, max_row=3, values_only=True))[0])
            latest[unit] = path
        for unit, path in latest.items():
            if (key, unit) in skip:
                continue
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            accidents = [r for r in book["事故明细"].iter_rows(min_row=3, values_only=True) if r[1]]
            totals["acc_count"] += len(accidents)
            totals["acc_deaths"] += sum(int(r[4]) for r in accidents)
            hazards = book["隐患排查"].iter_rows(min_row=3, values_only=True)
            totals["hz_general_found"] += sum(int(r[3]) for r in hazards if r[1])
            enforcement = book["执法检查"].iter_rows(min_row=3, values_only=True)
            totals["enf_units"] += sum(int(r[1]) for r in enforcement if r[0])
    return totals


def test_json_figures_match_a_hand_count_and_rerun_sends_nothing(demo: dict[str, Any]) -> None:
    sent_before = len(demo["inbox"].messages)  # briefs and notices
    result = run_cli(
        [str(REPO / ".venv" / "bin" / "govbrief"), "run", "ten-day", "--period", PERIOD, "--json"],
        demo["env"],
        demo["tmp"],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout)
    city = data["city"]["indicators"]
    drop = demo["tmp"] / "state" / "drop"
    this_period = hand_count(drop, [PERIOD], skip={(PERIOD, REFUSED)})
    ytd_keys = [p.name for p in sorted(drop.iterdir()) if p.name.startswith("2026-") and p.name <= PERIOD]
    ytd = hand_count(drop, ytd_keys, skip={(PERIOD, REFUSED)})
    for indicator in ("acc_count", "acc_deaths", "hz_general_found", "enf_units"):
        assert city[indicator]["period"] == this_period[indicator], indicator
        assert city[indicator]["ytd"] == ytd[indicator], indicator
    statuses = {u["name"]: u["status"] for u in data["units"]}
    assert statuses[REFUSED] == "refused" and statuses["北坪县"] == "late"
    assert len(demo["inbox"].messages) == sent_before  # the same brief is never sent twice


def test_the_refused_units_clerk_gets_one_notice_naming_every_problem(demo: dict[str, Any]) -> None:
    [(recipients, message)] = notices(demo["inbox"])
    assert recipients == ["clerk.xishan@shifan.example.gov.cn"]
    assert f"{REFUSED}安全生产旬报表" in message["Subject"] and "2026年11月中旬" in message["Subject"]
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    body = text.get_content()
    for expected in ("隐患排查", "第3行", "一般隐患已整改（项）", "negative_count", "事故明细", "交通运输", "道路交通"):
        assert expected in body, expected
    assert "unknown_sector" in body and "row 3" in body  # the English half


def test_status_agrees_with_the_briefs_submissions(demo: dict[str, Any]) -> None:
    result = run_cli(
        [str(REPO / ".venv" / "bin" / "govbrief"), "status", "--period", PERIOD, "--json"], demo["env"], demo["tmp"]
    )
    assert result.returncode == 0, result.stderr[-3000:]
    matrix = json.loads(result.stdout)
    cells = {u["name"]: u["cells"][f"safety/{PERIOD}"] for u in matrix["units"]}
    assert cells[REFUSED]["status"] == "refused"
    assert cells["北坪县"]["status"] == "late"
    assert cells["南岭县"]["status"] == "replaced" and cells["南岭县"]["revisions"] == 2
    assert cells["清溪县"]["status"] == "on_time" and cells["安平县"]["status"] == "on_time"  # named by folder, content
    html = html_of(briefs(demo["inbox"])[0][1])
    section = html[html.index("报送情况") :]
    assert "已更正1次" in section


def test_pdf_and_docx_are_attached_and_say_what_the_email_says(demo: dict[str, Any]) -> None:
    import io

    import docx
    import pypdf

    _, message = briefs(demo["inbox"])[0]
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    name = "示范市安全生产和政府债务化解旬简报（2026年11月中旬）"
    assert set(attached) == {f"{name}.pdf", f"{name}.docx"}
    html = html_of(message)
    sentence = re.search(r"全市共发生生产安全事故\d+起、死亡\d+人", html)
    assert sentence is not None
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(attached[f"{name}.pdf"])).pages)
    assert sentence.group(0) in pdf_text.replace("\n", "")
    document = docx.Document(io.BytesIO(attached[f"{name}.docx"]))
    assert sentence.group(0) in "".join(p.text for p in document.paragraphs)
