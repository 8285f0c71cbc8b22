"""The 月通报 flow end to end on the demo city's October 2026: returns in the drop folder →
warehouse → brief (HTML, PDF, DOCX) → the outbox."""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import email
import io
from email import policy
from pathlib import Path

import docx
import pytest

from flows.brief import monthly_brief
from govbrief.calendar.periods import Period
from govbrief.config import load_settings
from govbrief.warehouse import connect
from tests.fixtures.demo_returns import this_years_returns

pytestmark = [pytest.mark.prefect]
OCTOBER = Period.month(2026, 10)


def test_the_monthly_flow_issues_the_october_brief_with_its_escalations_and_red_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GOVBRIEF_DROP_DIR", str(tmp_path / "drop"))
    settings = load_settings()
    this_years_returns(settings, OCTOBER)

    summary = monthly_brief(period="2026-10")

    warehouse = connect(settings.warehouse_url)
    record = warehouse.latest_brief("monthly", "2026-10")
    assert record is not None
    stored = warehouse.brief_body(record.id)
    assert stored.subject.startswith("示范市安全生产和政府债务化解月通报（2026年10月")
    html = stored.html
    escalations = html[html.index("九、督办事项") : html.index("十、报送情况")]
    assert "东湖县" in escalations and "连续8个月滞后" in escalations  # behind on its 化债 task since March
    assert "南岭县本月新增隐性债务" in html
    assert "安平县本月到期应偿本息" in html and "逾期未还" in html
    assert summary["files_processed"] > 0 and summary["delivery"]["sent"]

    mails = [
        email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in settings.mail.outbox.glob("*.eml")
    ]
    briefs = [m for m in mails if "月通报" in m["Subject"]]
    assert len(briefs) == len(settings.recipients_for("monthly"))
    urgent = sorted(m["Subject"] for m in mails if m["Subject"].startswith("【紧急】"))
    leaders = sum(1 for r in settings.recipients if "leader" in r.roles)
    assert any("南岭县" in s and "隐性债务" in s for s in urgent)  # the debt events reach leaders at once
    assert any("安平县" in s for s in urgent) and len(urgent) % leaders == 0
    message = briefs[0]
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    names = sorted(Path(str(n)).suffix for n in attachments)
    assert names == [".docx", ".pdf"]
    pdf = next(c for n, c in attachments.items() if str(n).endswith(".pdf"))
    assert pdf.startswith(b"%PDF")
    docx_bytes = next(c for n, c in attachments.items() if str(n).endswith(".docx"))
    document = docx.Document(io.BytesIO(docx_bytes))
    assert document.paragraphs[0].text == "安全生产和政府债务化解月通报"
