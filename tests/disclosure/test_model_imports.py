"""The models import each other in one circle only, the one Wagtail's own models have: the page
types and the review (workflow) they go through. Every import counts, at the top of a module
or inside a function."""

import ast
from pathlib import Path

import disclosure.models

MODELS = Path(disclosure.models.__file__).parent
PACKAGE = "disclosure.models"

# The catalog's page types carry the review's mixin; the review's tasks find a page's catalog
# item (pages <-> workflows).
PAGES_AND_WORKFLOWS = {"catalog", "moderation"}


def imported_modules(name: str) -> set[str]:
    """The modules of ``disclosure.models`` that module ``name`` imports, anywhere in it."""
    modules = {path.stem for path in MODELS.glob("*.py")} - {"__init__"}
    found = set()
    for node in ast.walk(ast.parse((MODELS / f"{name}.py").read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                target = node.module or ""
            elif node.level == 0 and (node.module or "").startswith(f"{PACKAGE}."):
                target = node.module.removeprefix(f"{PACKAGE}.")
            elif node.level == 0 and node.module == PACKAGE:
                target = ""
            else:
                continue
            if target:
                found.add(target.split(".")[0])
            else:  # from . import x: the names are modules
                found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(f"{PACKAGE}."):
                    found.add(alias.name.removeprefix(f"{PACKAGE}.").split(".")[0])
    return (found & modules) - {name}


def import_graph() -> dict[str, set[str]]:
    names = sorted(path.stem for path in MODELS.glob("*.py") if path.stem != "__init__")
    return {name: imported_modules(name) for name in names}


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of ``graph`` with more than one module."""

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        return seen

    reach = {name: reachable(name) for name in graph}
    components = {
        frozenset({name} | {other for other in reach[name] if name in reach[other]})
        for name in graph
    }
    return [set(component) for component in components if len(component) > 1]


def test_the_graph_counts_imports_at_the_top_and_inside_functions():
    graph = import_graph()
    assert "moderation" in graph["catalog"]  # at the top: the pages' mixin
    assert "catalog" in graph["moderation"]  # inside the tasks' methods only


def test_the_only_circle_among_the_models_is_pages_and_workflows():
    assert circles(import_graph()) == [PAGES_AND_WORKFLOWS]
