"""Great Expectations behind one function: a suite JSON and a frame in, failing rows out.

This is the only module in the project that imports great_expectations, and it
does so inside functions: the import costs 5-7 s, which a CLI start must not pay.
One ephemeral context per process (no files written), progress bars and
analytics off, warnings silenced while GX runs.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from govbrief.quality.suites import SuiteSpec

# Columns every failing row is reported with; (_sha, _row) finds it in the frame.
INDEX_COLUMNS: tuple[str, ...] = ("_sha", "_file", "_sheet", "_row")
RESULT_FORMAT: dict[str, Any] = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": list(INDEX_COLUMNS),
}

# GX contexts and assets are not documented as thread-safe; Prefect may run tasks in threads.
_LOCK = threading.Lock()


class QualityError(RuntimeError):
    """A suite could not run as written (unknown expectation, missing column...)."""


@dataclass(frozen=True)
class Failure:
    """One failed expectation: its meta (rule, severity, column, messages) and the rows that broke it."""

    meta: Mapping[str, Any]
    rows: list[dict[str, Any]]


def run_suite(sheet_id: str, spec: SuiteSpec, frame: pd.DataFrame, parameters: Mapping[str, Any]) -> list[Failure]:
    """Validate the whole `frame` once against `spec`; every failed expectation with its rows."""
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        suite = _suite(json.dumps(spec, sort_keys=True, ensure_ascii=False))
        batch = _batch_definition(sheet_id).get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format=RESULT_FORMAT, expectation_parameters=dict(parameters))
    return [_failure(sheet_id, outcome) for outcome in result.results if not outcome.success]


def _failure(sheet_id: str, outcome: Any) -> Failure:
    config = outcome.expectation_config
    _raise_on_exception(sheet_id, config.type, outcome.exception_info or {})
    rows = (outcome.result or {}).get("unexpected_index_list")
    if rows is None:
        raise QualityError(f"{sheet_id}: {config.type} failed without naming rows")
    return Failure(meta=dict(config.meta or {}), rows=list(rows))


def _raise_on_exception(sheet_id: str, expectation_type: str, info: Mapping[str, Any]) -> None:
    # exception_info is either one {raised_exception, exception_message} or one per metric.
    entries = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for entry in entries:
        if entry.get("raised_exception"):
            raise QualityError(f"{sheet_id}: {expectation_type} could not run: {entry.get('exception_message')}")


@cache
def _suite(spec_json: str) -> Any:
    gx = _gx()
    spec = json.loads(spec_json)
    suite = gx.ExpectationSuite(**spec)
    # GX logs and drops an expectation it cannot build; a dropped rule must not pass silently.
    if len(suite.expectations) != len(spec["expectations"]):
        raise QualityError(f"suite {spec['name']!r}: some expectations are not valid GX 1.x expectations")
    return suite


@cache
def _batch_definition(sheet_id: str) -> Any:
    asset = _datasource().add_dataframe_asset(name=sheet_id)
    return asset.add_batch_definition_whole_dataframe(sheet_id)


@cache
def _datasource() -> Any:
    context = _gx().get_context(mode="ephemeral")
    context.enable_analytics(False)
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context.data_sources.add_pandas(name="govbrief")


@cache
def _gx() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    # GX logs INFO/WARNING chatter (temporary docs directories...) that a batch run must not show.
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations

    _quiet_loggers("great_expectations")  # the import itself sets levels on some of its loggers
    return great_expectations


def _quiet_loggers(prefix: str) -> None:
    for name in list(logging.root.manager.loggerDict):
        if name == prefix or name.startswith(prefix + "."):
            logging.getLogger(name).setLevel(logging.ERROR)
