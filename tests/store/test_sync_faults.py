"""Faults an independent harness found in syncing (issue #12, items 1, 4 and 5).

Each test drives the real sync against the real bureau databases and fails
without its fix: a row another sender inserted meanwhile is a duplicate, not a
conflict; one sender at a time; a quarantined ticket does not make the worker
spin; one bad row is quarantined with its reason and never blocks the rest.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, func, select

from kiosk.statuses import Satisfaction
from kiosk.store.bureau_tables import BureauRating, BureauSubmission, BureauTicket
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxEntry
from kiosk.store.ticket_book import TicketBook
from kiosk.sync import Syncer, SyncWorker
from tests.store.conftest import QUEUE, make_draft

pytestmark = pytest.mark.db


def count(bureau: Engine, table: type) -> int:
    with bureau.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)


def wait_for(condition, limit: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    """Until ``condition()`` holds, with a generous limit (a loaded machine is slow)."""
    stop = threading.Event()
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        stop.wait(0.05)
    return True


def test_two_senders_at_once_never_quarantine_identical_rows(
    sqlite_store: LocalStore, bureau: Engine
) -> None:
    """Two senders on one outbox (here: two Syncers, each with its own lock) send the same
    rows at the same moment.  Rows the other one inserted are re-read: the same hash is a
    duplicate.  Before: PostgreSQL called every row missing from RETURNING a conflict."""
    book = TicketBook("kiosk-01", block_size=500)
    first = Syncer(sqlite_store, BureauGateway(bureau), book=book, queues=[QUEUE], batch_size=50)
    second = Syncer(sqlite_store, BureauGateway(bureau), book=book, queues=[QUEUE], batch_size=50)
    first.top_up()
    for i in range(200):
        sqlite_store.submit(make_draft(f"ID{i}"), book)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(syncer: Syncer) -> None:
        start.wait()
        try:
            for _ in range(20):
                syncer.push_once()
        except BaseException as exc:  # reported below, with the test's own assertion
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    first.drain()
    assert sqlite_store.outbox.quarantined() == []
    assert count(bureau, BureauSubmission) == 200 and count(bureau, BureauTicket) == 200
    assert sqlite_store.outbox.backlog() == 0


def test_sync_now_while_the_worker_sends_quarantines_nothing(
    sqlite_store: LocalStore, bureau: Engine
) -> None:
    """The harness's recipe: 400 submissions, start the worker, "sync now" 50 ms later."""
    book = TicketBook("kiosk-01", block_size=500)
    syncer = Syncer(sqlite_store, BureauGateway(bureau), book=book, queues=[QUEUE], batch_size=40)
    syncer.top_up()
    for i in range(400):
        sqlite_store.submit(make_draft(f"ID{i}"), book)
    worker = SyncWorker(syncer, idle_s=0.2)
    worker.start()
    try:
        threading.Event().wait(0.05)
        with syncer.lock:  # what StaffDesk.sync_now does
            syncer.top_up()
            syncer.drain()
            syncer.pull()
        assert wait_for(lambda: sqlite_store.outbox.backlog() == 0)
    finally:
        worker.stop()
    assert sqlite_store.outbox.quarantined() == []
    assert count(bureau, BureauSubmission) == 400


def test_a_quarantined_ticket_does_not_make_the_worker_spin(
    sqlite_store: LocalStore, bureau: Engine
) -> None:
    """Another kiosk's ticket already has this number: the ticket is quarantined, and so is
    its "printed" event — instead of being deferred and resent forever (before: 472 resends
    and 975 bureau transactions in 10 s, the backlog never reaching 0)."""
    store = sqlite_store
    book = TicketBook("kiosk-01", block_size=10)
    gateway = BureauGateway(bureau)
    syncer = Syncer(store, gateway, book=book, queues=[QUEUE])
    syncer.top_up()
    ticket, _ = store.issue_ticket(QUEUE, book)
    now = datetime.now(UTC)
    with bureau.begin() as connection:  # the same number, held by a ticket of another kiosk
        connection.execute(
            BureauTicket.__table__.insert().values(
                id=uuid.uuid4(),
                queue=QUEUE.code,
                prefix="B",
                seq=int(ticket.number[1:]),
                service_day=ticket.service_day,
                kiosk_id="kiosk-99",
                band="lease",
                priority=False,
                issued_at=now,
                received_at=now,
                status="waiting",
                status_changed_at=now,
                payload_hash="other",
            )
        )
    store.mark_ticket_printed(ticket.id)
    transactions: list[object] = []

    def began(connection: object) -> None:
        transactions.append(connection)

    event.listen(bureau, "begin", began)
    worker = SyncWorker(syncer, idle_s=1.0, pull_every_s=3600)
    worker.start()
    try:
        assert wait_for(lambda: store.outbox.backlog() == 0)
        settled = len(transactions)
        threading.Event().wait(3.0)  # the worker now has nothing to do: it must sleep
        assert len(transactions) - settled <= 6, "the worker keeps talking to the bureau"
    finally:
        worker.stop()
        event.remove(bureau, "begin", began)
    quarantined = {item.kind: item.reason for item in store.outbox.quarantined()}
    assert set(quarantined) == {"ticket", "ticket_printed"}
    assert "another bureau row" in quarantined["ticket"] or "1062" in quarantined["ticket"]
    assert quarantined["ticket_printed"] == f"its ticket {ticket.id} is quarantined"


def bad_rating(store: LocalStore, submission_id: uuid.UUID, comment: str) -> None:
    store.ratings.rate(Satisfaction.SATISFIED, submission_id=submission_id, comment=comment)


@pytest.mark.parametrize(
    "kind", ["nul", "too_long", "kiosk_id"], ids=["nul-in-text", "overlong-text", "long-kiosk-id"]
)
def test_one_bad_row_is_quarantined_and_never_blocks_the_rest(
    sqlite_store: LocalStore, bureau: Engine, kind: str
) -> None:
    """A NUL in text (PostgreSQL refuses it), 100,000 characters in a Text column (MariaDB
    1406) or a kiosk_id over 64 characters: refused by the bureau on every try.  Before,
    the whole batch failed and was reported as "bureau cannot be reached", forever."""
    store = sqlite_store
    book = TicketBook("kiosk-01", block_size=50)
    syncer = Syncer(store, BureauGateway(bureau), book=book, queues=[QUEUE], max_refusals=3)
    syncer.top_up()
    good = [store.submit(make_draft(f"ID{i}"), book) for i in range(3)]
    if kind == "nul":
        bad_rating(store, good[0].submission_id, "好\x00评")
    elif kind == "too_long":
        bad_rating(store, good[0].submission_id, "很" * 100_000)
    else:
        long_kiosk = LocalStore(store.engine, "k" * 70)  # a row written under a bad kiosk_id
        long_kiosk.submit(make_draft("LONG"), book)
    store.submit(make_draft("AFTER"), book)  # a row behind the bad one
    refused_by = {
        "nul": bureau.dialect.name == "postgresql",
        "too_long": bureau.dialect.name != "postgresql",  # PostgreSQL text has no limit
        "kiosk_id": True,
    }[kind]
    for _ in range(4):  # every attempt settles the good rows and counts the bad one once
        syncer.push_once()
    assert store.outbox.backlog() == 0
    assert count(bureau, BureauSubmission) == 4  # the good rows, and the one behind
    quarantined = store.outbox.quarantined()
    if refused_by:
        (item,) = quarantined
        assert item.reason.startswith("refused 3 times: ") and len(item.reason) > 30, item.reason
        assert store.audit.recent(action="quarantine")
    else:
        assert quarantined == [] and count(bureau, BureauRating) == 1


def test_the_worker_stays_online_while_a_bad_row_waits_for_quarantine(
    sqlite_store: LocalStore, bureau: Engine
) -> None:
    store = sqlite_store
    book = TicketBook("kiosk-01", block_size=50)
    syncer = Syncer(store, BureauGateway(bureau), book=book, queues=[QUEUE])
    syncer.top_up()
    LocalStore(store.engine, "k" * 70).submit(make_draft("LONG"), book)
    store.submit(make_draft("GOOD"), book)
    worker = SyncWorker(syncer, idle_s=0.1, backoff_base_s=0.05)
    worker.start()
    try:
        assert wait_for(lambda: store.outbox.backlog() == 0)
        state = worker.state()
        assert state.online and state.failures == 0 and len(state.quarantined) == 1
    finally:
        worker.stop()
    with store.sessions() as session:
        refused = session.scalars(select(OutboxEntry).where(OutboxEntry.state == "quarantined"))
        assert [row.refusals for row in refused] == [3]
