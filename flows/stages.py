"""Stage timing shared by the brief flows: the summary's and the benchmark's per-stage seconds.

Test-only fault injection: GOVBRIEF_TEST_FAULT makes a real `govbrief run` process die or
stop at a named point, so the kill-and-rerun and concurrency tests need no timing sleeps.
It is for tests only; never set it in production.

- ``kill-after:<stage>``: SIGKILL this process as soon as the stage has finished;
- ``kill-after-send:<n>``: SIGKILL it once the deliver stage has handed its n-th message to
  the mailer, before that delivery is recorded as sent (the worst moment for "exactly once");
- ``pause-after:<stage>``: create ``<GOVBRIEF_TEST_FAULT_DIR>/paused-<stage>``, then wait
  until ``<GOVBRIEF_TEST_FAULT_DIR>/resume`` exists.
"""

from __future__ import annotations

import functools
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect.utilities.annotations import quote

from govbrief.delivery import mailers
from tasks import stage_progress as progress

T = TypeVar("T")
FAULT_ENV = "GOVBRIEF_TEST_FAULT"
FAULT_DIR_ENV = "GOVBRIEF_TEST_FAULT_DIR"


def as_is(value: T) -> T:
    """`value` for a task call, handed over without Prefect walking into it to look for futures.

    Prefect visits every element of every task argument; the returns' rows, their outcomes and
    a brief's data run to tens of thousands of objects, which cost a rerun about half a second.
    """
    return cast(T, quote(value))


def timed(timings: dict[str, float], stage: str, step: Callable[[], T]) -> T:
    """Run one stage, show it in the progress view, and record its seconds in `timings`."""
    if stage != "gather":
        progress.stage(_STAGE_ZH[stage])
    started = time.perf_counter()
    with _KillAfterSends(stage == "deliver"):
        result = step()
    timings[stage] = round(time.perf_counter() - started, 4)
    _fault_after(stage)
    return result


_STAGE_ZH = {
    "validate": "校验 validate",
    "load": "入库 load",
    "compute": "计算 compute",
    "render": "生成 render",
    "deliver": "发送 deliver",
}


def _fault() -> tuple[str, str]:
    action, _, where = os.environ.get(FAULT_ENV, "").partition(":")
    return action, where


def _fault_after(stage: str) -> None:
    action, where = _fault()
    if where != stage:
        return
    if action == "kill-after":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "pause-after":
        folder = Path(os.environ[FAULT_DIR_ENV])
        (folder / f"paused-{stage}").touch()
        while not (folder / "resume").exists():
            time.sleep(0.05)


class _KillAfterSends:
    """While the deliver stage runs, count messages handed to a mailer and die after the n-th."""

    def __init__(self, active: bool) -> None:
        action, where = _fault()
        self.limit = int(where) if active and action == "kill-after-send" else 0
        self.originals: dict[type[Any], Any] = {}

    def __enter__(self) -> None:
        sent = 0
        for mailer in (mailers.OutboxMailer, mailers.SmtpMailer) if self.limit else ():
            original = self.originals[mailer] = mailer.send

            @functools.wraps(original)
            def send(instance: Any, message: Any, _original: Any = original) -> None:
                nonlocal sent
                _original(instance, message)
                sent += 1
                if sent >= self.limit:
                    os.kill(os.getpid(), signal.SIGKILL)

            mailer.send = send  # type: ignore[method-assign,assignment]

    def __exit__(self, *exc: object) -> None:
        for mailer, original in self.originals.items():
            mailer.send = original
