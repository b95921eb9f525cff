"""The outbox: rows owed to the bureau, written in the same transaction as what they describe.

A row goes pending → sending (claimed, committed before it is sent) → synced,
or → quarantined: at once when the bureau holds the same id with different
content, or after :data:`MAX_REFUSALS` refusals of the row on its own (bad
data the bureau will never take), so one bad row never blocks the rest.
Every quarantine is audited and shown to staff with its reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from kiosk.codes import uuid7
from kiosk.store.models import AuditEvent, OutboxEntry, OutboxKind, OutboxState, table_of
from kiosk.store.payloads import payload_hash
from kiosk.store.types import utcnow

Sessions = sessionmaker[Session]

# A row the bureau refuses by itself this many times is quarantined with the reason.
MAX_REFUSALS = 3
# Set on a session that added outbox rows: the store wakes the sync worker after commit.
OUTBOX_ADDED = "kiosk.outbox_added"


@dataclass(frozen=True)
class OutboxItem:
    id: uuid.UUID
    kind: str
    entity_id: uuid.UUID
    payload: dict[str, Any]
    payload_hash: str


@dataclass(frozen=True)
class QuarantinedItem:
    id: uuid.UUID
    kind: str
    entity_id: uuid.UUID
    reason: str
    created_at: datetime


_TABLE = table_of(OutboxEntry)
_OUTBOX_INSERT = _TABLE.insert()
_OWED = (OutboxState.PENDING.value, OutboxState.SENDING.value)


class Outbox:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    @staticmethod
    def add(
        session: Session, kind: OutboxKind, entity_id: uuid.UUID, payload: dict[str, Any]
    ) -> None:
        session.execute(
            _OUTBOX_INSERT,
            {
                "id": uuid7(),
                "kind": kind.value,
                "entity_id": entity_id,
                "payload": payload,
                "payload_hash": payload_hash(payload),
                "state": OutboxState.PENDING.value,
                "attempts": 0,
                "refusals": 0,
                "last_error": None,
                "created_at": utcnow(),
                "synced_at": None,
            },
        )
        session.info[OUTBOX_ADDED] = True

    def claim(self, limit: int) -> list[OutboxItem]:
        """The oldest unsent rows, marked "sending" (and committed) before they are sent."""
        with self._sessions.begin() as session:
            rows = session.execute(
                select(
                    _TABLE.c.id,
                    _TABLE.c.kind,
                    _TABLE.c.entity_id,
                    _TABLE.c.payload,
                    _TABLE.c.payload_hash,
                )
                .where(_TABLE.c.state.in_(_OWED), _TABLE.c.payload.is_not(None))
                .order_by(_TABLE.c.id)
                .limit(limit)
                .with_for_update()
            ).all()
            if rows:
                session.execute(
                    update(_TABLE)
                    .where(_TABLE.c.id.in_([r.id for r in rows]))
                    .values(state=OutboxState.SENDING.value, attempts=_TABLE.c.attempts + 1)
                )
        return [OutboxItem(r.id, r.kind, r.entity_id, r.payload, r.payload_hash) for r in rows]

    def mark_synced(self, ids: Sequence[uuid.UUID], at: datetime | None = None) -> None:
        if not ids:
            return
        with self._sessions.begin() as session:
            session.execute(
                update(_TABLE)
                .where(_TABLE.c.id.in_(list(ids)))
                .values(state=OutboxState.SYNCED.value, synced_at=at or utcnow(), last_error=None)
            )

    def mark_failed(self, ids: Sequence[uuid.UUID], error: str) -> None:
        """Back to "pending": the rows are sent again on the next attempt."""
        if not ids:
            return
        with self._sessions.begin() as session:
            session.execute(
                update(_TABLE)
                .where(_TABLE.c.id.in_(list(ids)), _TABLE.c.state == OutboxState.SENDING.value)
                .values(state=OutboxState.PENDING.value, last_error=error[:2000])
            )

    def refused(self, item_id: uuid.UUID, reason: str, limit: int = MAX_REFUSALS) -> bool:
        """The bureau refused this row by itself: count it, and quarantine it at ``limit``.

        Returns True when the row was quarantined.
        """
        with self._sessions.begin() as session:
            row = session.get(OutboxEntry, item_id)
            if row is None or row.state not in _OWED:
                return False
            row.refusals = (row.refusals or 0) + 1
            row.last_error = reason[:2000]
            if row.refusals < limit:
                row.state = OutboxState.PENDING.value
                return False
            _quarantine(session, row, f"refused {row.refusals} times: {reason}")
            return True

    def quarantine(self, item_id: uuid.UUID, reason: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(OutboxEntry, item_id)
            if row is not None:
                _quarantine(session, row, reason)

    def state_of(self, kind: OutboxKind, entity_id: uuid.UUID) -> str | None:
        """The state of an entity's outbox row of one kind (None: there is none)."""
        with self._sessions() as session:
            return session.scalar(
                select(OutboxEntry.state)
                .where(OutboxEntry.kind == kind.value, OutboxEntry.entity_id == entity_id)
                .limit(1)
            )

    def backlog(self) -> int:
        with self._sessions() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(OutboxEntry)
                    .where(OutboxEntry.state.in_(_OWED))
                )
                or 0
            )

    def quarantined(self) -> list[QuarantinedItem]:
        with self._sessions() as session:
            rows = session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.state == OutboxState.QUARANTINED.value)
                .order_by(OutboxEntry.id)
            ).all()
            return [
                QuarantinedItem(r.id, r.kind, r.entity_id, r.last_error or "", r.created_at)
                for r in rows
            ]

    def payloads(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any] | None]:
        """The payloads of these outbox rows (None where purged)."""
        with self._sessions() as session:
            return dict(
                session.execute(
                    select(OutboxEntry.id, OutboxEntry.payload).where(OutboxEntry.id.in_(list(ids)))
                ).all()
            )

    def in_flight(self) -> set[uuid.UUID]:
        """Entities with a row not (yet) in the bureau: pending, sending or quarantined."""
        with self._sessions() as session:
            return set(
                session.scalars(
                    select(OutboxEntry.entity_id).where(
                        OutboxEntry.state.in_([*_OWED, OutboxState.QUARANTINED.value])
                    )
                )
            )

    def requeue(self, entity_ids: Iterable[uuid.UUID]) -> tuple[int, int]:
        """Send these entities' rows again; returns (requeued, impossible because purged)."""
        ids = list(entity_ids)
        if not ids:
            return 0, 0
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(OutboxEntry).where(
                    OutboxEntry.entity_id.in_(ids),
                    OutboxEntry.state == OutboxState.SYNCED.value,
                )
            ).all()
            purged = sum(1 for r in rows if r.payload is None)
            for row in rows:
                if row.payload is not None:
                    row.state = OutboxState.PENDING.value
                    row.refusals = 0
            if len(rows) > purged:
                session.info[OUTBOX_ADDED] = True
            return len(rows) - purged, purged


def _quarantine(session: Session, row: OutboxEntry, reason: str) -> None:
    row.state = OutboxState.QUARANTINED.value
    row.last_error = reason[:2000]
    session.add(
        AuditEvent(
            id=uuid7(),
            at=utcnow(),
            actor="sync",
            action="quarantine",
            subject=str(row.id),
            detail={"reason": reason[:500], "kind": row.kind, "entity": str(row.entity_id)},
        )
    )
