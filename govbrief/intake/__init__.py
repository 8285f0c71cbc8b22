"""Intake: what happens to a received file before and around the reader.

guard: refusals on the raw bytes and the drop-folder path (empty, oversized,
zip bomb, encrypted, not a spreadsheet, symlinks); identify: which unit and
period a return belongs to; spreadsheet_safe: escaping for every CSV/Excel
the system writes. All pure: no Prefect, no database.
"""
