"""Sync to the bureau: idempotent resend, quarantine, statuses back, reconciliation, the worker."""

from __future__ import annotations

import random
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.engine import URL

from kiosk.app import main as kiosk_main
from kiosk.statuses import Satisfaction
from kiosk.store.bureau_tables import BureauRating, BureauSubmission, BureauTicket
from kiosk.store.db import BureauUnavailable, bureau_engine
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxEntry, OutboxState, Submission
from kiosk.store.ticket_book import TicketBook
from kiosk.sync import Syncer, SyncWorker, reconcile
from tests.store.conftest import QUEUE, make_draft

pytestmark = pytest.mark.db


def bureau_count(bureau: Engine, table: type = BureauSubmission) -> int:
    with bureau.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)


def online(store: LocalStore, bureau: Engine, **kwargs: object) -> tuple[Syncer, TicketBook]:
    book = TicketBook(store.kiosk_id, block_size=50)
    syncer = Syncer(store, BureauGateway(bureau), book=book, queues=[QUEUE], **kwargs)  # type: ignore[arg-type]
    syncer.top_up()
    return syncer, book


def resend_everything(store: LocalStore) -> None:
    with store.sessions.begin() as session:
        session.execute(update(OutboxEntry).values(state=OutboxState.PENDING.value))


def test_everything_arrives_once_in_batches(store: LocalStore, bureau: Engine) -> None:
    syncer, book = online(store, bureau, batch_size=7)
    receipts = [store.submit(make_draft(f"ID{i}"), book) for i in range(20)]
    store.ratings.rate(Satisfaction.SATISFIED, submission_id=receipts[0].submission_id)
    assert syncer.drain() == 41
    assert (bureau_count(bureau), bureau_count(bureau, BureauTicket)) == (20, 20)
    assert bureau_count(bureau, BureauRating) == 1
    assert store.outbox.backlog() == 0
    with bureau.connect() as connection:
        row = connection.execute(
            select(BureauSubmission).where(BureauSubmission.id == receipts[3].submission_id)
        ).one()
    assert row.code == receipts[3].code and row.status == "received"
    assert row.fields == make_draft().fields and row.created_at.tzinfo is not None


def test_resending_the_same_rows_is_a_no_op(store: LocalStore, bureau: Engine) -> None:
    syncer, book = online(store, bureau)
    for i in range(5):
        store.submit(make_draft(f"ID{i}"), book)
    first = syncer.push_once()
    assert (first.inserted, first.duplicates) == (10, 0)
    resend_everything(store)  # as if the kiosk died after the bureau commit
    again = syncer.push_once()
    assert (again.sent, again.inserted, again.duplicates, again.quarantined) == (10, 0, 10, 0)
    assert bureau_count(bureau) == 5 and store.outbox.backlog() == 0


def test_a_kiosk_killed_between_bureau_commit_and_local_mark_resends_safely(
    store: LocalStore, bureau: Engine
) -> None:
    syncer, book = online(store, bureau)
    store.submit(make_draft(), book)
    items = store.outbox.claim(100)  # marked "sending"…
    syncer.bureau.push(items)  # …committed in the bureau, and then the kiosk "dies"
    assert store.outbox.backlog() == 2  # still owed: "synced" only after the bureau commit
    result = syncer.push_once()
    assert (result.duplicates, result.inserted) == (2, 0) and store.outbox.backlog() == 0


def test_same_id_with_different_content_is_quarantined_not_overwritten(
    store: LocalStore, bureau: Engine
) -> None:
    syncer, book = online(store, bureau)
    receipt = store.submit(make_draft(), book)
    syncer.drain()
    with bureau.begin() as connection:
        connection.execute(
            update(BureauSubmission)
            .where(BureauSubmission.id == receipt.submission_id)
            .values(payload_hash="0" * 64, target_code="SOMETHING-ELSE")
        )
    resend_everything(store)
    result = syncer.push_once()
    assert (result.quarantined, result.duplicates) == (1, 1)
    (item,) = store.outbox.quarantined()
    assert item.entity_id == receipt.submission_id and "different content" in item.reason
    with bureau.connect() as connection:
        kept = connection.execute(
            select(BureauSubmission.target_code).where(BureauSubmission.id == receipt.submission_id)
        ).scalar()
    assert kept == "SOMETHING-ELSE"  # the bureau's row is untouched
    assert store.outbox.backlog() == 0  # and the quarantined row is not retried forever
    assert [e.action for e in store.audit.recent()] == ["quarantine"]


def test_a_row_refused_by_another_unique_key_is_quarantined_alone(
    store: LocalStore, bureau: Engine
) -> None:
    syncer, book = online(store, bureau)
    receipts = [store.submit(make_draft(f"ID{i}"), book) for i in range(3)]
    with bureau.begin() as connection:  # another kiosk's submission already has this code
        connection.execute(
            BureauSubmission.__table__.insert().values(
                id=uuid.uuid4(),
                code=receipts[1].code,
                kiosk_id="kiosk-99",
                target_kind="item",
                target_code="X",
                item_codes=[],
                catalog_version="v",
                language="zh",
                priority=False,
                answers={},
                fields={},
                notice={},
                service_day=datetime.now(UTC).date(),
                created_at=datetime.now(UTC),
                received_at=datetime.now(UTC),
                status="received",
                status_changed_at=datetime.now(UTC),
                payload_hash="x",
            )
        )
    result = syncer.push_once()
    assert result.quarantined == 1 and result.inserted == 5
    (item,) = store.outbox.quarantined()
    assert item.entity_id == receipts[1].submission_id


def test_statuses_come_back_for_the_status_query(
    store: LocalStore, bureau: Engine, bureau_url: URL
) -> None:
    syncer, book = online(store, bureau)
    receipt = store.submit(make_draft(), book)
    syncer.drain()
    url = bureau_url.render_as_string(hide_password=False)
    assert kiosk_main(["bureau", "set-status", receipt.code.lower(), "ready", "--bureau", url]) == 0
    assert kiosk_main(["bureau", "call-next", "livelihood", "--window", "4", "--bureau", url]) == 0
    assert syncer.pull() == (1, 1)
    assert store.submissions.status(receipt.code).status == "ready"  # type: ignore[union-attr]
    ticket = store.tickets.get(receipt.ticket.id)  # type: ignore[union-attr]
    assert ticket is not None and (ticket.status, ticket.window) == ("called", 4)
    assert syncer.pull() == (0, 0)  # nothing new the second time
    status = BureauGateway(bureau).lookup_status(receipt.code)
    assert status is not None and status[0] == "ready"
    assert kiosk_main(["bureau", "set-status", "ZZZZZZZZZZ", "ready", "--bureau", url]) == 2


def test_reconciliation_finds_a_deleted_bureau_row_and_requeues_it(
    store: LocalStore, bureau: Engine
) -> None:
    syncer, book = online(store, bureau)
    receipts = [store.submit(make_draft(f"ID{i}"), book) for i in range(4)]
    syncer.drain()
    with bureau.begin() as connection:
        connection.execute(
            delete(BureauSubmission).where(BureauSubmission.id == receipts[2].submission_id)
        )
    report = reconcile(store, BureauGateway(bureau))
    assert report.missing_in_bureau == (receipts[2].submission_id,)
    assert (report.local, report.bureau, report.requeued) == (4, 3, 1)
    assert store.outbox.backlog() == 1
    syncer.drain()
    assert bureau_count(bureau) == 4
    clean = reconcile(store, BureauGateway(bureau), book.day(datetime.now(UTC)))
    assert clean.missing_in_bureau == () and clean.requeued == 0


def test_reconcile_command(
    sqlite_store: LocalStore, bureau_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'kiosk_id = "kiosk-01"\ndata_dir = "{tmp_path}"\n', encoding="utf-8")
    store = LocalStore.open(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", "kiosk-01")
    bureau = bureau_engine(bureau_url)
    _syncer, book = online(store, bureau)
    store.submit(make_draft(), book)
    url = bureau_url.render_as_string(hide_password=False)
    assert kiosk_main(["sync", "reconcile", "--config", str(config), "--bureau", url]) == 0
    out = capsys.readouterr().out
    assert "1 here, 0 in the bureau" in out and "still in the outbox: 2" in out
    assert kiosk_main(["db", "upgrade", "--bureau", url]) == 0
    assert "already up to date" in capsys.readouterr().out
    dead = "postgresql+psycopg://postgres@127.0.0.1:1/x"
    assert kiosk_main(["sync", "reconcile", "--config", str(config), "--bureau", dead]) == 2
    assert "bureau database" in capsys.readouterr().err
    store.close()
    bureau.dispose()


def test_unreachable_bureau_is_a_known_error_and_keeps_the_rows(store: LocalStore) -> None:
    dead = BureauGateway.connect("postgresql+psycopg://postgres@127.0.0.1:1/x")
    book = TicketBook("kiosk-01")
    store.submit(make_draft(), book)
    with pytest.raises(BureauUnavailable):
        Syncer(store, dead).push_once()
    assert store.outbox.backlog() == 1
    with store.sessions() as session:
        entry = session.scalars(select(OutboxEntry)).one()
    assert entry.state == "pending" and entry.attempts == 1 and entry.last_error
    dead.dispose()


def test_backoff_grows_exponentially_with_jitter(sqlite_store: LocalStore) -> None:
    dead = BureauGateway.connect("postgresql+psycopg://postgres@127.0.0.1:1/x")
    worker = SyncWorker(
        Syncer(sqlite_store, dead), backoff_base_s=1, backoff_max_s=30, rng=random.Random(4)
    )
    for failures, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (6, 30), (20, 30)]:
        delays = {worker.backoff(failures) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 40
    dead.dispose()


def test_worker_state_is_observable(sqlite_store: LocalStore, bureau: Engine) -> None:
    syncer, book = online(sqlite_store, bureau)
    changed = threading.Event()
    worker = SyncWorker(syncer, idle_s=5, backoff_base_s=0.05, backoff_max_s=0.2)
    worker.on_change = changed.set
    assert worker.state().running is False and worker.state().backlog == 0
    sqlite_store.submit(make_draft(), book)
    assert worker.state().backlog == 2
    worker.start()
    try:
        sqlite_store.submit(make_draft("X"), book)  # wakes the worker at once
        assert changed.wait(60)
        deadline = datetime.now(UTC).timestamp() + 60
        while worker.state().backlog and datetime.now(UTC).timestamp() < deadline:
            changed.clear()
            changed.wait(0.5)
        state = worker.state()
        assert state.running and state.online and state.backlog == 0
        assert state.last_success is not None and state.failures == 0 and state.quarantined == ()
    finally:
        worker.stop()
    assert not worker.state().running
    assert bureau_count(bureau) == 2


def test_worker_survives_killed_connections(store: LocalStore, pg_bureau: Engine) -> None:
    """A database restart looks like this to the kiosk: every connection dropped at once."""
    syncer, book = online(store, pg_bureau)
    store.submit(make_draft(), book)
    syncer.drain()
    with pg_bureau.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        connection.commit()
    store.submit(make_draft("Y"), book)
    syncer.drain()  # pre-ping notices the dead pooled connection and reconnects
    assert bureau_count(pg_bureau) == 2


def test_worker_purges_personal_data_once_the_bureau_has_it(
    sqlite_store: LocalStore, bureau: Engine
) -> None:
    """Retention runs in the worker (at start, then hourly), only after confirmed sync."""
    syncer, book = online(sqlite_store, bureau)
    changed = threading.Event()
    worker = SyncWorker(syncer, idle_s=5, retention_days=0)
    worker.on_change = changed.set
    receipt = sqlite_store.submit(make_draft(), book)
    worker.start()
    try:
        deadline = datetime.now(UTC).timestamp() + 60
        while datetime.now(UTC).timestamp() < deadline:
            changed.clear()
            if sqlite_store.audit.recent(action="retention_purge"):
                break
            worker.wake()
            changed.wait(0.5)
    finally:
        worker.stop()
    with sqlite_store.sessions() as session:
        kept = session.get(Submission, receipt.submission_id)
        assert kept is not None and kept.fields is None and kept.purged_at is not None
    assert bureau_count(bureau) == 1, "the bureau keeps it"
