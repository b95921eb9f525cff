"""`kiosk config check` and `kiosk set-pin`: the operator's view of the configuration.

Every problem is explained on its own line; secrets (the database password, the
PIN hash) are never printed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from pathlib import Path
from typing import Any

from kiosk.config import (
    ConfigError,
    Settings,
    default_config_path,
    load_settings,
    write_setting,
)
from kiosk.staff import PinError, check_pin_hash, hash_pin


def redact_url(url: str) -> str:
    """A database URL with its password replaced by ***."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def settings_problems(settings: Settings) -> list[str]:
    """What is wrong with settings that parsed: references to files, URLs, hashes."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from kiosk.catalog import CatalogError, load_catalog

    problems: list[str] = []
    try:
        load_catalog(settings.catalog_path)
    except CatalogError as exc:
        problems += [f"catalog_path: {p}" for p in exc.problems[:20]]
    if settings.bureau_url:
        try:
            url = make_url(settings.bureau_url)
            if url.get_backend_name() not in ("postgresql", "mysql", "mariadb"):
                problems.append(
                    f"bureau_url: {url.get_backend_name()} is not supported "
                    "(use postgresql+psycopg:// or mysql+pymysql://)"
                )
            sslmode = url.query.get("sslmode")
            if sslmode not in (
                None,
                "disable",
                "allow",
                "prefer",
                "require",
                "verify-ca",
                "verify-full",
            ):
                problems.append(f"bureau_url: unknown sslmode {sslmode!r}")
        except ArgumentError:
            problems.append(f"bureau_url: not a database URL: {redact_url(settings.bureau_url)}")
    if settings.pin_hash is not None:
        reason = check_pin_hash(settings.pin_hash)
        if reason:
            problems.append(reason)
    for kind, printer in settings.printers.items():
        if printer.backend == "pdf-folder" and printer.folder is not None:
            parent = printer.folder if printer.folder.exists() else printer.folder.parent
            if not os.access(parent, os.W_OK):
                problems.append(f"printers.{kind}.folder: {printer.folder} is not writable")
    return problems


def _config_check(args: argparse.Namespace) -> int:
    path = args.config or default_config_path()
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    problems = settings_problems(settings)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if problems:
        return 1
    source = path if Path(path).exists() else "embedded defaults (no config file)"
    print(f"configuration OK: {source}")
    print(f"  kiosk id      {settings.kiosk_id}")
    print(f"  bureau        {redact_url(settings.bureau_url) if settings.bureau_url else 'none'}")
    print(f"  local store   {settings.local_db_path}")
    for kind in settings.printers:
        printer = settings.printer(kind)
        where = printer.queue or printer.device or printer.folder
        print(f"  printer {kind:<6} {printer.backend} {where}")
    print(f"  PIN           {'set' if settings.pin_hash else 'NOT SET — staff mode is closed'}")
    return 0


def _set_pin(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else default_config_path()
    if args.stdin:
        lines = sys.stdin.read().splitlines()
        first, second = [*lines, "", ""][:2]
        second = second or first
    else:
        first = getpass.getpass("New staff PIN (4–12 digits): ")
        second = getpass.getpass("Repeat the PIN: ")
    if first != second:
        print("the two PINs differ; nothing changed", file=sys.stderr)
        return 1
    try:
        pin_hash = hash_pin(first)
    except PinError as exc:
        print(f"{exc}; nothing changed", file=sys.stderr)
        return 1
    write_setting(path, "pin_hash", pin_hash)
    print(f"staff PIN set in {path}")
    return 0


def register(commands: Any) -> None:
    config = commands.add_parser("config", help="configuration tools")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    check = config_commands.add_parser("check", help="explain every problem in the config")
    check.add_argument("--config", help="TOML file (default: the platform config dir)")
    check.set_defaults(func=_config_check)

    set_pin = commands.add_parser("set-pin", help="set the guide-staff PIN (stored as a hash)")
    set_pin.add_argument("--config", help="TOML file to write (default: the platform config dir)")
    set_pin.add_argument(
        "--stdin", action="store_true", help="read the PIN (and its repetition) from standard input"
    )
    set_pin.set_defaults(func=_set_pin)
