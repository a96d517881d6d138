"""The package's modules import each other without a circle.

Every module under ``symgrad/`` is read with :mod:`ast` (nothing is
imported) and each ``import symgrad.x`` / ``from .x import y`` /
``from ..x import y`` / ``from . import x`` becomes an edge, wherever it
stands: at the top or inside a function (a lazy import closes a circle just
the same when it runs). Imports under ``if TYPE_CHECKING:`` are for the type
checker only and are left out. Importing ``symgrad.a.b`` runs the package
``symgrad.a`` first, so it is an edge to that package too (unless the
importer lives in it).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "symgrad"

#: Modules owned by the code generation / parsing part of issue 10: no circle
#: may pass through them.
MINE = {
    "symgrad.codegen",
    "symgrad.codegen.languages",
    "symgrad.codegen.layout",
    "symgrad.names",
    "symgrad.parsing",
    "symgrad.parsing.tokens",
    "symgrad.parsing.functions",
    "symgrad.parsing.grammar",
    "symgrad.parsing.values",
    "symgrad.limits",
    "symgrad.calculus.engine",
    "symgrad.calculus",
    "symgrad.output.names",
}


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                for other in child.orelse:
                    walk_one(other)
                continue
            walk_one(child)

    def walk_one(node: ast.AST) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        walk(node)

    walk(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """For each module, the package's modules it imports."""
    modules = module_names()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name.split(".") if is_package else name.split(".")[:-1]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            if node.level:
                base = here[: len(here) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets.add(origin)
            # "from . import limits": the names may be modules themselves
            targets.update(f"{origin}.{alias.name}" for alias in node.names)
        edges = set()
        for target in targets:
            if target not in modules:
                continue
            parts = target.split(".")
            for k in range(2, len(parts) + 1):  # the packages it runs first, then itself
                step = ".".join(parts[:k])
                if not name.startswith(step + ".") and step != name:
                    edges.add(step)
        graph[name] = edges
    return graph


def package_graph(graph: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """The import graph between layers: each subpackage (``symgrad.output``,
    ``symgrad.analysis``) taken as one node, flat modules as themselves."""
    graph = import_graph() if graph is None else graph

    def layer(name: str) -> str:
        return ".".join(name.split(".")[:2])

    layers: dict[str, set[str]] = {}
    for name, targets in graph.items():
        edges = layers.setdefault(layer(name), set())
        edges.update(layer(t) for t in targets if layer(t) != layer(name))
    return layers


def cycles(graph: dict[str, set[str]] | None = None) -> list[list[str]]:
    """The import circles: each group of modules that import one another (Tarjan)."""
    graph = import_graph() if graph is None else graph
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph.get(v, ()):
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(groups)


def test_the_graph_is_read_from_every_kind_of_import():
    graph = import_graph()
    assert "symgrad.results" in graph["symgrad.calculus"]  # from .results import (top level)
    assert "symgrad.limits" in graph["symgrad.parsing.functions"]  # from . import limits
    assert "symgrad.parsing" in graph["symgrad.points.grid"]  # inside a function
    assert "symgrad.parsing" in graph["symgrad.analysis.check"]  # from ..parsing import
    assert graph["symgrad.output.names"] == {"symgrad.names"}  # its own package is not an edge
    assert "symgrad.parsing" not in graph["symgrad.results"]  # TYPE_CHECKING only


def test_the_cycle_finder_finds_circles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c"], ["e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    # two modules of one layer, each importing the other layer: a circle between layers
    layers = package_graph({"symgrad.r.x": {"symgrad.c"}, "symgrad.c": {"symgrad.r.y"}, "symgrad.r.y": set()})
    assert cycles(layers) == [["symgrad.c", "symgrad.r"]]


def test_no_import_circle_passes_through_parsing_calculus_or_codegen():
    through_mine = [group for group in cycles() if MINE & set(group)]
    assert through_mine == [], f"import circles through parsing/calculus/codegen modules: {through_mine}"
    layers = {".".join(name.split(".")[:2]) for name in MINE}
    between_layers = [group for group in cycles(package_graph()) if layers & set(group)]
    # render <-> codegen was one: codegen took ascii_name and CODE_FORMATS from render
    assert between_layers == [], f"import circles between layers through parsing/codegen: {between_layers}"


#: Circles in modules other parts of issue 10 own (the CLI, points and output
#: helpers are removing them); the lead empties this after merging.
KNOWN_ELSEWHERE: list[list[str]] = []  # none left: cli_bulk no longer imports cli; Derivatives lives in calculus


def test_no_import_circle_but_the_known_ones_elsewhere():
    new = [group for group in cycles() + cycles(package_graph()) if group not in KNOWN_ELSEWHERE]
    assert new == [], f"new import circles among symgrad modules: {new}"
