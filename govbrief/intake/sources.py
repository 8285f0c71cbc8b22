"""Where returns come from: the source interface, and the drop-folder adapter behind it.

A source finds the files a unit sent for a period without reading them; gather then
archives each one untouched. The configuration accepts only source kinds that have
an adapter here (today: folders), so a configured source always works.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from govbrief.config import SourceSpec
from govbrief.intake.guard import check_path
from govbrief.problems import Problem


@dataclass(frozen=True)
class SourceQuery:
    """What to look for: one unit's return of one kind for one period."""

    unit_code: str
    unit_name: str
    unit_short_name: str
    return_kind: str  # glossary id, e.g. "safety"
    return_zh: str  # 安全生产旬报表
    period_key: str  # 2026-11-x2
    period_zh: str  # 2026年11月中旬


@dataclass(frozen=True)
class FoundFile:
    """A file a source found, untouched: either its bytes (HTTP, SQL) or a path to stream
    them from (folders, so a huge file is never loaded into memory)."""

    name: str
    origin: str
    received_at: datetime  # timezone-aware
    size: int
    content: bytes | None = None
    path: Path | None = None
    folders: tuple[str, ...] = ()  # folder names between the source root and the file, nearest first
    refusal: Problem | None = None  # the source would not read it (a symlink, a path outside the drop)


class ReturnSource(Protocol):
    """Finds the files sent for a period. Folder today; SQL and HTTP sources return the
    same FoundFile (a query result or a download serialised as a file).

    A source whose location names the unit ({unit_name} in a folder pattern) is asked
    once per unit; a shared one (the city's drop folder) once per period, and the unit
    of each file is then identified from its name, folder or content."""

    kind: str
    shared: bool

    def find(self, query: SourceQuery) -> list[FoundFile]:
        """Every file matching the query, oldest first."""
        ...


SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv", ".htm", ".html"})
UNIT_PLACEHOLDERS = ("{unit_code}", "{unit_name}", "{unit_short_name}")


class FolderSource:
    """Files under `root` matching a glob pattern with {placeholders} from the query.

    Symlinks are never followed and nothing outside `root` is read: a link in the
    drop folder could otherwise pull any file on the server into the archive.
    """

    kind = "folder"

    def __init__(self, root: Path, pattern: str):
        self.root = root
        self.pattern = pattern
        self.shared = not any(p in pattern for p in UNIT_PLACEHOLDERS)

    def find(self, query: SourceQuery) -> list[FoundFile]:
        """Matching files, oldest first; editor lock files (~$…) and hidden files are ignored."""
        glob = self.pattern.format(**asdict(query))
        found = [self.found_file(p) for p in self.root.glob(glob) if _is_candidate(p)]
        return sorted(found, key=lambda f: (f.received_at, f.name))

    def found_file(self, path: Path) -> FoundFile:
        """Describe one file under the root (no bytes are read here)."""
        info = path.lstat()
        received_at = datetime.fromtimestamp(info.st_mtime, tz=UTC)
        inside = path.parent.is_relative_to(self.root)
        folders = tuple(reversed(path.parent.relative_to(self.root).parts)) if inside else ()
        refusal = check_path(path, self.root)
        return FoundFile(
            name=path.name,
            origin=str(path),
            received_at=received_at,
            size=0 if refusal else info.st_size,
            path=None if refusal else path,
            folders=folders,
            refusal=refusal,
        )


def _is_candidate(path: Path) -> bool:
    if path.name.startswith(("~$", ".")) or path.suffix.lower() not in SUFFIXES:
        return False
    return path.is_symlink() or path.is_file()


def make_source(spec: SourceSpec, *, base: Path) -> FolderSource:
    """The adapter for `spec`; relative folder paths resolve against `base`."""
    root = Path(spec.path)
    return FolderSource(root if root.is_absolute() else base / root, spec.pattern)
