"""One benchmark process: time a flow cold (first in a fresh process) and warm (again).

`python -m bench.probe govbrief PERIOD` runs the 旬简报 flow; `python -m bench.probe bare N`
runs a bare Prefect flow with N trivial tasks. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time

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
    from flows.ten_day import ten_day_brief

    def stages(result: dict[str, object]) -> dict[str, float]:
        timings = result["timings"]
        assert isinstance(timings, dict)
        return {f"stage_{k}": v for k, v in timings.items()}

    return _cold_and_warm(lambda: ten_day_brief(period=period, send=True), stages)


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
    result = _govbrief(arg) if what == "govbrief" else _bare_flow(int(arg))
    print(json.dumps(result))
