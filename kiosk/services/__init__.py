"""The kiosk's services: what the window asks of the store, the printers and the bureau.

:class:`KioskServices` is built by the composition root (``kiosk.app.build_services``)
from Settings, the Catalog, the LocalStore and the TicketBook, plus the bureau
engine and the SyncWorker when a bureau database is configured.  Every method is
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
- ``core``: the shared parts, store errors, printing and ticket slips (and 补打 of a ticket)
- ``visitor``: submit, 取号, the 一次性告知书, 好差评, 办件查询, 呼叫导服
- ``staff``: sync, printers, today, 补打 by code, help requests, catalog reload, audit
- ``records``, ``figures``, ``quarantine``: what staff and visitor read back from the store
"""

from __future__ import annotations

from kiosk.services.figures import BAD_LEVELS
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
)
from kiosk.services.staff import TICKET_NUMBER, StaffServices
from kiosk.services.visitor import VisitorServices

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
    "BadRating",
    "CatalogReload",
    "DayFigures",
    "Difference",
    "KioskServices",
    "KnownError",
    "PrintOutcome",
    "QuarantineView",
    "RatingIncomplete",
    "ReprintResult",
    "SavedRating",
    "ServiceUnavailable",
    "StatusAnswer",
    "SubmitResult",
    "SyncNowResult",
    "SyncPanel",
    "Tally",
    "TicketResult",
]


class KioskServices(VisitorServices, StaffServices):
    """What one kiosk offers its window: submit, 取号, print, rate, query, help, staff tools.

    Safe to call from several background threads at once: the store serialises its
    writes, the catalog is swapped whole, and "sync now" takes a lock.
    """
