"""Walk a loaded catalog the way visitors would: every answer path, every example form.

It lives above the catalog, beside the consultation and the forms it drives, so
that the catalog package never imports either of them (no cycle, no import hidden
inside a function).
"""

from __future__ import annotations

from kiosk.catalog.catalog import Catalog
from kiosk.consult import walk_item
from kiosk.forms.filling import check_examples


def check_catalog(catalog: Catalog) -> list[str]:
    """Problems found by walking every item's consultation paths and example forms."""
    problems: list[str] = []
    for item in catalog.items.values():
        problems.extend(walk_item(catalog, item))
        problems.extend(check_examples(item))
    return problems
