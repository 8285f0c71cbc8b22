"""Data quality: the GX suites in expectations/ applied to canonical frames, and the reports of it.

Importing this package does not import Great Expectations; the first
``validate_frames`` call does (5-7 s), once per process.
"""

from govbrief.quality.report import file_status, quality_summary, write_quality_report
from govbrief.quality.suites import check_suite_specs, load_suite_specs, rule_explanations, suite_paths
from govbrief.quality.validate import validate_frames

__all__ = [
    "check_suite_specs",
    "file_status",
    "load_suite_specs",
    "quality_summary",
    "rule_explanations",
    "suite_paths",
    "validate_frames",
    "write_quality_report",
]
