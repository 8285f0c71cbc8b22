"""Demo data for the fictional city 示范市: plausible county returns with the awkward cases."""

from govbrief.demo.safety_returns import (
    LATE_UNIT,
    REFUSED_UNIT,
    SafetyReturn,
    build_safety_returns,
    demo_periods,
    generate_safety_returns,
)

__all__ = [
    "LATE_UNIT",
    "REFUSED_UNIT",
    "SafetyReturn",
    "build_safety_returns",
    "demo_periods",
    "generate_safety_returns",
]
