"""The 季总结 flow end to end on the demo city's second quarter of 2026: returns in the drop
folder → warehouse → brief (HTML, PDF, DOCX) → the outbox.

The demo story: 东湖县 lags on its 化债 task from March (分管市领导约谈 at the end of Q1,
常务副市长约谈 at the half-year end), 临江市 lags in May and June (常务 at the half-year end)."""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import email
import io
from email import policy
from pathlib import Path

import docx
import pytest

from flows.brief import quarterly_brief
from govbrief.calendar.periods import Period
from govbrief.config import load_settings
from govbrief.warehouse import connect
from tests.fixtures.demo_returns import this_years_returns

pytestmark = [pytest.mark.prefect]
JUNE = Period.month(2026, 6)


def test_the_quarterly_flow_issues_the_second_quarter_with_its_interview_lists_and_follow_ups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GOVBRIEF_DROP_DIR", str(tmp_path / "drop"))
    settings = load_settings()
    this_years_returns(settings, JUNE)

    summary = quarterly_brief(period="2026-Q2")

    assert summary["kind"] == "quarterly" and summary["files_processed"] > 0
    quarterly = summary["data"]["quarterly"]
    interviewed = {(e["unit"], e["target"]): e["level_name_zh"] for e in quarterly["interviews"]}
    assert interviewed[("东湖县", "debt")] == "常务副市长约谈"
    assert interviewed[("临江市", "debt")] == "常务副市长约谈"
    half_year = {(e["unit"], e["target"]) for e in quarterly["half_year_interviews"]}
    assert {("东湖县", "debt"), ("临江市", "debt")} <= half_year
    follow_up = {(f["unit"], f["target"]): f["status"] for f in quarterly["follow_ups"]}
    assert follow_up[("东湖县", "debt")] == "escalated"  # 分管 at March's end, 常务 by June's

    warehouse = connect(settings.warehouse_url)
    record = warehouse.latest_brief("quarterly", "2026-Q2")
    assert record is not None
    html = warehouse.brief_body(record.id).html
    interviews = html[html.index("十二、约谈情况") : html.index("十三、")]
    assert "东湖县" in interviews and "临江市" in interviews and "半年末仍滞后" in interviews
    follow_ups = html[html.index("十三、") : html.index("十四、")]
    assert "东湖县" in follow_ups and "升级为常务副市长约谈" in follow_ups
    assert "二、季度趋势" in html and "cid:chart3" in html

    mails = [
        email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in settings.mail.outbox.glob("*.eml")
    ]
    briefs = [m for m in mails if "季度总结" in m["Subject"] or "季总结" in m["Subject"]]
    assert len(briefs) == len(settings.recipients_for("quarterly")) and summary["delivery"]["sent"]
    attachments = {part.get_filename(): part.get_content() for part in briefs[0].iter_attachments()}
    assert sorted(Path(str(n)).suffix for n in attachments) == [".docx", ".pdf"]
    docx_bytes = next(c for n, c in attachments.items() if str(n).endswith(".docx"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)
    assert text.startswith("安全生产和政府债务化解季度总结") and "东湖县" in text
