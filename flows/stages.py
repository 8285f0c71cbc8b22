"""Stage timing shared by the brief flows: the summary's and the benchmark's per-stage seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from govbrief import progress

T = TypeVar("T")


def timed(timings: dict[str, float], stage: str, step: Callable[[], T]) -> T:
    """Run one stage, show it in the progress view, and record its seconds in `timings`."""
    if stage != "gather":
        progress.stage(_STAGE_ZH[stage])
    started = time.perf_counter()
    result = step()
    timings[stage] = round(time.perf_counter() - started, 4)
    return result


_STAGE_ZH = {
    "validate": "校验 validate",
    "load": "入库 load",
    "compute": "计算 compute",
    "render": "生成 render",
    "deliver": "发送 deliver",
}
