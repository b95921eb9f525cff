"""The kiosk's services: what the window asks of the store, the printers and the bureau.

:class:`KioskServices` is built by the composition root (``kiosk.app.build_services``)
from Settings, the Catalog, the LocalStore and the TicketBook, plus the bureau
gateway and the SyncWorker when a bureau database is configured.  Every method is
a plain synchronous call that may block on a database or a printer: the window
runs it in its background helper, never on the GUI thread.  Nothing here speaks
(voice is the window's job) and nothing imports Qt.

The order of things for a visitor: durable first (one local transaction), then
print, and the sync worker sends it on.  A printer that does not take a document
never loses what was stored: the result says so in calm zh/en words and staff
can reprint by the submission code.  Environment problems with the local store
surface as :class:`ServiceUnavailable` carrying a message; the bureau being
unreachable is a flag on the answer, never an error.

This package owns :class:`KioskServices` (composed here) and re-exports its
whole public API; its modules each own one part:

- ``messages``: the zh/en sentences (problems, statuses, bad-rating reasons)
- ``results``: the frozen result dataclasses and the known errors
- ``parts``: the kiosk's parts, store errors, printing and ticket slips (and 补打 of a ticket)
- ``visitor``: submit, 取号, the 一次性告知书, 好差评, 办件查询, 呼叫导服
- ``staff_desk``: sync, printers, today, 补打 by code, help requests, catalog reload, audit
- ``today``: today's figures with the catalog's names; ``reprints``: a submission's forms
  rebuilt for 补打; ``quarantine_review``: quarantined rows beside the bureau's copy

No SQL here: the store's repositories and the bureau gateway (kiosk.store) run it.
"""

from __future__ import annotations

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
    SubmitResult,
    SyncNowResult,
    SyncPanel,
    Tally,
    TicketResult,
    UnstorableInput,
)
from kiosk.services.staff_desk import TICKET_NUMBER, StaffServices
from kiosk.services.visitor import VisitorServices
from kiosk.statuses import BAD_LEVELS, Satisfaction, SubmissionStatus
from kiosk.store.repositories import HelpRequestView, TicketView

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
    "HelpRequestView",
    "KioskServices",
    "KnownError",
    "PrintOutcome",
    "QuarantineView",
    "RatingIncomplete",
    "ReprintResult",
    "Satisfaction",
    "SavedRating",
    "ServiceUnavailable",
    "StatusAnswer",
    "SubmissionStatus",
    "SubmitResult",
    "SyncNowResult",
    "SyncPanel",
    "Tally",
    "TicketResult",
    "TicketView",
    "UnstorableInput",
]


class KioskServices(VisitorServices, StaffServices):
    """What one kiosk offers its window: submit, 取号, print, rate, query, help, staff tools.

    Safe to call from several background threads at once: the store serialises its
    writes, the catalog is swapped whole, and "sync now" takes the sync worker's lock.
    """
