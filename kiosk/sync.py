"""Outbox → bureau database, statuses back, and reconciliation.

:class:`Syncer` does one step at a time and is what tests drive directly;
:class:`SyncWorker` runs it in a background thread with exponential backoff
and jitter, wakes as soon as the store commits something, and exposes its
state (backlog, last success, last error, quarantined rows) for staff.

Sending is idempotent and conflict-safe, keyed by the row id:

1. the rows of a batch are marked "sending" and that is committed locally;
2. in ONE bureau transaction, ids already present are looked up with their
   payload hash, the others are inserted (RETURNING says what went in);
3. only after the bureau commit are they marked "synced" locally.

A kiosk killed between 2 and 3 resends the batch: the same id with the same
hash is a no-op.  The same id with a different hash, or a row the bureau
refuses (a duplicate code or ticket number), is quarantined and shown to
staff — it never overwrites what the bureau has.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from kiosk.queue import QueueOutlook, QueueRef, TicketBook
from kiosk.store.bureau import BureauRating, BureauSubmission, BureauTicket
from kiosk.store.db import BureauUnavailable
from kiosk.store.local import LocalStore
from kiosk.store.models import (
    KioskState,
    OutboxEntry,
    OutboxKind,
    OutboxState,
    Submission,
    SubmissionStatus,
    Ticket,
    TicketStatus,
    table_of,
)
from kiosk.store.payloads import bureau_row
from kiosk.store.repositories import OutboxItem, QuarantinedItem
from kiosk.store.types import utcnow

log = logging.getLogger(__name__)

BATCH_SIZE = 500
PULL_OVERLAP = timedelta(minutes=5)  # back-office commits may land slightly out of time order
PULL_WATERMARK_KEY = "pull_watermark"

_TABLES: dict[str, Table] = {
    OutboxKind.TICKET.value: table_of(BureauTicket),
    OutboxKind.SUBMISSION.value: table_of(BureauSubmission),
    OutboxKind.RATING.value: table_of(BureauRating),
}


@dataclass(frozen=True)
class BatchResult:
    sent: int = 0
    inserted: int = 0  # new rows in the bureau
    duplicates: int = 0  # already there with the same payload: no-op
    quarantined: int = 0
    deferred: int = 0  # e.g. "printed" for a ticket the bureau does not have yet


@dataclass(frozen=True)
class SyncState:
    """What the staff panel shows about syncing."""

    running: bool
    online: bool
    backlog: int
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    failures: int  # consecutive failed attempts (0 when healthy)
    quarantined: tuple[QuarantinedItem, ...] = ()


@dataclass(frozen=True)
class ReconcileReport:
    day: date | None
    local: int
    bureau: int
    missing_in_bureau: tuple[uuid.UUID, ...]
    missing_locally: tuple[uuid.UUID, ...]
    requeued: int
    unrecoverable: int  # missing in the bureau but already purged here
    in_flight: int  # missing in the bureau but still waiting in the outbox


@dataclass
class _Outcome:
    synced: list[uuid.UUID] = field(default_factory=list)
    quarantine: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    deferred: list[uuid.UUID] = field(default_factory=list)
    inserted: int = 0
    duplicates: int = 0


class Syncer:
    """The sync steps for one kiosk: push a batch, pull statuses, top up ticket blocks."""

    def __init__(
        self,
        store: LocalStore,
        bureau: Engine,
        *,
        book: TicketBook | None = None,
        queues: Sequence[QueueRef] = (),
        batch_size: int = BATCH_SIZE,
    ):
        self.store = store
        self.bureau = bureau
        self.book = book
        self.queues = tuple(queues)
        self.batch_size = batch_size
        self.outlook = book.outlook if book is not None else QueueOutlook()

    # ── push ──
    def push_once(self) -> BatchResult:
        """Send one batch; raises BureauUnavailable if the bureau cannot be reached."""
        items = self.store.outbox.claim(self.batch_size)
        if not items:
            return BatchResult()
        try:
            try:
                outcome = self._send(items)
            except IntegrityError:
                # Some row is refused by a unique index: find it one row at a time.
                outcome = self._send_one_by_one(items)
        except DBAPIError as exc:
            self.store.outbox.mark_failed([i.id for i in items], _describe(exc))
            raise BureauUnavailable(f"bureau database: {_describe(exc)}") from exc
        self.store.outbox.mark_synced(outcome.synced)
        for item_id, reason in outcome.quarantine:
            log.warning("quarantined outbox row %s: %s", item_id, reason)
            self.store.outbox.quarantine(item_id, reason)
        self.store.outbox.mark_failed(outcome.deferred, "waiting for the ticket row")
        return BatchResult(
            len(items),
            outcome.inserted,
            outcome.duplicates,
            len(outcome.quarantine),
            len(outcome.deferred),
        )

    def drain(self, max_batches: int | None = None) -> int:
        """Push until the outbox is empty (or max_batches); returns rows sent."""
        sent = batches = 0
        while max_batches is None or batches < max_batches:
            result = self.push_once()
            batches += 1
            sent += result.sent
            if result.sent < self.batch_size or result.sent == result.deferred:
                break
        return sent

    def _send(self, items: Sequence[OutboxItem]) -> _Outcome:
        outcome = _Outcome()
        now = utcnow()
        with self.bureau.begin() as connection:
            for kind, table in _TABLES.items():
                group = [i for i in items if i.kind == kind]
                if group:
                    _insert_group(connection, table, kind, group, now, outcome)
            printed = [i for i in items if i.kind == OutboxKind.TICKET_PRINTED.value]
            if printed:
                _apply_printed(connection, printed, outcome)
        return outcome

    def _send_one_by_one(self, items: Sequence[OutboxItem]) -> _Outcome:
        total = _Outcome()
        for item in items:
            try:
                one = self._send([item])
            except IntegrityError as exc:
                total.quarantine.append((item.id, f"refused by the bureau: {_describe(exc)}"))
                continue
            total.synced += one.synced
            total.quarantine += one.quarantine
            total.deferred += one.deferred
            total.inserted += one.inserted
            total.duplicates += one.duplicates
        return total

    # ── pull ──
    def pull(self) -> tuple[int, int]:
        """Statuses the back office wrote, and today's waiting counts; (submissions, tickets)."""
        with self.store.sessions() as session:
            mark = session.get(KioskState, PULL_WATERMARK_KEY)
        since = datetime.fromisoformat(mark.value) - PULL_OVERLAP if mark else None
        submissions = table_of(BureauSubmission)
        tickets = table_of(BureauTicket)
        kiosk = self.store.kiosk_id
        now = utcnow()
        try:
            with self.bureau.connect() as connection:
                query = select(
                    submissions.c.id, submissions.c.status, submissions.c.status_changed_at
                ).where(
                    submissions.c.kiosk_id == kiosk,
                    submissions.c.status != SubmissionStatus.RECEIVED.value,
                )
                if since is not None:
                    query = query.where(submissions.c.status_changed_at > since)
                sub_rows = connection.execute(query).all()
                ticket_query = select(
                    tickets.c.id,
                    tickets.c.status,
                    tickets.c.window,
                    tickets.c.called_at,
                    tickets.c.done_at,
                    tickets.c.status_changed_at,
                ).where(
                    tickets.c.kiosk_id == kiosk,
                    tickets.c.status != TicketStatus.WAITING.value,
                )
                if since is not None:
                    ticket_query = ticket_query.where(tickets.c.status_changed_at > since)
                ticket_rows = connection.execute(ticket_query).all()
                days = {self.book.day(now)} if self.book else {now.date()}
                waiting = connection.execute(
                    select(tickets.c.queue, tickets.c.service_day, func.count())
                    .where(
                        tickets.c.service_day.in_(days),
                        tickets.c.status == TicketStatus.WAITING.value,
                    )
                    .group_by(tickets.c.queue, tickets.c.service_day)
                ).all()
                connection.rollback()
        except DBAPIError as exc:
            raise BureauUnavailable(f"bureau database: {_describe(exc)}") from exc
        self.outlook.update({(q, d): int(n) for q, d, n in waiting}, now)
        changed_subs = self.store.submissions.apply_statuses(
            (r.id, r.status, r.status_changed_at) for r in sub_rows
        )
        changed_tickets = self.store.tickets.apply_statuses(
            (r.id, r.status, r.window, r.called_at, r.done_at) for r in ticket_rows
        )
        seen = [r.status_changed_at for r in (*sub_rows, *ticket_rows)]
        newest = max(seen, default=None)
        if newest is not None and (mark is None or newest.isoformat() > mark.value):
            with self.store.sessions.begin() as session:
                session.merge(KioskState(key=PULL_WATERMARK_KEY, value=newest.isoformat()))
        return changed_subs, changed_tickets

    def top_up(self) -> int:
        if self.book is None or not self.queues:
            return 0
        try:
            return self.book.top_up(self.store.sessions, self.bureau, self.queues)
        except DBAPIError as exc:
            raise BureauUnavailable(f"bureau database: {_describe(exc)}") from exc


def _describe(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return f"{type(orig or exc).__name__}: {text[0] if text else ''}"[:500]


def _insert_group(
    connection: Any,
    table: Table,
    kind: str,
    group: Sequence[OutboxItem],
    now: datetime,
    outcome: _Outcome,
) -> None:
    ids = [uuid.UUID(i.payload["id"]) for i in group]
    existing = dict(
        connection.execute(
            select(table.c.id, table.c.payload_hash).where(table.c.id.in_(ids))
        ).all()
    )
    fresh = []
    for item, row_id in zip(group, ids, strict=True):
        known = existing.get(row_id)
        if known is None:
            fresh.append((item, row_id))
        elif known == item.payload_hash:
            outcome.synced.append(item.id)
            outcome.duplicates += 1
        else:
            outcome.quarantine.append(
                (item.id, f"{kind} {row_id} is already in the bureau with different content")
            )
    if not fresh:
        return
    rows = [bureau_row(kind, item.payload, item.payload_hash, now) for item, _ in fresh]
    statement = table.insert()
    if connection.dialect.name == "postgresql":
        # Rows refused by another unique index (code, ticket number) are skipped, not
        # fatal; RETURNING tells which went in, and the rest are quarantined below.
        statement = postgresql.insert(table).on_conflict_do_nothing()
    went_in = set(connection.execute(statement.returning(table.c.id), rows).scalars())
    for item, row_id in fresh:
        if row_id in went_in:
            outcome.synced.append(item.id)
            outcome.inserted += 1
        else:
            outcome.quarantine.append(
                (item.id, f"{kind} {row_id} conflicts with another bureau row (code or number)")
            )


def _apply_printed(connection: Any, printed: Sequence[OutboxItem], outcome: _Outcome) -> None:
    tickets = table_of(BureauTicket)
    ids = [uuid.UUID(i.payload["id"]) for i in printed]
    present = set(connection.execute(select(tickets.c.id).where(tickets.c.id.in_(ids))).scalars())
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
            update(tickets)
            .where(tickets.c.id == bindparam("b_id"), tickets.c.printed_at.is_(None))
            .values(printed_at=bindparam("b_at")),
            rows,
        )
    for item in printed:
        if uuid.UUID(item.payload["id"]) in present:
            outcome.synced.append(item.id)
        else:
            outcome.deferred.append(item.id)


# ── status lookup and reconciliation ──
def lookup_status(bureau: Engine, code: str) -> tuple[str, datetime] | None:
    """A submission's status straight from the bureau (any kiosk's), or None if unknown."""
    table = table_of(BureauSubmission)
    try:
        with bureau.connect() as connection:
            row = connection.execute(
                select(table.c.status, table.c.status_changed_at).where(table.c.code == code)
            ).first()
    except DBAPIError as exc:
        raise BureauUnavailable(f"bureau database: {_describe(exc)}") from exc
    return (row.status, row.status_changed_at) if row else None


def reconcile(store: LocalStore, bureau: Engine, day: date | None = None) -> ReconcileReport:
    """Compare this kiosk's submissions (and their tickets) with the bureau; re-queue gaps."""
    with store.sessions() as session:
        query = select(Submission.id, Submission.ticket_id)
        if day is not None:
            query = query.where(Submission.service_day == day)
        local_rows = session.execute(query).all()
        ticket_query = select(Ticket.id)
        if day is not None:
            ticket_query = ticket_query.where(Ticket.service_day == day)
        local_tickets = set(session.scalars(ticket_query))
        in_flight_ids = set(
            session.scalars(
                select(OutboxEntry.entity_id).where(
                    OutboxEntry.state.in_(
                        [
                            OutboxState.PENDING.value,
                            OutboxState.SENDING.value,
                            OutboxState.QUARANTINED.value,
                        ]
                    )
                )
            )
        )
    local_ids = {r.id for r in local_rows}
    submissions, tickets = table_of(BureauSubmission), table_of(BureauTicket)
    try:
        with bureau.connect() as connection:
            query = select(submissions.c.id).where(submissions.c.kiosk_id == store.kiosk_id)
            ticket_query = select(tickets.c.id).where(tickets.c.kiosk_id == store.kiosk_id)
            if day is not None:
                query = query.where(submissions.c.service_day == day)
                ticket_query = ticket_query.where(tickets.c.service_day == day)
            bureau_ids = set(connection.execute(query).scalars())
            bureau_tickets = set(connection.execute(ticket_query).scalars())
            connection.rollback()
    except DBAPIError as exc:
        raise BureauUnavailable(f"bureau database: {_describe(exc)}") from exc
    missing = sorted(local_ids - bureau_ids)
    missing_tickets = local_tickets - bureau_tickets
    in_flight = [i for i in (*missing, *missing_tickets) if i in in_flight_ids]
    settled = [i for i in (*missing, *missing_tickets) if i not in in_flight_ids]
    requeued, unrecoverable = store.outbox.requeue(settled)
    if settled:
        store.audit.record(
            "system",
            "reconcile_requeue",
            None,
            day=day.isoformat() if day else None,
            requeued=requeued,
            unrecoverable=unrecoverable,
            ids=[str(i) for i in settled][:1000],
        )
    return ReconcileReport(
        day=day,
        local=len(local_ids),
        bureau=len(bureau_ids),
        missing_in_bureau=tuple(missing),
        missing_locally=tuple(sorted(bureau_ids - local_ids)),
        requeued=requeued,
        unrecoverable=unrecoverable,
        in_flight=len(in_flight),
    )


# ── the background worker ──
class SyncWorker:
    """Runs a :class:`Syncer` in one daemon thread; ``state()`` is safe from any thread."""

    def __init__(
        self,
        syncer: Syncer,
        *,
        idle_s: float = 2.0,
        pull_every_s: float = 5.0,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 60.0,
        rng: random.Random | None = None,
        retention_days: int | None = None,
        purge_every_s: float = 3600.0,
    ):
        self.syncer = syncer
        # Personal data is purged locally this many days after the bureau confirmed it.
        self.retention_days = retention_days
        self.purge_every_s = purge_every_s
        self._last_purge: float | None = None
        self.idle_s = idle_s
        self.pull_every_s = pull_every_s
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_success: datetime | None = None
        self._last_error: str | None = None
        self._last_error_at: datetime | None = None
        self._failures = 0
        self._last_pull = 0.0
        self.on_change: Callable[[], None] | None = None  # e.g. refresh the staff panel

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the sync worker is already running")
        self._stop.clear()
        self.syncer.store.add_listener(self.wake)
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self.syncer.store.remove_listener(self.wake)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def backoff(self, failures: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        ceiling = min(self.backoff_max_s, self.backoff_base_s * 2 ** max(0, failures - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def state(self) -> SyncState:
        with self._lock:
            failures = self._failures
            last_success, last_error, at = self._last_success, self._last_error, self._last_error_at
        return SyncState(
            running=self._thread is not None and self._thread.is_alive(),
            online=failures == 0 and last_success is not None,
            backlog=self.syncer.store.outbox.backlog(),
            last_success=last_success,
            last_error=last_error,
            last_error_at=at,
            failures=failures,
            quarantined=tuple(self.syncer.store.outbox.quarantined()),
        )

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.syncer.top_up()
                self.syncer.drain(max_batches=20)
                if time.monotonic() - self._last_pull >= self.pull_every_s:
                    self.syncer.pull()
                    self._last_pull = time.monotonic()
                more = self.syncer.store.outbox.backlog() > 0
                self._purge_if_due()
            except (BureauUnavailable, SQLAlchemyError) as exc:
                delay = self._failed(exc)
                self._stop.wait(delay)
                continue
            except Exception as exc:  # a bug: log it with its traceback, keep the kiosk going
                log.exception("sync step failed")
                delay = self._failed(exc)
                self._stop.wait(delay)
                continue
            with self._lock:
                self._failures = 0
                self._last_success = utcnow()
            self._notify()
            if not more:
                self._wake.wait(self.idle_s)

    def _purge_if_due(self) -> None:
        """Retention: at start and then hourly (the purge itself is audited by the store)."""
        if self.retention_days is None:
            return
        now = time.monotonic()
        if self._last_purge is not None and now - self._last_purge < self.purge_every_s:
            return
        self._last_purge = now
        purged = self.syncer.store.purge(self.retention_days)
        if purged:
            log.info("purged personal data of %d synced submissions", purged)

    def _failed(self, exc: BaseException) -> float:
        with self._lock:
            self._failures += 1
            self._last_error = str(exc)[:500]
            self._last_error_at = utcnow()
            failures = self._failures
        log.info("sync failed (%d in a row): %s", failures, exc)
        self._notify()
        return self.backoff(failures)

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change()


def queues_of(catalog: Any) -> list[QueueRef]:
    """The catalog's queues as numbering needs them."""
    return [QueueRef.of(q) for q in catalog.queues.values()]


def worker_for(
    store: LocalStore,
    bureau: Engine,
    book: TicketBook,
    queues: Iterable[QueueRef],
    retention_days: int | None = None,
) -> SyncWorker:
    return SyncWorker(
        Syncer(store, bureau, book=book, queues=list(queues)), retention_days=retention_days
    )
