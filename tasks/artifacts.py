"""Publish a run's validation outcome as Prefect artifacts: what the Prefect UI shows of it.

Called from inside a flow or task (the artifacts attach to that run); the data
comes from govbrief.quality.report.quality_summary, the layout from
govbrief.quality.digest.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from govbrief.quality.digest import file_rows, problems_markdown

# Artifact keys: lowercase letters, digits and dashes only (Prefect's rule).
TABLE_KEY = "govbrief-validation"
PROBLEMS_KEY = "govbrief-validation-problems"
REPORT_KEY = "govbrief-validation-report"


def publish_quality_artifacts(summary: Mapping[str, Any], report_path: Path | None) -> None:
    """A table (one row per file), the refused files' problems as Markdown, and a link to the HTML report."""
    totals = summary["totals"]
    create_table_artifact(
        table=file_rows(summary),
        key=TABLE_KEY,
        description=(
            f"报表校验：{totals['files']}份，退回{totals['refused']}份，"
            f"有警告{totals['accepted_with_warnings']}份 / returns validated, refused, accepted with warnings"
        ),
    )
    create_markdown_artifact(
        markdown=problems_markdown(summary),
        key=PROBLEMS_KEY,
        description="退回重报的报表问题 / problems of the refused returns",
    )
    if report_path is not None:
        create_link_artifact(
            link=report_path.resolve().as_uri(),
            link_text="报表数据质量报告 / data quality report",
            key=REPORT_KEY,
            description="静态 HTML 质量报告 / the static HTML quality report",
        )
