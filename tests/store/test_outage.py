"""Outage: the bureau database is cut off mid-batch and restored while visitors keep submitting."""

from __future__ import annotations

import statistics
import threading
import time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL

from kiosk.store.bureau_tables import BureauSubmission
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.ticket_book import TicketBook
from kiosk.sync import Syncer, SyncWorker
from tests.store.conftest import QUEUE, make_draft
from tests.store.tcp_proxy import TcpProxy

pytestmark = pytest.mark.db


def wait_until(condition, timeout: float, step) -> bool:  # type: ignore[no-untyped-def]
    """Poll with a deadline; ``step`` blocks briefly on an event (never a bare sleep)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        step()
    return True


def test_cut_mid_batch_and_restored(
    sqlite_store: LocalStore, pg_bureau_url: URL, pg_bureau: Engine
) -> None:
    store = sqlite_store
    with TcpProxy(pg_bureau_url.host or "127.0.0.1", pg_bureau_url.port or 5432) as proxy:
        via_proxy = BureauGateway.connect(pg_bureau_url.set(host="127.0.0.1", port=proxy.port))
        book = TicketBook(store.kiosk_id, block_size=200)
        syncer = Syncer(store, via_proxy, book=book, queues=[QUEUE], batch_size=100)
        syncer.top_up()
        durations: list[float] = []
        acknowledged = set()

        def submit(n: int) -> None:
            for i in range(n):
                started = time.perf_counter()
                receipt = store.submit(make_draft(f"ID{len(acknowledged)}-{i}"), book)
                durations.append(time.perf_counter() - started)
                acknowledged.add(receipt.submission_id)

        submit(300)
        worker = SyncWorker(syncer, idle_s=0.2, backoff_base_s=0.05, backoff_max_s=0.3)
        progress = threading.Event()
        worker.on_change = progress.set  # every success or failure of the worker

        def step() -> None:
            progress.wait(1)
            progress.clear()

        proxy.cut_on_large_write(8192)  # the first insert batch is cut halfway through
        worker.start()
        try:
            assert proxy.cut_happened.wait(60) and proxy.cut_mid_write
            outage = len(durations)
            submit(100)  # visitors keep submitting while the bureau is unreachable
            assert wait_until(lambda: worker.state().failures >= 2, 60, step)
            state = worker.state()
            assert not state.online and state.backlog > 0 and state.last_error
            proxy.restore()
            assert wait_until(
                lambda: worker.state().backlog == 0 and worker.state().online,
                120,
                step,
            ), worker.state()
            assert worker.state().quarantined == ()
        finally:
            worker.stop()
            via_proxy.dispose()
    with pg_bureau.connect() as connection:
        ids = list(connection.execute(select(BureauSubmission.id)).scalars())
        rows = connection.execute(select(func.count()).select_from(BureauSubmission)).scalar()
    assert set(ids) == acknowledged and len(ids) == rows == 400  # all arrived, none twice
    during = durations[outage:]
    # The kiosk never waited on the bureau: no submit during the outage took anything like
    # the bureau's connect timeout (5 s), and they were as fast as before it.  Limits with
    # room for a loaded machine: a test must not depend on a quiet one.
    before = durations[:outage]
    assert max(during) < 2.5, max(during)
    assert statistics.median(during) < 3 * statistics.median(before) + 0.05, (
        statistics.median(during),
        statistics.median(before),
    )
