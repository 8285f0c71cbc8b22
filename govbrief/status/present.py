"""The matrix for people and programs: a rich terminal table and a stable JSON shape.

matrix_json(matrix) returns:

    {
      "today": "2026-11-25",
      "periods": [{"key": "2026-11-x2", "label_zh": "2026年11月中旬", "start": "2026-11-11", "end": "2026-11-20"}],
      "return_kinds": [{"id": "safety", "name_zh": "安全生产旬报表", "cadence": "ten_day"}],
      "columns": [{"key": "safety/2026-11-x2", "return_kind": "safety", "period_key": "2026-11-x2",
                   "due": "2026-11-24"}],
      "units": [{"code": "439901", "name": "城关区", "cells": {
          "safety/2026-11-x2": {
              "status": "on_time" | "late" | "missing" | "pending" | "refused" | "replaced",
              "label_zh": "按时" | "逾期" | "未报" | "待报" | "退回" | "更正1" …,
              "on_time": true | false | null,      # the first file arrived by the deadline (null: none)
              "received_at": "2026-11-21T09:30:00+08:00" | null,   # the current file, city time
              "revisions": 0 | 1 | 2 …,             # distinct files received (2 = corrected once)
              "late_revisions": 0 …,                # of those, replacements after the deadline
              "file": "东湖县安全生产旬报表.xlsx" | null,
              "errors": 0, "warnings": 0,           # problems of the current file
              "due": "2026-11-24"}}}],
      "summary": {"on_time": 5, "replaced": 1, "late": 1, "pending": 0, "refused": 1, "missing": 1},
      "timeliness": {"expected", "received", "received_by_deadline", "accepted", "revisions",
                     "submission_timely", "validation_pass"}     # ratios as 0.9 = 90%, null without a base
    }

Units are in configured order, columns finer periods first; every status appears in "summary".
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from govbrief.formatting import fmt_date_zh
from govbrief.status.classify import STATUSES, SubmissionStatus
from govbrief.status.matrix import MatrixColumn, StatusMatrix, SubmissionCell
from govbrief.status.timeliness import timeliness

LABELS_ZH: dict[SubmissionStatus, str] = {
    "on_time": "按时",
    "late": "逾期",
    "missing": "未报",
    "pending": "待报",
    "refused": "退回",
    "replaced": "更正",
}
STYLES: dict[SubmissionStatus, str] = {
    "on_time": "green",
    "late": "yellow",
    "missing": "bold red",
    "pending": "dim",
    "refused": "red",
    "replaced": "cyan",
}


def cell_label(cell: SubmissionCell) -> str:
    """按时 / 逾期 / 未报 / 待报 / 退回, or 更正N for a return replaced N times."""
    label = LABELS_ZH[cell.status]
    return f"{label}{cell.corrections}" if cell.status == "replaced" else label


def render_matrix_table(matrix: StatusMatrix) -> Table:
    """Units as rows, one column per period and return kind, a coloured short label per cell."""
    years = {period.year for period in matrix.periods}
    one_kind = len(matrix.return_kinds) == 1
    table = Table(title=_title(matrix, years, one_kind), caption=_caption(matrix), show_lines=False)
    table.add_column("县市区", no_wrap=True)
    for column in matrix.columns:
        table.add_column(_header(column, len(years) == 1, one_kind), justify="center", no_wrap=True)
    for unit in matrix.units:
        labels = (Text(cell_label(cell), style=STYLES[cell.status]) for cell in matrix.row(unit.code))
        table.add_row(unit.name, *labels)
    return table


def _title(matrix: StatusMatrix, years: set[int], one_kind: bool) -> str:
    parts = ["报送情况"]
    if len(years) == 1:
        parts.append(f"{min(years)}年")
    if one_kind:
        parts.append(matrix.return_kinds[0].name_zh)
    return " · ".join(parts)


def _header(column: MatrixColumn, same_year: bool, one_kind: bool) -> str:
    period = column.period
    label = period.label_zh.removeprefix(f"{period.year}年") if same_year else period.label_zh
    lines = [label or period.label_zh]
    if not one_kind:
        lines.append(column.return_kind.name_zh)
    lines.append(f"截止{fmt_date_zh(column.deadline.due)}")
    return "\n".join(lines)


def _caption(matrix: StatusMatrix) -> str:
    counts = matrix.summary()
    return " · ".join(f"{LABELS_ZH[status]} {counts[status]}" for status in STATUSES)


def matrix_json(matrix: StatusMatrix) -> dict[str, Any]:
    """The matrix as plain JSON-serialisable data (shape in the module docstring)."""
    return {
        "today": matrix.today.isoformat(),
        "periods": [
            {"key": p.key, "label_zh": p.label_zh, "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in matrix.periods
        ],
        "return_kinds": [{"id": k.id, "name_zh": k.name_zh, "cadence": k.cadence} for k in matrix.return_kinds],
        "columns": [
            {
                "key": c.key,
                "return_kind": c.return_kind.id,
                "period_key": c.period.key,
                "due": c.deadline.due.isoformat(),
            }
            for c in matrix.columns
        ],
        "units": [
            {
                "code": unit.code,
                "name": unit.name,
                "cells": {
                    column.key: _cell_json(matrix, cell)
                    for column, cell in zip(matrix.columns, matrix.row(unit.code), strict=True)
                },
            }
            for unit in matrix.units
        ],
        "summary": matrix.summary(),
        "timeliness": timeliness(matrix).to_dict(),
    }


def _cell_json(matrix: StatusMatrix, cell: SubmissionCell) -> dict[str, Any]:
    received = cell.received_at.astimezone(matrix.timezone).isoformat() if cell.received_at else None
    return {
        "status": cell.status,
        "label_zh": cell_label(cell),
        "on_time": cell.on_time,
        "received_at": received,
        "revisions": cell.revisions,
        "late_revisions": cell.late_revisions,
        "file": cell.file,
        "errors": cell.errors,
        "warnings": cell.warnings,
        "due": cell.deadline.due.isoformat(),
    }
