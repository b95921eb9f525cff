"""Ticket numbering: daily reset, leased blocks, the fallback band, standalone numbering,
people ahead, calling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.engine import URL

from kiosk.codes import uuid7
from kiosk.numbering import (
    BAND_LEASE,
    BAND_STANDALONE,
    NoTicketNumber,
    QueueRef,
    estimate_wait,
    fallback_slice,
    service_day,
    ticket_number,
)
from kiosk.store.bureau_tables import BureauTicket, TicketLease
from kiosk.store.db import BureauUnavailable
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxEntry, Ticket, TicketBlock
from kiosk.store.ticket_book import TicketBook
from kiosk.sync import Syncer
from tests.store.conftest import QUEUE, make_draft

CHINA = timezone(timedelta(hours=8))
DEAD_BUREAU = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


def test_service_day_starts_at_the_reset_hour() -> None:
    at = datetime(2026, 3, 2, 1, 30, tzinfo=CHINA)
    assert service_day(at, 0, CHINA) == date(2026, 3, 2)
    assert service_day(at, 4, CHINA) == date(2026, 3, 1)  # before 04:00: still yesterday
    assert service_day(at.replace(hour=4), 4, CHINA) == date(2026, 3, 2)
    assert service_day(datetime(2026, 3, 1, 20, tzinfo=UTC), 0, CHINA) == date(2026, 3, 2)


def test_number_format_fallback_slices_and_wait() -> None:
    assert ticket_number("A", 7) == "A007"
    assert fallback_slice(0) == (900, 909)
    assert fallback_slice(9) == (990, 999)
    assert fallback_slice(10) is None and fallback_slice(None) is None
    assert estimate_wait(5, QueueRef("q", "B", minutes_per_visitor=8, windows=3)) == 14
    assert estimate_wait(0, QUEUE) == 0


def test_queue_ref_from_the_catalog(catalog: object) -> None:
    queue = next(iter(catalog.queues.values()))  # type: ignore[attr-defined]
    ref = QueueRef.of(queue)
    assert (ref.code, ref.prefix, ref.windows) == (queue.code, queue.prefix, len(queue.windows))


pytestmark_db = pytest.mark.db


@pytest.mark.db
def test_blocks_never_overlap_and_each_day_restarts(bureau: Engine) -> None:
    day1, day2 = date(2026, 3, 1), date(2026, 3, 2)
    lease_block = BureauGateway(bureau).lease_block
    a = lease_block("livelihood", day1, "kiosk-01", 20)
    b = lease_block("livelihood", day1, "kiosk-02", 20)
    c = lease_block("livelihood", day2, "kiosk-02", 20)
    assert a and b and c
    assert (a.first, a.last, b.first, b.last, c.first, c.last) == (1, 20, 21, 40, 1, 20)
    for _ in range(43):
        lease_block("livelihood", day1, "kiosk-03", 20)
    last = lease_block("livelihood", day1, "kiosk-03", 20)
    assert last is None  # 001–899 used up: only the fallback band is left
    with bureau.connect() as connection:
        top = connection.execute(
            select(func.max(TicketLease.last)).where(TicketLease.service_day == day1)
        ).scalar()
    assert top == 899


@pytest.mark.db
def test_kiosks_get_distinct_indexes(bureau: Engine) -> None:
    gateway = BureauGateway(bureau)
    assert [gateway.register_kiosk(k) for k in ("k-a", "k-b", "k-a", "k-c")] == [0, 1, 0, 2]


@pytest.mark.db
def test_block_leasing_across_an_offline_period(sqlite_store: LocalStore, bureau: Engine) -> None:
    store = sqlite_store
    book = TicketBook("kiosk-01", block_size=4)
    online = Syncer(store, BureauGateway(bureau), book=book, queues=[QUEUE])
    assert online.top_up() == 1  # kiosk index 0 and block 001–004
    numbers = [store.issue_ticket(QUEUE, book)[0].number for _ in range(2)]
    assert online.top_up() == 1  # half a block left: the next one (005–008) is leased ahead
    dead = BureauGateway.connect(DEAD_BUREAU)
    offline = Syncer(store, dead, book=book, queues=[QUEUE])
    for _ in range(4):
        numbers.append(store.issue_ticket(QUEUE, book)[0].number)
    with pytest.raises(BureauUnavailable):
        offline.top_up()  # two left: it tries to lease, and cannot
    with pytest.raises(BureauUnavailable):
        offline.push_once()
    # the other kiosk keeps leasing meanwhile
    other = online.bureau.lease_block(QUEUE.code, book.day(datetime.now(UTC)), "kiosk-02", 4)
    assert other is not None and (other.first, other.last) == (9, 12)
    # offline: the rest of the leased blocks, then this kiosk's fallback slice 900–909
    for _ in range(12):
        numbers.append(store.issue_ticket(QUEUE, book)[0].number)
    assert numbers == [f"B{n:03d}" for n in [*range(1, 9), *range(900, 910)]]
    receipt = store.submit(make_draft(), book)
    assert receipt.ticket is None and receipt.ticket_problem  # all used: sent to the desk
    # back online: a new block, after the other kiosk's
    assert online.top_up() == 1
    assert store.issue_ticket(QUEUE, book)[0].number == "B013"
    online.drain()
    with bureau.connect() as connection:
        in_bureau = connection.execute(
            select(BureauTicket.prefix, BureauTicket.seq).where(BureauTicket.kiosk_id == "kiosk-01")
        ).all()
    assert sorted(f"{p}{s:03d}" for p, s in in_bureau) == sorted([*numbers, "B013"])
    dead.dispose()


@pytest.mark.db
def test_people_ahead_online_and_no_guess_offline(sqlite_store: LocalStore, bureau: Engine) -> None:
    store = sqlite_store
    book = TicketBook("kiosk-01", block_size=10)
    syncer = Syncer(store, BureauGateway(bureau), book=book, queues=[QUEUE])
    syncer.top_up()
    other_store_ticket = syncer.bureau.lease_block(QUEUE.code, book.day(datetime.now(UTC)), "k2", 3)
    assert other_store_ticket is not None
    now = datetime.now(UTC)
    with bureau.begin() as connection:
        for seq in range(other_store_ticket.first, other_store_ticket.last + 1):
            connection.execute(
                BureauTicket.__table__.insert().values(
                    id=__import__("uuid").uuid4(),
                    queue=QUEUE.code,
                    prefix="B",
                    seq=seq,
                    service_day=book.day(now),
                    kiosk_id="k2",
                    band="lease",
                    priority=False,
                    issued_at=now,
                    received_at=now,
                    status="waiting",
                    status_changed_at=now,
                    payload_hash="x",
                )
            )
    syncer.pull()
    first = store.issue_ticket(QUEUE, book)[0]
    second = store.issue_ticket(QUEUE, book)[0]
    assert (first.people_ahead, first.wait_minutes) == (3, 8)  # 3 × 8 min over 3 windows
    assert second.people_ahead == 4  # counts the one just issued here
    later = datetime.now(UTC) + timedelta(minutes=5)  # no pull for 5 minutes: offline
    late = store.issue_ticket(QUEUE, book, now=later)[0]
    assert late.people_ahead is None and late.wait_minutes is None and late.offline


@pytest.mark.db
def test_call_next_serves_priority_then_issue_order(bureau: Engine) -> None:
    day = date(2026, 3, 1)
    base = datetime(2026, 3, 1, 1, tzinfo=UTC)
    rows = [(30, False, 0), (5, False, 1), (7, True, 2)]  # (seq, priority, minutes after base)
    with bureau.begin() as connection:
        for seq, priority, minutes in rows:
            connection.execute(
                BureauTicket.__table__.insert().values(
                    id=__import__("uuid").uuid4(),
                    queue="livelihood",
                    prefix="B",
                    seq=seq,
                    service_day=day,
                    kiosk_id="k",
                    band="lease",
                    priority=priority,
                    issued_at=base + timedelta(minutes=minutes),
                    received_at=base,
                    status="waiting",
                    status_changed_at=base,
                    payload_hash="x",
                )
            )
    calls = [BureauGateway(bureau).call_next("B", 3, day) for _ in range(4)]
    assert [c.number if c else None for c in calls] == ["B007", "B030", "B005", None]
    with bureau.connect() as connection:
        statuses = dict(connection.execute(select(BureauTicket.seq, BureauTicket.status)).all())
    assert statuses == {7: "done", 30: "done", 5: "done"}


@pytest.mark.db
def test_twenty_kiosk_processes_never_share_a_number(
    pg_bureau_url: URL, pg_bureau: Engine, tmp_path: Path
) -> None:
    worker = Path(__file__).with_name("ticket_worker.py")
    url = pg_bureau_url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(worker),
                url,
                str(tmp_path / f"k{i}.sqlite3"),
                f"kiosk-{i:02d}",
                "30",
                "5",
                "livelihood",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(20)
    ]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    for process in processes:  # all start together, so they contend for the counter row
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    issued: list[str] = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        issued += json.loads(out.strip().splitlines()[-1])
    duplicates = [n for n, times in Counter(issued).items() if times > 1]
    assert len(issued) == 600 and duplicates == []
    with pg_bureau.connect() as connection:
        assert connection.execute(select(func.count()).select_from(BureauTicket)).scalar() == 600


@pytest.mark.db
def test_tickets_printed_state_reaches_the_bureau(sqlite_store: LocalStore, bureau: Engine) -> None:
    book = TicketBook("kiosk-01", block_size=10)
    syncer = Syncer(sqlite_store, BureauGateway(bureau), book=book, queues=[QUEUE])
    syncer.top_up()
    ticket = sqlite_store.issue_ticket(QUEUE, book)[0]
    sqlite_store.mark_ticket_printed(ticket.id)
    syncer.drain()
    with bureau.connect() as connection:
        printed = connection.execute(
            select(BureauTicket.printed_at).where(BureauTicket.id == ticket.id)
        ).scalar()
    assert printed is not None
    # a "printed" event for a ticket the bureau does not have yet waits, it is not lost
    with bureau.begin() as connection:
        connection.execute(update(BureauTicket).values(printed_at=None))
        connection.execute(BureauTicket.__table__.delete())
    second = sqlite_store.issue_ticket(QUEUE, book)[0]
    with sqlite_store.sessions.begin() as session:
        session.execute(
            update(OutboxEntry).where(OutboxEntry.entity_id == second.id).values(state="synced")
        )
    sqlite_store.mark_ticket_printed(second.id)
    result = syncer.push_once()
    assert result.deferred == 1 and sqlite_store.outbox.backlog() == 1


@pytest.mark.db
def test_top_up_skips_the_local_store_while_plenty_is_left(
    sqlite_store: LocalStore, bureau: Engine
) -> None:
    """The sync worker tops up after every commit; with numbers to spare it costs nothing."""
    from sqlalchemy import event

    store = sqlite_store
    book = TicketBook("kiosk-01", block_size=10)
    syncer = Syncer(store, BureauGateway(bureau), book=book, queues=[QUEUE])
    assert syncer.top_up() == 1  # 001–010
    begins: list[object] = []

    def began(connection: object) -> None:
        begins.append(connection)

    event.listen(store.engine, "begin", began)
    try:
        for _ in range(4):  # 6 left > half a block
            store.issue_ticket(QUEUE, book)
        issued = len(begins)
        assert syncer.top_up() == 0
        assert len(begins) == issued, "no local transaction while plenty is left"
        store.issue_ticket(QUEUE, book)  # 5 left: half a block
        assert syncer.top_up() == 1  # 011–020 leased ahead
    finally:
        event.remove(store.engine, "begin", began)
    numbers = [store.issue_ticket(QUEUE, book)[0].number for _ in range(10)]
    assert numbers == [f"B{n:03d}" for n in range(6, 16)]


# ── standalone: no bureau database, the kiosk numbers tickets itself ──
INVEST = QueueRef("invest", "A")


def numbers_of(store: LocalStore) -> list[tuple[str, str, str]]:
    """(service day, number, band) of every local ticket, in issue order."""
    with store.sessions() as session:
        rows = session.execute(
            select(Ticket.service_day, Ticket.prefix, Ticket.seq, Ticket.band).order_by(
                Ticket.issued_at, Ticket.seq
            )
        ).all()
    return [(str(day), ticket_number(prefix, seq), band) for day, prefix, seq, band in rows]


@pytest.mark.db
def test_standalone_numbers_each_queue_and_service_day_from_001(store: LocalStore) -> None:
    book = TicketBook("kiosk-01", reset_hour=4, tz=CHINA, standalone=True)
    morning = datetime(2026, 3, 2, 9, tzinfo=CHINA)
    for minutes, queue in enumerate([QUEUE, QUEUE, INVEST, QUEUE]):
        store.issue_ticket(queue, book, now=morning + timedelta(minutes=minutes))
    night = datetime(2026, 3, 3, 2, tzinfo=CHINA)  # before 04:00: still 2 March
    store.issue_ticket(QUEUE, book, now=night)
    next_day = datetime(2026, 3, 3, 8, tzinfo=CHINA)
    store.issue_ticket(QUEUE, book, now=next_day)
    store.issue_ticket(INVEST, book, now=next_day + timedelta(minutes=1))
    local = BAND_STANDALONE
    assert numbers_of(store) == [
        ("2026-03-02", "B001", local),
        ("2026-03-02", "B002", local),
        ("2026-03-02", "A001", local),
        ("2026-03-02", "B003", local),
        ("2026-03-02", "B004", local),
        ("2026-03-03", "B001", local),
        ("2026-03-03", "A001", local),
    ]
    with store.sessions() as session:
        blocks = session.execute(
            select(TicketBlock.queue, TicketBlock.service_day, TicketBlock.first, TicketBlock.last)
        ).all()
    assert sorted((q, str(d), f, last) for q, d, f, last in blocks) == [
        ("invest", "2026-03-02", 1, 999),
        ("invest", "2026-03-03", 1, 999),
        ("livelihood", "2026-03-02", 1, 999),
        ("livelihood", "2026-03-03", 1, 999),
    ], "one local block per queue and day, covering 001–999"


@pytest.mark.db
def test_standalone_never_asks_a_bureau(sqlite_store: LocalStore) -> None:
    book = TicketBook("kiosk-01", block_size=10, standalone=True)
    dead = BureauGateway.connect(DEAD_BUREAU)
    try:
        assert Syncer(sqlite_store, dead, book=book, queues=[QUEUE]).top_up() == 0
    finally:
        dead.dispose()
    assert sqlite_store.issue_ticket(QUEUE, book)[0].number == "B001"


@pytest.mark.db
def test_a_leased_book_without_blocks_still_has_no_number(
    store: LocalStore, book: TicketBook
) -> None:
    assert not book.standalone
    with pytest.raises(NoTicketNumber, match="until the bureau database is reachable again"):
        store.issue_ticket(QUEUE, book)
    assert numbers_of(store) == []
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(TicketBlock)) == 0


@pytest.mark.db
def test_standalone_runs_out_after_999_until_the_next_service_day(store: LocalStore) -> None:
    book = TicketBook("kiosk-01", standalone=True, tz=CHINA)
    today = datetime(2026, 3, 2, 9, tzinfo=CHINA)
    with store.sessions.begin() as session:  # the hot path, 999 times in one transaction
        seqs = [book.issue(session, QUEUE, now=today).seq for _ in range(999)]
    assert seqs == list(range(1, 1000))
    with pytest.raises(NoTicketNumber) as refused:
        store.issue_ticket(QUEUE, book, now=today)
    message = str(refused.value)
    assert "livelihood" in message and "B999" in message and "2026-03-02" in message
    assert "bureau_url" in message and "next service day" in message
    assert store.issue_ticket(INVEST, book, now=today)[0].number == "A001", "per queue"
    tomorrow = today + timedelta(days=1)
    assert store.issue_ticket(QUEUE, book, now=tomorrow)[0].number == "B001"


@pytest.mark.db
def test_standalone_after_a_restart_without_the_bureau_continues_past_leased_numbers(
    store: LocalStore,
) -> None:
    """The kiosk leased and issued 001–010 today, then restarted with no bureau_url."""
    now = datetime(2026, 3, 2, 9, tzinfo=CHINA)
    leased = TicketBook("kiosk-01", tz=CHINA)
    with store.sessions.begin() as session:
        session.add(
            TicketBlock(
                id=uuid7(),
                queue=QUEUE.code,
                service_day=leased.day(now),
                band=BAND_LEASE,
                first=1,
                last=10,
                next=1,
            )
        )
    for _ in range(10):
        store.issue_ticket(QUEUE, leased, now=now)
    standalone = TicketBook("kiosk-01", tz=CHINA, standalone=True)
    assert store.issue_ticket(QUEUE, standalone, now=now)[0].number == "B011"
    assert store.issue_ticket(INVEST, standalone, now=now)[0].number == "A001"
