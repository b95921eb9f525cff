"""``kiosk db upgrade``, ``kiosk sync reconcile``, ``kiosk bureau call-next | set-status``.

Every failure an operator can cause or meet — a bad config file, a bureau URL
that cannot work, a server that does not answer, a damaged local store — ends
with one precise line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from kiosk.codes import normalise_code
from kiosk.config import ConfigError, Settings, load_settings
from kiosk.numbering import service_day
from kiosk.statuses import SubmissionStatus
from kiosk.store.db import BureauUnavailable, StoreUnavailable
from kiosk.store.gateway import BureauGateway, BureauRefused, BureauUrlInvalid, KioskIdTooLong
from kiosk.store.local import LocalStore
from kiosk.store.types import utcnow
from kiosk.sync import reconcile


class CommandFailed(Exception):
    """What to print (one line) before exiting with status 2."""


def register(commands: Any) -> None:
    """Add the ``db``, ``sync`` and ``bureau`` commands to kiosk.app's subparsers."""
    db = commands.add_parser("db", help="database schema tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser(
        "upgrade", help="create or upgrade a schema (the bureau's with --bureau, else local)"
    )
    _common(upgrade)
    upgrade.set_defaults(func=_guarded(_db_upgrade))

    sync = commands.add_parser("sync", help="outbox and bureau database tools")
    sync_commands = sync.add_subparsers(dest="sync_command", required=True)
    check = sync_commands.add_parser(
        "reconcile", help="compare this kiosk's submissions with the bureau; re-queue gaps"
    )
    _common(check)
    check.add_argument("--day", type=date.fromisoformat, help="service day YYYY-MM-DD")
    check.set_defaults(func=_guarded(_sync_reconcile))

    bureau = commands.add_parser("bureau", help="back-office stand-in for demos and tests")
    bureau_commands = bureau.add_subparsers(dest="bureau_command", required=True)
    call = bureau_commands.add_parser("call-next", help="call the next waiting ticket")
    _common(call)
    call.add_argument("queue", help="queue code (e.g. livelihood) or ticket prefix (e.g. B)")
    call.add_argument("--window", type=int, required=True)
    call.add_argument("--day", type=date.fromisoformat, help="service day (default: today)")
    call.set_defaults(func=_guarded(_bureau_call_next))
    status = bureau_commands.add_parser("set-status", help="set a submission's status")
    _common(status)
    status.add_argument("code", help="the submission's code (dashes and case ignored)")
    status.add_argument("status", choices=[s.value for s in SubmissionStatus])
    status.set_defaults(func=_guarded(_bureau_set_status))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="kiosk.toml (default: the platform config dir)")
    parser.add_argument("--bureau", metavar="URL", help="bureau database URL")


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Known failures become one line on stderr and exit status 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except ConfigError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 2
        except (CommandFailed, BureauUrlInvalid, KioskIdTooLong, BureauUnavailable) as exc:
            print(exc, file=sys.stderr)
            return 2
        except StoreUnavailable as exc:
            print(f"{exc.problem}\nwhat to do: {exc.remedy}", file=sys.stderr)
            return 2
        except BureauRefused as exc:  # the server answered, and said no (e.g. no schema yet)
            print(f"{exc} (has `kiosk db upgrade --bureau URL` been run?)", file=sys.stderr)
            return 2

    return run


def _bureau_url(args: argparse.Namespace, settings: Settings) -> str:
    url = args.bureau or settings.bureau_url
    if not url:
        raise CommandFailed("no bureau database: pass --bureau URL or set bureau_url in kiosk.toml")
    if not isinstance(url, str):
        raise CommandFailed("bureau_url in kiosk.toml must be text (a database URL)")
    return url


@contextmanager
def _gateway(url: str) -> Iterator[BureauGateway]:
    gateway = BureauGateway.connect(url)
    try:
        yield gateway
    finally:
        gateway.dispose()


def _db_upgrade(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.bureau:
        with _gateway(args.bureau) as gateway:
            changed = gateway.upgrade()
        print("bureau database " + ("upgraded" if changed else "already up to date"))
    else:
        LocalStore.from_settings(settings).close()
        print(f"local store up to date: {settings.local_db_path}")
    return 0


def _sync_reconcile(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    url = _bureau_url(args, settings)
    with _gateway(url) as gateway:
        store = LocalStore.from_settings(settings)
        try:
            report = reconcile(store, gateway, args.day)
        finally:
            store.close()
    scope = args.day.isoformat() if args.day else "all days"
    print(f"kiosk {settings.kiosk_id}, {scope}: {report.local} here, {report.bureau} in the bureau")
    print(f"  missing in the bureau: {len(report.missing_in_bureau)}")
    for submission_id in report.missing_in_bureau:
        print(f"    {submission_id}")
    print(f"  re-queued: {report.requeued}; still in the outbox: {report.in_flight}")
    if report.unrecoverable:
        print(f"  purged here, cannot be resent: {report.unrecoverable}")
    print(f"  in the bureau but not here: {len(report.missing_locally)}")
    for submission_id in report.missing_locally:
        print(f"    {submission_id}")
    return 0


def _bureau_call_next(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    url = _bureau_url(args, settings)
    day = args.day or service_day(utcnow(), settings.day_reset_hour)
    with _gateway(url) as gateway:
        called = gateway.call_next(args.queue, args.window, day)
    if called is None:
        print(f"nobody waiting in {args.queue} on {day.isoformat()}")
        return 1
    print(f"{called.number} → window {called.window}")
    return 0


def _bureau_set_status(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    url = _bureau_url(args, settings)
    code = normalise_code(args.code)
    if code is None:
        raise CommandFailed(f"{args.code!r} is not a submission code")
    with _gateway(url) as gateway:
        found = gateway.set_status(code, SubmissionStatus(args.status))
    if not found:
        raise CommandFailed(f"no submission {code} in the bureau database")
    print(f"{code}: {args.status}")
    return 0
