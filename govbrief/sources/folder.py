"""A drop folder: counties (or a mail gateway) put workbooks into it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from govbrief.sources.base import FoundFile, SourceQuery

SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv"})


class FolderSource:
    """Files under `root` matching a glob pattern with {placeholders} from the query."""

    kind = "folder"

    def __init__(self, root: Path, pattern: str):
        self.root = root
        self.pattern = pattern

    def find(self, query: SourceQuery) -> list[FoundFile]:
        """Matching files, oldest first; names starting with ~$ or . (editor locks) are ignored."""
        glob = self.pattern.format(**asdict(query))
        paths = [p for p in self.root.glob(glob) if _is_return(p)]
        paths.sort(key=lambda p: (p.stat().st_mtime, p.name))
        return [_found(p) for p in paths]


def _is_return(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith(("~$", "."))


def _found(path: Path) -> FoundFile:
    stat = path.stat()
    return FoundFile(
        name=path.name,
        origin=str(path),
        content=path.read_bytes(),
        received_at=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
    )
