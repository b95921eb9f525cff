"""The kiosk's parts, and what every service does with them: store errors and printing.

:class:`KioskCore` holds the settings, the catalog in force, the local store,
the ticket book and (when configured) the bureau gateway and sync worker, and
starts and closes them.  Visitor and staff services build on it for three
things: turning local-store trouble into :class:`ServiceUnavailable`, printing
a document with its print job recorded and settled (never raising), and ticket
slips — including 补打 of a ticket already held, which both the visitor (an
offer accepted) and staff ask for.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from kiosk.catalog import Catalog
from kiosk.config import DOCUMENT_KINDS, Settings
from kiosk.printing.breaker import PrinterSet
from kiosk.printing.documents import ticket_document
from kiosk.printing.printers import Document, PrinterState, PrintResult
from kiosk.printing.slip import TicketSlip, id_tail
from kiosk.services.messages import PRINT_BUG, STORE_DOWN
from kiosk.services.results import PrintOutcome, ServiceUnavailable, TicketResult
from kiosk.store.db import StoreUnavailable
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.repositories import SubmissionRecord, TicketView
from kiosk.store.retention import purge_printed
from kiosk.store.ticket_book import TicketBook
from kiosk.store.types import utcnow
from kiosk.sync import SyncWorker

log = logging.getLogger(__name__)


class KioskCore:
    """The parts of one kiosk and the plumbing its services share."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        store: LocalStore,
        book: TicketBook,
        *,
        bureau: BureauGateway | None = None,
        sync: SyncWorker | None = None,
    ):
        self.settings = settings
        self.store = store
        self.book = book
        self.bureau = bureau
        self.sync = sync
        self._catalog = catalog
        # One circuit breaker per printer: a dead printer costs one visitor, not each.
        self.printers = PrinterSet(settings)

    @property
    def catalog(self) -> Catalog:
        """The catalog in force (replaced by a successful :meth:`reload_catalog`)."""
        return self._catalog

    # ── lifecycle ──
    def start(self) -> None:
        """Start the background sync (if a bureau database is configured); it runs the
        retention purge too.  Without a bureau the purge runs once here (printed files and
        past days' holder keys: nothing is ever confirmed, so no submission is purged)."""
        if self.sync is not None:
            self.sync.purge_files = self.purge_printed
            self.sync.start()
            return
        try:
            self.store.purge(self.settings.retention_days, today=self.book.day(utcnow()))
        except StoreUnavailable as exc:
            log.error("retention purge skipped: %s", exc)
        self.purge_printed()

    def purge_printed(self) -> int:
        """Printed PDFs older than the retention period, in every pdf-folder printer's folder."""
        folders = [
            printer.folder
            for printer in (self.settings.printer(kind) for kind in DOCUMENT_KINDS)
            if printer.backend == "pdf-folder" and printer.folder is not None
        ]
        return purge_printed(folders, self.settings.retention_days)

    def close(self) -> None:
        """Stop syncing and release the databases; the object is unusable afterwards."""
        if self.sync is not None:
            self.sync.stop()
        if self.bureau is not None:
            self.bureau.dispose()
        self.printers.close()
        self.store.close()

    # ── 补打 of a held ticket ──
    def reprint_ticket(
        self,
        ticket_id: uuid.UUID,
        *,
        submission_code: str | None = None,
        id_number: str | None = None,
        actor: str = "visitor",
    ) -> TicketResult:
        """补打 of a ticket already held (the visitor accepted the offer, or staff asked).

        ``id_number`` may be the full number or just its last four characters.
        """
        with self._store_errors():
            ticket = self.store.reprint_ticket(ticket_id, actor)  # audited; KeyError if unknown
        # Staff reprint after fixing the printer: tried even while it is marked down.
        trial = actor != "visitor"
        tail = id_tail(id_number)
        return self._print_ticket(ticket, submission_code, tail, reprint=True, trial=trial)

    # ── internals: the local store ──
    @contextmanager
    def _store_errors(self) -> Iterator[None]:
        try:
            with self.store.guard():
                yield
        except StoreUnavailable as exc:
            log.error("local store unavailable: %s", exc)
            raise ServiceUnavailable(STORE_DOWN, str(exc)[:500]) from exc

    def _submission_record(self, code: str) -> SubmissionRecord | None:
        with self._store_errors():
            return self.store.submissions.record(code)

    # ── internals: printing ──
    def _print(
        self,
        make: Callable[[], Document],
        subject_id: uuid.UUID | None,
        kind: str,
        *,
        reprint: bool = False,
        trial: bool = False,
    ) -> PrintOutcome:
        """Render, record a print job, print, settle the job; never raises.

        ``trial`` sends even to a printer marked down (a staff test page or reprint).

        Printer trouble comes back from the backend as a refused PrintResult.  A bug
        while rendering is logged with its traceback and reported as not printed:
        the caller has already stored what matters and must still answer the visitor.
        """
        job_id = self._record_job(kind, subject_id, reprint)
        try:
            document = make()
            result = self.printers.print(document, trial=trial)
        except Exception as exc:  # a bug (render or backend): logged, the visitor still answered
            log.exception("printing a %s failed", kind)
            result = PrintResult(False, PrinterState.ERROR, PRINT_BUG, None, repr(exc)[:500])
        self._settle_job(job_id, kind, subject_id, result)
        return PrintOutcome(kind, result, job_id)

    def _print_ticket(
        self,
        ticket: TicketView,
        code: str | None,
        tail: str | None,
        *,
        reprint: bool = False,
        trial: bool = False,
    ) -> TicketResult:
        """Print a ticket slip; the ticket comes back as issued once the printer took it."""
        printed = self._print(
            lambda: self._ticket_document(ticket, code, tail),
            ticket.id,
            "ticket",
            reprint=reprint,
            trial=trial,
        )
        issued = replace(ticket, printed=ticket.printed or printed.accepted)
        return TicketResult(issued, printed=printed, id_tail=tail)

    def _printer_name(self, kind: str) -> str:
        printer = self.settings.printer(kind)
        return f"{printer.backend}:{printer.target}"[:128]

    def _record_job(
        self, kind: str, subject_id: uuid.UUID | None, reprint: bool
    ) -> uuid.UUID | None:
        try:
            with self.store.guard():
                return self.store.print_jobs.record(
                    kind, subject_id, self._printer_name(kind), reprint=reprint
                )
        except StoreUnavailable as exc:
            # Printing matters more to the visitor in front of the kiosk than the job row.
            log.warning("print job for %s not recorded: %s", kind, exc)
            return None

    def _settle_job(
        self, job_id: uuid.UUID | None, kind: str, subject_id: uuid.UUID | None, result: PrintResult
    ) -> None:
        try:
            with self.store.guard():
                if result.accepted and kind == "ticket" and subject_id is not None:
                    # The ticket counts as issued now (and the bureau is told so).
                    self.store.mark_ticket_printed(subject_id, job_id)
                elif job_id is None:
                    return
                elif result.accepted:
                    self.store.print_jobs.accepted(job_id)
                else:
                    self.store.print_jobs.failed(job_id, result.detail or str(result.state))
        except StoreUnavailable as exc:
            log.warning("print job %s (%s) not settled: %s", job_id, kind, exc)

    def _ticket_document(self, ticket: TicketView, code: str | None, tail: str | None) -> Document:
        catalog = self.catalog
        queue = catalog.queues.get(ticket.queue)
        slip = TicketSlip(
            hall_name=self.catalog.hall_name(self.settings.hall_name),
            number=ticket.number,
            queue_name=queue.name.zh if queue is not None else ticket.queue,
            windows=tuple(queue.windows) if queue is not None else (),
            issued_at=ticket.issued_at,
            people_ahead=ticket.people_ahead,
            wait_minutes=ticket.wait_minutes,
            priority=ticket.priority,
            standalone=ticket.standalone,
            submission_code=code,
            id_tail=tail,
        )
        return ticket_document(slip, self.settings.status_url)
