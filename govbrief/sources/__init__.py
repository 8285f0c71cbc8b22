"""Where returns come from: one adapter per source kind behind one small interface."""

from govbrief.sources.base import FoundFile, ReturnSource, SourceQuery
from govbrief.sources.factory import UnsupportedSource, make_source

__all__ = ["FoundFile", "ReturnSource", "SourceQuery", "UnsupportedSource", "make_source"]
