"""The quality report's page layout: a `quality_summary` laid out as the tables the template places.

Tables have the shape reports_templates/partials/table.html.j2 draws (columns as
(key, header) pairs, rows of formatted text, traffic lights by row index), so the
template only places values, it never computes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

STATUS_ZH: dict[str, str] = {
    "refused": "退回重报",
    "accepted_with_warnings": "已接收（有警告）",
    "accepted": "已接收",
}
SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告"}
STATUS_LIGHT: dict[str, str] = {"refused": "red", "accepted_with_warnings": "yellow", "accepted": "green"}
SEVERITY_LIGHT: dict[str, str] = {"error": "red", "warning": "yellow"}

SUMMARY_COLUMNS = [
    ("unit", "县市区"),
    ("period", "期次"),
    ("file", "文件"),
    ("status", "状态"),
    ("errors", "错误"),
    ("warnings", "警告"),
]
PROBLEM_COLUMNS = [
    ("where", "位置"),
    ("column", "列"),
    ("value", "值"),
    ("rule", "规则"),
    ("severity", "级别"),
    ("message_zh", "说明"),
    ("message_en", "Explanation"),
]
RULE_COLUMNS = [("rule", "规则"), ("errors", "错误"), ("warnings", "警告"), ("why", "为什么有这条规则")]
UNKNOWN = "（未识别）"


def page_context(summary: Mapping[str, Any], run_label: str, generated_at: datetime) -> dict[str, Any]:
    """Everything quality_report.html.j2 places, as plain strings, lists and dicts."""
    files = summary["files"]
    return {
        "title": "报表数据质量报告",
        "issue_label": run_label,
        "run_label": run_label,
        "generated_zh": f"{generated_at:%Y年%m月%d日 %H:%M}",
        "headline": headline(summary["totals"]),
        "summary_table": _summary_table(files, summary["totals"]),
        "flagged": [_flagged(entry) for entry in files if entry["status"] != "accepted"],
        "rule_table": _rule_table(summary["rules"]),
    }


def headline(totals: Mapping[str, int]) -> str:
    """One sentence: how many returns were checked and what became of them."""
    if not totals["files"]:
        return "本次运行没有需要检查的报表。"
    return (
        f"本次共检查报表{totals['files']}份：已接收{totals['accepted']}份，"
        f"有警告但已接收{totals['accepted_with_warnings']}份，退回重报{totals['refused']}份；"
        f"共发现错误{totals['errors']}处、警告{totals['warnings']}处。"
    )


def file_title(entry: Mapping[str, Any]) -> str:
    """Which return this is, in a clerk's words: unit, period and file name."""
    unit = entry["unit"] or UNKNOWN
    period = entry["period_zh"] or entry["period"] or UNKNOWN
    return f"{unit}　{period}　{entry['file']}"


def _summary_table(files: Sequence[Mapping[str, Any]], totals: Mapping[str, int]) -> dict[str, Any]:
    rows = [
        {
            "unit": entry["unit"] or UNKNOWN,
            "period": entry["period_zh"] or entry["period"] or UNKNOWN,
            "file": entry["file"],
            "status": STATUS_ZH[entry["status"]],
            "errors": str(entry["errors"]),
            "warnings": str(entry["warnings"]),
        }
        for entry in files
    ]
    lights = {str(i): {"status": STATUS_LIGHT[entry["status"]]} for i, entry in enumerate(files)}
    total = {"unit": "合计", "period": "", "file": f"{totals['files']}份", "status": ""}
    total |= {"errors": str(totals["errors"]), "warnings": str(totals["warnings"])}
    return {"columns": SUMMARY_COLUMNS, "rows": rows, "lights": lights, "total": total if files else {}, "note": ""}


def _flagged(entry: Mapping[str, Any]) -> dict[str, Any]:
    problems = entry["problems"]
    rows = [problem_row(p) for p in problems]
    lights = {str(i): {"severity": SEVERITY_LIGHT[p["severity"]]} for i, p in enumerate(problems)}
    return {
        "title": file_title(entry),
        "status": STATUS_ZH[entry["status"]],
        "light": STATUS_LIGHT[entry["status"]],
        "counts": f"错误{entry['errors']}处，警告{entry['warnings']}处",
        "table": {"columns": PROBLEM_COLUMNS, "rows": rows, "lights": lights, "total": {}, "note": ""},
    }


def problem_row(problem: Mapping[str, Any]) -> dict[str, str]:
    """A problem (Problem.to_dict()) as the text of one problems-table row."""
    return {
        "where": _where(problem),
        "column": problem["column"],
        "value": problem["value"],
        "rule": problem["rule"],
        "severity": SEVERITY_ZH[problem["severity"]],
        "message_zh": problem["message_zh"],
        "message_en": problem["message_en"],
    }


def _where(problem: Mapping[str, Any]) -> str:
    parts = []
    if problem["sheet"]:
        parts.append(f"工作表“{problem['sheet']}”")
    if problem["row"] is not None:
        parts.append(f"第{problem['row']}行")
    return "，".join(parts) or "整个文件"


def _rule_table(rules: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    rows = [
        {
            "rule": rule["rule"],
            "errors": str(rule["errors"]),
            "warnings": str(rule["warnings"]),
            "why": "；".join(rule["explanations"]) or "—",
        }
        for rule in rules
    ]
    return {"columns": RULE_COLUMNS, "rows": rows, "lights": {}, "total": {}, "note": ""}
