"""A `quality_summary` cut down for places that show little: a row per file, and the
refused returns' problems as a bounded Markdown table (the Prefect artifacts).

Markdown renders what it is given, so every cell from a return is escaped here:
no table-breaking ``|``, no HTML, no emphasis or links a clerk did not mean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from govbrief.quality.report_page import PROBLEM_COLUMNS, file_title, problem_row

MAX_PROBLEM_ROWS = 100  # a markdown artifact is read on screen; the HTML report has everything
MAX_CELL_CHARS = 160
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]#|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_WHITESPACE = re.compile(r"\s+")
# The markdown table leaves out the English column: the HTML report has both languages.
_MARKDOWN_COLUMNS = [(key, header) for key, header in PROBLEM_COLUMNS if key != "message_en"]


def file_rows(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per file: unit, period, file, status, errors, warnings."""
    keys = ("unit", "period", "file", "status", "errors", "warnings")
    return [{key: entry[key] for key in keys} for entry in summary["files"]]


def problems_markdown(summary: Mapping[str, Any], *, max_rows: int = MAX_PROBLEM_ROWS) -> str:
    """The refused files' problems as Markdown, at most `max_rows` problem rows in all."""
    refused = [entry for entry in summary["files"] if entry["status"] == "refused"]
    if not refused:
        return "本次运行没有退回重报的报表。\n"
    lines = [f"# 退回重报的报表（{len(refused)}份）", ""]
    shown = 0
    for entry in refused:
        if shown >= max_rows:
            break
        lines += _file_section(entry, max_rows - shown)
        shown += min(max_rows - shown, len(entry["problems"]))
    hidden = sum(len(entry["problems"]) for entry in refused) - shown
    if hidden:
        lines.append(f"……另有{hidden}条问题未列出，详见 HTML 质量报告。")
    return "\n".join(lines).rstrip("\n") + "\n"


def _file_section(entry: Mapping[str, Any], room: int) -> list[str]:
    lines = [
        f"## {escape_markdown(file_title(entry))}",
        "",
        "| " + " | ".join(header for _, header in _MARKDOWN_COLUMNS) + " |",
        "|" + "---|" * len(_MARKDOWN_COLUMNS),
    ]
    for problem in entry["problems"][:room]:
        row = problem_row(problem)
        lines.append("| " + " | ".join(escape_markdown(row[key]) for key, _ in _MARKDOWN_COLUMNS) + " |")
    return [*lines, ""]


def escape_markdown(text: str) -> str:
    """One table cell of plain text: one line, bounded, with Markdown and HTML neutralised."""
    flat = _WHITESPACE.sub(" ", str(text)).strip()
    if len(flat) > MAX_CELL_CHARS:
        flat = flat[: MAX_CELL_CHARS - 1] + "…"
    flat = "".join(_HTML.get(char, char) for char in flat)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", flat)
