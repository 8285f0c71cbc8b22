"""Build the Word templates of the briefs: reports_templates/ten_day.docx, monthly.docx, quarterly.docx.

Run it after changing the layout or a brief's sections, and commit the script and the
templates together:

    .venv/bin/python scripts/build_docx_template.py

The work is done by the docx_template package next to this script (page.py: GB/T 9704
page and footers; styles.py: fonts and sizes; sections.py: the sections; kinds.py: each
brief's sections in order).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder is already on the path; loaded by file (the tests), it may not be.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx_template import KINDS, TEMPLATES_DIR, build, build_all

__all__ = ["KINDS", "TEMPLATES_DIR", "build", "build_all"]

if __name__ == "__main__":
    for path in build_all():
        print(f"wrote {path}")
