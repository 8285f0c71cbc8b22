"""Publish a run as Prefect artifacts: what the Prefect UI shows of it.

The validation outcome (data from govbrief.quality.report.quality_summary, layout
from govbrief.quality.digest), and per brief run its submission matrix, its key
figures and links to its rendered files. Called from inside a flow or task: the
artifacts attach to that run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prefect import task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from govbrief.briefs.registry import name_zh
from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.metrics.catalogue import BY_ID, Indicator
from govbrief.quality.digest import file_rows, problems_markdown
from govbrief.status.matrix import submission_matrix
from govbrief.status.present import matrix_json
from tasks.common import NO_CACHE, warehouse_for

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


@task(name="publish-run-artifacts", cache_policy=NO_CACHE)
def publish_run_artifacts(
    settings: Settings, return_kinds: list[str], period: Period, data: Mapping[str, Any], files: Mapping[str, Path]
) -> dict[str, str]:
    """The brief's submission matrix and key figures as tables, its rendered files as links; artifact keys by kind."""
    keys = run_artifact_keys(str(data["kind"]), period.key)
    label = f"{name_zh(str(data['kind']))} {period.label_zh}"
    warehouse = warehouse_for(settings)
    matrix = submission_matrix(warehouse, settings, [period], return_kinds, settings.today())
    create_table_artifact(
        table=matrix_rows(matrix_json(matrix)), key=keys["submissions"], description=f"{label} 报送情况 / submissions"
    )
    create_table_artifact(
        table=key_figure_rows(data), key=keys["figures"], description=f"{label} 全市主要数据 / the city's key figures"
    )
    create_markdown_artifact(
        markdown=files_markdown(label, files), key=keys["files"], description=f"{label} 文件 / files"
    )
    if "brief.html" in files:
        create_link_artifact(
            link=files["brief.html"].resolve().as_uri(), link_text=f"{label}（HTML）", key=keys["html"]
        )
    return keys


FIGURE_WINDOWS = {"period": "本期", "period_last_year": "去年同期", "yoy_pct": "同比", "ytd": "本年累计"}


def run_artifact_keys(kind: str, period_key: str) -> dict[str, str]:
    """Artifact keys of one brief and period (lowercase letters, digits and dashes: Prefect's rule)."""
    stem = re.sub(r"[^a-z0-9-]+", "-", f"govbrief-{kind}-{period_key}".lower())
    return {part: f"{stem}-{part}" for part in ("submissions", "figures", "files", "html")}


def matrix_rows(matrix: Mapping[str, Any]) -> list[dict[str, str]]:
    """One row per unit: its name, then a status label (按时/逾期/未报/退回/更正1…) per return and period."""
    return [
        {"县市区": unit["name"], **{column: cell["label_zh"] for column, cell in unit["cells"].items()}}
        for unit in matrix["units"]
    ]


def key_figure_rows(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """One row per city indicator: 本期, 去年同期, 同比 and 本年累计, as the brief shows them."""
    indicators: Mapping[str, Mapping[str, Any]] = data.get("city", {}).get("indicators", {})
    rows = []
    for indicator_id, values in indicators.items():
        indicator = BY_ID.get(indicator_id)
        row = {"指标": indicator.name_zh if indicator else indicator_id}
        row.update({label: _figure(window, values.get(window), indicator) for window, label in FIGURE_WINDOWS.items()})
        rows.append(row)
    return rows


def _figure(window: str, value: Any, indicator: Indicator | None) -> str:
    if value is None:
        return "—"
    if window.endswith("_pct"):
        return f"{float(value) * 100:+.1f}%"
    if indicator is not None and indicator.kind == "ratio":
        return f"{float(value) * 100:.1f}%"
    unit = indicator.unit_zh if indicator else ""
    return (f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)) + unit


def files_markdown(label: str, files: Mapping[str, Path]) -> str:
    """A Markdown list of the rendered files, each a file:// link."""
    lines = [f"# {label}", ""]
    lines += [f"- [{name}]({path.resolve().as_uri()})" for name, path in sorted(files.items())]
    return "\n".join(lines) + "\n"
