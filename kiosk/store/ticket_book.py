"""Handing out this kiosk's ticket numbers from its local blocks (the SQL side of numbering).

:class:`TicketBook` issues inside the caller's local transaction and never
touches the network; leasing new blocks from the bureau is the sync worker's
job (:meth:`kiosk.sync.Syncer.top_up`), which stores them with
:meth:`TicketBook.add_lease`.  The rules are in :mod:`kiosk.numbering`.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import Session

from kiosk.codes import uuid7
from kiosk.numbering import (
    BAND_FALLBACK,
    BAND_LEASE,
    BAND_STANDALONE,
    STANDALONE_FIRST,
    STANDALONE_LAST,
    Lease,
    NoTicketNumber,
    QueueOutlook,
    QueueRef,
    estimate_wait,
    fallback_slice,
    holder_key,
    service_day,
    ticket_number,
)
from kiosk.statuses import TicketStatus
from kiosk.store.models import KioskState, Ticket, TicketBlock, table_of
from kiosk.store.types import utcnow

KIOSK_INDEX_KEY = "kiosk_index"
HOLDER_SECRET_KEY = "holder_secret"  # hex; the hall's once the bureau has been reached


@dataclass(frozen=True)
class _Block:
    id: uuid.UUID
    band: str
    next: int


_BLOCKS = table_of(TicketBlock)


def _next_block(bands: tuple[str, ...]) -> Select[tuple[uuid.UUID, str, int]]:
    return (
        select(_BLOCKS.c.id, _BLOCKS.c.band, _BLOCKS.c.next)
        .where(
            _BLOCKS.c.queue == bindparam("b_queue"),
            _BLOCKS.c.service_day == bindparam("b_day"),
            _BLOCKS.c.next <= _BLOCKS.c.last,
            _BLOCKS.c.band.in_(bands),
        )
        .order_by(_BLOCKS.c.band == BAND_FALLBACK, _BLOCKS.c.first)
        .limit(1)
        .with_for_update()
    )


# A kiosk on a bureau never hands out the rest of a standalone block: the bureau's
# counter knows nothing of it, so those numbers may already be on other kiosks' tickets.
_NEXT_BLOCK_ONLINE = _next_block((BAND_LEASE, BAND_FALLBACK))
_NEXT_BLOCK_STANDALONE = _next_block((BAND_LEASE, BAND_FALLBACK, BAND_STANDALONE))
_ADVANCE_BLOCK = (
    update(_BLOCKS).where(_BLOCKS.c.id == bindparam("b_id")).values(next=bindparam("b_next"))
)


def _open_block(
    session: Session, queue: QueueRef, day: date, band: str, first: int, last: int
) -> _Block:
    """A block of numbers this kiosk gives itself (fallback slice or standalone day)."""
    block_id = uuid7()
    session.execute(
        _BLOCKS.insert().values(
            id=block_id,
            queue=queue.code,
            service_day=day,
            band=band,
            first=first,
            last=last,
            next=first,
            leased_at=utcnow(),
        )
    )
    return _Block(block_id, band, first)


class TicketBook:
    """Hands out this kiosk's numbers from its local blocks.

    ``standalone`` (no bureau database): the first ticket of a queue and day creates a
    local block of 001–999.  Otherwise numbers come from leased blocks, then from this
    kiosk's fallback slice.
    """

    def __init__(
        self,
        kiosk_id: str,
        *,
        reset_hour: int = 0,
        block_size: int = 20,
        outlook: QueueOutlook | None = None,
        tz: tzinfo | None = None,
        standalone: bool = False,
    ):
        self.kiosk_id = kiosk_id
        self.standalone = standalone
        self.reset_hour = reset_hour
        self.block_size = block_size
        self.outlook = outlook or QueueOutlook()
        self.tz = tz
        self.kiosk_index: int | None = None  # learned from the bureau once, kept locally
        self._secret: bytes | None = None
        # Leased numbers left per (queue, day) as last counted, minus those issued since.
        # Only ever an underestimate (a rolled-back issue still counts), so the sync
        # worker can skip the local query — and its transaction — while plenty is left.
        self.left: dict[tuple[str, date], int] = {}

    def day(self, now: datetime) -> date:
        return service_day(now, self.reset_hour, self.tz)

    # ── the holder key: an HMAC with the hall's secret, kept in the local store ──
    def holder_key(self, session: Session, id_number: str | None) -> str | None:
        if not id_number:
            return None
        if self._secret is None:
            known = session.get(KioskState, HOLDER_SECRET_KEY)
            if known is None:  # this kiosk's own until the bureau gives the hall's
                known = KioskState(key=HOLDER_SECRET_KEY, value=secrets.token_hex(32))
                session.add(known)
                session.flush()
            self._secret = bytes.fromhex(known.value)
        return holder_key(id_number, self._secret)

    def use_hall_secret(self, session: Session, secret: bytes) -> None:
        """The bureau's secret: every kiosk of the hall then keys an ID number alike."""
        session.merge(KioskState(key=HOLDER_SECRET_KEY, value=secret.hex()))
        self._secret = secret

    # ── issuing: local only, inside the caller's transaction ──
    def waiting_ticket(
        self, session: Session, queue: QueueRef, key: str | None, now: datetime
    ) -> Ticket | None:
        """The holder's ticket still waiting in this queue today (offer 补打), if any."""
        if key is None:
            return None
        return session.scalars(
            select(Ticket)
            .where(
                Ticket.holder_key == key,
                Ticket.queue == queue.code,
                Ticket.service_day == self.day(now),
                Ticket.status == TicketStatus.WAITING.value,
            )
            .order_by(Ticket.issued_at)
            .limit(1)
        ).first()

    def unissued(self, queue_code: str, day: date) -> None:
        """A ticket rolled back before it was kept (another kiosk's claim won): its number
        is free again, and counted as left."""
        if (queue_code, day) in self.left:
            self.left[queue_code, day] += 1

    def issue(
        self,
        session: Session,
        queue: QueueRef,
        *,
        key: str | None = None,
        priority: bool = False,
        now: datetime | None = None,
    ) -> Ticket:
        """A new ticket, added to ``session`` (the caller commits). Never touches the network."""
        now = now or utcnow()
        day = self.day(now)
        # Prepared Core statements, not the ORM: this runs for every visitor.
        row = session.execute(
            _NEXT_BLOCK_STANDALONE if self.standalone else _NEXT_BLOCK_ONLINE,
            {"b_queue": queue.code, "b_day": day},
        ).first()
        if row is not None:
            block = _Block(row.id, row.band, row.next)
        elif self.standalone:
            block = self._standalone_block(session, queue, day)
        else:
            block = self._fallback_block(session, queue, day)
        session.execute(_ADVANCE_BLOCK, {"b_id": block.id, "b_next": block.next + 1})
        if (queue.code, day) in self.left:
            self.left[queue.code, day] -= 1
        ahead = self._people_ahead(session, queue, day, now)
        ticket = Ticket(
            id=uuid7(),
            queue=queue.code,
            prefix=queue.prefix,
            seq=block.next,
            service_day=day,
            kiosk_id=self.kiosk_id,
            band=block.band,
            priority=priority or queue.priority,
            holder_key=key,
            people_ahead=ahead,
            wait_minutes=None if ahead is None else estimate_wait(ahead, queue),
            status=TicketStatus.WAITING.value,
            issued_at=now,
            printed_at=None,
            called_at=None,
            done_at=None,
            status_changed_at=None,
            window=None,
        )
        # Inserted with Core; the returned object is a detached copy for the caller.
        session.execute(
            table_of(Ticket).insert(),
            {c.key: getattr(ticket, c.key) for c in table_of(Ticket).columns},
        )
        return ticket

    def _fallback_block(self, session: Session, queue: QueueRef, day: date) -> _Block:
        exists = session.scalar(
            select(func.count())
            .select_from(TicketBlock)
            .where(
                TicketBlock.queue == queue.code,
                TicketBlock.service_day == day,
                TicketBlock.band == BAND_FALLBACK,
            )
        )
        span = fallback_slice(self.known_index(session))
        if exists or span is None:
            raise NoTicketNumber(
                f"queue {queue.code}: no ticket number left on this kiosk until the bureau "
                "database is reachable again"
            )
        return _open_block(session, queue, day, BAND_FALLBACK, *span)

    def _standalone_block(self, session: Session, queue: QueueRef, day: date) -> _Block:
        """No bureau: this kiosk numbers the queue's day itself, once per queue and day."""
        highest = dict(
            session.execute(
                select(TicketBlock.band, func.max(TicketBlock.last))
                .where(TicketBlock.queue == queue.code, TicketBlock.service_day == day)
                .group_by(TicketBlock.band)
            ).all()
        )
        # Normally 001.  After blocks leased earlier that day (the kiosk had a bureau until
        # a restart), past them: those numbers may already be on tickets.
        first = max(highest.values(), default=STANDALONE_FIRST - 1) + 1
        if BAND_STANDALONE in highest or first > STANDALONE_LAST:
            raise NoTicketNumber(
                f"queue {queue.code}: every number up to "
                f"{ticket_number(queue.prefix, STANDALONE_LAST)} of service day {day} is "
                "issued; with no bureau database (bureau_url unset) this kiosk numbers "
                "tickets itself, and has no more until the next service day"
            )
        return _open_block(session, queue, day, BAND_STANDALONE, first, STANDALONE_LAST)

    def _people_ahead(
        self, session: Session, queue: QueueRef, day: date, now: datetime
    ) -> int | None:
        snapshot = self.outlook.snapshot(queue.code, day, now)
        if snapshot is None:
            return None
        waiting, fetched_at = snapshot
        # Tickets issued here since the counts were pulled are not in them yet.
        since = session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.queue == queue.code,
                Ticket.service_day == day,
                Ticket.status == TicketStatus.WAITING.value,
                Ticket.issued_at > fetched_at,
            )
        )
        return waiting + int(since or 0)

    # ── what the sync worker needs to lease ahead ──
    def remaining(self, session: Session, queue: str, day: date) -> int:
        """Leased numbers not yet handed out (the fallback slice is not counted)."""
        left = session.scalar(
            select(func.coalesce(func.sum(TicketBlock.last - TicketBlock.next + 1), 0)).where(
                TicketBlock.queue == queue,
                TicketBlock.service_day == day,
                TicketBlock.band == BAND_LEASE,
                TicketBlock.next <= TicketBlock.last,
            )
        )
        return int(left or 0)

    def highest_issued(self, session: Session, queue: str, day: date) -> int | None:
        """The highest regular or standalone number this kiosk handed out that day."""
        highest = session.scalar(
            select(func.max(TicketBlock.next - 1)).where(
                TicketBlock.queue == queue,
                TicketBlock.service_day == day,
                TicketBlock.band.in_([BAND_LEASE, BAND_STANDALONE]),
                TicketBlock.next > TicketBlock.first,
            )
        )
        return int(highest) if highest is not None else None

    def add_lease(self, session: Session, lease: Lease) -> None:
        session.add(
            TicketBlock(
                id=lease.id,
                queue=lease.queue,
                service_day=lease.service_day,
                band=BAND_LEASE,
                first=lease.first,
                last=lease.last,
                next=lease.first,
            )
        )

    def known_index(self, session: Session) -> int | None:
        if self.kiosk_index is None:
            known = session.get(KioskState, KIOSK_INDEX_KEY)
            self.kiosk_index = int(known.value) if known is not None else None
        return self.kiosk_index

    def keep_index(self, session: Session, index: int) -> None:
        session.merge(KioskState(key=KIOSK_INDEX_KEY, value=str(index)))
        self.kiosk_index = index
