"""The layout, checked statically (the source is parsed, nothing is imported):

(a) the foundation (``tcri_site/``) imports no feature app: ``trainings``, ``forum``,
    ``advocacy`` and ``search`` contribute through registries it discovers (the settings
    and URL conf name them as strings, which are not imports);
(b) no import cycle between the project's modules at module level (imports inside
    functions and under ``if TYPE_CHECKING:`` are left out: they run later or never);
(c) no app module (migrations aside) longer than ``MAX_LINES``: past that, a package split
    by topic.

Each failure lists every offender, with file and line, so one run shows all that is left.
See docs/developing.md for the layout these rules protect.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOUNDATION = "tcri_site"
FEATURES = ("trainings", "forum", "advocacy", "search")
PACKAGES = (FOUNDATION, *FEATURES)
MAX_LINES = 450


def _source_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in _source_files(package)}


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _absolute(node: ast.ImportFrom, module: str, path: Path) -> str:
    """The absolute name a ``from ... import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _imported(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> list[str]:
    """Every module name an import statement makes Python load (``from pkg import name``
    loads ``pkg.name`` when that is a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    target = _absolute(node, module, path)
    return [target, *(f"{target}.{alias.name}" for alias in node.names)]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module):
    """Import statements run when the module is imported: not those in functions or
    classes' methods, nor under ``if TYPE_CHECKING:``."""
    pending = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node):
                pending.extend(node.body)
            pending.extend(node.orelse)
        elif isinstance(node, ast.Try | ast.With | ast.ClassDef):
            for field in ("body", "orelse", "finalbody"):
                pending.extend(getattr(node, field, []))
            pending.extend(h for handler in getattr(node, "handlers", []) for h in handler.body)


def _loaded_modules(name: str) -> list[str]:
    """The project modules Python runs to import ``name``: its packages, then itself."""
    parts = name.split(".")
    found = []
    for i in range(1, len(parts) + 1):
        candidate = ".".join(parts[:i])
        if candidate in _modules():
            found.append(candidate)
    return found


def test_foundation_imports_no_feature_app():
    offenders = []
    for path in _source_files(FOUNDATION):
        module = _module_name(path)
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(node, module, path):
                if name.split(".")[0] in FEATURES:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
                    break
    assert not offenders, (
        "The foundation (tcri_site/) must not import a feature app; let the app contribute "
        "through a registry instead (docs/developing.md):\n  " + "\n  ".join(sorted(set(offenders)))
    )


def _import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported project module: line of the first such import}."""
    graph: dict[str, dict[str, int]] = {}
    for module, path in _modules().items():
        edges = graph.setdefault(module, {})
        for node in _module_level_imports(_tree(path)):
            for name in _imported(node, module, path):
                for target in _loaded_modules(name):
                    implicit = target != name  # a package Python loads on the way to ``name``
                    if target == module or (implicit and module.startswith(target + ".")):
                        # A module's own packages are already being imported: not an edge,
                        # unless the module names one of them (``from pkg import x``).
                        continue
                    edges.setdefault(target, node.lineno)
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each as one cycle
    through its members."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(start: str) -> None:
        work = [(start, iter(sorted(graph.get(start, {}))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_one_cycle(graph, set(component)) for component in sorted(components)]


def _one_cycle(graph: dict[str, dict[str, int]], members: set[str]) -> list[str]:
    """A shortest path from the component's first module back to itself (breadth first)."""
    start = min(members)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph.get(node, {})):
            if child == start:
                return [*paths[node], start]
            if child in members and child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return sorted(members)  # pragma: no cover - a component always has a cycle


def test_no_import_cycle_between_project_modules():
    graph = _import_graph()
    cycles = _cycles(graph)
    lines = []
    for cycle in cycles:
        steps = [
            f"{a} (line {graph[a][b]}) -> {b}" for a, b in zip(cycle, cycle[1:], strict=False)
        ]
        lines.append(" ; ".join(steps))
    assert not cycles, (
        f"{len(cycles)} import cycle(s) at module level (move the import into the function that "
        "needs it only if the dependency really goes the other way; better, invert it):\n  "
        + "\n  ".join(lines)
    )


def test_no_app_module_is_too_long():
    offenders = []
    for package in PACKAGES:
        for path in _source_files(package):
            if "migrations" in path.parts:
                continue
            count = len(path.read_text(encoding="utf-8").splitlines())
            if count > MAX_LINES:
                offenders.append(f"{path.relative_to(ROOT)}: {count} lines")
    assert not offenders, (
        f"Modules over {MAX_LINES} lines; split each into a package by topic "
        "(package/__init__.py re-exports the public names):\n  " + "\n  ".join(offenders)
    )


# --- the checker itself ---------------------------------------------------------------


def test_cycle_finder_reports_a_cycle_and_ignores_a_chain():
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b": 1}, "b": {}}) == []


def test_module_level_imports_leave_out_functions_and_type_checking():
    tree = ast.parse(
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import forum.models\n"
        "try:\n    import json\nexcept ImportError:\n    import simplejson\n"
        "def f():\n    import advocacy.models\n"
    )
    names = [n.names[0].name for n in _module_level_imports(tree)]
    assert names == ["os", "TYPE_CHECKING", "json", "simplejson"]
