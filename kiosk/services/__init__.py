"""The kiosk's services: small concrete classes the window calls, plain Python, no Qt.

Composed by the composition root (``kiosk.app.build_services``) over Settings, the
Catalog, the LocalStore and the TicketBook, plus the bureau gateway and the SyncWorker
when a bureau database is configured, and handed to the window as one
:class:`KioskServices` record.  Every method is a plain synchronous call that may
block on a database or a printer: the window runs it in its background helper, with
frozen data only (a :class:`~kiosk.submission.SubmissionDraft`, a code), never on
the GUI thread.  Nothing here speaks (voice is the window's job).

The order of things for a visitor: durable first (one local transaction) and the
receipt; then the papers, as a second call; the sync worker sends it on.  A printer
that does not take a document never loses what was stored: the result says so in
calm zh/en words and staff reprint by the submission code.  Local-store trouble is
:class:`ServiceUnavailable` carrying a message; the bureau being unreachable is a
flag on the answer, never an error.

- ``submissions``: submit a draft → the receipt; print its ticket and forms; preview them
- ``tickets``: 取号 → a ticket; print its slip; 补打 of a ticket held
- ``ratings``: 好差评; ``status``: 办件查询
- ``staff_desk``: 呼叫导服, sync, printers, today, 补打 by code, catalog reload, audit
- ``printers``: every paper (job recorded, printed behind a circuit breaker, settled)
- ``hall``: the catalog in force and the hall's name, shared by those that need them
- ``forms``: a case's forms rebuilt from what was entered (preview, print, 补打 alike)
- ``results`` / ``messages``: what they answer and raise; the zh/en sentences;
  ``today`` / ``quarantine_review``: the staff panel's figures and quarantined rows

No SQL here: the store's repositories and the bureau gateway (kiosk.store) run it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.config import Settings
from kiosk.services.hall import Hall
from kiosk.services.messages import (
    BAD_RATING_REASONS,
    BUREAU_DOWN,
    FORMS_CATALOG_CHANGED,
    FORMS_PURGED,
    LAST_KNOWN,
    NO_BUREAU,
    NO_TICKET_NUMBER,
    NOT_FOUND_OFFLINE,
    PRINT_BUG,
    REASONS_NEEDED,
    STATUS_TEXT,
    STORE_DOWN,
    UNKNOWN_CODE,
    UNSTORABLE_TEXT,
)
from kiosk.services.printers import Printers
from kiosk.services.ratings import Ratings
from kiosk.services.results import (
    BadRating,
    CatalogReload,
    DayFigures,
    Difference,
    KnownError,
    PrintOutcome,
    QuarantineView,
    RatingIncomplete,
    ReprintResult,
    SavedRating,
    ServiceUnavailable,
    StatusAnswer,
    SubmissionPrints,
    Submitted,
    SyncNowResult,
    SyncPanel,
    Tally,
    TicketResult,
    UnstorableInput,
)
from kiosk.services.staff_desk import TICKET_NUMBER, StaffDesk
from kiosk.services.status import StatusQuery
from kiosk.services.submissions import Submissions
from kiosk.services.tickets import Tickets
from kiosk.statuses import BAD_LEVELS, Satisfaction, SubmissionStatus
from kiosk.store.db import StoreUnavailable
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.repositories import HelpRequestView, TicketView
from kiosk.store.ticket_book import TicketBook
from kiosk.store.types import utcnow
from kiosk.sync import SyncWorker

log = logging.getLogger(__name__)

__all__ = [
    "BAD_LEVELS",
    "BAD_RATING_REASONS",
    "BUREAU_DOWN",
    "FORMS_CATALOG_CHANGED",
    "FORMS_PURGED",
    "LAST_KNOWN",
    "NOT_FOUND_OFFLINE",
    "NO_BUREAU",
    "NO_TICKET_NUMBER",
    "PRINT_BUG",
    "REASONS_NEEDED",
    "STATUS_TEXT",
    "STORE_DOWN",
    "TICKET_NUMBER",
    "UNKNOWN_CODE",
    "UNSTORABLE_TEXT",
    "BadRating",
    "CatalogReload",
    "DayFigures",
    "Difference",
    "Hall",
    "HelpRequestView",
    "KioskServices",
    "KnownError",
    "PrintOutcome",
    "Printers",
    "QuarantineView",
    "RatingIncomplete",
    "Ratings",
    "ReprintResult",
    "Satisfaction",
    "SavedRating",
    "ServiceUnavailable",
    "StaffDesk",
    "StatusAnswer",
    "StatusQuery",
    "SubmissionPrints",
    "SubmissionStatus",
    "Submissions",
    "Submitted",
    "SyncNowResult",
    "SyncPanel",
    "Tally",
    "TicketResult",
    "TicketView",
    "Tickets",
    "UnstorableInput",
]


@dataclass(frozen=True)
class KioskServices:
    """One kiosk's services and the parts under them, as the composition root built them.

    Each service is safe to call from several background threads at once: the store
    serialises its writes, the catalog is swapped whole, and "sync now" takes the sync
    worker's lock.  :meth:`start` and :meth:`close` run the parts' lifecycle.
    """

    settings: Settings
    store: LocalStore
    book: TicketBook
    hall: Hall
    printers: Printers
    submissions: Submissions
    tickets: Tickets
    ratings: Ratings
    status: StatusQuery
    staff: StaffDesk
    bureau: BureauGateway | None = None
    sync: SyncWorker | None = None

    def start(self) -> None:
        """Start the background sync (if a bureau database is configured); it runs the
        retention purge too.  Without a bureau the purge runs once here (printed files and
        past days' holder keys: nothing is ever confirmed, so no submission is purged)."""
        if self.sync is not None:
            self.sync.purge_files = self.printers.purge_printed
            self.sync.start()
            return
        try:
            self.store.purge(self.settings.retention_days, today=self.book.day(utcnow()))
        except StoreUnavailable as exc:
            log.error("retention purge skipped: %s", exc)
        self.printers.purge_printed()

    def close(self) -> None:
        """Stop syncing and release the databases and printers; unusable afterwards."""
        if self.sync is not None:
            self.sync.stop()
        if self.bureau is not None:
            self.bureau.dispose()
        self.printers.close()
        self.store.close()
