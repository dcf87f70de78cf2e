"""Imports point downward (DESIGN.md §3, "Layers"): rules, models, selectors and services, faces,
wiring. A lower layer never imports a higher one, save the one written exception; and an import
made inside a function says why it is not at the top of its module.

Read from the source (``ast``), without importing anything, so a deferred import counts as much as
one at the top of a module.
"""

from __future__ import annotations

import ast
import re
import tokenize
from pathlib import Path

from ..source_imports import SOURCES, Import, imports_in, parsed_sources

RULES, MODELS, READS_AND_WRITES, FACES, WIRING = 1, 2, 3, 4, 5

# Each module's layer: the module itself or its nearest package listed here (``disclosure``
# alone stands for the package's ``__init__``, never for what lies under it). A new module fails
# the test until it is placed.
LAYERS = {
    "disclosure": RULES,  # the version string, which every layer may quote
    "disclosure.rules": RULES,
    "disclosure.data": RULES,  # default texts of the notices: data that services fill in
    "disclosure.models": MODELS,
    "disclosure.fields": MODELS,  # a model field (the catalog items' choice lists)
    # Backends that settings name, under the reads: the database's full-text search (asked by
    # selectors/search), and the Redis cache.
    "disclosure.search_backend": MODELS,
    "disclosure.cache": MODELS,
    "disclosure.selectors": READS_AND_WRITES,
    "disclosure.services": READS_AND_WRITES,
    "disclosure.request_memo": READS_AND_WRITES,  # the selectors' memo of one request
    "disclosure.permissions": READS_AND_WRITES,  # a permission policy, asked by views and hooks
    "disclosure.views": FACES,
    # The public display's choices (简/繁, large text) read from the request's cookies.
    "disclosure.display": FACES,
    "disclosure.api": FACES,
    "disclosure.templatetags": FACES,
    "disclosure.management": FACES,
    "disclosure.feeds": FACES,
    "disclosure.sitemaps": FACES,
    "disclosure.viewsets": FACES,
    "disclosure.forms": FACES,
    "disclosure.document_forms": FACES,
    "disclosure.action_menu": FACES,
    "disclosure.actions": FACES,
    "disclosure.tasks": FACES,
    "disclosure.wagtail_hooks": WIRING,
    "disclosure.urls": WIRING,
    "disclosure.middleware": WIRING,
    "disclosure.throttle": WIRING,  # middleware
    "disclosure.page_cache": WIRING,  # middleware, and its invalidation on the signals
    # The HTTP cache in front: a frontend-cache backend that settings name, and its marking.
    "disclosure.frontend_cache": WIRING,
    "disclosure.apps": WIRING,
    "disclosure.signal_handlers": WIRING,
    "disclosure.checks": WIRING,
    "disclosure.admin_urls": WIRING,
    "disclosure.media": WIRING,  # URL patterns for a host's urls.py, and their system check
    "disclosure.wagtail_zh_hans": WIRING,  # an app of its own: Wagtail's missing Chinese strings
}

# The written exception (DESIGN.md §3): a page model's get_context, serve and routable routes may
# call selectors and views, through an import deferred to the call, as Wagtail's own models do.
PAGE_HOOKS = {"get_context", "serve"}
ROUTE_DECORATORS = {"path", "re_path", "route"}
PAGE_HOOK_TARGETS = ("disclosure.selectors", "disclosure.views")

# A module that once held a middleware keeps its old dotted path working for host projects'
# MIDDLEWARE settings through a module ``__getattr__`` (PEP 562) that imports the middleware when
# asked, and only then.
SHIM = "__getattr__"
SHIM_TARGET = "disclosure.middleware"

# Upward imports with a true need, each with its reason: (importer's package, imported module,
# name) -> why.
ALLOWED_UPWARD = {
    ("disclosure.models", "disclosure.forms", "ModeratedPageForm"): (
        "A page type names its edit form in the class body (Wagtail's base_form_class), which "
        "Wagtail reads as a class, not a dotted path."
    ),
}

WHY_DEFERRED = re.compile(r"cycle|defer|laz(y|ily)|optional", re.IGNORECASE)


def _layer(module: str) -> int | None:
    if module in LAYERS:
        return LAYERS[module]
    parts = module.split(".")
    while len(parts) > 2:
        parts.pop()
        if ".".join(parts) in LAYERS:
            return LAYERS[".".join(parts)]
    return None


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_page_hook(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if function.name in PAGE_HOOKS:
        return True
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
        if name in ROUTE_DECORATORS:
            return True
    return False


def _allowed(imported: Import) -> bool:
    if (
        _within(imported.module, "disclosure.models")
        and any(_is_page_hook(function) for function in imported.functions)
        and any(_within(imported.target, target) for target in PAGE_HOOK_TARGETS)
    ):
        return True
    if imported.functions and imported.functions[0].name == SHIM and imported.target == SHIM_TARGET:
        return True
    return any(
        _within(imported.module, importer) and imported.target == target and imported.name == name
        for importer, target, name in ALLOWED_UPWARD
    )


def test_every_module_has_a_layer():
    unplaced = sorted(module for module in SOURCES if _layer(module) is None)
    assert not unplaced, f"Place these modules in LAYERS: {', '.join(unplaced)}"


def test_every_layer_entry_names_a_module():
    stale = sorted(entry for entry in LAYERS if entry not in SOURCES)
    assert not stale, f"No module any more, take them out of LAYERS: {', '.join(stale)}"


def test_no_import_runs_from_a_lower_layer_to_a_higher_one():
    upward = []
    for module, tree in parsed_sources().items():
        layer = _layer(module)
        for imported in imports_in(module, tree):
            if not _within(imported.target, "disclosure") or layer is None:
                continue
            target_layer = _layer(imported.target)
            if target_layer is not None and target_layer > layer and not _allowed(imported):
                name = f" ({imported.name})" if imported.name else ""
                upward.append(
                    f"{imported.where} (layer {layer}) imports {imported.target}{name} "
                    f"(layer {target_layer})"
                )
    assert not upward, "Imports running up the layers:\n" + "\n".join(upward)


def _comments(path: Path) -> dict[int, str]:
    with path.open("rb") as source:
        return {
            token.start[0]: token.string
            for token in tokenize.tokenize(source.readline)
            if token.type == tokenize.COMMENT
        }


def _explained(imported: Import, lines: list[str], comments: dict[int, str]) -> bool:
    """A comment saying why, on the import's own lines or just above: above the run of imports it
    belongs to, or above the ``if`` or ``try`` that the run opens."""
    function = imported.functions[-1]
    parents = {child: node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
    statement = imported.node
    while True:
        parent = parents[statement]
        body = next(
            block
            for block in (getattr(parent, field, None) for field in ("body", "orelse", "finalbody"))
            if block and statement in block
        )
        first = body.index(statement)
        while first and isinstance(body[first - 1], (ast.Import, ast.ImportFrom)):
            first -= 1
        statement = body[first]
        if first or parent is function or not isinstance(parent, ast.stmt):
            break
        statement = parent
    above = statement.lineno - 1
    while above and lines[above - 1].strip().startswith("#"):
        above -= 1
    candidates = range(above + 1, imported.node.end_lineno + 1)
    return any(WHY_DEFERRED.search(comments.get(line, "")) for line in candidates)


def test_every_import_inside_a_function_says_why():
    unexplained = []
    local = 0
    for module, tree in parsed_sources().items():
        path = SOURCES[module]
        lines = path.read_text().splitlines()
        comments = _comments(path)
        seen = set()
        for imported in imports_in(module, tree):
            if not imported.functions or imported.node in seen:
                continue
            seen.add(imported.node)
            local += 1
            if not _explained(imported, lines, comments):
                unexplained.append(f"{imported.where} imports {imported.target}")
    assert not unexplained, (
        f"{len(unexplained)} of {local} imports inside functions do not say why they are there "
        "(a comment on the line or just above, naming the cycle it breaks, or why it is "
        "deferred, lazy or optional); move the others to the top of their module:\n"
        + "\n".join(unexplained)
    )
