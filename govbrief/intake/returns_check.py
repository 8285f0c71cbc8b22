"""check-returns: check files against the configured city without loading them.

A clerk or analyst runs it before the deadline. Each file goes through exactly
what the flow does (guards, reader, unit identification, the expectation
suites) but nothing is archived or written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.glossary import load_glossary
from govbrief.intake.ingest import Intake, read_one, validate_outcomes
from govbrief.intake.sources import FolderSource
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.problems import Problem, has_errors
from govbrief.warehouse import Warehouse

CheckStatus = Literal["accepted", "accepted_with_warnings", "refused"]
RETURN_KIND = "safety"


@dataclass(frozen=True)
class FileCheck:
    """What check-returns says about one file."""

    path: str
    county: str  # the unit's name, "" when it could not be identified
    period: str  # period key, "" when unknown
    status: CheckStatus
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `check-returns --json`."""
        keys = ("severity", "sheet", "row", "column", "rule", "message_zh", "message_en")
        return {
            "path": self.path,
            "county": self.county,
            "period": self.period,
            "status": self.status,
            "problems": [{k: getattr(p, k) for k in keys} for p in self.problems],
        }


def candidate_files(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(file, the folder it was given under) for every return-like file, folders searched recursively."""
    found = []
    for path in paths:
        if path.is_dir():
            found += [(p, path) for p in sorted(path.rglob("*")) if _looks_like_return(p)]
        else:
            found.append((path, path.parent))
    return found


def check_files(
    paths: Sequence[Path], settings: Settings, *, period: Period | None = None, warehouse: Warehouse | None = None
) -> list[FileCheck]:
    """Check every file; the period is the one given, or read from the file's name, folder or title."""
    glossary, intake = load_glossary(), Intake.of(settings)
    outcomes = []
    for path, root in candidate_files(paths):
        found = FolderSource(root, "*").found_file(path)
        received = ReceivedFile(
            sha256="",
            unit_code="",
            return_kind=RETURN_KIND,
            period_key=period.key if period else "",
            original_name=found.name,
            origin=str(path),
            size=found.size,
            received_at=settings.clock.now(),
            archive_path=str(path) if found.refusal is None else "",
            folders=found.folders or tuple(reversed(path.parent.parts[-2:])),
            problems=(found.refusal,) if found.refusal else (),
        )
        outcomes.append(read_one(received, glossary, intake))
    for index, outcome in enumerate(outcomes):  # validation keys problems by file: give each its own key
        outcome.file = replace(outcome.file, sha256=f"check-{index}")
    for batch in _one_version_per_slot(o for o in outcomes if o.file.period_key):
        validate_outcomes(batch, glossary, warehouse, settings.paths.targets)
    return [_summary(o, settings) for o in outcomes]


def _one_version_per_slot(outcomes: Iterable[ReturnOutcome]) -> list[list[ReturnOutcome]]:
    """Batches in which no unit and period appears twice: a return and its correction are
    checked apart, never as if they were two returns of one unit."""
    batches: list[list[ReturnOutcome]] = []
    seen: dict[tuple[str, str], int] = {}
    for outcome in outcomes:
        slot = (outcome.file.unit_code, outcome.file.period_key)
        round_no = seen[slot] = seen.get(slot, -1) + 1 if outcome.file.unit_code else 0
        if round_no == len(batches):
            batches.append([])
        batches[round_no].append(outcome)
    return batches


def _summary(outcome: ReturnOutcome, settings: Settings) -> FileCheck:
    problems = tuple(outcome.problems)
    status: CheckStatus = "refused" if has_errors(problems) else "accepted_with_warnings" if problems else "accepted"
    code = outcome.file.unit_code
    county = next((u.name for u in settings.units if u.code == code), "")
    return FileCheck(outcome.file.origin, county, outcome.file.period_key, status, problems)


def _looks_like_return(path: Path) -> bool:
    return path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".csv", ".htm", ".html"} and not path.name.startswith(
        ("~$", ".")
    )
