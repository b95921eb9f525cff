"""Walk a loaded catalog the way visitors would: every answer path, every example form."""

from __future__ import annotations

from kiosk.catalog.catalog import Catalog


def check_catalog(catalog: Catalog) -> list[str]:
    """Problems found by walking every item's consultation paths and example forms."""
    from kiosk.consult import walk_item
    from kiosk.forms.filling import check_examples

    problems: list[str] = []
    for item in catalog.items.values():
        problems.extend(walk_item(catalog, item))
        problems.extend(check_examples(item))
    return problems
