"""Intake: from a file in a drop folder to a validated return, before anything is loaded.

sources: find the files (a folder today); gather: archive each one untouched (raw_archive, by
sha256) and say whose and which period it is (identify); guard: refusals on the raw bytes and
the path (empty, oversized, zip bomb, encrypted, not a spreadsheet, symlinks); ingest: read the
files (readers/) and validate the batch (quality/); returns_check: the same, for check-returns.
"""
