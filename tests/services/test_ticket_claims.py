"""One waiting ticket per ID number, queue and day across kiosks, enforced by the bureau
(#12): a kiosk claims the holder at the bureau before it keeps a new ticket, so kiosks
issuing for the same person before any sync — or at the very same moment — give one number.
On PostgreSQL and MariaDB.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from kiosk.services import KioskServices, TicketResult
from kiosk.statuses import TicketStatus
from kiosk.store import gateway as gateway_module
from kiosk.store.bureau_tables import BureauTicket, TicketClaim
from kiosk.store.db import bureau_engine
from kiosk.store.gateway import BureauGateway, RemoteTicket
from kiosk.store.models import table_of
from kiosk.store.types import utcnow
from tests.services.conftest import MakeServices, closed_port_url, id_number, take_ticket, url_text

QUEUE = "livelihood"


def kiosks(make_services: MakeServices, url: URL, count: int) -> list[KioskServices]:
    built = [make_services(bureau=url_text(url), kiosk_id=f"kiosk-{n:02d}") for n in range(count)]
    for kiosk in built:
        assert kiosk.staff.sync_now().error is None  # registered, hall secret known, blocks
    return built


def bureau_tickets(url: URL, holder_key: str | None = None) -> list[tuple[str, str]]:
    """(kiosk_id, status) of the bureau's tickets in QUEUE (of one holder, if given)."""
    t = table_of(BureauTicket)
    engine = bureau_engine(url)
    try:
        with engine.connect() as connection:
            query = select(t.c.kiosk_id, t.c.status).where(t.c.queue == QUEUE)
            if holder_key is not None:
                query = query.where(t.c.holder_key == holder_key)
            return [(k, s) for k, s in connection.execute(query)]
    finally:
        engine.dispose()


def claim_count(url: URL) -> int:
    engine = bureau_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(TicketClaim)).scalar())
    finally:
        engine.dispose()


def test_two_kiosks_before_any_sync_issue_one_ticket(
    make_services: MakeServices, bureau_url: URL
) -> None:
    """Before: the bureau knew only synced tickets; both kiosks issued a number."""
    first, second = kiosks(make_services, bureau_url, 2)
    taken = take_ticket(first, QUEUE, id_number=id_number(7))
    assert taken.ticket is not None and not taken.reprint_offered
    again = take_ticket(second, QUEUE, id_number=id_number(7))  # no sync in between
    assert again.reprint_offered and again.ticket is not None
    assert again.ticket.id == taken.ticket.id and again.ticket.number == taken.ticket.number
    reprinted = second.tickets.reprint(again.ticket.id, id_number=again.id_tail)
    assert reprinted.printed is not None and reprinted.printed.accepted  # 补打 works here
    other = take_ticket(second, QUEUE, id_number=id_number(8))  # another person: a number
    assert other.ticket is not None and not other.reprint_offered
    assert other.ticket.number != taken.ticket.number
    for kiosk in (first, second):
        assert kiosk.staff.sync_now().error is None
        assert kiosk.store.outbox.quarantined() == []  # the adopted ticket is never resent
    assert sorted(k for k, _ in bureau_tickets(bureau_url)) == ["kiosk-00", "kiosk-01"]
    assert claim_count(bureau_url) == 2


def test_ten_kiosks_at_once_issue_one_ticket(make_services: MakeServices, bureau_url: URL) -> None:
    """Ten kiosks take a ticket for the same ID number at the same moment: one number."""
    hall = kiosks(make_services, bureau_url, 10)
    start = threading.Barrier(len(hall))
    results: list[TicketResult] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def visit(kiosk: KioskServices) -> None:
        try:
            start.wait(timeout=60)
            result = kiosk.tickets.take(QUEUE, id_number=id_number(3))
            with lock:
                results.append(result)
        except BaseException as exc:  # reported below, with the thread's own traceback
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=visit, args=(kiosk,)) for kiosk in hall]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and len(results) == len(hall)
    issued = [r for r in results if not r.reprint_offered]
    assert len(issued) == 1
    assert all(r.ticket is not None for r in results)
    assert {r.ticket.id for r in results if r.ticket is not None} == {issued[0].ticket.id}  # type: ignore[union-attr]
    for kiosk in hall:
        assert kiosk.staff.sync_now().error is None
    assert len(bureau_tickets(bureau_url)) == 1


def test_a_served_ticket_frees_the_claim(make_services: MakeServices, bureau_url: URL) -> None:
    """Once the bureau has called or served the ticket, the person may take a new one; that
    new one is claimed in turn (the first kiosk offers 补打 of it before it is synced)."""
    first, second = kiosks(make_services, bureau_url, 2)
    taken = take_ticket(first, QUEUE, id_number=id_number(5))
    assert taken.ticket is not None and not taken.reprint_offered
    assert take_ticket(second, QUEUE, id_number=id_number(5)).reprint_offered
    assert first.staff.sync_now().error is None
    gate = BureauGateway.connect(bureau_url)
    try:
        day = first.book.day(utcnow())
        called = gate.call_next(QUEUE, 1, day)
        assert called is not None and called.ticket_id == taken.ticket.id
        assert gate.call_next(QUEUE, 1, day) is None  # the window closes it: served
    finally:
        gate.dispose()
    assert [s for _, s in bureau_tickets(bureau_url)] == [TicketStatus.DONE.value]
    fresh = take_ticket(second, QUEUE, id_number=id_number(5))
    assert fresh.ticket is not None and not fresh.reprint_offered
    assert fresh.ticket.id != taken.ticket.id
    assert first.staff.sync_now().error is None  # pulls "served" for its own ticket
    back = take_ticket(first, QUEUE, id_number=id_number(5))  # not synced yet: claimed
    assert back.reprint_offered and back.ticket is not None and back.ticket.id == fresh.ticket.id
    assert claim_count(bureau_url) == 1


def test_bureau_unreachable_keeps_the_rule_per_kiosk(
    make_services: MakeServices, bureau_url: URL
) -> None:
    """The bureau goes away while the kiosk still counts itself online: the claim is skipped
    at once (the connection is refused), the ticket is issued, and the rule holds here."""
    (kiosk,) = kiosks(make_services, bureau_url, 1)
    assert kiosk.sync is not None and kiosk.sync.online
    kiosk.tickets.bureau = BureauGateway.connect(closed_port_url())
    started = time.monotonic()
    taken = take_ticket(kiosk, QUEUE, id_number=id_number(9))
    again = take_ticket(kiosk, QUEUE, id_number=id_number(9))
    assert time.monotonic() - started < 10
    assert taken.ticket is not None and not taken.reprint_offered
    assert again.reprint_offered and again.ticket is not None
    assert again.ticket.id == taken.ticket.id
    assert claim_count(bureau_url) == 0
    kiosk.tickets.bureau.dispose()


def remote(kiosk_id: str, seq: int, key: str = "k" * 64) -> RemoteTicket:
    from kiosk.codes import uuid7

    return RemoteTicket(
        id=uuid7(),
        queue=QUEUE,
        prefix="B",
        seq=seq,
        service_day=utcnow().date(),
        kiosk_id=kiosk_id,
        band="regular",
        priority=False,
        issued_at=utcnow(),
        holder_key=key,
    )


@pytest.fixture
def gateway(bureau_url: URL) -> Iterator[BureauGateway]:
    gate = BureauGateway.connect(bureau_url)
    yield gate
    gate.dispose()


def test_a_claim_never_synced_is_taken_over_after_the_grace(
    gateway: BureauGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kiosk claimed and never sent the ticket (it crashed before its commit): the claim
    holds for CLAIM_GRACE, then another kiosk takes it over."""
    a, b = remote("kiosk-a", 1), remote("kiosk-b", 101)
    assert gateway.claim_holder(a) is None
    assert gateway.claim_holder(a) is None  # the same ticket: still ours
    held = gateway.claim_holder(b)
    assert held is not None and (held.id, held.seq, held.kiosk_id) == (a.id, 1, "kiosk-a")
    assert gateway.claim_holder(remote("kiosk-c", 5, key="z" * 64)) is None  # another person
    monkeypatch.setattr(gateway_module, "CLAIM_GRACE", timedelta(0))
    assert gateway.claim_holder(b) is None
    monkeypatch.undo()  # b's claim is fresh: it holds
    held = gateway.claim_holder(a)
    assert held is not None and held.id == b.id
