"""The kiosk's local store: one SQLite file (or any SQLAlchemy URL), migrated at open.

``LocalStore`` holds the engine and the repositories and tells listeners
(the sync worker) after a commit that there is something new to send.  Local
I/O failures (disk full, unreadable file) become :class:`StoreUnavailable`.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.queue import QueueRef, TicketBook
from kiosk.store.db import StoreUnavailable, local_engine, migrate
from kiosk.store.drafts import SubmissionDraft
from kiosk.store.repositories import (
    AuditLog,
    HelpRequestRepository,
    Outbox,
    PrintJobRepository,
    RatingRepository,
    Receipt,
    SubmissionRepository,
    TicketRepository,
    TicketView,
)

if TYPE_CHECKING:
    from kiosk.config import Settings

log = logging.getLogger(__name__)


@contextmanager
def _local_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise StoreUnavailable(f"the kiosk's local store cannot be written: {exc.orig}") from exc


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
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls, url: str, kiosk_id: str, *, upgrade: bool = True) -> LocalStore:
        """Open (and by default migrate) the store at ``url``."""
        engine = local_engine(url)
        if upgrade:
            with _local_errors():
                migrate(engine, "local")
        return cls(engine, kiosk_id)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalStore:
        return cls.open(settings.local_url, settings.kiosk_id)

    def close(self) -> None:
        self.engine.dispose()

    # ── change notification (the sync worker wakes up at once) ──
    def add_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _changed(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    # ── the visitor's actions ──
    def submit(
        self, draft: SubmissionDraft, book: TicketBook, now: datetime | None = None
    ) -> Receipt:
        """Store the submission, its ticket and outbox rows in one transaction."""
        with _local_errors():
            receipt = self.submissions.submit(draft, book, now)
        self._changed()
        return receipt

    def issue_ticket(
        self,
        queue: QueueRef,
        book: TicketBook,
        *,
        holder_id: str | None = None,
        priority: bool = False,
        now: datetime | None = None,
    ) -> tuple[TicketView, bool]:
        with _local_errors():
            result = self.tickets.issue(
                queue, book, holder_id=holder_id, priority=priority, now=now
            )
        self._changed()
        return result

    def mark_ticket_printed(self, ticket_id: uuid.UUID, job_id: uuid.UUID | None = None) -> None:
        """The printer accepted the ticket's job: record it (and the job, if given)."""
        with _local_errors():
            if job_id is not None:
                self.print_jobs.accepted(job_id)
            else:
                self.tickets.mark_printed(ticket_id)
        self._changed()

    def reprint_ticket(self, ticket_id: uuid.UUID, actor: str = "staff") -> TicketView:
        """Staff reprint (补打): audited; the caller prints and records the job as a reprint."""
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            raise KeyError(ticket_id)
        self.audit.record(actor, "reprint_ticket", str(ticket_id), number=ticket.number)
        return ticket

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        with _local_errors():
            return self.submissions.purge_synced(retention_days, now)
