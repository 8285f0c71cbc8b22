"""Readers: county returns (workbooks) → canonical frames and Problems, driven by the glossary."""

from govbrief.readers.workbook import ReadResult, read_return

__all__ = ["ReadResult", "read_return"]
