"""Quarantined outbox rows shown to staff, side by side with the bureau's copy.

A row is quarantined when the bureau already holds the same id (or code, or
ticket number) with a different payload.  :func:`quarantine_views` labels each
row the way staff recognise it and, when asked, lists the values that differ.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.exc import DBAPIError

from kiosk.queue import ticket_number
from kiosk.services.results import Difference, QuarantineView
from kiosk.store.bureau import BureauRating, BureauSubmission, BureauTicket
from kiosk.store.ids import format_code
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxEntry, OutboxKind, table_of
from kiosk.store.repositories import QuarantinedItem

log = logging.getLogger(__name__)

_BUREAU_TABLES: Mapping[str, Table] = {
    OutboxKind.SUBMISSION.value: table_of(BureauSubmission),
    OutboxKind.TICKET.value: table_of(BureauTicket),
    OutboxKind.RATING.value: table_of(BureauRating),
}


def quarantine_views(
    store: LocalStore,
    bureau: Engine | None,
    items: Sequence[QuarantinedItem],
    compare: bool,
) -> tuple[QuarantineView, ...]:
    """Each item labelled; with ``compare`` and a bureau, its differences (one connection)."""
    if not items:
        return ()
    with store.sessions() as session:
        payloads: dict[uuid.UUID, dict[str, Any] | None] = dict(
            session.execute(
                select(OutboxEntry.id, OutboxEntry.payload).where(
                    OutboxEntry.id.in_([i.id for i in items])
                )
            ).all()
        )
    labels = {i.id: _label(i.kind, payloads.get(i.id)) for i in items}
    if not compare or bureau is None:
        return tuple(QuarantineView(i, labels[i.id]) for i in items)
    views = []
    try:
        with bureau.connect() as connection:
            for item in items:
                payload = payloads.get(item.id)
                row = _bureau_counterpart(connection, item.kind, payload)
                if payload is None or row is None:
                    views.append(QuarantineView(item, labels[item.id]))
                    continue
                differences = tuple(_differences(payload, row))
                views.append(QuarantineView(item, labels[item.id], differences, True, True))
            connection.rollback()
    except DBAPIError as exc:
        log.info("quarantine comparison skipped, bureau unreachable: %s", exc)
        return tuple(QuarantineView(i, labels[i.id]) for i in items)
    return tuple(views)


def _label(kind: str, payload: Mapping[str, Any] | None) -> str:
    if payload is None:
        return kind
    if kind == OutboxKind.SUBMISSION.value:
        return format_code(str(payload.get("code", "")))
    if kind == OutboxKind.TICKET.value:
        return ticket_number(str(payload.get("prefix", "")), int(payload.get("seq", 0)))
    return f"{kind} {payload.get('id', '')}"


def _bureau_counterpart(
    connection: Connection, kind: str, payload: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The bureau row a quarantined payload collides with: same id, else same code / number."""
    table = _BUREAU_TABLES.get(kind)
    if table is None or payload is None:
        return None
    row = connection.execute(
        select(table).where(table.c.id == uuid.UUID(str(payload["id"])))
    ).first()
    if row is None and kind == OutboxKind.SUBMISSION.value:
        row = connection.execute(select(table).where(table.c.code == payload["code"])).first()
    if row is None and kind == OutboxKind.TICKET.value:
        row = connection.execute(
            select(table).where(
                table.c.queue == payload["queue"],
                table.c.service_day == date.fromisoformat(payload["service_day"]),
                table.c.seq == payload["seq"],
            )
        ).first()
    return dict(row._mapping) if row is not None else None


def _plain(value: Any) -> Any:
    """A bureau value in the shape the kiosk's JSON payload keeps it."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _differences(kiosk: Mapping[str, Any], bureau: Mapping[str, Any]) -> Iterator[Difference]:
    for key, ours in kiosk.items():
        if key not in bureau:
            continue
        yield from _compare(key, ours, _plain(bureau[key]))


def _compare(path: str, ours: Any, theirs: Any) -> Iterator[Difference]:
    if isinstance(ours, Mapping) and isinstance(theirs, Mapping):
        for key in dict.fromkeys([*ours, *theirs]):
            yield from _compare(f"{path}.{key}", ours.get(key), theirs.get(key))
    elif ours != theirs:
        yield Difference(path, ours, theirs)
