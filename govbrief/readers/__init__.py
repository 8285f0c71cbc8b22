"""Readers: county returns → canonical frames and Problems, driven by the glossary.

`read_return(path, kind, display_name=None, file_format=None)` reads .xlsx,
.xls (BIFF, as WPS saves), CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16)
and HTML tables saved under any name; the content decides the format. It
never raises on bad content and reports every problem in one pass.

Rules the reader reports (rule id: severity — what):
- unreadable_file: error — corrupt, or not a workbook, CSV or HTML table.
- empty_file: error — zero bytes.
- password_protected: error — an encrypted workbook (OLE2 EncryptedPackage, or .xls with a password).
- expands_too_large: error — an .xlsx that would unzip to more than 200 MB.
- missing_sheet: error — a required sheet is nowhere (by name or by header). A CSV or
  HTML table carries one sheet only: the others are missing, so a multi-sheet return
  sent as CSV is refused, with a message asking for the workbook.
- missing_header: error — a sheet with content but no header in its first 10 rows.
- missing_column: error — a required column absent; the message lists the header
  texts that named nothing, the likely misspellings. Extra columns are ignored
  silently (序号, 备注 are normal), so there is no unknown_column rule.
- empty_sheet: warning — a sheet with nothing at all (无 / 本旬无事故 is not a problem).
- blank_count: warning — a blank count or required amount, or one holding only a
  dash or slash (—, -, ／), read as 0. 无 / 没有 / 零 is an explicit zero: no warning.
- not_a_number, negative_count, fractional_count, count_too_large (≥ 10⁹),
  negative_number, percent_not_allowed (12% in a count or amount), not_a_date: error.
- formula_cell: warning — one per sheet, listing the formula cells whose cached
  (saved) values were read; formulas are never evaluated. Formulas in skipped rows
  (a =SUM 合计 row) are not listed. Detected in .xlsx only (.xls formulas read their
  cached values silently).
- formula_without_value: error — a formula cell with no cached value (never calculated).

Layout the reader copes with: up to a few title rows, one- or two-row headers (a
merged parent over its children: 一般隐患 over 发现 / 已整改), header spelling drift,
合计 / 总计 / 小计 rows (skipped, never summed), footers (填表人：…), blank rows,
sheets renamed or unnamed (matched by header), extra and reordered columns.
"""

from govbrief.readers.formats import FILE_FORMATS, sniff_format
from govbrief.readers.workbook import ReadResult, read_return

__all__ = ["FILE_FORMATS", "ReadResult", "read_return", "sniff_format"]
