"""Outbox → bureau database, statuses back, ticket blocks ahead, and reconciliation.

:class:`Syncer` does one step at a time and is what tests drive directly;
:class:`SyncWorker` runs it in a background thread, wakes as soon as the store
commits something to send, sleeps when nothing can progress, and during an
outage probes the bureau every few seconds (never more than
``backoff_max_s``), so the first success after the bureau returns leases
blocks and drains the backlog at once.  No SQL here: the local store
(:mod:`kiosk.store`) and the bureau gateway (:mod:`kiosk.store.gateway`) run it.

Sending is idempotent and conflict-safe, keyed by the row id:

1. the rows of a batch are marked "sending" and that is committed locally;
2. in ONE bureau transaction they are inserted; a row that is already there
   is decided by re-reading its id and payload hash (same hash: a duplicate);
3. only after the bureau commit are they marked "synced" locally.

One sender at a time: the worker and staff's "sync now" share the Syncer's
lock.  A row with the same id and a different hash, or another row's code or
ticket number, is quarantined at once; a row the bureau refuses by itself
(bad data) is quarantined after a few refusals with the reason, and never
holds up the rows behind it.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.numbering import QueueOutlook, QueueRef, lease_floor
from kiosk.store.db import BureauUnavailable, StoreUnavailable
from kiosk.store.gateway import BureauGateway, BureauRefused, KioskIdTooLong
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxKind, OutboxState
from kiosk.store.outbox import MAX_REFUSALS, QuarantinedItem
from kiosk.store.ticket_book import TicketBook
from kiosk.store.types import utcnow

log = logging.getLogger(__name__)

BATCH_SIZE = 500
PULL_OVERLAP = timedelta(minutes=5)  # back-office commits may land slightly out of time order
PULL_WATERMARK_KEY = "pull_watermark"


@dataclass(frozen=True)
class BatchResult:
    sent: int = 0
    inserted: int = 0  # new rows in the bureau
    duplicates: int = 0  # already there with the same payload: no-op
    quarantined: int = 0
    deferred: int = 0  # e.g. "printed" for a ticket the bureau does not have yet
    refused: int = 0  # refused by the bureau on their own, counted towards quarantine

    @property
    def progress(self) -> bool:
        """Something was settled (synced or quarantined): sending again may do more."""
        return self.inserted + self.duplicates + self.quarantined > 0


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


class Syncer:
    """The sync steps for one kiosk: push a batch, pull statuses, top up ticket blocks."""

    def __init__(
        self,
        store: LocalStore,
        bureau: BureauGateway,
        *,
        book: TicketBook | None = None,
        queues: Sequence[QueueRef] = (),
        batch_size: int = BATCH_SIZE,
        max_refusals: int = MAX_REFUSALS,
    ):
        self.store = store
        self.bureau = bureau
        self.book = book
        self.queues = tuple(queues)
        self.batch_size = batch_size
        self.max_refusals = max_refusals
        self.outlook = book.outlook if book is not None else QueueOutlook()
        # One sender at a time: the worker and staff's "sync now" both take it.
        self.lock = threading.RLock()
        self._met_bureau = False  # registered and given the hall's secret since start

    # ── push ──
    def push_once(self) -> BatchResult:
        """Send one batch; raises BureauUnavailable if the bureau cannot be reached."""
        with self.lock:
            return self._push_once()

    def _push_once(self) -> BatchResult:
        outbox = self.store.outbox
        items = outbox.claim(self.batch_size)
        if not items:
            return BatchResult()
        try:
            outcome = self.bureau.push(items)
        except BureauUnavailable as exc:
            outbox.mark_failed([i.id for i in items], str(exc))
            raise
        outbox.mark_synced(outcome.synced)
        quarantined = 0
        for item_id, reason in outcome.conflicts:
            log.warning("quarantined outbox row %s: %s", item_id, reason)
            outbox.quarantine(item_id, reason)
            quarantined += 1
        for item_id, reason in outcome.refused:
            log.warning("the bureau refused outbox row %s: %s", item_id, reason)
            quarantined += outbox.refused(item_id, reason, self.max_refusals)
        entities = {i.id: i.entity_id for i in items}
        for item_id in outcome.deferred:
            quarantined += self._defer(item_id, entities[item_id])
        return BatchResult(
            len(items),
            outcome.inserted,
            outcome.duplicates,
            quarantined,
            len(outcome.deferred),
            len(outcome.refused),
        )

    def _defer(self, item_id: uuid.UUID, ticket_id: uuid.UUID) -> int:
        """A "printed" event whose ticket the bureau does not have: wait while the ticket is
        still on its way; follow it into quarantine; otherwise count it as refused."""
        outbox = self.store.outbox
        state = outbox.state_of(OutboxKind.TICKET, ticket_id)
        if state in (OutboxState.PENDING.value, OutboxState.SENDING.value):
            outbox.mark_failed([item_id], "waiting for the ticket row")
            return 0
        if state == OutboxState.QUARANTINED.value:
            outbox.quarantine(item_id, f"its ticket {ticket_id} is quarantined")
            return 1
        reason = f"the bureau has no ticket {ticket_id} to mark printed"
        return int(outbox.refused(item_id, reason, self.max_refusals))

    def drain(self, max_batches: int | None = None) -> int:
        """Push until the outbox is empty or nothing progresses; returns rows sent."""
        sent, _progress = self.drain_progress(max_batches)
        return sent

    def drain_progress(self, max_batches: int | None = None) -> tuple[int, bool]:
        """(rows sent, whether a full batch was settled: there may be more to do now)."""
        sent = batches = 0
        more = False
        with self.lock:
            while max_batches is None or batches < max_batches:
                result = self._push_once()
                batches += 1
                sent += result.sent
                more = result.sent >= self.batch_size and result.progress
                if not more:
                    break
        return sent, more

    # ── pull ──
    def pull(self) -> tuple[int, int]:
        """Statuses the back office wrote, and today's waiting counts; (submissions, tickets)."""
        with self.lock:
            facts = self.store.facts
            mark = facts.get(PULL_WATERMARK_KEY)
            since = datetime.fromisoformat(mark) - PULL_OVERLAP if mark else None
            now = utcnow()
            days = {self.book.day(now)} if self.book else {now.date()}
            changes = self.bureau.changes(self.store.kiosk_id, since, days)
            self.outlook.update(changes.waiting, now)
            changed_subs = self.store.submissions.apply_statuses(
                (c.id, c.status, c.changed_at) for c in changes.submissions
            )
            changed_tickets = self.store.tickets.apply_statuses(
                (c.id, c.status, c.window, c.called_at, c.done_at) for c in changes.tickets
            )
            seen = [c.changed_at for c in changes.submissions]
            seen += [c.changed_at for c in changes.tickets]
            newest = max(seen, default=None)
            if newest is not None and (mark is None or newest.isoformat() > mark):
                facts.set(PULL_WATERMARK_KEY, newest.isoformat())
            return changed_subs, changed_tickets

    # ── ticket blocks ──
    def top_up(self, now: datetime | None = None) -> int:
        """Lease a block for every queue with less than half a block left; returns leases.

        Standalone (no bureau): nothing to lease from; returns 0.  A kiosk that numbered
        tickets itself earlier today starts its first lease past them.
        """
        book = self.book
        if book is None or not self.queues or book.standalone:
            return 0
        with self.lock:
            now = now or utcnow()
            day = book.day(now)
            plenty = book.block_size // 2
            queues = self.queues
            if self._met_bureau and all(book.left.get((q.code, day), 0) > plenty for q in queues):
                return 0
            with self.store.guard(), self.store.sessions() as session:
                left = {q.code: book.remaining(session, q.code, day) for q in queues}
                highest = {q.code: book.highest_issued(session, q.code, day) for q in queues}
            book.left.update({(code, day): count for code, count in left.items()})
            if not self._met_bureau:
                index = self.bureau.register_kiosk(self.store.kiosk_id)
                secret = self.bureau.hall_secret()
                with self.store.guard(), self.store.sessions.begin() as session:
                    book.keep_index(session, index)
                    book.use_hall_secret(session, secret)
                self._met_bureau = True
            taken = 0
            for queue in queues:
                if left[queue.code] > plenty:
                    continue
                lease = self.bureau.lease_block(
                    queue.code,
                    day,
                    self.store.kiosk_id,
                    book.block_size,
                    lease_floor(highest[queue.code]),
                )
                if lease is None:
                    continue  # the regular band is used up for today
                with self.store.guard(), self.store.sessions.begin() as session:
                    book.add_lease(session, lease)
                book.left[queue.code, day] = left[queue.code] + (lease.last - lease.first + 1)
                taken += 1
            return taken


# ── reconciliation ──
def reconcile(store: LocalStore, bureau: BureauGateway, day: date | None = None) -> ReconcileReport:
    """Compare this kiosk's submissions (and their tickets) with the bureau; re-queue gaps."""
    local_ids = store.submissions.ids_for_day(day)
    local_tickets = store.tickets.ids_of(store.kiosk_id, day)
    in_flight_ids = store.outbox.in_flight()
    bureau_ids, bureau_tickets = bureau.ids_of(store.kiosk_id, day)
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
        backoff_max_s: float = 5.0,
        rng: random.Random | None = None,
        retention_days: int | None = None,
        purge_every_s: float = 3600.0,
    ):
        self.syncer = syncer
        # Personal data is purged locally this many days after the bureau confirmed it.
        self.retention_days = retention_days
        self.purge_every_s = purge_every_s
        self.purge_files: Callable[[], int] | None = None  # e.g. printed PDFs (services)
        self._last_purge: float | None = None
        self.idle_s = idle_s
        self.pull_every_s = pull_every_s
        self.backoff_base_s = backoff_base_s
        # During an outage the bureau is probed at least this often.
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

    def state_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def online(self) -> bool:
        """The last step reached the bureau."""
        with self._lock:
            return self._failures == 0 and self._last_success is not None

    def state(self) -> SyncState:
        with self._lock:
            failures = self._failures
            last_success, last_error, at = self._last_success, self._last_error, self._last_error_at
        return SyncState(
            running=self.state_running(),
            online=failures == 0 and last_success is not None,
            backlog=self.syncer.store.outbox.backlog(),
            last_success=last_success,
            last_error=last_error,
            last_error_at=at,
            failures=failures,
            quarantined=tuple(self.syncer.store.outbox.quarantined()),
        )

    def step(self) -> bool:
        """One round: blocks, the backlog, statuses when due, the purge when due.

        Returns whether there may be more to do right away.  Raises BureauUnavailable or
        StoreUnavailable when the round could not be done.
        """
        syncer = self.syncer
        try:
            syncer.top_up()
        except KioskIdTooLong as exc:  # the config's fault: say so, keep sending the rest
            self._note(str(exc))
        _sent, more = syncer.drain_progress(max_batches=20)
        if time.monotonic() - self._last_pull >= self.pull_every_s:
            syncer.pull()
            self._last_pull = time.monotonic()
        self._purge_if_due()
        return more

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                more = self.step()
            except (BureauUnavailable, BureauRefused, StoreUnavailable) as exc:
                self._stop.wait(self._failed(exc))
                continue
            except Exception as exc:  # a bug: logged with its traceback; the kiosk keeps going
                log.exception("sync step failed")
                self._stop.wait(self._failed(exc))
                continue
            self.succeeded()
            if not more:
                self._wake.wait(self.idle_s)  # a commit with something to send wakes it

    def _purge_if_due(self) -> None:
        """Retention: at start and then hourly (the purge itself is audited by the store)."""
        if self.retention_days is None:
            return
        now = time.monotonic()
        if self._last_purge is not None and now - self._last_purge < self.purge_every_s:
            return
        self._last_purge = now
        book = self.syncer.book
        today = book.day(utcnow()) if book is not None else None
        purged = self.syncer.store.purge(self.retention_days, today=today)
        if purged:
            log.info("purged personal data of %d synced submissions", purged)
        if self.purge_files is not None:
            removed = self.purge_files()
            if removed:
                log.info("removed %d printed files past retention", removed)

    def succeeded(self) -> None:
        """The bureau answered a whole round (the worker's, or staff's "sync now")."""
        with self._lock:
            self._failures = 0
            self._last_success = utcnow()
        self._notify()

    def _note(self, error: str) -> None:
        with self._lock:
            self._last_error = error[:500]
            self._last_error_at = utcnow()

    def failed(self, exc: BaseException) -> None:
        """Staff's "sync now" could not reach the bureau: the panel says so at once."""
        self._failed(exc)

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


def worker_for(
    store: LocalStore,
    bureau: BureauGateway,
    book: TicketBook,
    queues: Sequence[QueueRef],
    retention_days: int | None = None,
) -> SyncWorker:
    return SyncWorker(
        Syncer(store, bureau, book=book, queues=list(queues)), retention_days=retention_days
    )
