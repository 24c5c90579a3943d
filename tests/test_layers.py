"""The layer rules hold, read from the imports of portal/ and jobs/ (every import
statement, including those inside functions: a lazy import is still a dependency).

    web -> services -> models,  services -> providers,  jobs -> services,
    nothing imports web except the app factory (portal/__init__.py),
    providers import nothing from services, and no import cycles between packages.

Each module belongs to one layer (LAYERS); ALLOWED says which layers a layer may import.
A module in no layer fails the test, so a new top-level module must be placed on purpose.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("portal", "jobs")

#: Layer of a module: the first prefix that matches (most specific first).
LAYERS: tuple[tuple[str, str], ...] = (
    ("portal.web", "web"),
    ("portal.services", "services"),
    ("portal.models", "models"),
    ("portal.providers", "providers"),
    ("portal.chatbot", "chatbot"),
    ("portal.migrations", "migrations"),
    # Flask commands: today four modules, one portal/cli/ package after issue 15.
    ("portal.cli", "cli"),
    ("portal.api_key_commands", "cli"),
    ("portal.victims_cli", "cli"),
    ("portal.demo", "cli"),
    ("portal.review_kit", "cli"),  # the translators' review kit, behind `flask translations`
    # Plumbing every layer may use: settings, engine and sessions, extensions, formats.
    ("portal.config", "core"),
    ("portal.db", "core"),
    ("portal.extensions", "core"),
    ("portal.i18n", "core"),
    ("portal.logs", "core"),
    ("jobs", "jobs"),
    ("portal", "factory"),  # portal/__init__.py: create_app wires every layer together
)

#: What each layer may import besides itself. `core` is open to all.
ALLOWED: dict[str, set[str]] = {
    "factory": {"web", "services", "providers", "cli", "core"},
    "web": {"services", "models", "chatbot", "core"},
    "services": {"models", "providers", "chatbot", "core"},
    "providers": {"models", "core"},
    "models": set(),
    "chatbot": {"core"},
    "core": set(),
    "migrations": {"models", "core"},
    "cli": {"services", "models", "chatbot", "core"},
    "jobs": {"factory", "services", "models", "core"},
}

#: Imports that break a rule today, each named with the issue that removes it. Keep this
#: list short and shrinking: never add an entry to make a new import pass.
EXCEPTIONS: set[tuple[str, str]] = {
    # issue 15: the CLI runs back up into jobs ("the CLI asks a service, or jobs registers
    # its own commands"). Also closes the cycle factory -> cli -> jobs -> factory.
    ("portal.cli", "jobs"),
}


def layer_of(module: str) -> str | None:
    for prefix, layer in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of portal/ and jobs/, by dotted name."""
    return {
        _module_name(path): path
        for source in SOURCES
        for path in sorted((ROOT / source).rglob("*.py"))
    }


def _resolve(name: str) -> str | None:
    """The longest dotted prefix of `name` that is one of our modules."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules():
            return candidate
        parts.pop()
    return None


@cache
def imports() -> dict[str, frozenset[str]]:
    """module -> the project modules it imports (`from a import b` counts a.b when b is a
    module, else a)."""
    found: dict[str, set[str]] = defaultdict(set)
    for module, path in modules().items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                names = [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                target = _resolve(name)
                if target and target != module:
                    found[module].add(target)
    return {module: frozenset(targets) for module, targets in found.items()}


def breaches(rule) -> list[str]:
    """`importer -> imported` for every import that `rule(importer, imported)` refuses,
    less the listed exceptions."""
    return sorted(
        f"{importer} -> {imported}"
        for importer, targets in imports().items()
        for imported in targets
        if rule(importer, imported) and (importer, layer_of(imported)) not in EXCEPTIONS
    )


def test_the_reader_sees_the_code():
    """Guards the other tests: they would pass vacuously if nothing were parsed."""
    assert {"portal", "portal.web", "portal.services.audit", "jobs"} <= modules().keys()
    assert "portal.models" in imports()["portal.services.audit"]
    assert "portal.web" in imports()["portal"]


def test_every_module_has_a_layer():
    assert [m for m in modules() if layer_of(m) is None] == []


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_it_may(layer):
    def refused(importer, imported):
        theirs = layer_of(imported)
        return layer_of(importer) == layer and theirs != layer and theirs not in ALLOWED[layer]

    assert breaches(refused) == []


def test_nothing_imports_web_but_the_app_factory():
    def refused(importer, imported):
        return layer_of(imported) == "web" and layer_of(importer) not in {"web", "factory"}

    assert breaches(refused) == []


def test_providers_import_nothing_from_services():
    def refused(importer, imported):
        return layer_of(importer) == "providers" and layer_of(imported) == "services"

    assert breaches(refused) == []


def test_services_never_touch_the_request():
    """Services take plain arguments: no flask.request, flask.g or session."""
    touching = []
    for module, path in modules().items():
        if layer_of(module) != "services":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                names = {alias.name for alias in node.names}
                touching += [f"{module}: flask.{n}" for n in names & {"request", "g", "session"}]
    assert touching == []


def _package_graph() -> dict[str, set[str]]:
    """Package -> the other packages its modules import (a package is a directory). A
    package and its own subpackages are one family (portal/web/__init__.py registers the
    blueprints, which use portal/web/auth.py): edges inside a family are left out."""

    def package(module: str) -> str:
        return module if modules()[module].name == "__init__.py" else module.rpartition(".")[0]

    graph: dict[str, set[str]] = defaultdict(set)
    for importer, targets in imports().items():
        for imported in targets:
            if (importer, layer_of(imported)) in EXCEPTIONS:
                continue
            a, b = package(importer), package(imported)
            if not (a == b or a.startswith(b + ".") or b.startswith(a + ".")):
                graph[a].add(b)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_layers():
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, targets in imports().items():
        for imported in targets:
            if (importer, layer_of(imported)) not in EXCEPTIONS:
                graph[layer_of(importer)].add(layer_of(imported))
    for layer in graph:
        graph[layer].discard(layer)
    assert _cycles(graph) == []


def test_no_import_cycles_between_packages():
    """A package may lean on a sibling (e.g. web.staff on web.victim), never both ways."""
    assert _cycles(_package_graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
