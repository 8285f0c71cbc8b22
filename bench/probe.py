"""One benchmark process: time a flow cold (first in a fresh process) and warm (again).

    python -m bench.probe govbrief PERIOD    the 旬简报 flow
    python -m bench.probe monthly PERIOD     the 月通报 flow
    python -m bench.probe quarterly PERIOD   the 季总结 flow
    python -m bench.probe backfill FROM:TO   a 旬简报 backfill: fresh periods, then the same again
    python -m bench.probe inbox -            the inbox poll: first scan of the drop, then a quiet poll
    python -m bench.probe bare N             a bare Prefect flow with N trivial tasks

Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

STARTED = time.perf_counter()

import flows  # noqa: E402,F401 - sets Prefect's quiet defaults before Prefect is imported


def _bare_flow(tasks: int) -> dict[str, float]:
    from prefect import flow, task

    @task
    def step(i: int) -> int:
        return i

    @flow(name="bare-flow")
    def bare() -> int:
        return sum(f.result() for f in step.map(list(range(tasks))))

    return _cold_and_warm(lambda: bare(), lambda result: {})


def _govbrief(period: str) -> dict[str, float]:
    from flows.brief import ten_day_brief

    def stages(result: dict[str, object]) -> dict[str, float]:
        timings = result["timings"]
        assert isinstance(timings, dict)
        return {f"stage_{k}": v for k, v in timings.items()}

    return _cold_and_warm(lambda: ten_day_brief(period=period, send=True), stages)


def _brief(kind: str, period: str) -> dict[str, float]:
    from flows.brief import monthly_brief, quarterly_brief

    flow = monthly_brief if kind == "monthly" else quarterly_brief

    def stages(result: dict[str, object]) -> dict[str, float]:
        timings = result["timings"]
        assert isinstance(timings, dict)
        return {f"stage_{k}": v for k, v in timings.items()}

    return _cold_and_warm(lambda: flow(period=period, send=True), stages)


def _backfill(span: str) -> dict[str, float]:
    """Warm the process with the 旬 before the span, then backfill the span twice (new, then unchanged),
    against one warm rerun of a single period: what each period of a backfill costs beyond a rerun."""
    from prefect import flow

    from flows.backfill import backfill_period, backfill_periods
    from flows.brief import ten_day_brief
    from govbrief.calendar.periods import PeriodKind

    periods = backfill_periods(PeriodKind.TEN_DAY, *span.split(":"))
    before = periods[0].previous().key
    began = time.perf_counter()
    ten_day_brief(period=before, send=True)
    out = {"import_s": began - STARTED, "cold_first_period_s": time.perf_counter() - began}

    @flow(name="bench-backfill")
    def run_all() -> list[dict[str, object]]:
        return [backfill_period(p, send=True, force=False, config=None) for p in periods]

    for label in ("new", "again"):
        began = time.perf_counter()
        rows = run_all()
        out[f"{label}_total_s"] = time.perf_counter() - began
        out[f"{label}_per_period_s"] = out[f"{label}_total_s"] / len(periods)
        assert all(r["status"] != "failed" for r in rows), rows
    began = time.perf_counter()
    ten_day_brief(period=before, send=True)
    out["warm_rerun_s"] = time.perf_counter() - began
    out["periods"] = len(periods)
    return {k: round(v, 4) for k, v in out.items()}


def _inbox() -> dict[str, float]:
    from flows.inbox import inbox_poll

    def taken(result: dict[str, object]) -> dict[str, float]:
        files, timings = result["files"], result["timings"]
        assert isinstance(files, dict) and isinstance(timings, dict)
        counted = {f"files_{k}": float(len(v)) for k, v in files.items()}
        return {**counted, **{f"stage_{k}": v for k, v in timings.items()}}

    return _cold_and_warm(lambda: inbox_poll(), taken)


def _cold_and_warm(run, stages) -> dict[str, float]:  # type: ignore[no-untyped-def]
    imported = time.perf_counter()
    out: dict[str, float] = {"import_s": imported - STARTED}
    for label in ("cold", "warm"):
        began = time.perf_counter()
        result = run()
        out[f"{label}_flow_s"] = time.perf_counter() - began
        out.update({f"{label}_{k}": v for k, v in stages(result).items()})
    out["cold_process_s"] = out["import_s"] + out["cold_flow_s"]
    return {k: round(v, 4) for k, v in out.items()}


if __name__ == "__main__":
    what, arg = sys.argv[1], sys.argv[2]
    probes: dict[str, Callable[[], dict[str, float]]] = {
        "govbrief": lambda: _govbrief(arg),
        "monthly": lambda: _brief("monthly", arg),
        "quarterly": lambda: _brief("quarterly", arg),
        "backfill": lambda: _backfill(arg),
        "inbox": _inbox,
        "bare": lambda: _bare_flow(int(arg)),
    }
    result = probes[what]()
    print(json.dumps(result))
