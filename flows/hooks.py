"""Failure notices: a failed or crashed brief run emails the ops recipients (role "ops") once,
naming the flow, the period, the final state and the error.

Attach to a brief flow with `@flow(..., **FAILURE_HOOKS)`. A hook can fire more than once
for one flow run (a retried or re-executed run): a marker file per flow run id in the state
folder keeps it to one notice, and the Message-ID is the flow run's, so the outbox keeps one copy.

The inbox poll and the alert check run every few minutes: `**POLLER_FAILURE_HOOKS` reports
their failures once per flow and city day instead (a broken poll would otherwise mail ops
288 times a day); the notice says so.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from govbrief.config import ConfigError, Settings, load_settings
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.delivery.message import build_message
from govbrief.warehouse import RunLockHeld

OPS_ROLE = "ops"
SUBJECT_PREFIX = "【运行失败】"
NOTICE_FOLDER = "ops_notices"  # under the state folder: one marker per flow run already reported
DEFAULT_PERIOD_ZH = "未指定（最近已结束的一期）"
POLLER_LINES = (
    "",
    "该任务每隔几分钟运行一次：今天的后续失败不再通知，请查看 Prefect 界面中的运行记录。",
    "This check runs every few minutes: later failures today are not mailed; see its runs in the Prefect UI.",
)
logger = logging.getLogger("govbrief.flows.hooks")


@dataclass(frozen=True)
class FailureNotice:
    """What ops need to know about one failed run, as plain data."""

    flow_name: str
    flow_run_id: str
    flow_run_name: str
    period: str | None
    state: str
    error: str
    once_per: str = ""  # "" → once per flow run; else the key of the one notice (a poller's flow and day)

    @property
    def notice_key(self) -> str:
        return self.once_per or self.flow_run_id

    @property
    def period_label(self) -> str:
        return self.period or DEFAULT_PERIOD_ZH

    @property
    def subject(self) -> str:
        return f"{SUBJECT_PREFIX}{self.flow_name} {self.period_label}: {self.state}"

    def lines(self) -> list[str]:
        """The notice body, one fact per line."""
        return [
            f"流程 Flow: {self.flow_name}",
            f"运行 Flow run: {self.flow_run_name} ({self.flow_run_id})",
            f"期次 Period: {self.period_label}",
            f"状态 State: {self.state}",
            f"错误 Error: {self.error}",
            "",
            "请查看 Prefect 界面中该运行的日志，修复后重新运行。",
            "See the run's logs in the Prefect UI; rerun once fixed.",
            *(POLLER_LINES if self.once_per else []),
        ]


def notice_for(flow_name: str, flow_run: Any, state: Any, *, once_per: str = "") -> FailureNotice:
    """The notice for a flow run that ended in `state` (Prefect's FlowRun and State)."""
    parameters: Mapping[str, Any] = flow_run.parameters or {}
    period = parameters.get("period")
    return FailureNotice(
        flow_name=flow_name,
        flow_run_id=str(flow_run.id),
        flow_run_name=str(flow_run.name),
        period=str(period) if period else None,
        state=str(state.name or state.type),
        error=error_of(state),
        once_per=once_per,
    )


def exception_of(state: Any) -> BaseException | None:
    """The exception a failed state carries, if it can be read back."""
    try:
        result = state.result(raise_on_failure=False)
    except Exception:  # a crashed run may have no retrievable result
        return None
    return result if isinstance(result, BaseException) else None


def error_of(state: Any) -> str:
    """The exception a failed state carries, else the state's own message."""
    result = exception_of(state)
    if result is not None:
        return f"{type(result).__name__}: {result}"
    return str(state.message or "no message / 无错误信息")


def notice_message(notice: FailureNotice, settings: Settings) -> EmailMessage | None:
    """The email to every ops recipient, or None when no recipient has the ops role."""
    ops = [r.email for r in settings.recipients if OPS_ROLE in r.roles]
    if not ops:
        return None
    text = "\n".join(notice.lines()) + "\n"
    body = "<br>\n".join(html.escape(line) for line in notice.lines())
    domain = parseaddr(settings.mail.sender)[1].rpartition("@")[2] or "govbrief.local"
    return build_message(
        subject=notice.subject,
        sender=settings.mail.sender,
        to=ops,
        html=f"<html><body><p>{body}</p></body></html>",
        text=text,
        inline_images={},
        message_id=f"run-failed-{notice.notice_key}@{domain}",
        headers={"X-Govbrief-Flow-Run": notice.flow_run_id},
    )


def send_failure_notice(notice: FailureNotice, settings: Settings) -> bool:
    """Send the notice unless its flow run (or a poller's day) was already reported; True when sent now."""
    marker = settings.state_dir / NOTICE_FOLDER / f"{notice.notice_key}.sent"
    message = notice_message(notice, settings)
    if marker.exists() or message is None:
        return False
    mailer_from_settings(settings.mail).send(message)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(notice.subject + "\n", encoding="utf-8")
    return True


def settings_for_run(parameters: Mapping[str, Any]) -> Settings | None:
    """The run's own configuration; the default one when the run's config is what broke."""
    for candidate in dict.fromkeys([parameters.get("config"), None]):
        try:
            return load_settings(Path(candidate) if candidate else None)
        except ConfigError as exc:
            logger.error("failure notice: cannot read configuration %s: %s", exc.path, exc)
    return None


def notify_ops(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect on_failure/on_crashed hook: email ops once about this flow run."""
    _notify(flow, flow_run, state, per_day=False)


def notify_ops_daily(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect on_failure/on_crashed hook for a poller: email ops once per flow and city day."""
    _notify(flow, flow_run, state, per_day=True)


def _notify(flow: Any, flow_run: Any, state: Any, *, per_day: bool) -> None:
    if isinstance(exception_of(state), RunLockHeld):
        # Another run of the same brief and period holds the lock: this one refused on purpose
        # and said why to whoever started it; nothing is broken for ops to fix.
        logger.warning("no failure notice: %s", exception_of(state))
        return
    settings = settings_for_run(flow_run.parameters or {})
    if settings is None:
        logger.error("no failure notice sent for %s: no readable configuration", flow.name)
        return
    once_per = f"{flow.name}-{settings.today().isoformat()}" if per_day else ""
    notice = notice_for(flow.name, flow_run, state, once_per=once_per)
    if not any(OPS_ROLE in r.roles for r in settings.recipients):
        logger.error("no failure notice sent for %s: no recipient has the ops role", notice.subject)
    elif send_failure_notice(notice, settings):
        logger.warning("failure notice sent to ops: %s", notice.subject)


# `@flow(..., **FAILURE_HOOKS)`: every brief flow reports its failures the same way.
FAILURE_HOOKS: dict[str, Any] = {"on_failure": [notify_ops], "on_crashed": [notify_ops]}
# `@flow(..., **POLLER_FAILURE_HOOKS)`: the inbox poll and the alert check, once a day at most.
POLLER_FAILURE_HOOKS: dict[str, Any] = {"on_failure": [notify_ops_daily], "on_crashed": [notify_ops_daily]}
