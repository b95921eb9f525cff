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
    from kiosk.idcard import IdCardReader
    from kiosk.services import KioskServices
    from kiosk.ui.launch import Milestone, Started
    from kiosk.ui.services import Services as WindowServices


def _catalog_check(args: argparse.Namespace) -> int:
    from kiosk.catalog import CatalogError, load_catalog
    from kiosk.walk import check_catalog

    try:
        catalog = load_catalog(args.file)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); the catalog was not loaded.", file=sys.stderr)
        return 1
    problems = check_catalog(catalog)
    for problem in problems:
        print(problem, file=sys.stderr)
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
    from kiosk.config import ConfigError, load_settings, missing_extras

    try:
        settings = load_settings(args.config)
        if missing := missing_extras(settings):
            raise ConfigError(missing)
        return settings, load_catalog(settings.catalog_path)
    except (ConfigError, CatalogError) as exc:
        for problem in getattr(exc, "problems", [exc]):
            print(problem, file=sys.stderr)
        return None


def build_services(settings: Settings, catalog: Catalog) -> KioskServices:
    """The kiosk's services over its parts: local store (opened and migrated), ticket book,
    printers, and — when ``bureau_url`` is set — the bureau gateway and a sync worker (not
    started yet: call ``start()``, and ``close()`` at exit).  Raises StoreUnavailable if the
    store cannot open, BureauUrlInvalid if ``bureau_url`` cannot work.

    The bureau schema is not migrated here: that is ``kiosk db upgrade --bureau`` by the
    hall's administrator, and a kiosk must start while the bureau is down.
    """
    from kiosk.numbering import queues_of
    from kiosk.services import (
        Hall,
        KioskServices,
        Printers,
        Ratings,
        StaffDesk,
        StatusQuery,
        Submissions,
        Tickets,
    )
    from kiosk.store.gateway import BureauGateway
    from kiosk.store.local import LocalStore
    from kiosk.store.ticket_book import TicketBook
    from kiosk.sync import worker_for

    # The URL first: a bad one (BureauUrlInvalid) must not leave an open store behind.
    bureau = BureauGateway.connect(settings.bureau_url) if settings.bureau_url else None
    store = LocalStore.from_settings(settings)
    book = TicketBook(
        settings.kiosk_id,
        reset_hour=settings.day_reset_hour,
        block_size=settings.ticket_block_size,
        standalone=not settings.bureau_url,  # no bureau: the kiosk numbers tickets itself
    )
    sync = None
    if bureau is not None:
        sync = worker_for(store, bureau, book, queues_of(catalog), settings.retention_days)
    hall = Hall(catalog, settings.hall_name)
    printers = Printers(settings, store, hall)
    tickets = Tickets(settings.kiosk_id, store, book, hall, printers, bureau=bureau, sync=sync)
    return KioskServices(
        settings,
        store,
        book,
        hall,
        printers,
        submissions=Submissions(store, book, hall, tickets, printers),
        tickets=tickets,
        ratings=Ratings(store),
        status=StatusQuery(store, bureau),
        staff=StaffDesk(settings, store, book, hall, printers, tickets, bureau=bureau, sync=sync),
        bureau=bureau,
        sync=sync,
    )


def _window_services(
    kiosk: KioskServices, settings: Settings, id_reader: IdCardReader | None = None
) -> WindowServices:
    """What the window gets: the kiosk's services, its voice (espeak-ng + QtMultimedia, silent
    without audio) and the ID-card reader given, else the simulated one KIOSK_IDCARD_FILE
    names (else none: a kiosk without a reader)."""
    from kiosk.idcard import reader_from_env
    from kiosk.ui.services import Services
    from kiosk.ui.voice import Voice

    reader = id_reader or reader_from_env()
    return Services.of(kiosk, Voice(settings.data_dir / "voice"), id_reader=reader)


def _start(settings: Settings) -> Started:
    """Catalog, store, services and the sync worker (run off the GUI thread by the window).

    Raises CatalogError or StoreUnavailable: the kiosk cannot serve anyone without them.
    """
    from kiosk.catalog import CatalogError, load_catalog
    from kiosk.store.db import StoreUnavailable
    from kiosk.store.gateway import BureauUrlInvalid
    from kiosk.ui.launch import CannotStart, Started

    try:
        catalog = load_catalog(settings.catalog_path)
        kiosk = build_services(settings, catalog)
    except CatalogError as exc:
        raise CannotStart([str(problem) for problem in exc.problems]) from exc
    except StoreUnavailable as exc:
        raise CannotStart([f"the local store: {exc.problem}", *filter(None, [exc.remedy])]) from exc
    except BureauUrlInvalid as exc:
        raise CannotStart([f"bureau_url: {exc}"]) from exc
    kiosk.start()
    return Started(catalog, _window_services(kiosk, settings), kiosk.close)


def run_kiosk(config: str | None = None, milestone: Milestone | None = None) -> int:
    """`kiosk run`: the window paints its home screen at once and loads the rest behind it
    (``milestone`` hears "painted" and "ready"; the start-up benchmark listens)."""
    from kiosk.config import ConfigError, load_settings, missing_extras
    from kiosk.ui.launch import keep_a_log, run_window

    try:
        settings = load_settings(config)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    missing = missing_extras(settings)  # a driver or python-escpos: say which extra
    for problem in missing:
        print(problem, file=sys.stderr)
    if missing:
        return 1
    keep_a_log(settings.data_dir)
    return run_window(settings, lambda: _start(settings), milestone)


def _binding_refused() -> bool:
    """True (after saying why) when the installed Qt binding is known to crash the kiosk."""
    from kiosk.binding import UnsupportedBinding, check

    try:
        check()
    except UnsupportedBinding as exc:
        print(exc, file=sys.stderr)
        return True
    return False


def _run(args: argparse.Namespace) -> int:

    if _binding_refused():
        return 2

    # Before any QApplication exists: text is typed on Qt Virtual Keyboard (Pinyin and
    # English), embedded in the window (kiosk.ui.input).
    from kiosk.ui.input.embedded import use_embedded_keyboard

    use_embedded_keyboard()  # its language follows the window's, not the machine's locale
    from kiosk.ui.launch import has_display

    if not has_display():
        print("No display found. To see the kiosk without a screen, run:", file=sys.stderr)
        print("  kiosk demo --out demo-out   (a scripted visit, offscreen)", file=sys.stderr)
        return 2
    return run_kiosk(args.config)


def demo_settings(settings: Settings, out: Path, bureau_url: str | None) -> Settings:
    """The demo's own hall in ``out``: a fresh local store and a PDF-folder printer there."""
    from kiosk.config import DOCUMENT_KINDS, PrinterSettings
    from kiosk.kinds import PrinterBackend

    printer = PrinterSettings(backend=PrinterBackend.PDF_FOLDER, folder=out / "printed")
    return settings.with_values(
        data_dir=out / "store",
        bureau_url=bureau_url,
        printers={kind: printer for kind in DOCUMENT_KINDS},
    )


def _demo(args: argparse.Namespace) -> int:
    import os

    if _binding_refused():
        return 2

    out = Path(args.out)
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # never pops up a window
        # One offscreen screen with room for a landscape and a portrait window.
        out.mkdir(parents=True, exist_ok=True)
        screen = out / "offscreen-screen.json"
        screen.write_text(
            '{"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": 1920, "height": 1920,'
            ' "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}',
            encoding="utf-8",
        )
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    from kiosk.ui.input.embedded import use_embedded_keyboard

    use_embedded_keyboard()  # the demo types on the window's own keyboard, as a visitor does
    from PySide6.QtCore import QSize

    from kiosk.store.db import StoreUnavailable
    from kiosk.store.gateway import BureauUrlInvalid
    from kiosk.ui.demo import run_demo
    from kiosk.ui.demo.staff_tour import demo_reader
    from kiosk.ui.demo.visit import DemoStuck
    from kiosk.ui.launch import application, build_window

    loaded = _settings_and_catalog(args)
    if loaded is None:
        return 1
    settings = demo_settings(loaded[0], out, args.bureau)
    catalog = loaded[1]
    try:
        kiosk = build_services(settings, catalog)
    except (StoreUnavailable, BureauUrlInvalid) as exc:
        print(exc, file=sys.stderr)
        return 1
    application()
    area = catalog.meta.area
    home = (str(area.province), str(area.city), str(area.district)) if area else None
    services = _window_services(kiosk, settings, demo_reader(out, home))  # a made-up ID card
    window = build_window(settings, catalog, services)
    try:
        if args.bureau:
            kiosk.staff.sync_now()  # leases ticket numbers before the first visitor
            kiosk.start()
        themes = tuple(args.theme or ("standard", "elder"))
        saved = []
        for size in args.size or [None]:  # none given: the kiosk's 1920×1080, in out/<theme>
            folder = out / f"{size[0]}x{size[1]}" if size else out
            saved += run_demo(window, folder, themes, size=QSize(*size) if size else None)
    except DemoStuck as stuck:
        print(f"the demo could not finish the visit: {stuck}", file=sys.stderr)
        return 1
    finally:
        # Stuck or not, the window goes with the demo: a window left behind (shown, its idle
        # timer and touch guard still running over a closed store) broke whatever the same
        # process did next.
        window.background.wait()
        window.hide()
        window.deleteLater()
        services.voice.close()
        kiosk.close()
    printed = sorted((out / "printed").glob("*.pdf"))
    print(f"{len(saved)} screenshots and {len(printed)} printed PDFs in {out}")
    return 0


def _window_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1366x768") from None
    if not (320 <= width <= 7680 and 320 <= height <= 7680):
        raise argparse.ArgumentTypeError(f"{text}: a screen between 320 and 7680 px a side")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="一窗通 self-service kiosk")
    commands = parser.add_subparsers(dest="command", required=True)

    catalog = commands.add_parser("catalog", help="service catalog tools")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
    check = catalog_commands.add_parser("check", help="validate a catalog file and walk it")
    check.add_argument("file", nargs="?", default=str(SHIPPED_CATALOG))
    check.set_defaults(func=_catalog_check)

    from kiosk.cli import register_database_commands
    from kiosk.cli.config import register as register_config_commands

    register_config_commands(commands)  # config check, set-pin

    register_database_commands(commands)  # db upgrade, sync reconcile, bureau call-next/…

    run = commands.add_parser("run", help="start the kiosk window fullscreen")
    run.add_argument("--config", help="settings file (default: the user config dir)")
    run.set_defaults(func=_run)
    demo = commands.add_parser("demo", help="a scripted visit offscreen, saving screenshots")
    demo.add_argument("--out", required=True, help="folder for the screenshots")
    demo.add_argument("--config", help="settings file (default: the user config dir)")
    demo.add_argument("--theme", action="append", choices=("standard", "elder", "contrast"))
    demo.add_argument(
        "--size",
        action="append",
        type=_window_size,
        help="window size WxH, e.g. 1366x768 (repeatable; screenshots go to OUT/WxH/THEME)",
    )
    demo.add_argument(
        "--bureau",
        help="a bureau database URL (PostgreSQL / MariaDB, migrated) to take real ticket "
        "numbers from; without one the demo kiosk is offline and says so",
    )
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
