"""Metrics: pure functions from the warehouse's frames to indicator frames and alerts."""

from govbrief.metrics.change import Change, change
from govbrief.metrics.result import CITY, MetricAlert, SafetyMetrics
from govbrief.metrics.safety import compute_safety

__all__ = [
    "CITY",
    "Change",
    "MetricAlert",
    "SafetyMetrics",
    "change",
    "compute_safety",
]
