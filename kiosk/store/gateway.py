"""The one way to the bureau database: every statement a kiosk (or its CLI) runs there.

Used by the sync worker (send the outbox, pull statuses, lease ticket blocks),
the services (办件查询 of any kiosk's submission, a holder's waiting ticket at
another kiosk, the staff's side-by-side view of a quarantined row) and the
command line (schema upgrade, reconciliation, the back-office stand-in).

Errors come out in three kinds, so nobody upstream has to read a driver's:

* :class:`BureauUnavailable` — the server cannot be reached or went away;
  try again later (the worker backs off, the visitor is served offline).
* :class:`BureauUrlInvalid` — the URL itself is wrong (unknown driver, a port
  that is not a number, an option the driver does not take): fix the config.
* :class:`BureauRefused` — the server answered and said no (no bureau schema
  yet, no permission).  A row the bureau refuses on its own (bad data, a
  unique key of another row) is not an exception: :meth:`BureauGateway.push`
  reports it per row.

Lock waits that end in a deadlock (MariaDB 1213, SQLSTATE 40001 / 40P01) are
retried with jitter inside the gateway; they never reach the caller as "the
bureau cannot be reached".
"""

from __future__ import annotations

import inspect
import logging
import random
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    StatementError,
)

from kiosk.codes import uuid7
from kiosk.numbering import REGULAR_FIRST, REGULAR_LAST, Lease, ticket_number
from kiosk.statuses import SubmissionStatus, TicketStatus
from kiosk.store.bureau_tables import (
    BureauHall,
    BureauKiosk,
    BureauRating,
    BureauSubmission,
    BureauTicket,
    TicketClaim,
    TicketCounter,
    TicketLease,
)
from kiosk.store.db import BureauUnavailable, bureau_engine, migrate
from kiosk.store.models import OutboxKind, table_of
from kiosk.store.outbox import OutboxItem
from kiosk.store.payloads import bureau_row
from kiosk.store.types import utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")

KIOSK_ID_MAX = 64  # String(64) in every bureau table
HOLDER_SECRET = "holder_secret"
RETRIES = 12  # deadlock / serialization retries before giving up (then: unavailable)

_SUBMISSIONS = table_of(BureauSubmission)
_TICKETS = table_of(BureauTicket)
_RATINGS = table_of(BureauRating)
_CLAIMS = table_of(TicketClaim)
# A claim whose ticket the bureau has not received yet is kept this long (the kiosk that
# issued it syncs within seconds while online); after that it may be taken over.
CLAIM_GRACE = timedelta(minutes=10)
CLAIM_ATTEMPTS = 8
_INSERT_TABLES: Mapping[str, Table] = {
    OutboxKind.TICKET.value: _TICKETS,
    OutboxKind.SUBMISSION.value: _SUBMISSIONS,
    OutboxKind.RATING.value: _RATINGS,
}


class BureauUrlInvalid(ValueError):
    """The bureau URL cannot work as written; the message says what to change."""


class BureauRefused(Exception):
    """The bureau answered and refused (no schema yet, no permission, bad data)."""


class KioskIdTooLong(ValueError):
    """The bureau keeps kiosk ids of at most 64 characters."""


# ── results ──
@dataclass
class PushOutcome:
    """What happened to each outbox row of one push (outbox row ids)."""

    synced: list[uuid.UUID] = field(default_factory=list)
    conflicts: list[tuple[uuid.UUID, str]] = field(default_factory=list)  # quarantine now
    refused: list[tuple[uuid.UUID, str]] = field(default_factory=list)  # bad row, count it
    deferred: list[uuid.UUID] = field(default_factory=list)  # "printed" before its ticket
    inserted: int = 0
    duplicates: int = 0

    def add(self, other: PushOutcome) -> None:
        self.synced += other.synced
        self.conflicts += other.conflicts
        self.refused += other.refused
        self.deferred += other.deferred
        self.inserted += other.inserted
        self.duplicates += other.duplicates


@dataclass(frozen=True)
class StatusChange:
    id: uuid.UUID
    status: str
    changed_at: datetime


@dataclass(frozen=True)
class TicketChange:
    id: uuid.UUID
    status: str
    window: int | None
    called_at: datetime | None
    done_at: datetime | None
    changed_at: datetime


@dataclass(frozen=True)
class Changes:
    """What the back office wrote for one kiosk since a watermark, and the waiting counts."""

    submissions: tuple[StatusChange, ...]
    tickets: tuple[TicketChange, ...]
    waiting: Mapping[tuple[str, date], int]


@dataclass(frozen=True)
class RemoteTicket:
    """A waiting ticket another kiosk issued, as the bureau has it."""

    id: uuid.UUID
    queue: str
    prefix: str
    seq: int
    service_day: date
    kiosk_id: str
    band: str
    priority: bool
    issued_at: datetime
    holder_key: str | None


# Given the ticket a kiosk is about to issue, the holder's ticket that keeps the bureau's
# claim instead (offer 补打 of it), or None to issue: see BureauGateway.claim_holder.
HolderClaim = Callable[[RemoteTicket], "RemoteTicket | None"]


@dataclass(frozen=True)
class Called:
    number: str
    queue: str
    window: int
    ticket_id: uuid.UUID


# ── error kinds ──
def describe(exc: BaseException) -> str:
    """One short line for logs and staff: the driver's error class and its first line."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return f"{type(orig or exc).__name__}: {text[0] if text else ''}"[:500]


def _codes(exc: BaseException) -> tuple[str | None, int | None]:
    """(SQLSTATE, MySQL errno) of a driver error, where the driver says them."""
    orig = getattr(exc, "orig", exc)
    sqlstate = getattr(orig, "sqlstate", None)
    errno = orig.args[0] if getattr(orig, "args", None) and isinstance(orig.args[0], int) else None
    return sqlstate, errno


def is_retryable(exc: BaseException) -> bool:
    """A deadlock or serialization failure: the transaction is simply run again."""
    sqlstate, errno = _codes(exc)
    return sqlstate in ("40001", "40P01") or errno in (1213, 1205)


def is_outage(exc: BaseException) -> bool:
    """The server is unreachable or dropped the connection (not a problem with a row)."""
    if not isinstance(exc, DBAPIError) or is_retryable(exc):
        return False
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    _sqlstate, errno = _codes(exc)
    # MariaDB reports some row problems as OperationalError too; only 2xxx are the client's.
    return errno is None or errno >= 2000 or errno in (1040, 1045, 1049, 1053, 1077, 1152)


def check_kiosk_id(kiosk_id: str) -> None:
    if len(kiosk_id) > KIOSK_ID_MAX:
        raise KioskIdTooLong(
            f"kiosk_id {kiosk_id[:20]!r}… is {len(kiosk_id)} characters; the bureau keeps at "
            f"most {KIOSK_ID_MAX}: shorten kiosk_id in kiosk.toml"
        )


def parse_bureau_url(text: str) -> URL:
    """A bureau URL, checked before any connection: raises :class:`BureauUrlInvalid`."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise BureauUrlInvalid(
            "the bureau URL is not a database URL; write it as "
            "postgresql+psycopg://USER@HOST/DB or mysql+pymysql://USER@HOST/DB"
        ) from None
    except ValueError as exc:  # e.g. a port that is not a number
        raise BureauUrlInvalid(f"the bureau URL cannot be read: {exc}") from None
    backend = url.get_backend_name()
    if backend not in ("postgresql", "mysql", "mariadb"):
        raise BureauUrlInvalid(
            f"the bureau database must be PostgreSQL or MariaDB, not {backend!r} "
            "(postgresql+psycopg://… or mysql+pymysql://…)"
        )
    if backend in ("mysql", "mariadb"):
        try:  # here, not at the top: a PostgreSQL kiosk needs no MariaDB driver installed
            from pymysql.connections import Connection as MySQLConnection
        except ImportError:
            raise BureauUrlInvalid(
                "the MariaDB driver (PyMySQL) is not installed on this kiosk"
            ) from None

        known = set(inspect.signature(MySQLConnection.__init__).parameters) - {"self"}
        unknown = sorted(set(url.query) - known)
        if unknown:
            hint = (
                " (PostgreSQL's sslmode has no MariaDB twin: use ssl_ca=/path/ca.pem, "
                "ssl_verify_cert=true)"
                if "sslmode" in unknown
                else ""
            )
            raise BureauUrlInvalid(
                f"the MariaDB driver does not take the URL option(s) {', '.join(unknown)}{hint}"
            )
    return url


class BureauGateway:
    """All SQL the kiosk runs against the bureau database, over one engine."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def connect(cls, url: str | URL, *, pool_size: int = 2) -> BureauGateway:
        """A gateway for ``url`` (no connection is made yet): raises BureauUrlInvalid."""
        parsed = parse_bureau_url(url) if isinstance(url, str) else url
        try:
            return cls(bureau_engine(parsed, pool_size=pool_size))
        except (NoSuchModuleError, ImportError) as exc:
            raise BureauUrlInvalid(f"no database driver for this bureau URL: {exc}") from None

    def dispose(self) -> None:
        self.engine.dispose()

    @property
    def where(self) -> str:
        """The server, for messages (never the password)."""
        url = self.engine.url
        return f"{url.get_backend_name()} at {url.host or 'localhost'}:{url.port or ''}".rstrip(":")

    # ── transactions ──
    @contextmanager
    def _errors(self, expect: tuple[type[DBAPIError], ...] = ()) -> Iterator[None]:
        """Driver errors leave as BureauUnavailable (unreachable, or a deadlock to retry),
        as themselves when the caller ``expect``s them, else as BureauRefused."""
        try:
            yield
        except DBAPIError as exc:
            if is_outage(exc) or is_retryable(exc):
                raise BureauUnavailable(f"bureau database: {describe(exc)}") from exc
            if isinstance(exc, expect):
                raise
            raise BureauRefused(
                f"the bureau database refused the request: {describe(exc)}"
            ) from exc

    def _transaction(
        self,
        work: Callable[[Connection], T],
        expect: tuple[type[DBAPIError], ...] = (IntegrityError,),
    ) -> T:
        """Run ``work`` in one transaction, again on a deadlock, with jittered waits."""
        delay = 0.005
        for attempt in range(RETRIES):
            try:
                with self._errors(expect), self.engine.begin() as connection:
                    return work(connection)
            except BureauUnavailable as exc:
                cause = exc.__cause__
                if cause is None or not is_retryable(cause) or attempt == RETRIES - 1:
                    raise
                log.debug("bureau deadlock, attempt %d: %s", attempt + 1, describe(cause))
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 0.25)
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self._errors(), self.engine.connect() as connection:
            try:
                return work(connection)
            finally:
                connection.rollback()

    def ping(self) -> None:
        """One round trip, for a configuration check: raises BureauUnavailable (cannot
        connect: host, port, password, TLS — the driver's words say which) or
        BureauRefused (connected, and refused)."""
        self._read(lambda connection: connection.exec_driver_sql("SELECT 1").scalar())

    # ── schema ──
    def upgrade(self) -> bool:
        """Create or upgrade the bureau schema; True when something was applied."""
        with self._errors():
            return migrate(self.engine, "bureau")

    # ── kiosks and the hall ──
    def register_kiosk(self, kiosk_id: str) -> int:
        """This kiosk's index in the hall (0, 1, 2 …), given once and kept by the bureau."""
        check_kiosk_id(kiosk_id)
        table = table_of(BureauKiosk)

        def register(connection: Connection) -> int:
            index = connection.execute(
                select(table.c.kiosk_index).where(table.c.kiosk_id == kiosk_id)
            ).scalar()
            if index is not None:
                connection.execute(
                    update(table).where(table.c.kiosk_id == kiosk_id).values(last_seen_at=utcnow())
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
            return int(index)

        for _attempt in range(20):
            try:
                return self._transaction(register)
            except IntegrityError:
                continue  # another kiosk registered at the same moment and took that index
        raise BureauUnavailable(f"could not register kiosk {kiosk_id} after 20 attempts")

    def hall_secret(self) -> bytes:
        """The secret every kiosk of the hall makes holder keys with (made on first ask)."""
        table = table_of(BureauHall)

        def read(connection: Connection) -> str | None:
            return connection.execute(
                select(table.c.value).where(table.c.key == HOLDER_SECRET)
            ).scalar()

        known = self._transaction(read)
        if known is None:
            with suppress(IntegrityError):  # another kiosk made it first: use theirs
                self._transaction(
                    lambda c: c.execute(
                        table.insert().values(key=HOLDER_SECRET, value=secrets.token_hex(32))
                    )
                )
            known = self._transaction(read)
        assert known is not None
        return bytes.fromhex(known)

    # ── ticket numbers ──
    def lease_block(
        self, queue: str, day: date, kiosk_id: str, size: int, floor: int = REGULAR_FIRST
    ) -> Lease | None:
        """The next ``size`` regular-band numbers (none below ``floor``), or None when the
        band is used up for the day.

        The counter row is locked with ``SELECT … FOR UPDATE``; on the day's first lease,
        when there is no row yet, it is made in its own short transaction and locked
        again.  Inserting and locking in one transaction took a shared lock and then
        wanted an exclusive one, which deadlocked MariaDB (1213) under load.
        """
        check_kiosk_id(kiosk_id)
        counter = table_of(TicketCounter)
        where = (counter.c.queue == queue, counter.c.service_day == day)

        def ensure(connection: Connection) -> None:
            exists = connection.execute(select(counter.c.next_seq).where(*where)).first()
            if exists is None:
                connection.execute(
                    counter.insert().values(
                        queue=queue, service_day=day, next_seq=REGULAR_FIRST, updated_at=utcnow()
                    )
                )

        def lease(connection: Connection) -> tuple[bool, Lease | None]:
            """(the counter row exists, the lease or None when the band is used up)."""
            now = utcnow()
            current = connection.execute(
                select(counter.c.next_seq).where(*where).with_for_update()
            ).scalar()
            if current is None:
                return False, None  # no counter row yet: made below, then leased again
            first = max(current, floor)
            if first > REGULAR_LAST:
                return True, None
            last = min(first + size - 1, REGULAR_LAST)
            connection.execute(
                update(counter).where(*where).values(next_seq=last + 1, updated_at=now)
            )
            block = Lease(uuid7(), queue, day, first, last)
            connection.execute(
                table_of(TicketLease)
                .insert()
                .values(
                    id=block.id,
                    queue=queue,
                    service_day=day,
                    kiosk_id=kiosk_id,
                    first=first,
                    last=last,
                    leased_at=now,
                )
            )
            return True, block

        found, leased = self._transaction(lease)  # the row exists but on the day's first lease
        if not found:
            with suppress(IntegrityError):  # another kiosk made the row at the same moment
                self._transaction(ensure)
            found, leased = self._transaction(lease)
        return leased

    def waiting_ticket(
        self, holder_key: str, queue: str, day: date, *, other_than: str
    ) -> RemoteTicket | None:
        """The holder's ticket still waiting in ``queue`` on ``day`` from another kiosk."""
        t = _TICKETS

        def find(connection: Connection) -> RemoteTicket | None:
            row = connection.execute(
                select(
                    t.c.id,
                    t.c.queue,
                    t.c.prefix,
                    t.c.seq,
                    t.c.service_day,
                    t.c.kiosk_id,
                    t.c.band,
                    t.c.priority,
                    t.c.issued_at,
                    t.c.holder_key,
                )
                .where(
                    t.c.holder_key == holder_key,
                    t.c.queue == queue,
                    t.c.service_day == day,
                    t.c.status == TicketStatus.WAITING.value,
                    t.c.kiosk_id != other_than,
                )
                .order_by(t.c.issued_at)
                .limit(1)
            ).first()
            return RemoteTicket(**row._mapping) if row is not None else None

        return self._read(find)

    def claim_holder(self, ticket: RemoteTicket) -> RemoteTicket | None:
        """Claim the holder's one waiting ticket of ``ticket.queue`` on its day for
        ``ticket`` (about to be issued at ``ticket.kiosk_id``): None when the claim is now
        this ticket's, else the ticket that keeps it (offer 补打 of that one).

        The claim is inserted in its own short transaction (the primary key on holder key,
        queue and day decides between kiosks issuing at the same moment); when one is
        there, it is locked first (``SELECT … FOR UPDATE``, no shared-then-exclusive
        upgrade, so no MariaDB 1213) and kept while its ticket waits at the bureau, or is
        not synced yet and was claimed within :data:`CLAIM_GRACE`; otherwise it is taken
        over with an ``UPDATE`` guarded by the old ticket id.
        """
        if ticket.holder_key is None:
            return None
        check_kiosk_id(ticket.kiosk_id)
        c, t = _CLAIMS, _TICKETS
        where = (
            c.c.holder_key == ticket.holder_key,
            c.c.queue == ticket.queue,
            c.c.service_day == ticket.service_day,
        )

        def mine(now: datetime) -> dict[str, Any]:
            return {
                "kiosk_id": ticket.kiosk_id,
                "ticket_id": ticket.id,
                "prefix": ticket.prefix,
                "seq": ticket.seq,
                "band": ticket.band,
                "priority": ticket.priority,
                "issued_at": ticket.issued_at,
                "claimed_at": now,
            }

        def insert(connection: Connection) -> None:
            connection.execute(
                c.insert().values(
                    holder_key=ticket.holder_key,
                    queue=ticket.queue,
                    service_day=ticket.service_day,
                    **mine(utcnow()),
                )
            )

        def settle(connection: Connection) -> tuple[bool, RemoteTicket | None]:
            """(decided, the ticket that keeps the claim or None when it is now ours)."""
            now = utcnow()
            row = connection.execute(select(c).where(*where).with_for_update()).first()
            if row is None:
                return False, None  # gone meanwhile: insert again
            if row.ticket_id == ticket.id:
                return True, None
            status = connection.execute(select(t.c.status).where(t.c.id == row.ticket_id)).scalar()
            if status == TicketStatus.WAITING.value or (
                status is None and row.claimed_at > now - CLAIM_GRACE
            ):
                return True, RemoteTicket(
                    id=row.ticket_id,
                    queue=row.queue,
                    prefix=row.prefix,
                    seq=row.seq,
                    service_day=row.service_day,
                    kiosk_id=row.kiosk_id,
                    band=row.band,
                    priority=row.priority,
                    issued_at=row.issued_at,
                    holder_key=row.holder_key,
                )
            taken = connection.execute(
                update(c)
                .where(*where, c.c.ticket_id == row.ticket_id, c.c.kiosk_id == row.kiosk_id)
                .values(**mine(now))
            )
            return taken.rowcount == 1, None

        for _attempt in range(CLAIM_ATTEMPTS):
            try:
                self._transaction(insert)
                return None
            except IntegrityError:
                pass  # claimed already (maybe this very moment): read who holds it
            decided, held = self._transaction(settle)
            if decided:
                return held
        raise BureauUnavailable(f"could not settle the ticket claim after {CLAIM_ATTEMPTS} tries")

    # ── sending the outbox ──
    def push(self, items: Sequence[OutboxItem]) -> PushOutcome:
        """Send rows in one transaction; should the bureau refuse something, one by one.

        Raises BureauUnavailable when the server cannot be reached (nothing is decided
        about any row then).  A row already there is decided by re-reading its id and
        payload hash: the same hash is a duplicate (synced), another is a conflict.
        """
        try:
            return self._transaction(lambda c: _push(c, items), expect=(DBAPIError,))
        except IntegrityError as exc:
            if len(items) == 1:
                return self._settle_refused(items[0], exc)
            log.info("batch of %d refused (%s): sending one at a time", len(items), describe(exc))
        except (DBAPIError, StatementError, UnicodeError, ValueError) as exc:
            if len(items) == 1:
                return PushOutcome(refused=[(items[0].id, describe(exc))])
            log.info("batch of %d refused (%s): sending one at a time", len(items), describe(exc))
        outcome = PushOutcome()
        for item in items:
            outcome.add(self.push([item]))
        return outcome

    def _settle_refused(self, item: OutboxItem, exc: IntegrityError) -> PushOutcome:
        """One row hit a unique key: the same row sent by another sender meanwhile (decided
        by its hash), or another row's code or number (a conflict for staff)."""
        table = _INSERT_TABLES.get(item.kind)
        if table is None:
            return PushOutcome(refused=[(item.id, describe(exc))])
        row_id = uuid.UUID(item.payload["id"])
        known = self._read(lambda c: _known_hashes(c, table, [row_id])).get(row_id)
        outcome = PushOutcome()
        if known is not None:
            _decide(item, row_id, known, item.kind, outcome)
        else:
            outcome.conflicts.append(
                (item.id, f"{item.kind} {row_id} refused by the bureau: {describe(exc)}")
            )
        return outcome

    # ── statuses back ──
    def changes(self, kiosk_id: str, since: datetime | None, days: Iterable[date]) -> Changes:
        s, t = _SUBMISSIONS, _TICKETS
        days = list(days)

        def read(connection: Connection) -> Changes:
            query = select(s.c.id, s.c.status, s.c.status_changed_at).where(
                s.c.kiosk_id == kiosk_id, s.c.status != SubmissionStatus.RECEIVED.value
            )
            ticket_query = select(
                t.c.id, t.c.status, t.c.window, t.c.called_at, t.c.done_at, t.c.status_changed_at
            ).where(t.c.kiosk_id == kiosk_id, t.c.status != TicketStatus.WAITING.value)
            if since is not None:
                query = query.where(s.c.status_changed_at > since)
                ticket_query = ticket_query.where(t.c.status_changed_at > since)
            waiting = connection.execute(
                select(t.c.queue, t.c.service_day, func.count())
                .where(t.c.service_day.in_(days), t.c.status == TicketStatus.WAITING.value)
                .group_by(t.c.queue, t.c.service_day)
            ).all()
            return Changes(
                tuple(StatusChange(*r) for r in connection.execute(query)),
                tuple(TicketChange(*r) for r in connection.execute(ticket_query)),
                {(q, d): int(n) for q, d, n in waiting},
            )

        return self._read(read)

    def lookup_status(self, code: str) -> tuple[str, datetime] | None:
        """A submission's status (any kiosk's), or None if the bureau does not know it."""

        def read(connection: Connection) -> tuple[str, datetime] | None:
            row = connection.execute(
                select(_SUBMISSIONS.c.status, _SUBMISSIONS.c.status_changed_at).where(
                    _SUBMISSIONS.c.code == code
                )
            ).first()
            return (row.status, row.status_changed_at) if row else None

        return self._read(read)

    # ── reconciliation and the staff's view of a quarantined row ──
    def ids_of(self, kiosk_id: str, day: date | None) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
        """(submission ids, ticket ids) the bureau holds from one kiosk (one day or all)."""

        def read(connection: Connection) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
            query = select(_SUBMISSIONS.c.id).where(_SUBMISSIONS.c.kiosk_id == kiosk_id)
            ticket_query = select(_TICKETS.c.id).where(_TICKETS.c.kiosk_id == kiosk_id)
            if day is not None:
                query = query.where(_SUBMISSIONS.c.service_day == day)
                ticket_query = ticket_query.where(_TICKETS.c.service_day == day)
            return set(connection.execute(query).scalars()), set(
                connection.execute(ticket_query).scalars()
            )

        return self._read(read)

    def counterparts(
        self, rows: Sequence[tuple[str, Mapping[str, Any] | None]]
    ) -> list[dict[str, Any] | None]:
        """For each (kind, payload), the bureau row it collides with: same id, else the
        same code (submission) or number (ticket); None when there is none."""

        def read(connection: Connection) -> list[dict[str, Any] | None]:
            return [_counterpart(connection, kind, payload) for kind, payload in rows]

        return self._read(read)

    # ── the back office's stand-in (demos, tests, `kiosk bureau …`) ──
    def call_next(self, queue: str, window: int, day: date) -> Called | None:
        """ "Next, please": close the window's current ticket and call the next one.

        ``queue`` is a queue code or its ticket prefix.  Tickets are called in issue
        order (priority first), not by number: blocks make numbers unique but not
        chronological across kiosks.
        """
        t = _TICKETS

        def call(connection: Connection) -> Called | None:
            now = utcnow()
            connection.execute(
                update(t)
                .where(
                    t.c.status == TicketStatus.CALLED.value,
                    t.c.window == window,
                    t.c.service_day == day,
                )
                .values(status=TicketStatus.DONE.value, done_at=now, status_changed_at=now)
            )
            row = connection.execute(
                select(t.c.id, t.c.queue, t.c.prefix, t.c.seq)
                .where(
                    or_(t.c.queue == queue, t.c.prefix == queue),
                    t.c.service_day == day,
                    t.c.status == TicketStatus.WAITING.value,
                )
                .order_by(t.c.priority.desc(), t.c.issued_at, t.c.seq)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            connection.execute(
                update(t)
                .where(t.c.id == row.id)
                .values(
                    status=TicketStatus.CALLED.value,
                    window=window,
                    called_at=now,
                    status_changed_at=now,
                )
            )
            return Called(ticket_number(row.prefix, row.seq), row.queue, window, row.id)

        return self._transaction(call)

    def set_status(self, code: str, status: SubmissionStatus) -> bool:
        """The back office's decision on a submission; False when there is no such code."""

        def write(connection: Connection) -> bool:
            result = connection.execute(
                update(_SUBMISSIONS)
                .where(_SUBMISSIONS.c.code == code)
                .values(status=status.value, status_changed_at=utcnow())
            )
            return bool(result.rowcount)

        return self._transaction(write)


# ── sending, inside one transaction ──
def _push(connection: Connection, items: Sequence[OutboxItem]) -> PushOutcome:
    outcome = PushOutcome()
    now = utcnow()
    for kind, table in _INSERT_TABLES.items():
        group = [i for i in items if i.kind == kind]
        if group:
            _insert_group(connection, table, kind, group, now, outcome)
    printed = [i for i in items if i.kind == OutboxKind.TICKET_PRINTED.value]
    if printed:
        _apply_printed(connection, printed, outcome)
    return outcome


def _known_hashes(connection: Connection, table: Table, ids: Sequence[uuid.UUID]) -> dict[Any, Any]:
    return dict(
        connection.execute(
            select(table.c.id, table.c.payload_hash).where(table.c.id.in_(list(ids)))
        ).all()
    )


def _insert_group(
    connection: Connection,
    table: Table,
    kind: str,
    group: Sequence[OutboxItem],
    now: datetime,
    outcome: PushOutcome,
) -> None:
    ids = [uuid.UUID(i.payload["id"]) for i in group]
    existing = _known_hashes(connection, table, ids)
    fresh = []
    for item, row_id in zip(group, ids, strict=True):
        known = existing.get(row_id)
        if known is None:
            fresh.append((item, row_id))
        else:
            _decide(item, row_id, known, kind, outcome)
    if not fresh:
        return
    rows = [bureau_row(kind, item.payload, item.payload_hash, now) for item, _ in fresh]
    statement = table.insert()
    if connection.dialect.name == "postgresql":
        # Rows another sender inserted meanwhile, or refused by another unique index (code,
        # ticket number), are skipped here rather than failing the batch; they are decided
        # below by reading them back.
        statement = postgresql.insert(table).on_conflict_do_nothing()
    # MariaDB: a plain insert.  INSERT IGNORE would also truncate over-long text silently;
    # a duplicate fails the batch instead, and the rows then go one at a time.
    went_in = set(connection.execute(statement.returning(table.c.id), rows).scalars())
    missing = [(item, row_id) for item, row_id in fresh if row_id not in went_in]
    reread = _known_hashes(connection, table, [row_id for _, row_id in missing])
    for item, row_id in fresh:
        if row_id in went_in:
            outcome.synced.append(item.id)
            outcome.inserted += 1
    for item, row_id in missing:
        known = reread.get(row_id)
        if known is not None:
            _decide(item, row_id, known, kind, outcome)
        else:
            outcome.conflicts.append(
                (item.id, f"{kind} {row_id} conflicts with another bureau row (code or number)")
            )


def _decide(item: OutboxItem, row_id: uuid.UUID, known: str, kind: str, out: PushOutcome) -> None:
    if known == item.payload_hash:
        out.synced.append(item.id)
        out.duplicates += 1
    else:
        out.conflicts.append(
            (item.id, f"{kind} {row_id} is already in the bureau with different content")
        )


def _apply_printed(
    connection: Connection, printed: Sequence[OutboxItem], outcome: PushOutcome
) -> None:
    ids = [uuid.UUID(i.payload["id"]) for i in printed]
    present = set(connection.execute(select(_TICKETS.c.id).where(_TICKETS.c.id.in_(ids))).scalars())
    rows = [
        {
            "b_id": uuid.UUID(i.payload["id"]),
            "b_at": datetime.fromisoformat(i.payload["printed_at"]),
        }
        for i in printed
        if uuid.UUID(i.payload["id"]) in present
    ]
    if rows:
        connection.execute(
            update(_TICKETS)
            .where(_TICKETS.c.id == bindparam("b_id"), _TICKETS.c.printed_at.is_(None))
            .values(printed_at=bindparam("b_at")),
            rows,
        )
    for item in printed:
        if uuid.UUID(item.payload["id"]) in present:
            outcome.synced.append(item.id)
        else:
            outcome.deferred.append(item.id)


def _counterpart(
    connection: Connection, kind: str, payload: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    table = _INSERT_TABLES.get(kind)
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
