"""Data quality: the GX suites in expectations/ applied to canonical frames.

Importing this package does not import Great Expectations; the first
``validate_frames`` call does (5-7 s), once per process.
"""

from govbrief.quality.suites import check_suite_specs, load_suite_specs, suite_paths
from govbrief.quality.validate import validate_frames

__all__ = ["check_suite_specs", "load_suite_specs", "suite_paths", "validate_frames"]
