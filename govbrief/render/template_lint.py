"""Lint report templates before they are used: what `govbrief check-templates` reports.

Each template — the `.j2` files and the Word templates (`.docx`, whose document
XML docxtpl compiles as one Jinja template) — is parsed in the hardened
environment and checked for syntax errors, constructs that would switch escaping off or bypass it, method calls
other than methods of plain data, names starting with `_`, references to files
outside the templates folder, and variables its data does not provide: a brief
template's variables must be keys of BriefContext; other templates declare
theirs in TEMPLATE_VARIABLES.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Literal

from jinja2 import Environment, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import modifies_known_mutable

from govbrief.render.context import BriefContext
from govbrief.render.docx import XML_TEMPLATE_NAME, word_template_source
from govbrief.render.sandbox import escaping_refusals, template_kind, template_references
from govbrief.render.templates import template_environment

Severity = Literal["error", "warning"]

BRIEF_FAMILIES = frozenset({"ten_day", "monthly", "quarterly", "base"})
BRIEF_VARIABLES = frozenset(BriefContext.__required_keys__ | BriefContext.__optional_keys__)
# The data of the templates that are not briefs, by family (the name before the first dot).
TEMPLATE_VARIABLES: dict[str, frozenset[str]] = {
    "returned": frozenset(
        [
            "subject",
            "clerk_name",
            "unit",
            "return_name_zh",
            "return_name_en",
            "period_label_zh",
            "period_key",
            "file_name",
            "received_at_zh",
            "received_at_iso",
            "due_zh",
            "due_iso",
            "overdue",
            "error_count",
            "warning_count",
            "problems",
            "office",
            "office_en",
            "sent_on_zh",
        ]
    ),
    "alert": frozenset(
        {"subject", "recipient_name", "title", "text", "kind_zh", "unit", "period_label_zh", "office", "sent_on_zh"}
    ),
    "quality_report": frozenset(
        {"title", "issue_label", "run_label", "generated_zh", "headline", "summary_table", "flagged", "rule_table"}
    ),
    "archive_index": frozenset({"title", "generated_zh", "kinds"}),
    "ops_failure": frozenset(
        {"subject", "flow_name", "flow_run_name", "flow_run_id", "period_label", "state", "error", "daily"}
    ),
    "partials": frozenset(),  # macros only: they receive everything as parameters
}
_PLAIN_TYPES = (str, int, float, list, dict, tuple)
# Methods a template may call: those of plain data that change nothing, and Jinja's loop/cycler helpers.
PLAIN_METHODS = frozenset(
    name
    for kind in _PLAIN_TYPES
    for name in dir(kind)
    if not name.startswith("_") and not modifies_known_mutable(kind(), name)
) | {"cycle", "changed", "next", "reset"}


_INTROSPECTION = Environment()
SNIPPET_CHARS = 40


@dataclass(frozen=True)
class Finding:
    """One problem of one template, at a line, in Chinese and English."""

    template: str
    line: int
    message_zh: str
    message_en: str
    severity: Severity = "error"
    snippet: str = ""  # Word templates: the paragraph's text, to find it in Word (their lines mean nothing)

    def text(self) -> str:
        """`ten_day.html.j2 第12行：… / line 12: …`; a Word template's paragraph is quoted instead."""
        if self.snippet:
            return f"{self.template} “{self.snippet}”：{self.message_zh} / at “{self.snippet}”: {self.message_en}"
        return f"{self.template} 第{self.line}行：{self.message_zh} / line {self.line}: {self.message_en}"


def lint_folder(folder: Path) -> dict[str, list[Finding]]:
    """Every `.j2` and `.docx` template under `folder` (by name relative to it) and its findings."""
    paths = [*folder.rglob("*.j2"), *folder.rglob("*.docx")]
    names = sorted(p.relative_to(folder).as_posix() for p in paths if p.is_file() and not p.name.startswith("~$"))
    return {name: lint_template(folder, name) for name in names}


def lint_template(folder: Path, name: str) -> list[Finding]:
    """The findings of one template of `folder`, most serious first within each line."""
    if name.endswith(".docx"):
        return lint_word_template(folder, name)
    return _lint_source(folder, name, (folder / name).read_text(encoding="utf-8"), kind_name=name)


def lint_word_template(folder: Path, name: str) -> list[Finding]:
    """A Word template's findings, each naming the paragraph it is in by its text."""
    try:
        source = word_template_source(folder / name)
    except Exception as exc:  # not a Word file, a damaged one: say so instead of failing the whole check
        reason = str(exc) or type(exc).__name__
        return [Finding(name, 1, f"无法读取Word模板：{reason}", f"cannot read the Word template: {reason}")]
    lines = source.splitlines()
    findings = _lint_source(folder, name, source, kind_name=XML_TEMPLATE_NAME)
    return [replace(f, snippet=_paragraph_text(lines, f.line)) for f in findings]


def _paragraph_text(lines: list[str], line: int) -> str:
    text = re.sub(r"<[^>]+>", "", lines[line - 1]) if 0 < line <= len(lines) else ""
    text = html.unescape(" ".join(text.split()))
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _lint_source(folder: Path, name: str, source: str, *, kind_name: str) -> list[Finding]:
    """`kind_name` decides how escaping is checked (a Word template's XML is escaped like HTML)."""
    environment = template_environment(folder)
    try:
        tree = environment.parse(source, name)
    except TemplateSyntaxError as exc:
        return [Finding(name, exc.lineno, f"语法错误：{exc.message}", f"syntax error: {exc.message}")]
    findings = [Finding(name, r.line, r.message_zh, r.message_en) for r in escaping_refusals(tree, kind_name)]
    findings += _reference_findings(tree, name, folder)
    findings += _method_findings(tree, name)
    findings += _variable_findings(source, name, environment)
    if not any(f.severity == "error" for f in findings):
        findings += _compile_findings(environment, source, name)
    return sorted(set(findings), key=lambda f: (f.line, f.severity, f.message_en))


def declared_variables(name: str) -> frozenset[str] | None:
    """The variables a template's data provides (None for a template of no known family)."""
    family = PurePosixPath(name).parts[0] if "/" in name else name.split(".", 1)[0]
    if family in BRIEF_FAMILIES:
        return BRIEF_VARIABLES
    return TEMPLATE_VARIABLES.get(family)


def _reference_findings(tree: nodes.Template, name: str, folder: Path) -> Iterator[Finding]:
    for node, target in template_references(tree):
        if target is None:
            continue  # already refused by escaping_refusals
        normalized = posixpath.normpath(target)
        if normalized.startswith("..") or PurePosixPath(target).is_absolute():
            yield Finding(
                name, node.lineno, f"引用了模板目录以外的文件 {target}", f"{target} is outside the templates folder"
            )
        elif not (folder / normalized).is_file():
            yield Finding(name, node.lineno, f"引用的模板 {target} 不存在", f"{target} does not exist")
        elif template_kind(target) == "static":
            yield from _static_findings(folder, normalized, name, node.lineno)


def _static_findings(folder: Path, target: str, name: str, line: int) -> Iterator[Finding]:
    source = (folder / target).read_text(encoding="utf-8")
    try:
        tree = template_environment(folder).parse(source, target)
    except TemplateSyntaxError as exc:
        yield Finding(
            name, line, f"{target} 第{exc.lineno}行有模板语法错误", f"{target} line {exc.lineno}: {exc.message}"
        )
        return
    for refusal in escaping_refusals(tree, target):
        yield Finding(name, line, refusal.message_zh, refusal.message_en)


def _method_findings(tree: nodes.Template, name: str) -> Iterator[Finding]:
    namespaces = {n.target for n in tree.find_all(nodes.Import)}  # {% import "x" as ns %}: ns.macro() is fine
    for call in tree.find_all(nodes.Call):
        method = _called_member(call)
        if method is None or method in PLAIN_METHODS:
            continue
        if isinstance(call.node, nodes.Getattr) and _root_name(call.node) in namespaces:
            continue
        yield Finding(
            name,
            call.lineno,
            f"禁止调用方法 .{method}()：只能调用文字、数字、列表和字典本身的方法",
            f"calling .{method}() is not allowed: only methods of text, numbers, lists and dicts",
        )
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        member = _member_name(node)
        if member is not None and member.startswith("_"):
            yield _underscore_finding(name, node.lineno, member)


def _variable_findings(source: str, name: str, environment: Environment) -> Iterator[Finding]:
    # Parsed again with stock Jinja: its variable analysis fails on filters the sandbox removed (|safe).
    tree = _INTROSPECTION.parse(source, name)
    try:
        used = meta.find_undeclared_variables(tree) - set(environment.globals) - _top_level_names(tree)
    except TemplateSyntaxError:
        return  # an unknown filter or test: reported when the template is compiled
    declared = declared_variables(name)
    first_lines = _first_lines(tree)
    for variable in sorted(used):
        line = first_lines.get(variable, 1)
        if variable.startswith("_"):
            yield _underscore_finding(name, line, variable)
        elif declared is not None and variable not in declared:
            yield Finding(
                name,
                line,
                f"未声明的变量 {variable}：这个模板收到的数据里没有它",
                f"undeclared variable {variable}: the data this template receives has no such key",
            )
    if declared is None and used:
        yield Finding(
            name,
            1,
            "不认识的模板，变量未核对（请在 govbrief/render/lint.py 中声明）",
            "unknown template: its variables were not checked (declare them in govbrief/render/lint.py)",
            "warning",
        )


def _compile_findings(environment: Environment, source: str, name: str) -> Iterator[Finding]:
    try:
        environment.compile(source, name)
    except TemplateSyntaxError as exc:
        yield Finding(name, exc.lineno, f"无法编译：{exc.message}", f"does not compile: {exc.message}")


def _underscore_finding(name: str, line: int, member: str) -> Finding:
    return Finding(
        name, line, f"禁止使用以下划线开头的名称 {member}", f"names starting with _ are not allowed: {member}"
    )


def _called_member(call: nodes.Call) -> str | None:
    """`x.name(...)` or `x["name"](...)` → name; a call of a plain name (a macro, range…) → None."""
    return _member_name(call.node) if isinstance(call.node, nodes.Getattr | nodes.Getitem) else None


def _member_name(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _root_name(node: nodes.Node) -> str | None:
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        node = node.node
    return node.name if isinstance(node, nodes.Name) else None


def _top_level_names(tree: nodes.Template) -> set[str]:
    """Names the template binds for all its blocks: imports, macros, top-level `set`s."""
    names = {node.target for node in tree.find_all(nodes.Import)}
    for node in tree.find_all(nodes.FromImport):
        names |= {alias if isinstance(alias, str) else alias[1] for alias in node.names}
    names |= {node.name for node in tree.find_all(nodes.Macro)}
    for statement in tree.body:
        if isinstance(statement, nodes.Assign | nodes.AssignBlock):
            targets = [statement.target, *statement.target.find_all(nodes.Name)]  # a name, or a tuple of names
            names |= {target.name for target in targets if isinstance(target, nodes.Name)}
    return names


def _first_lines(tree: nodes.Template) -> dict[str, int]:
    lines: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load":
            lines.setdefault(node.name, node.lineno)
    return lines
