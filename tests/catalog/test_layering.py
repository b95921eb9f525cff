"""The catalog package sits at the bottom of the domain: it imports no other kiosk module.

Every import is found by walking the syntax tree, so one tucked inside a function
(the old ``kiosk.catalog.walk`` hid a cycle with consult and forms that way) counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kiosk.catalog

PACKAGE = Path(kiosk.catalog.__file__).parent


def kiosk_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return {name for name in found if name == "kiosk" or name.startswith("kiosk.")}


def test_the_catalog_imports_only_itself() -> None:
    outside = {
        f"{path.name}: {name}"
        for path in sorted(PACKAGE.glob("*.py"))
        for name in kiosk_imports(path)
        if not name.startswith("kiosk.catalog")
    }
    assert outside == set()


def test_the_walk_sits_above_the_catalog() -> None:
    walk = Path(kiosk.catalog.__file__).parent.parent / "walk.py"
    assert {"kiosk.consult", "kiosk.forms.filling"} <= kiosk_imports(walk)
