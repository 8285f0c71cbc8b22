"""The Word templates of the briefs (reports_templates/{ten_day,monthly,quarterly}.docx), built with python-docx.

The templates are product assets that staff may open and restyle in Word/WPS; this
package makes them reproducible and reviewable: every GB/T 9704-2012 setting is written
here, with the reason (page.py, styles.py). The three templates share the page, the
styles, the footers and the section builders (sections.py); kinds.py lists each brief's
sections in order, as the HTML templates do.

Template language (docxtpl, Jinja2 on the document XML): `{%p … %}` tags own their
paragraph, `{%tr … %}` their table row, `{%tc … %}` their table cell. Every data table
is one macro (`data_table`) holding one table whose columns come from `{%tc for %}` and
rows from `{%tr for %}`, so a new column in the context needs no template change and
the tables cannot drift apart; lists of records (督办, 约谈, follow-ups) go through the
same macro with their columns declared once (blocks.RECORD_COLUMNS). This beat building
the tables with python-docx in a subdocument: the table's look (borders, bold header and
total rows, header repeated on each page, rows kept whole) stays in the template, where
staff can restyle it in Word, and there is one rendering path instead of two. Widths are
left to Word (tcW auto, table 100 %); docxtpl fixes the tblGrid to the rendered column
count. Traffic lights shade cells through an expression in w:shd's fill. A chart's
paragraph holds only `{{ chart.cid }}`: render_docx swaps it for the image, so the
template context stays plain data.
"""

from .document import KINDS, TEMPLATES_DIR, build, build_all

__all__ = ["KINDS", "TEMPLATES_DIR", "build", "build_all"]
