"""The kiosk's printers as a service: render, record the print job, print, settle — never raise.

Every paper the kiosk prints goes through :meth:`Printers.print`: a job row is
recorded, the document rendered and sent to its printer (behind a circuit breaker
per printer, kiosk.printing.breaker), and the job settled as accepted or failed.  A
ticket counts as issued only once its printer took it.  Printer trouble comes back
as a refused :class:`PrintResult` with a calm zh/en message; a bug while rendering
is logged with its traceback and reported as not printed, because whoever asked has
already stored what matters and must still answer the visitor.

Calls block for as long as a printer takes (a CUPS job is followed up to the
printer's ``timeout_s``): the window runs them in the background, after the receipt.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace

from kiosk.config import DOCUMENT_KINDS, Settings
from kiosk.consult import MaterialsNotice
from kiosk.kinds import DocumentKind, PrinterBackend
from kiosk.message import Message
from kiosk.printing.breaker import PrinterSet
from kiosk.printing.documents import notice_document, ticket_document
from kiosk.printing.printers import Document, PrinterState, PrinterStatus, PrintResult
from kiosk.printing.slip import TicketSlip
from kiosk.services.forms import EnteredCase, forms_document
from kiosk.services.hall import Hall
from kiosk.services.messages import PRINT_BUG
from kiosk.services.results import PrintOutcome
from kiosk.store.db import StoreUnavailable
from kiosk.store.local import LocalStore
from kiosk.store.repositories import TicketView
from kiosk.store.retention import purge_printed
from kiosk.store.types import utcnow

log = logging.getLogger(__name__)


class Printers:
    def __init__(self, settings: Settings, store: LocalStore, hall: Hall):
        self.settings = settings
        self.store = store
        self.hall = hall
        # One circuit breaker per printer: a dead printer costs one visitor, not each.
        self.breakers = PrinterSet(settings)

    # ── what the visitor's papers are ──
    def ticket(
        self,
        ticket: TicketView,
        code: str | None,
        tail: str | None,
        *,
        reprint: bool = False,
        trial: bool = False,
    ) -> PrintOutcome:
        """A ticket slip; once the printer took it the ticket counts as issued (and the
        bureau is told so).  ``trial`` sends even to a printer marked down (staff)."""
        return self.print(
            DocumentKind.TICKET,
            lambda: self._ticket_document(ticket, code, tail),
            ticket.id,
            reprint=reprint,
            trial=trial,
        )

    def forms(
        self,
        case: EnteredCase,
        code: str,
        submission_id: uuid.UUID,
        *,
        reprint: bool = False,
        trial: bool = False,
    ) -> PrintOutcome | Message:
        """A submission's pre-filled forms, each with the QR code of ``code``; the Message
        says why they cannot be made (purged, catalog changed), and nothing is printed."""
        make = forms_document(self.hall.catalog, case, code, self.settings.status_url)
        if isinstance(make, Message):
            return make
        return self.print(DocumentKind.FORM, make, submission_id, reprint=reprint, trial=trial)

    def notice(self, notice: MaterialsNotice, *, code: str | None = None) -> PrintResult:
        """The materials list (一次性告知), printed in Chinese: an official document."""
        catalog = self.hall.catalog
        status_url = self.settings.status_url
        outcome = self.print(
            DocumentKind.NOTICE,
            lambda: notice_document(catalog, notice, code=code, status_url=status_url),
            None,
        )
        log.info("notice printed for %s: %s", notice.item_codes, outcome.accepted)
        return outcome.result

    def test_page(self, kind: DocumentKind) -> PrintResult:
        """A test page on the printer of one document kind, tried even while it is down."""
        kind = DocumentKind(kind)  # ValueError: not a kind the kiosk prints
        return self.print(kind, lambda: self._test_document(kind), None, trial=True).result

    def status(self) -> dict[str, PrinterStatus]:
        """Ready / offline / out of paper / error, per document kind; a printer marked down
        (``down_since``) answers from memory while its recovery probe runs."""
        return self.breakers.status()

    def purge_printed(self) -> int:
        """Printed PDFs older than the retention period, in every pdf-folder printer's folder."""
        folders = [
            printer.folder
            for printer in (self.settings.printer(kind) for kind in DOCUMENT_KINDS)
            if printer.backend == PrinterBackend.PDF_FOLDER and printer.folder is not None
        ]
        return purge_printed(folders, self.settings.retention_days)

    def close(self) -> None:
        self.breakers.close()

    # ── every paper ──
    def print(
        self,
        kind: DocumentKind,
        make: Callable[[], Document],
        subject_id: uuid.UUID | None,
        *,
        reprint: bool = False,
        trial: bool = False,
    ) -> PrintOutcome:
        """Record a print job, render, print, settle the job; never raises."""
        job_id = self._record_job(kind, subject_id, reprint)
        try:
            document = make()
            result = self.breakers.print(document, trial=trial)
        except Exception as exc:  # a bug (render or backend): logged, the visitor still answered
            log.exception("printing a %s failed", kind)
            result = PrintResult(False, PrinterState.ERROR, PRINT_BUG, None, repr(exc)[:500])
        self._settle_job(job_id, kind, subject_id, result)
        return PrintOutcome(kind, result, job_id)

    def _printer_name(self, kind: DocumentKind) -> str:
        printer = self.settings.printer(kind)
        return f"{printer.backend}:{printer.target}"[:128]

    def _record_job(
        self, kind: DocumentKind, subject_id: uuid.UUID | None, reprint: bool
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
        self,
        job_id: uuid.UUID | None,
        kind: DocumentKind,
        subject_id: uuid.UUID | None,
        result: PrintResult,
    ) -> None:
        try:
            with self.store.guard():
                if result.accepted and kind is DocumentKind.TICKET and subject_id is not None:
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
        queue = self.hall.catalog.queues.get(ticket.queue)
        slip = TicketSlip(
            hall_name=self.hall.name(),
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

    def _test_document(self, kind: DocumentKind) -> Document:
        slip = TicketSlip(
            hall_name=self.hall.name(),
            number="TEST",
            queue_name=f"打印测试页 Printer test page ({kind})",
            windows=tuple(range(1, self.hall.catalog.meta.windows + 1)),
            issued_at=utcnow(),
            people_ahead=0,
        )
        document = ticket_document(slip)
        if kind is DocumentKind.TICKET:
            return replace(document, name="test-page-ticket")
        return replace(document, kind=kind, name=f"test-page-{kind}", media="A4")
