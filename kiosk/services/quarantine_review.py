"""Quarantined outbox rows shown to staff, side by side with the bureau's copy.

A row is quarantined when the bureau already holds the same id (or code, or
ticket number) with a different payload, or refused the row several times on
its own (the reason is kept).  :func:`quarantine_views` labels each row the
way staff recognise it and, when asked, lists the values that differ.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from kiosk.codes import format_code
from kiosk.numbering import ticket_number
from kiosk.services.results import Difference, QuarantineView
from kiosk.store.db import BureauUnavailable
from kiosk.store.gateway import BureauGateway, BureauRefused
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxKind
from kiosk.store.outbox import QuarantinedItem

log = logging.getLogger(__name__)


def quarantine_views(
    store: LocalStore,
    bureau: BureauGateway | None,
    items: Sequence[QuarantinedItem],
    compare: bool,
) -> tuple[QuarantineView, ...]:
    """Each item labelled; with ``compare`` and a bureau, its differences (one connection)."""
    if not items:
        return ()
    payloads = store.outbox.payloads(i.id for i in items)
    labels = {i.id: _label(i.kind, payloads.get(i.id)) for i in items}
    if not compare or bureau is None:
        return tuple(QuarantineView(i, labels[i.id]) for i in items)
    try:
        rows = bureau.counterparts([(i.kind, payloads.get(i.id)) for i in items])
    except (BureauUnavailable, BureauRefused) as exc:
        log.info("quarantine comparison skipped, bureau unreachable: %s", exc)
        return tuple(QuarantineView(i, labels[i.id]) for i in items)
    views = []
    for item, row in zip(items, rows, strict=True):
        payload = payloads.get(item.id)
        if payload is None or row is None:
            views.append(QuarantineView(item, labels[item.id]))
            continue
        differences = tuple(_differences(payload, row))
        views.append(QuarantineView(item, labels[item.id], differences, True, True))
    return tuple(views)


def _label(kind: str, payload: Mapping[str, Any] | None) -> str:
    if payload is None:
        return kind
    if kind == OutboxKind.SUBMISSION.value:
        return format_code(str(payload.get("code", "")))
    if kind == OutboxKind.TICKET.value:
        return ticket_number(str(payload.get("prefix", "")), int(payload.get("seq", 0)))
    return f"{kind} {payload.get('id', '')}"


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
