"""Scenic areas near their certified capacity in the 旬: alerts by the configured band.

The band thresholds.bands["scenic_peak_load"] (peak visitors / 核定最大瞬时承载量)
is the source of truth; an area without a positive capacity cannot be judged
and is skipped. An absent or empty "scenic" sheet (it is optional) gives no alerts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import cast

import pandas as pd

from govbrief.calendar.periods import Period
from govbrief.config import Thresholds
from govbrief.formatting import fmt_count, fmt_percent
from govbrief.metrics.grading import band_light
from govbrief.metrics.result import MetricAlert

BAND_ID = "scenic_peak_load"
COLUMNS = ("unit_code", "scenic_area", "capacity", "peak_visitors", "period_end")


def peak_loads(frame: pd.DataFrame | None, period: Period, codes: list[str]) -> pd.DataFrame:
    """Per (unit_code, scenic_area) of the 旬: the highest peak and its load (peak / capacity)."""
    if frame is None or frame.empty or not set(COLUMNS) <= set(frame.columns):
        return pd.DataFrame(columns=["unit_code", "scenic_area", "capacity", "peak_visitors", "load"])
    days = pd.to_datetime(frame["period_end"]).dt.normalize()
    rows = frame.assign(unit_code=frame["unit_code"].astype(str), day=days)
    in_period = (rows["day"] >= pd.Timestamp(period.start)) & (rows["day"] <= pd.Timestamp(period.end))
    rows = rows.loc[in_period & rows["unit_code"].isin(codes) & (rows["capacity"].fillna(0) > 0)]
    rows = rows.assign(load=rows["peak_visitors"].astype("float64") / rows["capacity"].astype("float64"))
    rows = rows.dropna(subset=["load"]).sort_values("load", ascending=False, kind="stable")
    highest = rows.drop_duplicates(["unit_code", "scenic_area"])
    return highest[["unit_code", "scenic_area", "capacity", "peak_visitors", "load"]].reset_index(drop=True)


def scenic_alerts(
    frames: Mapping[str, pd.DataFrame],
    period: Period,
    codes: list[str],
    unit_name: Callable[[str], str],
    thresholds: Thresholds,
) -> Iterator[MetricAlert]:
    """A yellow or red alert per scenic area whose 旬 peak load reaches the configured band."""
    band = thresholds.bands.get(BAND_ID)
    if band is None:
        return
    for row in peak_loads(frames.get("scenic"), period, codes).to_dict("records"):
        light = band_light(float(row["load"]), band)
        if light is None or light == "green":
            continue
        code, area = str(row["unit_code"]), str(row["scenic_area"])
        bound = cast(float, getattr(band, light))
        line = "限流线" if light == "red" else "预警线"
        text = (
            f"{unit_name(code)}{area}最大瞬时在园人数{fmt_count(float(row['peak_visitors']))}人，"
            f"达到核定承载量的{fmt_percent(float(row['load']))}，达到{fmt_percent(bound)}{line}。"
        )
        yield MetricAlert(light, BAND_ID, code, unit_name(code), text, area)
