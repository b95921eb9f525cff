"""Ticket numbering: prefixes, the daily reset, and number blocks that keep working offline.

The scheme (also in the README):

* A ticket number is the queue's prefix and three digits, ``A001``–``A999``,
  counted per queue and *service day*.  The service day starts at
  ``Settings.day_reset_hour`` local time, so with ``day_reset_hour = 4`` a
  ticket taken at 02:00 still belongs to the day before.
* **Regular band 001–899.**  The bureau database keeps one counter row per
  queue and service day (``ticket_counter``).  A kiosk leases a *block* of
  ``Settings.ticket_block_size`` numbers at a time: one transaction locks the
  counter row (``SELECT … FOR UPDATE``), moves it past the block and records
  the lease.  Two kiosks can never hold overlapping blocks.  Kiosks lease the
  next block in the background while half of the current one is left, so a
  kiosk keeps issuing from its blocks while the bureau database is down.
* **Fallback band 900–999.**  The first time a kiosk reaches the bureau it is
  given a kiosk index 0, 1, 2 … (``bureau_kiosk``).  Kiosk *k* (k ≤ 9) owns
  ``9k0``–``9k9`` of every queue and day: ten numbers it may hand out, without
  asking anyone, when its leased blocks run out while the bureau is
  unreachable.  No other kiosk ever uses them, so they cannot collide.  A
  kiosk with index 10 or more, or that has never reached the bureau, has no
  fallback slice: when its blocks run out offline the visitor is sent to the
  guide desk (the submission itself is still saved).
* **Standalone, with no bureau database** (``bureau_url`` unset: the embedded
  defaults, ``make run`` and ``make demo``).  There is nobody to lease from, so
  the kiosk numbers tickets itself: the first ticket of a queue and service day
  creates one local block of the whole range 001–999 (band ``"local"``).  When
  that is used up, no more numbers until the next service day.  Fine for one
  kiosk; two kiosks in one hall must share a bureau database, or they would
  issue the same numbers.
* Numbers are unique, not consecutive: blocks leave gaps, and one kiosk's
  ``A041`` may be issued before another's ``A023``.  Windows therefore call
  tickets in issue order (priority tickets first), not by number.
* When the kiosk has heard from the bureau recently (the sync worker pulls the
  waiting counts), a ticket carries the number of people ahead and an estimated
  wait (people ahead × the queue's ``minutes_per_visitor`` ÷ its windows);
  offline it carries neither, and the slip says so.
* One waiting ticket per ID number per queue and day: asking again offers a
  reprint (补打) of the ticket already held.
"""

from __future__ import annotations

import hashlib
import math
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Engine, bindparam, func, or_, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.store.bureau import BureauKiosk, BureauTicket, TicketCounter, TicketLease
from kiosk.store.ids import uuid7
from kiosk.store.models import KioskState, Ticket, TicketBlock, TicketStatus, table_of
from kiosk.store.types import utcnow

REGULAR_FIRST = 1
REGULAR_LAST = 899
FALLBACK_FIRST = 900
FALLBACK_SLICE = 10  # numbers per kiosk index in the fallback band
FALLBACK_KIOSKS = 10  # kiosk indexes 0–9 have a fallback slice
OUTLOOK_FRESH_S = 60.0  # waiting counts older than this are not shown to visitors

STANDALONE_FIRST = 1
STANDALONE_LAST = 999

BAND_LEASE = "lease"
BAND_FALLBACK = "fallback"
# Numbered by a kiosk with no bureau database.  At most 8 characters: ``band`` is a
# String(8) in both the local and the bureau schema.
BAND_STANDALONE = "local"
KIOSK_INDEX_KEY = "kiosk_index"


class NoTicketNumber(Exception):
    """No number left to hand out: offline with blocks and fallback slice used up, or
    standalone with 001–999 used up for the day. Known error."""


@dataclass(frozen=True)
class QueueRef:
    """What numbering needs to know about a queue (a catalog ``Queue`` fits)."""

    code: str
    prefix: str
    minutes_per_visitor: int = 8
    windows: int = 1
    priority: bool = False

    @classmethod
    def of(cls, queue: Any) -> QueueRef:
        """From a catalog ``Queue``."""
        return cls(
            code=queue.code,
            prefix=queue.prefix,
            minutes_per_visitor=queue.minutes_per_visitor,
            windows=max(1, len(queue.windows)),
            priority=queue.priority,
        )


@dataclass(frozen=True)
class _Block:
    id: uuid.UUID
    band: str
    next: int


@dataclass(frozen=True)
class Lease:
    id: uuid.UUID
    queue: str
    service_day: date
    first: int
    last: int


def service_day(now: datetime, reset_hour: int, tz: tzinfo | None = None) -> date:
    """The service day a moment belongs to: the local date, shifted back by the reset hour."""
    return (now.astimezone(tz) - timedelta(hours=reset_hour)).date()


def ticket_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


def fallback_slice(kiosk_index: int | None) -> tuple[int, int] | None:
    """The first and last fallback number of a kiosk index, or None when it has none."""
    if kiosk_index is None or not 0 <= kiosk_index < FALLBACK_KIOSKS:
        return None
    first = FALLBACK_FIRST + kiosk_index * FALLBACK_SLICE
    return first, first + FALLBACK_SLICE - 1


def estimate_wait(people_ahead: int, queue: QueueRef) -> int:
    """Minutes, rounded up: the people ahead shared over the queue's windows."""
    return math.ceil(people_ahead * queue.minutes_per_visitor / max(1, queue.windows))


def holder_key(id_number: str | None) -> str | None:
    """What the store keeps to find a holder's waiting ticket: a hash, not the ID number."""
    if not id_number:
        return None
    return hashlib.sha256(f"ticket-holder:{id_number.strip().upper()}".encode()).hexdigest()


class QueueOutlook:
    """Waiting counts per queue and day, as last pulled from the bureau (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[tuple[str, date], int] = {}
        self._fetched_at: datetime | None = None

    def update(self, waiting: Mapping[tuple[str, date], int], at: datetime) -> None:
        with self._lock:
            self._waiting = dict(waiting)
            self._fetched_at = at

    def snapshot(self, queue: str, day: date, now: datetime) -> tuple[int, datetime] | None:
        """(waiting, fetched_at) when the counts are fresh; None means "offline, don't guess"."""
        with self._lock:
            fetched = self._fetched_at
            if fetched is None or (now - fetched).total_seconds() > OUTLOOK_FRESH_S:
                return None
            return self._waiting.get((queue, day), 0), fetched


_BLOCKS = table_of(TicketBlock)
_NEXT_BLOCK = (
    select(_BLOCKS.c.id, _BLOCKS.c.band, _BLOCKS.c.next)
    .where(
        _BLOCKS.c.queue == bindparam("b_queue"),
        _BLOCKS.c.service_day == bindparam("b_day"),
        _BLOCKS.c.next <= _BLOCKS.c.last,
    )
    .order_by(_BLOCKS.c.band == bindparam("b_fallback"), _BLOCKS.c.first)
    .limit(1)
    .with_for_update()
)
_ADVANCE_BLOCK = (
    update(_BLOCKS).where(_BLOCKS.c.id == bindparam("b_id")).values(next=bindparam("b_next"))
)


def _open_block(
    session: Session, queue: QueueRef, day: date, band: str, first: int, last: int
) -> _Block:
    """A block of numbers this kiosk gives itself (fallback slice or standalone day)."""
    block_id = uuid7()
    session.execute(
        table_of(TicketBlock)
        .insert()
        .values(
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
    """Hands out this kiosk's numbers from its local blocks; leases more from the bureau.

    ``standalone`` (no bureau database): never leases; the first ticket of a queue and
    day creates a local block of 001–999 instead.
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
        self._kiosk_index: int | None = None  # learned from the bureau once, kept locally
        # Leased numbers left per (queue, day) as last counted, minus those issued since.
        # Only ever an underestimate (a rolled-back issue still counts), so top_up can skip
        # the local query — and its transaction — while plenty is left.
        self._left: dict[tuple[str, date], int] = {}

    def day(self, now: datetime) -> date:
        return service_day(now, self.reset_hour, self.tz)

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
            _NEXT_BLOCK, {"b_queue": queue.code, "b_day": day, "b_fallback": BAND_FALLBACK}
        ).first()
        if row is not None:
            block = _Block(*row)  # id, band, next
        elif self.standalone:
            block = self._standalone_block(session, queue, day)
        else:
            block = self._fallback_block(session, queue, day)
        session.execute(_ADVANCE_BLOCK, {"b_id": block.id, "b_next": block.next + 1})
        if (queue.code, day) in self._left:
            self._left[queue.code, day] -= 1
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
        index = session.get(KioskState, KIOSK_INDEX_KEY)
        span = fallback_slice(int(index.value) if index else None)
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

    # ── leasing: needs the bureau; called from the sync worker, never from submit ──
    def top_up(
        self,
        local: sessionmaker[Session],
        bureau: Engine,
        queues: Iterable[QueueRef],
        now: datetime | None = None,
    ) -> int:
        """Lease a block for every queue with less than half a block left; returns leases taken.

        Standalone: nothing to lease from (issue() numbers the day itself); returns 0.
        """
        if self.standalone:
            return 0
        now = now or utcnow()
        day = self.day(now)
        queues = list(queues)
        plenty = self.block_size // 2
        if self._kiosk_index is not None and all(
            self._left.get((q.code, day), 0) > plenty for q in queues
        ):
            return 0
        with local.begin() as session:
            if self._kiosk_index is None:
                known = session.get(KioskState, KIOSK_INDEX_KEY)
                self._kiosk_index = int(known.value) if known is not None else None
            left = {q.code: self.remaining(session, q.code, day) for q in queues}
        self._left.update({(code, day): count for code, count in left.items()})
        if self._kiosk_index is None:
            index = register_kiosk(bureau, self.kiosk_id)
            with local.begin() as session:
                session.merge(KioskState(key=KIOSK_INDEX_KEY, value=str(index)))
            self._kiosk_index = index
        taken = 0
        for queue in queues:
            if left[queue.code] > self.block_size // 2:
                continue
            lease = lease_block(bureau, queue.code, day, self.kiosk_id, self.block_size)
            if lease is None:
                continue  # the regular band is used up for today
            with local.begin() as session:
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
            self._left[queue.code, day] = left[queue.code] + (lease.last - lease.first + 1)
            taken += 1
        return taken


def _insert_ignore(connection: Any, table: Any, values: dict[str, Any]) -> None:
    name = connection.dialect.name
    if name == "postgresql":
        connection.execute(postgresql.insert(table).values(values).on_conflict_do_nothing())
    elif name in ("mysql", "mariadb"):
        connection.execute(mysql.insert(table).values(values).prefix_with("IGNORE"))
    else:
        connection.execute(sqlite.insert(table).values(values).on_conflict_do_nothing())


def lease_block(bureau: Engine, queue: str, day: date, kiosk_id: str, size: int) -> Lease | None:
    """Take the next ``size`` regular-band numbers under the counter's row lock."""
    counter = table_of(TicketCounter)
    now = utcnow()
    with bureau.begin() as connection:
        _insert_ignore(
            connection,
            counter,
            {"queue": queue, "service_day": day, "next_seq": REGULAR_FIRST, "updated_at": now},
        )
        first = connection.execute(
            select(counter.c.next_seq)
            .where(counter.c.queue == queue, counter.c.service_day == day)
            .with_for_update()
        ).scalar_one()
        if first > REGULAR_LAST:
            return None
        last = min(first + size - 1, REGULAR_LAST)
        connection.execute(
            update(counter)
            .where(counter.c.queue == queue, counter.c.service_day == day)
            .values(next_seq=last + 1, updated_at=now)
        )
        lease = Lease(uuid7(), queue, day, first, last)
        connection.execute(
            table_of(TicketLease)
            .insert()
            .values(
                id=lease.id,
                queue=queue,
                service_day=day,
                kiosk_id=kiosk_id,
                first=first,
                last=last,
                leased_at=now,
            )
        )
    return lease


def register_kiosk(bureau: Engine, kiosk_id: str) -> int:
    """This kiosk's index in the hall (0, 1, 2 …), given once and kept by the bureau."""
    table = table_of(BureauKiosk)
    for _attempt in range(20):
        try:
            with bureau.begin() as connection:
                index = connection.execute(
                    select(table.c.kiosk_index).where(table.c.kiosk_id == kiosk_id)
                ).scalar()
                if index is not None:
                    connection.execute(
                        update(table)
                        .where(table.c.kiosk_id == kiosk_id)
                        .values(last_seen_at=utcnow())
                    )
                    return int(index)
                taken = set(connection.execute(select(table.c.kiosk_index)).scalars())
                index = next(i for i in range(len(taken) + 1) if i not in taken)
                connection.execute(
                    table.insert().values(
                        kiosk_id=kiosk_id,
                        kiosk_index=index,
                        registered_at=utcnow(),
                        last_seen_at=utcnow(),
                    )
                )
                return index
        except IntegrityError:
            continue  # another kiosk registered at the same moment and took that index
    raise RuntimeError(f"could not register kiosk {kiosk_id} after 20 attempts")


@dataclass(frozen=True)
class Called:
    number: str
    queue: str
    window: int
    ticket_id: uuid.UUID


def call_next(bureau: Engine, queue: str, window: int, day: date) -> Called | None:
    """The back office's "next, please": close the window's current ticket, call the next.

    ``queue`` is a queue code or its ticket prefix.

    Tickets are called in issue order (priority first), not by number: blocks
    make numbers unique but not chronological across kiosks.
    """
    table = table_of(BureauTicket)
    now = utcnow()
    with bureau.begin() as connection:
        connection.execute(
            update(table)
            .where(
                table.c.status == TicketStatus.CALLED.value,
                table.c.window == window,
                table.c.service_day == day,
            )
            .values(status=TicketStatus.DONE.value, done_at=now, status_changed_at=now)
        )
        row = connection.execute(
            select(table.c.id, table.c.queue, table.c.prefix, table.c.seq)
            .where(
                or_(table.c.queue == queue, table.c.prefix == queue),
                table.c.service_day == day,
                table.c.status == TicketStatus.WAITING.value,
            )
            .order_by(table.c.priority.desc(), table.c.issued_at, table.c.seq)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        connection.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(
                status=TicketStatus.CALLED.value,
                window=window,
                called_at=now,
                status_changed_at=now,
            )
        )
    return Called(ticket_number(row.prefix, row.seq), row.queue, window, row.id)
