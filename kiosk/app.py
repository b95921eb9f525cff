"""Composition root and command line: builds config, stores, services and the window.

No logic lives here; each command calls into the layer that owns it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import SHIPPED_CATALOG

if TYPE_CHECKING:
    from kiosk.catalog import Catalog
    from kiosk.config import Settings
    from kiosk.services import KioskServices
    from kiosk.ui.services import Services as WindowServices


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


def _settings_and_catalog(args: argparse.Namespace) -> tuple[Settings, Catalog] | None:
    from kiosk.catalog import CatalogError, load_catalog
    from kiosk.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
        return settings, load_catalog(settings.catalog_path)
    except (ConfigError, CatalogError) as exc:
        for problem in getattr(exc, "problems", [exc]):
            print(problem, file=sys.stderr)
        return None


def build_services(settings: Settings, catalog: Catalog) -> KioskServices:
    """The kiosk's service layer: local store (opened and migrated), ticket book, and — when
    ``bureau_url`` is set — the bureau engine and a sync worker (not started yet: call
    ``start()``, and ``close()`` at exit).  Raises StoreUnavailable if the store cannot open.

    The bureau schema is not migrated here: that is ``kiosk db upgrade --bureau`` by the
    hall's administrator, and a kiosk must start while the bureau is down.
    """
    from kiosk.queue import TicketBook
    from kiosk.services import KioskServices
    from kiosk.store.db import bureau_engine
    from kiosk.store.local import LocalStore
    from kiosk.sync import queues_of, worker_for

    store = LocalStore.from_settings(settings)
    book = TicketBook(
        settings.kiosk_id,
        reset_hour=settings.day_reset_hour,
        block_size=settings.ticket_block_size,
    )
    bureau = worker = None
    if settings.bureau_url:
        bureau = bureau_engine(settings.bureau_url)
        worker = worker_for(store, bureau, book, queues_of(catalog))
    return KioskServices(settings, catalog, store, book, bureau=bureau, sync=worker)


def _window_services() -> WindowServices:
    """What the window gets from the rest of the kiosk; the store and printers wire in here
    (KioskServices fits every slot: help_desk, submitter, notice_printer)."""
    from kiosk.ui.services import InMemoryHelpDesk, Services

    return Services(help_desk=InMemoryHelpDesk())


def _run(args: argparse.Namespace) -> int:
    import os

    # Before any QApplication exists: Chinese text is typed on Qt Virtual Keyboard (Pinyin),
    # which picks its default language from the locale.
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ["LANG"] = "zh_CN.UTF-8"
    from kiosk.ui.launch import has_display, run_window

    if not has_display():
        print("No display found. To see the kiosk without a screen, run:", file=sys.stderr)
        print("  kiosk demo --out demo-out   (a scripted visit, offscreen)", file=sys.stderr)
        return 2
    loaded = _settings_and_catalog(args)
    if loaded is None:
        return 1
    return run_window(*loaded, _window_services())


def _demo(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # never pops up a window
    from kiosk.ui.demo import run_demo
    from kiosk.ui.launch import application, build_window

    loaded = _settings_and_catalog(args)
    if loaded is None:
        return 1
    application()
    window = build_window(*loaded, _window_services())
    saved = run_demo(window, Path(args.out), tuple(args.theme or ("standard", "elder")))
    window.deleteLater()
    print(f"{len(saved)} screenshots in {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="一窗通 self-service kiosk")
    commands = parser.add_subparsers(dest="command", required=True)

    catalog = commands.add_parser("catalog", help="service catalog tools")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
    check = catalog_commands.add_parser("check", help="validate a catalog file and walk it")
    check.add_argument("file", nargs="?", default=str(SHIPPED_CATALOG))
    check.set_defaults(func=_catalog_check)

    from kiosk.config_cli import register as register_config_commands
    from kiosk.store.cli import register as register_store_commands

    register_config_commands(commands)  # config check, set-pin

    register_store_commands(commands)  # db upgrade, sync reconcile, bureau call-next/set-status

    run = commands.add_parser("run", help="start the kiosk window fullscreen")
    run.add_argument("--config", help="settings file (default: the user config dir)")
    run.set_defaults(func=_run)
    demo = commands.add_parser("demo", help="a scripted visit offscreen, saving screenshots")
    demo.add_argument("--out", required=True, help="folder for the screenshots")
    demo.add_argument("--config", help="settings file (default: the user config dir)")
    demo.add_argument("--theme", action="append", choices=("standard", "elder", "contrast"))
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
