"""The local store on SQLite and PostgreSQL: one-transaction submit, tickets, ratings, prints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from kiosk.codes import uuid7
from kiosk.numbering import BAND_LEASE, QueueRef
from kiosk.statuses import Satisfaction, TicketStatus
from kiosk.store.db import local_engine
from kiosk.store.local import LocalStore
from kiosk.store.models import (
    AuditEvent,
    OutboxEntry,
    OutboxKind,
    Submission,
    Ticket,
    TicketBlock,
)
from kiosk.store.repositories import RatingInvalid
from kiosk.store.ticket_book import TicketBook
from tests.store.conftest import QUEUE, make_draft

pytestmark = pytest.mark.db

HOLDER = "11010119900307451X"


def give_block(store: LocalStore, book: TicketBook, first: int = 1, last: int = 10) -> None:
    now = datetime.now(UTC)
    with store.sessions.begin() as session:
        session.add(
            TicketBlock(
                id=uuid7(),
                queue=QUEUE.code,
                service_day=book.day(now),
                band=BAND_LEASE,
                first=first,
                last=last,
                next=first,
            )
        )


def count(store: LocalStore, model: type) -> int:
    with store.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_submit_writes_submission_ticket_and_outbox_together(
    store: LocalStore, book: TicketBook
) -> None:
    give_block(store, book)
    receipt = store.submit(make_draft(HOLDER), book)
    assert receipt.ticket is not None and receipt.ticket.number == "B001"
    assert receipt.ticket.offline and receipt.ticket.wait_minutes is None
    with store.sessions() as session:
        submission = session.get(Submission, receipt.submission_id)
        assert submission is not None
        assert submission.code == receipt.code
        assert submission.ticket_id == receipt.ticket.id
        assert submission.fields == {"MS-YB-001": {"name": {"value": "张三", "source": "citizen"}}}
        assert submission.created_at.tzinfo is not None
        kinds = sorted(session.scalars(select(OutboxEntry.kind)))
    assert kinds == [OutboxKind.SUBMISSION.value, OutboxKind.TICKET.value]


def test_a_failing_submit_leaves_nothing_behind(store: LocalStore, book: TicketBook) -> None:
    give_block(store, book)
    broken = make_draft(HOLDER, answers={"x": object()})  # cannot be stored as JSON
    with pytest.raises((TypeError, StatementError)):
        store.submit(broken, book)
    assert count(store, Submission) == count(store, Ticket) == count(store, OutboxEntry) == 0
    # the number was not consumed either: the next ticket is still B001
    assert store.submit(make_draft(HOLDER), book).ticket.number == "B001"  # type: ignore[union-attr]


def test_submission_is_durable_once_submit_returns(store: LocalStore, book: TicketBook) -> None:
    give_block(store, book)
    receipt = store.submit(make_draft(), book)
    fresh = local_engine(store.engine.url)  # a new connection sees it: it was committed
    with fresh.connect() as connection:
        found = connection.execute(
            select(Submission.code).where(Submission.id == receipt.submission_id)
        ).scalar()
    fresh.dispose()
    assert found == receipt.code


def test_timestamps_are_utc_aware_and_naive_ones_are_refused(store: LocalStore) -> None:
    store.audit.record("staff", "test")
    with store.sessions() as session:
        event = session.scalars(select(AuditEvent)).one()
    assert event.at.utcoffset() == timedelta(0)
    with pytest.raises(StatementError, match="naive datetime"), store.sessions.begin() as session:
        session.add(AuditEvent(id=uuid7(), at=datetime(2026, 1, 1), actor="x", action="y"))


def test_second_request_for_the_same_holder_offers_a_reprint(
    store: LocalStore, book: TicketBook
) -> None:
    give_block(store, book)
    first = store.submit(make_draft(HOLDER), book)
    again = store.submit(make_draft(HOLDER.lower()), book)
    assert again.reprint and again.ticket == first.ticket
    assert count(store, Ticket) == 1
    other_person = store.submit(make_draft("110101199003070019"), book)
    assert not other_person.reprint and other_person.ticket.number == "B002"  # type: ignore[union-attr]
    other_queue = QueueRef("business", "C")
    book_c = TicketBook("kiosk-01", block_size=10)
    with store.sessions.begin() as session:
        session.add(
            TicketBlock(
                id=uuid7(),
                queue="business",
                service_day=book.day(datetime.now(UTC)),
                band=BAND_LEASE,
                first=1,
                last=5,
                next=1,
            )
        )
    elsewhere = store.submit(make_draft(HOLDER, queue=other_queue), book_c)
    assert not elsewhere.reprint and elsewhere.ticket.number == "C001"  # type: ignore[union-attr]
    # once the first ticket is done, the holder gets a new number
    store.tickets.apply_statuses([(first.ticket.id, TicketStatus.DONE.value, 3, None, None)])  # type: ignore[union-attr]
    assert store.submit(make_draft(HOLDER), book).ticket.number == "B003"  # type: ignore[union-attr]


def test_ticket_without_a_submission(store: LocalStore, book: TicketBook) -> None:
    give_block(store, book)
    ticket, reprint = store.issue_ticket(QUEUE, book, holder_id=HOLDER)
    assert (ticket.number, reprint) == ("B001", False)
    assert store.issue_ticket(QUEUE, book, holder_id=HOLDER) == (ticket, True)


def test_no_number_left_still_saves_the_submission(store: LocalStore, book: TicketBook) -> None:
    receipt = store.submit(make_draft(HOLDER), book)  # no block, no kiosk index yet
    assert receipt.ticket is None and receipt.ticket_problem
    assert count(store, Submission) == 1


def test_ratings_need_reasons_for_the_two_lowest_levels(
    store: LocalStore, book: TicketBook
) -> None:
    give_block(store, book)
    receipt = store.submit(make_draft(), book)
    for level in (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED):
        with pytest.raises(RatingInvalid):
            store.ratings.rate(level, submission_id=receipt.submission_id, reasons=[" "])
    with pytest.raises(RatingInvalid):
        store.ratings.rate(Satisfaction.SATISFIED)
    store.ratings.rate(Satisfaction.BASICALLY_SATISFIED, submission_id=receipt.submission_id)
    store.ratings.rate(
        Satisfaction.VERY_DISSATISFIED,
        ticket_id=receipt.ticket.id,
        reasons=["等候时间长"],  # type: ignore[union-attr]
    )
    with store.sessions() as session:
        assert (
            session.scalar(select(func.count()).where(OutboxEntry.kind == OutboxKind.RATING.value))
            == 2
        )


def test_ticket_counts_as_printed_only_when_the_printer_accepted_it(
    store: LocalStore, book: TicketBook
) -> None:
    give_block(store, book)
    ticket = store.submit(make_draft(), book).ticket
    assert ticket is not None
    failed = store.print_jobs.record("ticket", ticket.id, "pdf-folder")
    store.print_jobs.failed(failed, "out of paper")
    assert not store.tickets.get(ticket.id).printed  # type: ignore[union-attr]
    assert store.print_jobs.failed_jobs() == [(failed, "ticket", "out of paper")]
    job = store.print_jobs.record("ticket", ticket.id, "pdf-folder", reprint=True)
    store.mark_ticket_printed(ticket.id, job)
    assert store.tickets.get(ticket.id).printed  # type: ignore[union-attr]
    store.mark_ticket_printed(ticket.id)  # a second print does not add a second event
    with store.sessions() as session:
        assert (
            session.scalar(
                select(func.count()).where(OutboxEntry.kind == OutboxKind.TICKET_PRINTED.value)
            )
            == 1
        )


def test_staff_reprint_is_audited(store: LocalStore, book: TicketBook) -> None:
    give_block(store, book)
    ticket = store.submit(make_draft(), book).ticket
    assert ticket is not None
    assert store.reprint_ticket(ticket.id).number == "B001"
    assert [e.action for e in store.audit.recent()] == ["reprint_ticket"]


def test_status_query_by_code(store: LocalStore, book: TicketBook) -> None:
    give_block(store, book)
    receipt = store.submit(make_draft(), book)
    view = store.submissions.status(receipt.code)
    assert view is not None and (view.status, view.ticket_number) == ("received", "B001")
    store.submissions.apply_statuses([(receipt.submission_id, "ready", datetime.now(UTC))])
    assert store.submissions.status(receipt.code).status == "ready"  # type: ignore[union-attr]
    assert store.submissions.status("ZZZZZZZZZZ") is None


def test_retention_purge_forgets_personal_data_after_confirmed_sync(
    store: LocalStore, book: TicketBook
) -> None:
    give_block(store, book)
    old = store.submit(make_draft(HOLDER), book)
    unsynced = store.submit(make_draft("110101199003070019"), book)
    recent = store.submit(make_draft("110101199003070035"), book)
    store.ratings.rate(Satisfaction.SATISFIED, submission_id=old.submission_id, comment="王五 好")
    now = datetime.now(UTC)
    with store.sessions.begin() as session:
        for entry in session.scalars(select(OutboxEntry)):
            if entry.entity_id in (old.submission_id, old.ticket.id) or entry.kind == "rating":  # type: ignore[union-attr]
                entry.state, entry.synced_at = "synced", now - timedelta(days=31)
            elif entry.entity_id == recent.submission_id:
                entry.state, entry.synced_at = "synced", now - timedelta(days=1)
    assert store.purge(retention_days=30, now=now) == 1
    with store.sessions() as session:
        purged = session.get(Submission, old.submission_id)
        assert purged is not None and purged.fields is None and purged.answers is None
        assert purged.notice is None and purged.purged_at is not None
        assert session.get(Ticket, old.ticket.id).holder_key is None  # type: ignore[union-attr]
        assert session.get(Submission, unsynced.submission_id).fields is not None  # type: ignore[union-attr]
        assert session.get(Submission, recent.submission_id).fields is not None  # type: ignore[union-attr]
        payloads = session.execute(
            select(OutboxEntry.entity_id, OutboxEntry.payload).where(
                OutboxEntry.entity_id == old.submission_id
            )
        ).all()
        assert [p for _, p in payloads] == [None]
    (event,) = store.audit.recent(action="retention_purge")
    assert event.actor == "system" and event.detail["submissions"] == 1
    assert event.detail["codes"] == [old.code] and event.detail["rating_comments"] == 1
    assert store.purge(retention_days=30, now=now) == 0  # nothing left: no second audit event
    assert len(store.audit.recent(action="retention_purge")) == 1


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(sqlite_store: LocalStore) -> None:
    with sqlite_store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        # what the retention purge frees is overwritten on disk, whatever SQLite's build
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_each_sqlite_connection_caches_at_most_half_a_megabyte(sqlite_store: LocalStore) -> None:
    """SQLite's default (2 MB on each of the pool's connections) fills as the store grows:
    a kiosk's memory would creep up over its weeks for a cache it hardly needs."""
    with sqlite_store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA cache_size")).scalar() == -512  # KiB
