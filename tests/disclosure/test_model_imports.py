"""The models import each other in one circle only, the one Wagtail's own models have: the page
types and the review (workflow) they go through. Every import counts, at the top of a module
or inside a function."""

from ..source_imports import SOURCES, imports_in, parsed_sources

PACKAGE = "disclosure.models"

# The catalog's page types carry the review's mixin; the review's tasks find a page's catalog
# item (pages <-> workflows).
PAGES_AND_WORKFLOWS = {"catalog", "moderation"}


def _in_models(module: str) -> str | None:
    """The models module (``catalog``) that ``module`` is or lies in, if any."""
    if not module.startswith(f"{PACKAGE}."):
        return None
    return module.removeprefix(f"{PACKAGE}.").split(".")[0]


def import_graph() -> dict[str, set[str]]:
    """Each models module and the models modules it imports, anywhere in it."""
    parsed = parsed_sources()
    return {
        name: {
            target
            for imported in imports_in(module, parsed[module])
            if (target := _in_models(imported.target)) not in (None, name)
        }
        for module in SOURCES
        if (name := _in_models(module)) is not None
    }


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
