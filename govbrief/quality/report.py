"""The validation outcome of a run as plain data, and as a static HTML page people read.

`quality_summary` turns the run's ReturnOutcomes into plain data (per file, per
rule, totals) that the HTML page, the Prefect artifacts and JSON output share.
`write_quality_report` renders that page with the hardened report templates
(every value escaped) into the state folder, as quality-<run>.html and latest.html.
"""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from govbrief.calendar.periods import PeriodError, parse_period
from govbrief.model import ReturnOutcome
from govbrief.problems import Problem
from govbrief.quality.report_page import page_context
from govbrief.quality.suites import rule_explanations
from govbrief.render.templates import template_environment

FileStatus = Literal["accepted", "accepted_with_warnings", "refused"]
STATUSES: tuple[FileStatus, ...] = ("refused", "accepted_with_warnings", "accepted")  # most urgent first
TEMPLATE = "quality_report.html.j2"
LATEST = "latest.html"
_UNSAFE_LABEL = re.compile(r"[^0-9A-Za-z._-]+")


def file_status(problems: Iterable[Problem]) -> FileStatus:
    """refused with any error, accepted_with_warnings with only warnings, else accepted."""
    severities = {p.severity for p in problems}
    if "error" in severities:
        return "refused"
    return "accepted_with_warnings" if "warning" in severities else "accepted"


def quality_summary(
    outcomes: Sequence[ReturnOutcome], *, unit_names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Plain data: ``files`` (most urgent first), ``rules`` (counts by severity, why each exists), ``totals``."""
    files = sorted((_file_entry(o, unit_names or {}) for o in outcomes), key=_file_order)
    problems = [p for o in outcomes for p in o.problems]
    statuses = Counter(f["status"] for f in files)
    severities = Counter(p.severity for p in problems)
    totals: dict[str, int] = {"files": len(files), **{s: statuses[s] for s in STATUSES}}
    totals |= {"errors": severities["error"], "warnings": severities["warning"]}
    return {"files": files, "rules": _rule_entries(problems), "totals": totals}


def write_quality_report(
    outcomes: Sequence[ReturnOutcome],
    folder: Path,
    *,
    run_label: str,
    generated_at: datetime,
    unit_names: Mapping[str, str] | None = None,
) -> Path:
    """Write quality-<run_label>.html (and a latest.html copy) into `folder`; the page's path."""
    label = safe_label(run_label)
    summary = quality_summary(outcomes, unit_names=unit_names)
    html = render_quality_report(summary, run_label=label, generated_at=generated_at)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"quality-{label}.html"
    _write_atomically(path, html)
    _write_atomically(folder / LATEST, html)
    return path


def render_quality_report(summary: Mapping[str, Any], *, run_label: str, generated_at: datetime) -> str:
    """The HTML page of a `quality_summary`, every value escaped by the template environment."""
    context = page_context(summary, run_label, generated_at)
    return template_environment().get_template(TEMPLATE).render(context)


def safe_label(run_label: str) -> str:
    """`run_label` reduced to what a file name may safely hold (letters, digits, . _ -)."""
    label = _UNSAFE_LABEL.sub("-", run_label).strip(".-")
    if not label:
        raise ValueError(f"run label {run_label!r} has nothing usable in a file name")
    return label


def _file_entry(outcome: ReturnOutcome, unit_names: Mapping[str, str]) -> dict[str, Any]:
    received, problems = outcome.file, outcome.problems
    return {
        "file": received.original_name,
        "sha256": received.sha256,
        "unit_code": received.unit_code,
        "unit": unit_names.get(received.unit_code, received.unit_code),
        "period": received.period_key,
        "period_zh": _period_zh(received.period_key),
        "status": file_status(problems),
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [p.to_dict() for p in problems],
    }


def _period_zh(key: str) -> str:
    try:
        return parse_period(key).label_zh if key else ""
    except PeriodError:
        return key


def _file_order(entry: Mapping[str, Any]) -> tuple[int, str, str, str]:
    return (STATUSES.index(entry["status"]), entry["unit_code"], entry["period"], entry["file"])


def _rule_entries(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """One entry per rule broken, most often broken first, with the suites' explanations of it."""
    known = rule_explanations()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    columns: dict[str, set[str]] = defaultdict(set)
    for problem in problems:
        counts[problem.rule][problem.severity] += 1
        columns[problem.rule].add(problem.column)
    entries = [
        {
            "rule": rule,
            "errors": count["error"],
            "warnings": count["warning"],
            "explanations": _explanations(rule, columns[rule], known),
        }
        for rule, count in counts.items()
    ]
    return sorted(entries, key=lambda e: (-e["errors"] - e["warnings"], e["rule"]))


def _explanations(rule: str, columns: set[str], known: Mapping[tuple[str, str], str]) -> list[str]:
    # The explanation of the columns that broke the rule; a rule the suites state for
    # other columns only still gets all of its explanations. Reader rules have none.
    of_rule = {column: text for (name, column), text in known.items() if name == rule}
    chosen = [of_rule[c] for c in sorted(columns) if c in of_rule] or list(of_rule.values())
    return list(dict.fromkeys(chosen))


def _write_atomically(path: Path, text: str) -> None:
    # A reader opening latest.html mid-write must see the old page or the new one, never half.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
