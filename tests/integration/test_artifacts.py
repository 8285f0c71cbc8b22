"""The validation artifacts, published from a real flow run and read back through the Prefect API."""

from __future__ import annotations

import flows  # noqa: F401  (Prefect's quiet, offline defaults: they must be set before Prefect is imported)

# isort: split
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from govbrief.quality.digest import file_rows
from govbrief.quality.report import quality_summary, write_quality_report
from tasks.artifacts import PROBLEMS_KEY, REPORT_KEY, TABLE_KEY, publish_quality_artifacts
from tests.unit.test_quality_report import GENERATED, UNIT_NAMES, run_outcomes

pytestmark = [pytest.mark.prefect]


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the session; its first start migrates a database (~30 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@flow(name="publish-validation")
def publish_validation(summary: dict[str, Any], report_path: Path) -> None:
    publish_quality_artifacts(summary, report_path)


def test_a_flow_publishes_the_table_the_problems_and_the_report_link(prefect_harness: None, tmp_path: Path) -> None:
    summary = quality_summary(run_outcomes(), unit_names=UNIT_NAMES)
    report = write_quality_report(
        run_outcomes(), tmp_path, run_label="it", generated_at=GENERATED, unit_names=UNIT_NAMES
    )

    publish_validation(summary, report)

    with get_client(sync_client=True) as client:
        keys = ArtifactFilterKey(any_=[TABLE_KEY, PROBLEMS_KEY, REPORT_KEY])
        artifacts = {a.key: a for a in client.read_artifacts(artifact_filter=ArtifactFilter(key=keys))}
    assert set(artifacts) == {TABLE_KEY, PROBLEMS_KEY, REPORT_KEY}
    assert len({a.flow_run_id for a in artifacts.values()}) == 1  # all attached to the one flow run
    table = artifacts[TABLE_KEY]
    assert table.type == "table"
    assert json.loads(str(table.data)) == file_rows(summary)
    assert [(row["unit"], row["status"], row["errors"]) for row in json.loads(str(table.data))] == [
        ("东湖县", "refused", 3),
        ("西山县", "accepted_with_warnings", 0),
        ("城关区", "accepted", 0),
    ]
    problems = str(artifacts[PROBLEMS_KEY].data)
    assert problems.startswith("# 退回重报的报表（1份）") and "grade\\_mismatch" in problems
    assert report.resolve().as_uri() in str(artifacts[REPORT_KEY].data)
