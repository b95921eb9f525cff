"""`kiosk config check` and `kiosk set-pin`: the operator's view of the configuration.

Every problem is explained on its own line, naming the file (and line) and the
setting; secrets (the database password, the PIN hash) are never printed, on any
path; bad input ends with a message and exit status 1, never a traceback.
`config check` also connects to the bureau database once, with a short timeout,
and says what failed (driver, host, TLS, password, database, schema).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from kiosk import bureau_url
from kiosk.config import (
    ConfigError,
    Settings,
    default_config_path,
    load_settings,
    missing_extras,
    write_setting,
)
from kiosk.kinds import PrinterBackend
from kiosk.private_files import readable_by_others
from kiosk.staff_pin import PinError, check_pin_hash, hash_pin


def redact_url(url: object) -> str:
    """A database URL fit to print: its password (and secret parameters) as ***."""
    return bureau_url.redact(url)


def settings_problems(settings: Settings) -> list[str]:
    """What is wrong with settings that parsed: files, drivers, modes, hashes (no network)."""
    from kiosk.catalog import CatalogError, load_catalog

    problems: list[str] = []
    try:
        load_catalog(settings.catalog_path)
    except CatalogError as exc:
        problems += [f"catalog_path: {p}" for p in exc.problems[:20]]
    problems += missing_extras(settings)
    bureau = settings.bureau
    if bureau is not None:
        for key in bureau_url.FILE_PARAMETERS:
            path = bureau.query.get(key)
            if path and path != "system" and not os.access(path, os.R_OK):
                problems.append(f"bureau_url: {key} {path} does not exist or cannot be read")
    if settings.pin_hash is not None:
        reason = check_pin_hash(settings.pin_hash)
        if reason:
            problems.append(reason)
    if reason := _unusable_folder(settings.data_dir):
        problems.append(f"data_dir: {settings.data_dir} {reason}")
    for kind, printer in settings.printers.items():
        folder = printer.folder if printer.backend is PrinterBackend.PDF_FOLDER else None
        if folder is not None and (reason := _unusable_folder(folder)):
            problems.append(f"printers.{kind}.folder: {folder} {reason}")
    source = settings.source
    if source is not None and _holds_secret(settings) and readable_by_others(source):
        problems.append(
            "this file holds the PIN hash or the bureau password and other users can read "
            f"it: chmod 600 {source}"
        )
    return problems


def _unusable_folder(folder: Path) -> str | None:
    """Why the kiosk could not keep files in ``folder`` (made on first use), or None."""
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        return f"cannot be a folder ({existing} is a file)"
    if not os.access(existing, os.W_OK | os.X_OK):
        return "is not writable"
    return None


def _holds_secret(settings: Settings) -> bool:
    bureau = settings.bureau
    secret_parameter = bureau is not None and any(
        key in bureau.query for key in bureau_url.SECRET_PARAMETERS
    )
    password = bureau is not None and bureau.has_password
    return settings.pin_hash is not None or password or secret_parameter


def _config_check(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else default_config_path()
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); the kiosk would not start.", file=sys.stderr)
        return 1
    problems = settings_problems(settings)
    connection = None
    bureau = settings.bureau
    if (
        settings.bureau_url
        and bureau is not None
        and not args.offline
        and bureau_url.missing_driver(bureau) is None  # already a problem
    ):
        from kiosk.store.bureau_connection import probe

        connection = probe(settings.bureau_url, args.timeout)
        if connection.problem:
            problems.append(connection.problem)
            if connection.detail:
                problems.append(f"  ({connection.detail})")
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if problems:
        return 1
    source = path if path.exists() else "embedded defaults (no config file)"
    print(f"configuration OK: {source}")
    print(f"  kiosk id      {settings.kiosk_id}")
    shown = redact_url(settings.bureau_url) if settings.bureau_url else "none"
    print(f"  bureau        {shown}")
    if connection is not None:
        print(f"                reached: {connection.server}")
    elif settings.bureau_url:
        print("                (not tried: --offline)")
    print(f"  local store   {settings.local_db_path}")
    for kind in settings.printers:
        printer = settings.printer(kind)
        print(f"  printer {kind:<6} {printer.backend} {printer.target}")
    print(f"  PIN           {'set' if settings.pin_hash else 'NOT SET — staff mode is closed'}")
    return 0


def _read_pins(args: argparse.Namespace) -> tuple[str, str] | None:
    if args.stdin:
        lines = sys.stdin.read().splitlines()
        first, second = [*lines, "", ""][:2]
        return first.strip(), (second or first).strip()
    try:
        first = getpass.getpass("New staff PIN (4–12 digits): ")
        second = getpass.getpass("Repeat the PIN: ")
    except (EOFError, KeyboardInterrupt):
        return None
    return first.strip(), second.strip()


def _set_pin(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else default_config_path()
    try:
        pins = _read_pins(args)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read the PIN: {exc}; nothing changed", file=sys.stderr)
        return 1
    if pins is None:
        print("cancelled; nothing changed", file=sys.stderr)
        return 1
    first, second = pins
    if first != second:
        print("the two PINs differ; nothing changed", file=sys.stderr)
        return 1
    try:
        pin_hash = hash_pin(first)
    except PinError as exc:
        print(f"{exc}; nothing changed", file=sys.stderr)
        return 1
    try:
        write_setting(path, "pin_hash", pin_hash)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("fix the file first (kiosk config check); nothing changed", file=sys.stderr)
        return 1
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"cannot write {path}: {reason}; nothing changed", file=sys.stderr)
        return 1
    print(f"staff PIN set in {path} (readable by this user only)")
    return 0


def register(commands: Any) -> None:
    config = commands.add_parser("config", help="configuration tools")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    check = config_commands.add_parser("check", help="explain every problem in the config")
    check.add_argument("--config", help="TOML file (default: the platform config dir)")
    check.add_argument(
        "--offline", action="store_true", help="do not try to connect to the bureau database"
    )
    check.add_argument(
        "--timeout",
        type=int,
        default=5,
        help="seconds to wait for the bureau database (default 5)",
    )
    check.set_defaults(func=_config_check)

    set_pin = commands.add_parser("set-pin", help="set the guide-staff PIN (stored as a hash)")
    set_pin.add_argument("--config", help="TOML file to write (default: the platform config dir)")
    set_pin.add_argument(
        "--stdin", action="store_true", help="read the PIN (and its repetition) from standard input"
    )
    set_pin.set_defaults(func=_set_pin)
