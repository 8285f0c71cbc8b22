"""The layout shows the architecture: folders are layers, and the rules hold mechanically.

Every import counts, including the lazy ones inside functions: a lazy import is still a
dependency, it only moves the cost of loading it.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "govbrief"
ORCHESTRATION = ("flows", "tasks")
MAX_ROOT_MODULES = 8
# The brief kinds' packages each have the same rooms; the name says the role, the folder the brief.
ROLE_NAMES_PER_BRIEF = {"assemble", "data", "sections", "writing"}


def imported_modules(path: Path) -> Iterator[str]:
    """Every module an import statement in `path` names (for `from a import b`: a, and a.b)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def folder_of(module: str) -> Path | None:
    """The core folder holding `module` (a package is its own folder); None outside the core."""
    path = REPO.joinpath(*module.split("."))
    if path.is_dir():
        return path
    if path.with_suffix(".py").is_file():
        return path.parent
    return None


def folder_graph() -> dict[Path, set[Path]]:
    """folder → the other core folders its modules import."""
    graph: dict[Path, set[Path]] = defaultdict(set)
    for source in CORE.rglob("*.py"):
        for module in imported_modules(source):
            if module.split(".")[0] != "govbrief":
                continue
            target = folder_of(module)
            if target is not None and target != source.parent:
                graph[source.parent].add(target)
    return graph


def cycles(graph: dict[Path, set[Path]]) -> list[list[str]]:
    """The strongly connected components with more than one folder (Tarjan)."""
    index: dict[Path, int] = {}
    low: dict[Path, int] = {}
    stack: list[Path] = []
    found: list[list[str]] = []

    def visit(node: Path) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(str(member.relative_to(REPO) if member.is_absolute() else member))
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_folders_are_layers_no_folder_imports_one_that_imports_it_back() -> None:
    assert cycles(folder_graph()) == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    a, b, c = Path("a"), Path("b"), Path("c")
    assert cycles({a: {b}, b: {c}, c: {a}}) != []
    assert cycles({a: {b}, b: {c}}) == []


def test_only_the_cli_reaches_flows_and_tasks() -> None:
    offenders = [
        f"{path.relative_to(REPO)} imports {module}"
        for path in CORE.rglob("*.py")
        if path.parent != CORE / "cli" and not path.is_relative_to(CORE / "cli")
        for module in imported_modules(path)
        if module.split(".")[0] in ORCHESTRATION
    ]
    assert offenders == []


def test_the_core_never_imports_prefect() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in CORE.rglob("*.py")
        if any(module.split(".")[0] == "prefect" for module in imported_modules(path))
    ]
    assert offenders == []


def test_tasks_never_import_flows() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "tasks").rglob("*.py")
        if any(module.split(".")[0] == "flows" for module in imported_modules(path))
    ]
    assert offenders == []


def test_the_core_root_holds_only_the_shared_vocabulary() -> None:
    modules = sorted(path.name for path in CORE.glob("*.py"))
    assert len(modules) <= MAX_ROOT_MODULES, modules


def test_every_core_package_says_what_it_owns() -> None:
    silent = [
        str(init.parent.relative_to(REPO))
        for init in CORE.rglob("__init__.py")
        if not (ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or "").strip()
    ]
    assert silent == []


def test_no_module_name_repeats_with_another_meaning() -> None:
    places: dict[str, list[Path]] = defaultdict(list)
    for path in CORE.rglob("*.py"):
        if path.name != "__init__.py":
            places[path.stem].append(path.parent)
    for path in CORE.rglob("__init__.py"):
        if path.parent != CORE:
            places[path.parent.name].append(path.parent.parent)
    repeated = {
        name: sorted(str(folder.relative_to(REPO)) for folder in folders)
        for name, folders in places.items()
        if len(folders) > 1 and not (name in ROLE_NAMES_PER_BRIEF and _all_brief_kinds(folders))
    }
    assert repeated == {}


def _all_brief_kinds(folders: list[Path]) -> bool:
    return all(folder.parent == CORE / "briefs" for folder in folders)


def test_every_document_the_code_cites_is_in_the_repository() -> None:
    cited = re.compile(r"[\w./-]+\.md\b")
    sources = [*CORE.rglob("*.py"), *(REPO / "flows").glob("*.py"), *(REPO / "tasks").glob("*.py")]
    sources += [*(REPO / "reports_templates").rglob("*.j2")]
    missing = sorted(
        f"{path.relative_to(REPO)} cites {name}"
        for path in sources
        for name in cited.findall(path.read_text(encoding="utf-8"))
        if not (REPO / name).is_file()
    )
    assert missing == []
