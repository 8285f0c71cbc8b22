"""`govbrief check-templates`: lint report templates before they are used, and say why any is refused."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rich.console import Console

from govbrief.render.template_lint import Finding, lint_folder, lint_template
from govbrief.render.templates import DEFAULT_TEMPLATES_DIR

MARKS = {"error": ("✗", "red"), "warning": ("!", "yellow")}


def run_check_templates(console: Console, paths: Sequence[Path]) -> bool:
    """Lint `paths` (template folders or files; default: reports_templates/) and print; True if none refused."""
    results: dict[Path, dict[str, list[Finding]]] = {}
    for folder, names in templates_to_check(paths or [DEFAULT_TEMPLATES_DIR]):
        checked = lint_folder(folder) if names is None else {n: lint_template(folder, n) for n in names}
        results.setdefault(folder, {}).update(checked)
    for folder, checked in results.items():
        print_folder(console, folder, checked)
    every = [findings for checked in results.values() for findings in checked.values()]
    return print_summary(console, every)


def templates_to_check(paths: Iterable[Path]) -> list[tuple[Path, list[str] | None]]:
    """Each path as (templates folder, template names in it; None for all of them)."""
    chosen: list[tuple[Path, list[str] | None]] = []
    for path in (p.resolve() for p in paths):
        if path.is_dir():
            chosen.append((path, None))
            continue
        folder = templates_folder_of(path)
        chosen.append((folder, [path.relative_to(folder).as_posix()]))
    return chosen


def templates_folder_of(template: Path) -> Path:
    """The folder a template's include/import names are relative to: the repo's templates, else its own folder."""
    default = DEFAULT_TEMPLATES_DIR.resolve()
    if template.is_relative_to(default):
        return default
    return template.parent.parent if template.parent.name == "partials" else template.parent


def print_folder(console: Console, folder: Path, checked: dict[str, list[Finding]]) -> None:
    """Each refused or warned template of one folder, one line per finding."""
    console.print(f"模板目录 templates folder: {folder}", markup=False, highlight=False, soft_wrap=True)
    for findings in checked.values():
        for finding in findings:
            mark, colour = MARKS[finding.severity]
            console.print(f"  {mark} {finding.text()}", style=colour, markup=False, highlight=False, soft_wrap=True)


def print_summary(console: Console, every: list[list[Finding]]) -> bool:
    """The closing count; True when no template is refused."""
    refused = sum(1 for findings in every if any(f.severity == "error" for f in findings))
    passed = len(every) - refused
    line = f"检查模板{len(every)}个：通过{passed}个，拒绝{refused}个 / "
    line += f"{len(every)} templates checked: {passed} passed, {refused} refused"
    console.print(line, style="red" if refused else "green", markup=False, highlight=False, soft_wrap=True)
    return refused == 0
