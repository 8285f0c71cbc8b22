"""The GX suites in expectations/ as plain JSON: paths, loading and a config check.

Nothing here imports Great Expectations, so check-config and wiring tests can
verify the suites without paying its multi-second import.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govbrief.glossary import load_glossary

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"

# Sheets whose rows are validated; each needs expectations/<sheet>.json.
VALIDATED_SHEETS: tuple[str, ...] = ("accidents", "hazards", "enforcement", "scenic", "debt", "key_tasks")

# Expectations that report offending rows (unexpected_index_list). Aggregate
# ones (column dtype, mean, ...) cannot be traced to a file and row, so a suite
# may not use them.
ROW_LEVEL_TYPES: frozenset[str] = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_values_to_be_unique",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "expect_column_pair_values_to_be_equal",
        "expect_column_pair_values_to_be_in_set",
        "expect_compound_columns_to_be_unique",
        "expect_multicolumn_values_to_be_unique",
    }
)
# explanation_zh: one sentence telling a clerk why the rule exists (shown in the quality report).
META_KEYS: tuple[str, ...] = ("rule", "severity", "column", "message_zh", "message_en", "explanation_zh")
SEVERITIES: frozenset[str] = frozenset({"error", "warning"})

SuiteSpec = dict[str, Any]


def suite_paths(directory: Path = EXPECTATIONS_DIR) -> dict[str, Path]:
    """Sheet id → the suite file that validates it."""
    return {sheet_id: directory / f"{sheet_id}.json" for sheet_id in VALIDATED_SHEETS}


def load_suite_specs(directory: Path = EXPECTATIONS_DIR) -> dict[str, SuiteSpec]:
    """Sheet id → the suite as plain JSON (``{"name", "expectations": [...]}``)."""
    specs: dict[str, SuiteSpec] = {}
    for sheet_id, path in suite_paths(directory).items():
        with path.open(encoding="utf-8") as f:
            specs[sheet_id] = json.load(f)
    return specs


def rule_explanations(directory: Path = EXPECTATIONS_DIR) -> dict[tuple[str, str], str]:
    """(rule, the column's Chinese header) → why the rule exists, from every suite's meta.explanation_zh."""
    glossary = load_glossary()
    explanations: dict[tuple[str, str], str] = {}
    for sheet_id, spec in load_suite_specs(directory).items():
        for expectation in spec["expectations"]:
            meta = expectation["meta"]
            header = glossary.header(sheet_id, meta["column"])
            explanations.setdefault((meta["rule"], header), meta["explanation_zh"])
    return explanations


def check_suite_specs(directory: Path = EXPECTATIONS_DIR) -> list[str]:
    """Every way the suites break the contract (missing file, bad meta, unknown column); [] when fine."""
    issues: list[str] = []
    for sheet_id, path in suite_paths(directory).items():
        if not path.is_file():
            issues.append(f"{sheet_id}: no suite at {path}")
            continue
        try:
            with path.open(encoding="utf-8") as f:
                spec = json.load(f)
        except (OSError, ValueError) as exc:
            issues.append(f"{sheet_id}: {path.name} is not readable JSON ({exc})")
            continue
        issues.extend(_check_spec(sheet_id, spec))
    return issues


def _check_spec(sheet_id: str, spec: SuiteSpec) -> list[str]:
    expectations = spec.get("expectations")
    if not spec.get("name") or not isinstance(expectations, list) or not expectations:
        return [f"{sheet_id}: a suite needs a name and a non-empty list of expectations"]
    issues: list[str] = []
    for number, expectation in enumerate(expectations, start=1):
        issues.extend(f"{sheet_id} #{number}: {issue}" for issue in _check_expectation(sheet_id, expectation))
    return issues


def _check_expectation(sheet_id: str, expectation: dict[str, Any]) -> list[str]:
    issues: list[str] = []
    if expectation.get("type") not in ROW_LEVEL_TYPES:
        issues.append(f"type {expectation.get('type')!r} does not report rows")
    meta = expectation.get("meta") or {}
    issues.extend(f"meta lacks {key!r}" for key in META_KEYS if not meta.get(key))
    if meta.get("severity") and meta["severity"] not in SEVERITIES:
        issues.append(f"severity {meta['severity']!r} is not error or warning")
    column_ids = load_glossary().sheet(sheet_id).column_ids
    if meta.get("column") and meta["column"] not in column_ids:
        issues.append(f"meta column {meta['column']!r} is not a column of {sheet_id}")
    return issues
