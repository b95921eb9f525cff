"""Command-line tools for the stores: schema upgrades, reconciliation, a back-office stand-in.

``kiosk db upgrade``, ``kiosk sync reconcile``, ``kiosk bureau call-next`` and
``kiosk bureau set-status``.  Registered on kiosk.app's parser by
:func:`register`; each command is a thin call into kiosk.store / queue / sync.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from kiosk.store.models import SubmissionStatus


def register(commands: Any) -> None:
    """Add the ``db``, ``sync`` and ``bureau`` commands to kiosk.app's subparsers."""
    db = commands.add_parser("db", help="database schema tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser(
        "upgrade", help="create or upgrade a schema (the bureau's with --bureau, else local)"
    )
    _common(upgrade)
    upgrade.set_defaults(func=_db_upgrade)

    sync = commands.add_parser("sync", help="outbox and bureau database tools")
    sync_commands = sync.add_subparsers(dest="sync_command", required=True)
    reconcile = sync_commands.add_parser(
        "reconcile", help="compare this kiosk's submissions with the bureau; re-queue gaps"
    )
    _common(reconcile)
    reconcile.add_argument("--day", type=date.fromisoformat, help="service day YYYY-MM-DD")
    reconcile.set_defaults(func=_sync_reconcile)

    bureau = commands.add_parser("bureau", help="back-office stand-in for demos and tests")
    bureau_commands = bureau.add_subparsers(dest="bureau_command", required=True)
    call = bureau_commands.add_parser("call-next", help="call the next waiting ticket")
    _common(call)
    call.add_argument("queue", help="queue code (e.g. livelihood) or ticket prefix (e.g. B)")
    call.add_argument("--window", type=int, required=True)
    call.add_argument("--day", type=date.fromisoformat, help="service day (default: today)")
    call.set_defaults(func=_bureau_call_next)
    status = bureau_commands.add_parser("set-status", help="set a submission's status")
    _common(status)
    status.add_argument("code", help="the submission's code (dashes and case ignored)")
    status.add_argument("status", choices=[s.value for s in SubmissionStatus])
    status.set_defaults(func=_bureau_set_status)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="kiosk.toml (default: the platform config dir)")
    parser.add_argument("--bureau", metavar="URL", help="bureau database URL")


def _settings(args: argparse.Namespace) -> Any:
    from kiosk.config import load_settings

    return load_settings(args.config)


def _bureau_url(args: argparse.Namespace, settings: Any) -> str | None:
    return args.bureau or settings.bureau_url


@contextmanager
def _engine(url: str) -> Iterator[Any]:
    from kiosk.store.db import bureau_engine

    engine = bureau_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _db_upgrade(args: argparse.Namespace) -> int:
    from kiosk.store.db import BureauUnavailable, StoreUnavailable, migrate
    from kiosk.store.local import LocalStore

    settings = _settings(args)
    try:
        if args.bureau:
            with _engine(args.bureau) as engine:
                changed = migrate(engine, "bureau")
            print("bureau database " + ("upgraded" if changed else "already up to date"))
        else:
            LocalStore.from_settings(settings).close()
            print(f"local store up to date: {settings.local_db_path}")
    except (BureauUnavailable, StoreUnavailable) as exc:
        return _fail(str(exc))
    except DBAPIError as exc:
        return _fail(f"bureau database unreachable: {exc.orig}")
    return 0


def _sync_reconcile(args: argparse.Namespace) -> int:
    from kiosk.store.db import BureauUnavailable, StoreUnavailable
    from kiosk.store.local import LocalStore
    from kiosk.sync import reconcile

    settings = _settings(args)
    url = _bureau_url(args, settings)
    if not url:
        return _fail("no bureau database: pass --bureau URL or set bureau_url in kiosk.toml")
    try:
        store = LocalStore.from_settings(settings)
        try:
            with _engine(url) as engine:
                report = reconcile(store, engine, args.day)
        finally:
            store.close()
    except (BureauUnavailable, StoreUnavailable) as exc:
        return _fail(str(exc))
    except DBAPIError as exc:
        return _fail(f"bureau database unreachable: {exc.orig}")
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
    from kiosk.queue import call_next, service_day
    from kiosk.store.db import BureauUnavailable
    from kiosk.store.types import utcnow

    settings = _settings(args)
    url = _bureau_url(args, settings)
    if not url:
        return _fail("no bureau database: pass --bureau URL or set bureau_url in kiosk.toml")
    day = args.day or service_day(utcnow(), settings.day_reset_hour)
    try:
        with _engine(url) as engine:
            called = call_next(engine, args.queue, args.window, day)
    except BureauUnavailable as exc:
        return _fail(str(exc))
    except DBAPIError as exc:
        return _fail(f"bureau database unreachable: {exc.orig}")
    if called is None:
        print(f"nobody waiting in {args.queue} on {day.isoformat()}")
        return 1
    print(f"{called.number} → window {called.window}")
    return 0


def _bureau_set_status(args: argparse.Namespace) -> int:
    from kiosk.store.bureau import BureauSubmission
    from kiosk.store.db import BureauUnavailable
    from kiosk.store.ids import normalise_code
    from kiosk.store.types import utcnow

    settings = _settings(args)
    url = _bureau_url(args, settings)
    if not url:
        return _fail("no bureau database: pass --bureau URL or set bureau_url in kiosk.toml")
    code = normalise_code(args.code)
    if code is None:
        return _fail(f"{args.code!r} is not a submission code")
    try:
        with _engine(url) as engine, engine.begin() as connection:
            result = connection.execute(
                update(BureauSubmission)
                .where(BureauSubmission.code == code)
                .values(status=args.status, status_changed_at=utcnow())
            )
    except BureauUnavailable as exc:
        return _fail(str(exc))
    except DBAPIError as exc:
        return _fail(f"bureau database unreachable: {exc.orig}")
    if not result.rowcount:
        return _fail(f"no submission {code} in the bureau database")
    print(f"{code}: {args.status}")
    return 0
