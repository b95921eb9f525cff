"""Composition root and command line: builds config, stores, services and the window.

No logic lives here; each command calls into the layer that owns it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import SHIPPED_CATALOG


def _catalog_check(args: argparse.Namespace) -> int:
    from kiosk.catalog import CatalogError, load_catalog
    from kiosk.catalog.walk import check_catalog

    try:
        catalog = load_catalog(args.file)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); the catalog was not loaded.", file=sys.stderr)
        return 1
    problems = check_catalog(catalog)
    for problem in problems:
        print(f"{Path(args.file).name}: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found walking the catalog.", file=sys.stderr)
        return 1
    print(f"{Path(args.file).name}: OK — catalog version {catalog.version}")
    print(f"  categories  {len(catalog.categories)}")
    for category in catalog.categories.values():
        print(f"    {category.name.zh:<8} {len(catalog.items_in(category.code)):>4} items")
    print(f"  items       {len(catalog.items)}")
    print(f"  bundles     {len(catalog.bundles)}")
    print(f"  life events {len(catalog.life_events)}")
    print(f"  queues      {len(catalog.queues)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="一窗通 self-service kiosk")
    commands = parser.add_subparsers(dest="command", required=True)

    catalog = commands.add_parser("catalog", help="service catalog tools")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
    check = catalog_commands.add_parser("check", help="validate a catalog file and walk it")
    check.add_argument("file", nargs="?", default=str(SHIPPED_CATALOG))
    check.set_defaults(func=_catalog_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
