"""Recovery after an outage (#12 item 6): the worker probes the bureau at least every 5 s,
the first success resets the backoff, blocks are leased again and the backlog drains at
once; a commit of anything to send wakes an idle worker.

Before: the backoff grew to 60 s, so after a 150 s outage no block was leased for 59.9 s
and 118 visitors were refused a number while the bureau was back; a rating waited for
the idle timer.  ``make bench`` measures the 150 s outage; this test cuts for 30 s.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL

from kiosk.numbering import BAND_LEASE, NoTicketNumber
from kiosk.statuses import Satisfaction
from kiosk.store.bureau_tables import BureauRating, BureauSubmission
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.models import TicketBlock
from kiosk.store.ticket_book import TicketBook
from kiosk.sync import Syncer, SyncWorker
from tests.store.conftest import QUEUE, add_backlog, make_draft
from tests.store.tcp_proxy import TcpProxy

pytestmark = pytest.mark.db

OUTAGE_S = 30.0  # long enough for a 60 s ceiling to show (8–16 s, then 16–32 s)
PROBE_EVERY_S = 5.0  # the worker's backoff ceiling: the target


def until(condition, limit: float) -> float | None:  # type: ignore[no-untyped-def]
    """Seconds until ``condition()`` held, or None after ``limit`` (generous)."""
    started = time.monotonic()
    pause = threading.Event()
    while not condition():
        if time.monotonic() - started > limit:
            return None
        pause.wait(0.02)
    return time.monotonic() - started


def leases(store: LocalStore) -> int:
    with store.sessions() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(TicketBlock).where(TicketBlock.band == BAND_LEASE)
            )
            or 0
        )


@pytest.mark.timeout(600)
def test_after_an_outage_blocks_and_the_backlog_come_back_at_once(
    sqlite_store: LocalStore, pg_bureau_url: URL, pg_bureau: Engine
) -> None:
    store = sqlite_store
    with TcpProxy(pg_bureau_url.host or "127.0.0.1", pg_bureau_url.port or 5432) as proxy:
        gateway = BureauGateway.connect(pg_bureau_url.set(host="127.0.0.1", port=proxy.port))
        book = TicketBook(store.kiosk_id, block_size=10)
        worker = SyncWorker(Syncer(store, gateway, book=book, queues=[QUEUE]))  # the defaults
        worker.start()
        try:
            assert until(lambda: leases(store) >= 1 and worker.online, 60) is not None
            proxy.cut()
            cut_at = time.monotonic()
            while True:  # visitors take every number this kiosk holds, then the fallback band
                try:
                    store.issue_ticket(QUEUE, book)
                except NoTicketNumber:
                    break
            held = leases(store)
            add_backlog(store, book, 1000)
            assert until(lambda: time.monotonic() - cut_at >= OUTAGE_S, OUTAGE_S + 5)
            assert not worker.online and leases(store) == held
            proxy.restore()
            restored_at = time.monotonic()
            first_lease = until(lambda: leases(store) > held, 60)
            drained = until(lambda: store.outbox.backlog() == 0, 120)
        finally:
            worker.stop()
            gateway.dispose()
        probes = [t for t in proxy.refused_at if t > cut_at]
    assert first_lease is not None and drained is not None
    # The probes while down, then the first that got through (it leased at once).
    attempts = [*probes, restored_at + first_lease]
    gaps = [b - a for a, b in zip([cut_at, *attempts], attempts, strict=False)]
    assert probes and max(gaps) <= PROBE_EVERY_S + 0.5, gaps  # probed at least every 5 s
    # With a probe every ≤ 5 s the first lease follows within one probe; the drain of 1,000
    # rows takes a second or two.  Limits with room for a loaded machine:
    assert first_lease <= PROBE_EVERY_S + 3, first_lease
    assert drained <= 10 + 5, drained
    with pg_bureau.connect() as connection:
        sent = connection.execute(select(func.count()).select_from(BureauSubmission)).scalar()
    assert sent == 1000


def test_a_commit_wakes_an_idle_worker(sqlite_store: LocalStore, bureau: Engine) -> None:
    """Every commit that adds something to send wakes the worker — a rating too (before,
    only submit, 取号 and "printed" did; a rating waited for the idle timer)."""
    store = sqlite_store
    book = TicketBook(store.kiosk_id, block_size=10)
    worker = SyncWorker(Syncer(store, BureauGateway(bureau), book=book, queues=[QUEUE]), idle_s=120)
    receipt = store.submit(make_draft(), book)
    worker.start()
    try:
        assert until(lambda: store.outbox.backlog() == 0, 60) is not None
        store.ratings.rate(Satisfaction.SATISFIED, submission_id=receipt.submission_id)
        assert until(lambda: store.outbox.backlog() == 0, 60) is not None  # not 120 s
    finally:
        worker.stop()
    with bureau.connect() as connection:
        assert connection.execute(select(func.count()).select_from(BureauRating)).scalar() == 1
