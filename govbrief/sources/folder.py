"""A drop folder: counties (or a mail gateway) put workbooks into it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from govbrief.intake.guard import check_path
from govbrief.sources.base import FoundFile, SourceQuery

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
