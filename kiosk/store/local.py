"""The kiosk's local store: one SQLite file (or any SQLAlchemy URL), migrated at open.

``LocalStore`` holds the engine and the repositories and, after every commit
that added outbox rows, tells its listeners (the sync worker) that there is
something new to send.  Local trouble becomes :class:`StoreUnavailable` with
what happened and what to do — a damaged file, a full disk, a folder the kiosk
cannot write — and the last such problem stays readable (``problem``) for the
staff panel until a write succeeds again.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.numbering import QueueRef
from kiosk.store.day_counts import DayCountsReader
from kiosk.store.db import StoreUnavailable, checkpoint, local_engine, migrate
from kiosk.store.gateway import HolderClaim, RemoteTicket
from kiosk.store.outbox import OUTBOX_ADDED, Outbox
from kiosk.store.repositories import (
    AuditLog,
    HelpRequestRepository,
    KioskFacts,
    PrintJobRepository,
    RatingRepository,
    Receipt,
    SubmissionRepository,
    TicketRepository,
    TicketView,
)
from kiosk.store.ticket_book import TicketBook
from kiosk.submission import SubmissionDraft

if TYPE_CHECKING:
    from kiosk.config import Settings

log = logging.getLogger(__name__)

_DAMAGED = ("not a database", "malformed", "corrupt", "disk image")
_UNWRITABLE = ("readonly", "read-only", "unable to open", "permission", "disk i/o")


def store_problem(exc: DatabaseError | OSError, where: str) -> StoreUnavailable:
    """What a local database error means for the people at the kiosk."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    lowered = detail.lower()
    if any(word in lowered for word in _DAMAGED):
        return StoreUnavailable(
            f"the kiosk's local store {where} is damaged ({detail})",
            f"Stop the kiosk, move {where} and its -wal / -shm files aside for the bureau's IT "
            "(submissions not yet sent to the bureau are in them), then start the kiosk: it "
            "makes a new empty store",
        )
    if "full" in lowered:
        return StoreUnavailable(
            f"the disk holding the kiosk's local store {where} is full ({detail})",
            "Free disk space on the kiosk, then try again",
        )
    if any(word in lowered for word in _UNWRITABLE) or isinstance(exc, OSError):
        return StoreUnavailable(
            f"the kiosk cannot write its local store {where} ({detail})",
            "Give the kiosk's user write access to the data folder (or set data_dir in "
            "kiosk.toml to a folder it owns) and start the kiosk again",
        )
    return StoreUnavailable(
        f"the kiosk's local store {where} cannot be used ({detail})",
        "Restart the kiosk; if this stays, call the bureau's IT",
    )


def _check_pages(engine: Engine) -> None:
    """A damaged file shows at start, with what to do, not at some visitor's submit.

    ``quick_check`` reads every page once (tens of milliseconds for a month of visits).
    """
    with engine.connect() as connection:
        verdict = connection.exec_driver_sql("PRAGMA quick_check(1)").scalar()
        connection.rollback()
    if verdict != "ok":
        raise DatabaseError("PRAGMA quick_check", None, Exception(f"malformed: {verdict}"))


class LocalStore:
    def __init__(self, engine: Engine, kiosk_id: str):
        self.engine = engine
        self.kiosk_id = kiosk_id
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self.submissions = SubmissionRepository(self.sessions, kiosk_id)
        self.tickets = TicketRepository(self.sessions)
        self.ratings = RatingRepository(self.sessions, kiosk_id)
        self.print_jobs = PrintJobRepository(self.sessions)
        self.audit = AuditLog(self.sessions)
        self.outbox = Outbox(self.sessions)
        self.help_requests = HelpRequestRepository(self.sessions, kiosk_id)
        self.day_counts = DayCountsReader(self.sessions)
        self.facts = KioskFacts(self.sessions)
        self.problem: StoreUnavailable | None = None  # the last one, until a write succeeds
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        event.listen(self.sessions, "after_commit", self._after_commit)

    @classmethod
    def open(cls, url: str, kiosk_id: str, *, upgrade: bool = True) -> LocalStore:
        """Open (and by default migrate) the store at ``url``; StoreUnavailable if it cannot
        be (a damaged file, a folder the kiosk cannot write)."""
        engine = local_engine(url)  # StoreUnavailable: the folder cannot be made or written
        try:
            if upgrade:
                migrate(engine, "local")
            if engine.dialect.name == "sqlite":
                _check_pages(engine)
        except StoreUnavailable as exc:
            engine.dispose()
            cause = exc.__cause__
            if isinstance(cause, DatabaseError):
                raise store_problem(cause, engine.url.database or str(engine.url)) from cause
            raise
        except (DatabaseError, OSError) as exc:
            engine.dispose()
            raise store_problem(exc, engine.url.database or str(engine.url)) from exc
        return cls(engine, kiosk_id)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalStore:
        return cls.open(settings.local_url, settings.kiosk_id)

    def close(self) -> None:
        if event.contains(self.sessions, "after_commit", self._after_commit):
            event.remove(self.sessions, "after_commit", self._after_commit)
        self.engine.dispose()

    @property
    def path(self) -> Path | None:
        database = self.engine.url.database
        return Path(database) if self.engine.dialect.name == "sqlite" and database else None

    # ── trouble, in words ──
    @contextmanager
    def guard(self) -> Iterator[None]:
        """Local database and file errors become StoreUnavailable (and ``problem``)."""
        try:
            yield
        except StoreUnavailable as exc:
            self.problem = exc
            raise
        except (DatabaseError, OSError) as exc:
            problem = store_problem(exc, str(self.path or self.engine.url))
            log.error("local store unavailable: %s", problem)
            self.problem = problem
            raise problem from exc
        else:
            self.problem = None

    # ── change notification (the sync worker wakes up at once) ──
    def add_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(OUTBOX_ADDED, False):
            with self._lock:
                listeners = list(self._listeners)
            for listener in listeners:
                listener()

    # ── the visitor's actions ──
    def submit(
        self,
        draft: SubmissionDraft,
        book: TicketBook,
        now: datetime | None = None,
        *,
        held: RemoteTicket | None = None,
        claim: HolderClaim | None = None,
    ) -> Receipt:
        """Store the submission, its ticket and outbox rows in one transaction."""
        with self.guard():
            return self.submissions.submit(draft, book, now, held=held, claim=claim)

    def issue_ticket(
        self,
        queue: QueueRef,
        book: TicketBook,
        *,
        holder_id: str | None = None,
        priority: bool = False,
        now: datetime | None = None,
        held: RemoteTicket | None = None,
        claim: HolderClaim | None = None,
    ) -> tuple[TicketView, bool]:
        with self.guard():
            return self.tickets.issue(
                queue,
                book,
                holder_id=holder_id,
                priority=priority,
                now=now,
                held=held,
                claim=claim,
            )

    def holder_key(self, book: TicketBook, id_number: str | None) -> str | None:
        """The key the store files this ID number's tickets under (HMAC, hall secret)."""
        if not id_number:
            return None
        with self.guard(), self.sessions.begin() as session:
            return book.holder_key(session, id_number)

    def mark_ticket_printed(self, ticket_id: uuid.UUID, job_id: uuid.UUID | None = None) -> None:
        """The printer accepted the ticket's job: record it (and the job, if given)."""
        with self.guard():
            if job_id is not None:
                self.print_jobs.accepted(job_id)
            else:
                self.tickets.mark_printed(ticket_id)

    def reprint_ticket(self, ticket_id: uuid.UUID, actor: str = "staff") -> TicketView:
        """Staff reprint (补打): audited; the caller prints and records the job as a reprint."""
        with self.guard():
            ticket = self.tickets.get(ticket_id)
            if ticket is None:
                raise KeyError(ticket_id)
            self.audit.record(actor, "reprint_ticket", str(ticket_id), number=ticket.number)
        return ticket

    def purge(
        self, retention_days: int, now: datetime | None = None, today: date | None = None
    ) -> int:
        """The retention purge (see SubmissionRepository.purge_synced), then a WAL
        checkpoint so no purged page is left in ``-wal``."""
        with self.guard():
            purged = self.submissions.purge_synced(retention_days, now, today)
            checkpoint(self.engine)
        return purged
