"""Pick the adapter for a configured source."""

from __future__ import annotations

from pathlib import Path

from govbrief.config import SourceSpec
from govbrief.sources.base import ReturnSource
from govbrief.sources.folder import FolderSource


class UnsupportedSource(Exception):
    """A configured source kind has no adapter yet."""


def make_source(spec: SourceSpec, *, base: Path) -> ReturnSource:
    """The adapter for `spec`; relative folder paths resolve against `base`."""
    if spec.kind == "folder":
        assert spec.path is not None  # SourceSpec guarantees it
        root = Path(spec.path)
        return FolderSource(root if root.is_absolute() else base / root, spec.pattern)
    raise UnsupportedSource(f"source kind {spec.kind!r} has no adapter yet / 暂不支持 {spec.kind} 数据来源")
