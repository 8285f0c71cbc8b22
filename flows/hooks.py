"""Failure hooks: a failed or crashed flow run tells ops (govbrief/ops/failure_notices.py).

Attach with `@flow(..., **FAILURE_HOOKS)` (once per flow run) or `**POLLER_FAILURE_HOOKS` (the
inbox poll and the alert check: once per flow and city day). A hook can fire more than once for
one flow run (a retried or re-executed run): the send log keeps it to one notice. This module
only reads Prefect's flow run and state; what the notice says and how it is sent is the core's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from govbrief.config import ConfigError, Settings, load_settings
from govbrief.delivery.mailers import mailer_from_settings
from govbrief.ops.failure_notices import FailureNotice, ops_recipients, send_failure_notice
from govbrief.warehouse import RunLockHeld, Warehouse, connect

logger = logging.getLogger("govbrief.flows.hooks")


def notice_for(flow_name: str, flow_run: Any, state: Any, settings: Settings, *, daily: bool = False) -> FailureNotice:
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
        daily_on=settings.today() if daily else None,
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


def settings_for_run(parameters: Mapping[str, Any]) -> Settings | None:
    """The run's own configuration; the default one when the run's config is what broke."""
    for candidate in dict.fromkeys([parameters.get("config"), None]):
        try:
            return load_settings(Path(candidate) if candidate else None)
        except ConfigError as exc:
            logger.error("failure notice: cannot read configuration %s: %s", exc.path, exc)
    return None


def send_log_for(settings: Settings) -> Warehouse | None:
    """The warehouse whose send log keeps notices to one; None when it is what broke."""
    try:
        return connect(settings.warehouse_url)
    except Exception as exc:  # the notice must still go out
        logger.error("failure notice without the send log (warehouse unreachable): %s", exc)
        return None


def notify_ops(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect on_failure/on_crashed hook: email ops once about this flow run."""
    _notify(flow, flow_run, state, daily=False)


def notify_ops_daily(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect on_failure/on_crashed hook for a poller: email ops once per flow and city day."""
    _notify(flow, flow_run, state, daily=True)


def _notify(flow: Any, flow_run: Any, state: Any, *, daily: bool) -> None:
    if isinstance(exception_of(state), RunLockHeld):
        # Another run of the same brief and period holds the lock: this one refused on purpose
        # and said why to whoever started it; nothing is broken for ops to fix.
        logger.warning("no failure notice: %s", exception_of(state))
        return
    settings = settings_for_run(flow_run.parameters or {})
    if settings is None:
        logger.error("no failure notice sent for %s: no readable configuration", flow.name)
        return
    notice = notice_for(flow.name, flow_run, state, settings, daily=daily)
    if not ops_recipients(settings):
        logger.error("no failure notice sent for %s: no recipient has the ops role", notice.subject)
        return
    warehouse = send_log_for(settings)
    try:
        report = send_failure_notice(notice, settings, mailer_from_settings(settings.mail), warehouse)
    finally:
        if warehouse is not None:
            warehouse.close()
    if report.sent:
        logger.warning("failure notice sent to ops: %s", notice.subject)
    for key, reason in report.failed.items():
        logger.error("failure notice to %s not sent: %s", key.recipient, reason)


# `@flow(..., **FAILURE_HOOKS)`: every brief flow reports its failures the same way.
FAILURE_HOOKS: dict[str, Any] = {"on_failure": [notify_ops], "on_crashed": [notify_ops]}
# `@flow(..., **POLLER_FAILURE_HOOKS)`: the inbox poll and the alert check, once a day at most.
POLLER_FAILURE_HOOKS: dict[str, Any] = {"on_failure": [notify_ops_daily], "on_crashed": [notify_ops_daily]}
