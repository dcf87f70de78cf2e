"""The plugin's imports read from its source (``ast``), without importing anything, so that an
import deferred into a function counts as much as one at the top of a module: the layer test and
the models' import-circle test read them alike."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "disclosure"


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    target: str  # the module imported (or the one a name is imported from)
    name: str | None  # the name imported from ``target``, if any
    functions: tuple[ast.FunctionDef | ast.AsyncFunctionDef, ...]  # enclosing, outermost first
    node: ast.Import | ast.ImportFrom

    @property
    def where(self) -> str:
        return f"{self.module}:{self.line}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.relative_to(PACKAGE).parts
    }


SOURCES = _sources()


def _base(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if SOURCES[module].name != "__init__.py":
        package.pop()
    package = package[: len(package) - node.level + 1]
    return ".".join([*package, node.module] if node.module else package)


def imports_in(module: str, tree: ast.Module) -> list[Import]:
    """Every import in ``module`` (parsed as ``tree``), at the top or inside a function, with
    relative imports resolved and ``from package import submodule`` read as the submodule."""
    found = []

    def visit(node: ast.AST, functions: tuple) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(
                    Import(module, child.lineno, alias.name, None, functions, child)
                    for alias in child.names
                )
            elif isinstance(child, ast.ImportFrom):
                base = _base(module, child)
                for alias in child.names:
                    submodule = f"{base}.{alias.name}"
                    target, name = (submodule, None) if submodule in SOURCES else (base, alias.name)
                    found.append(Import(module, child.lineno, target, name, functions, child))
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, (*functions, child))
            else:
                visit(child, functions)

    visit(tree, ())
    return found


def parsed_sources() -> dict[str, ast.Module]:
    return {module: ast.parse(path.read_text(), str(path)) for module, path in SOURCES.items()}
