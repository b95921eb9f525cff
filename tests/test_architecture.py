"""The import rules a new module cannot slip past, found by walking the package.

Every module of ``kiosk`` is found with pkgutil (no hand-kept list of modules)
and its imports are read with grimp (module-level and function-local ones):

* outside kiosk/ui and the composition root, no module reaches PySide6 or
  shiboken6, directly or through another module;
* outside kiosk/store, no module imports SQLAlchemy or Alembic itself (kiosk.sync
  and the services use the store, which is the point);
* no import cycles, between modules or between kiosk's top-level packages.

The layers themselves are an import-linter contract in pyproject.toml
(``make check-imports``).  The lists of known offenders below belong to other
owners and may only shrink: a test fails when one is fixed, so its entry goes too.
"""

from __future__ import annotations

import pkgutil
import sys
from collections.abc import Iterable, Iterator

import grimp
import pytest

import kiosk

QT = ("PySide6", "shiboken6")
SQL = ("sqlalchemy", "alembic")
COMPOSITION_ROOT = ("kiosk.app",)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("kiosk", include_external_packages=True, cache_dir=None)


def walked_modules() -> list[str]:
    """Every module and package of kiosk, from the files on disk."""
    return sorted(["kiosk", *(i.name for i in pkgutil.walk_packages(kiosk.__path__, "kiosk."))])


def outside(names: Iterable[str], *roots: str) -> list[str]:
    return [n for n in names if not any(n == r or n.startswith(r + ".") for r in roots)]


def test_the_walk_finds_every_module(graph: grimp.ImportGraph) -> None:
    walked = set(walked_modules())
    assert {"kiosk.store.gateway", "kiosk.sync", "kiosk.ui.window", "kiosk.cli.database"} <= walked
    parsed = {m for m in graph.modules if m.startswith("kiosk")}
    assert walked <= parsed | {m for m in walked if ".migrations." in m}, walked - parsed


def test_no_qt_outside_the_ui_and_the_composition_root(graph: grimp.ImportGraph) -> None:
    offenders = {}
    for module in outside(walked_modules(), "kiosk.ui", *COMPOSITION_ROOT):
        if module not in graph.modules:
            continue
        for qt in QT:
            chain = graph.find_shortest_chain(importer=module, imported=qt)
            if chain:
                offenders[module] = " → ".join(chain)
    assert offenders == {}


def test_no_sqlalchemy_outside_the_store(graph: grimp.ImportGraph) -> None:
    offenders = {}
    for module in outside(walked_modules(), "kiosk.store"):
        if module not in graph.modules:
            continue
        direct = {d.split(".")[0] for d in graph.find_modules_directly_imported_by(module)}
        if direct & set(SQL):
            offenders[module] = sorted(direct & set(SQL))
    assert not offenders, offenders


def test_no_module_import_cycles(graph: grimp.ImportGraph) -> None:
    modules = [m for m in graph.modules if m.startswith("kiosk")]
    edges = {m: {d for d in graph.find_modules_directly_imported_by(m) if d in modules}
             for m in modules}  # fmt: skip
    found = {frozenset(c) for c in strongly_connected(edges)}
    assert not found, sorted(sorted(c) for c in found)


def test_no_package_import_cycles(graph: grimp.ImportGraph) -> None:
    """Between kiosk's top-level packages and modules (kiosk.catalog, kiosk.store, …)."""

    def top(name: str) -> str:
        return ".".join(name.split(".")[:2])

    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if not module.startswith("kiosk."):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("kiosk.") and top(imported) != top(module):
                edges.setdefault(top(module), set()).add(top(imported))
    found = {frozenset(c) for c in strongly_connected(edges)}
    assert not found, sorted(sorted(c) for c in found)


def test_a_new_module_that_imports_qt_is_caught() -> None:
    """The check is not a list: a module it has never heard of is judged too."""
    graph = grimp.build_graph("kiosk", include_external_packages=True, cache_dir=None)
    graph.add_module("kiosk.brand_new")
    graph.add_import(importer="kiosk.brand_new", imported="PySide6")
    assert graph.find_shortest_chain(importer="kiosk.brand_new", imported="PySide6")
    edges = {"kiosk.a": {"kiosk.b"}, "kiosk.b": {"kiosk.a"}, "kiosk.c": {"kiosk.a"}}
    assert [sorted(c) for c in strongly_connected(edges)] == [["kiosk.a", "kiosk.b"]]


def strongly_connected(edges: dict[str, set[str]]) -> Iterator[set[str]]:
    """Tarjan's algorithm: every group of two or more nodes that import each other."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    yield from groups
