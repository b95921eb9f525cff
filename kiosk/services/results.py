"""What the services answer and raise: frozen result dataclasses and the known errors.

Every public method of the services (kiosk.services) returns one of these (or a
store view), so the window can show it without asking anything else.
:class:`KnownError` and its subclasses carry a calm zh/en :class:`Message`;
:func:`store_errors` turns the local store's trouble into :class:`ServiceUnavailable`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.catalog import Catalog
from kiosk.catalog.model import Text
from kiosk.codes import format_code
from kiosk.kinds import DocumentKind
from kiosk.message import Message
from kiosk.printing.printers import PrintResult
from kiosk.services.messages import PRINT_BUG, STORE_DOWN
from kiosk.statuses import Satisfaction, SubmissionStatus
from kiosk.store.db import StoreUnavailable
from kiosk.store.local import LocalStore
from kiosk.store.outbox import QuarantinedItem
from kiosk.store.repositories import HelpRequestView, RatingInvalid, Receipt, TicketView
from kiosk.submission import SubmissionDraft

log = logging.getLogger(__name__)

# ── errors ──────────────────────────────────────────────────────────────────


class KnownError(Exception):
    """A problem the visitor or staff can be told about calmly; ``message`` says it in zh/en."""

    def __init__(self, message: Message, detail: str = ""):
        self.message = message
        self.detail = detail
        super().__init__(detail or message.en)


class ServiceUnavailable(KnownError):
    """The kiosk's local store cannot be written or read (disk full, file locked).

    Nothing was saved by the call that raised it; the visitor keeps what they typed.
    """


class UnstorableInput(KnownError):
    """What the visitor typed has text the store cannot keep; nothing was saved, and the
    visitor keeps what they typed to correct it."""


class RatingIncomplete(KnownError, RatingInvalid):
    """The visitor must complete the rating (a reason for the two lowest levels, a valid code)."""


@contextmanager
def store_errors(store: LocalStore) -> Iterator[None]:
    """The local store's trouble (disk full, file locked) as :class:`ServiceUnavailable`."""
    try:
        with store.guard():
            yield
    except StoreUnavailable as exc:
        log.error("local store unavailable: %s", exc)
        raise ServiceUnavailable(STORE_DOWN, str(exc)[:500]) from exc


# ── results ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PrintOutcome:
    """One document sent to its printer, and the print job recorded for it."""

    document: DocumentKind
    result: PrintResult
    job_id: uuid.UUID | None  # the PrintJob row; None if the store could not record it

    @property
    def accepted(self) -> bool:
        return self.result.accepted

    @property
    def message(self) -> Message | None:
        """The printer's calm reason when it did not take the document."""
        return None if self.result.accepted else (self.result.message or PRINT_BUG)


@dataclass(frozen=True)
class Submitted:
    """After "submit": the submission is durable (the receipt comes from the commit).

    Nothing is printed yet: :meth:`kiosk.services.submissions.Submissions.print` sends the
    ticket and the forms afterwards, as a second operation, from the same draft.
    """

    receipt: Receipt
    draft: SubmissionDraft
    id_tail: str | None = None  # last 4 characters of the holder's ID, for the ticket slip

    @property
    def code(self) -> str:
        return self.receipt.code

    @property
    def display_code(self) -> str:
        """The code as printed and shown: two groups of five (``K7QXM-3P9RT``)."""
        return format_code(self.receipt.code)

    @property
    def ticket(self) -> TicketView | None:
        return self.receipt.ticket

    @property
    def reprint_offered(self) -> bool:
        """The holder already had a waiting ticket in this queue: offer 补打, no new number."""
        return self.receipt.reprint

    @property
    def ticket_to_print(self) -> bool:
        """A new ticket came with the submission: it is printed (a held one is offered 补打)."""
        return self.receipt.ticket is not None and not self.receipt.reprint

    @property
    def message(self) -> Message | None:
        """The calm sentence when no ticket number could be given; None otherwise."""
        if self.receipt.ticket is not None:
            return None
        code = self.display_code
        return Message(
            f"申请已保存，编号 {code}。本机暂时无法取号，请凭编号到导服台取号。",
            f"Your application is saved (code {code}); no ticket number is available here "
            "right now: show the code at the guide desk for a ticket.",
        )


@dataclass(frozen=True)
class SubmissionPrints:
    """What the printers did with a submission's papers: the ticket first, then the forms."""

    ticket: TicketView | None  # as issued: ``printed`` once the printer took it
    ticket_print: PrintOutcome | None  # None: no new ticket to print
    forms_print: PrintOutcome | None  # None: the forms could not be made (``problem`` says why)
    problem: Message | None = None

    @property
    def printed_all(self) -> bool:
        ticket_ok = self.ticket_print is None or self.ticket_print.accepted
        return ticket_ok and self.forms_print is not None and self.forms_print.accepted


@dataclass(frozen=True)
class TicketResult:
    """取号 (or 补打): the ticket, and whether it printed."""

    ticket: TicketView | None  # None: no number could be given (``problem`` says why)
    reprint_offered: bool = False  # the ID already holds this waiting ticket: nothing printed
    printed: PrintOutcome | None = None
    problem: Message | None = None
    id_tail: str | None = None

    @property
    def message(self) -> Message | None:
        if self.problem is not None:
            return self.problem
        return self.printed.message if self.printed is not None else None


@dataclass(frozen=True)
class SavedRating:
    id: uuid.UUID
    level: Satisfaction
    reasons: tuple[str, ...]
    submission_id: uuid.UUID | None
    ticket_id: uuid.UUID | None


@dataclass(frozen=True)
class StatusAnswer:
    """办件查询: the status of one submission, and how sure the kiosk is of it."""

    code: str  # normalised when valid, else as typed
    found: bool
    status: SubmissionStatus | None = None
    status_text: Message | None = None
    changed_at: datetime | None = None
    target_code: str | None = None  # the item or bundle (known when submitted at this kiosk)
    ticket_number: str | None = None
    from_bureau: bool = False  # straight from the bureau database (any kiosk's submission)
    bureau_unreachable: bool = False  # the bureau could not be asked: last status seen here
    message: Message | None = None  # a calm sentence for the screen, when there is one

    @property
    def display_code(self) -> str:
        return format_code(self.code)


@dataclass(frozen=True)
class Difference:
    """One value that differs between what this kiosk holds and what the bureau has."""

    field: str  # dotted path into the payload, e.g. "fields.MS-YB-001.child_name.value"
    kiosk: Any
    bureau: Any


@dataclass(frozen=True)
class QuarantineView:
    item: QuarantinedItem
    label: str  # the submission code or ticket number staff recognise
    differences: tuple[Difference, ...] = ()
    compared: bool = False  # False: the bureau could not be asked, or has no such row
    bureau_row_found: bool = False


@dataclass(frozen=True)
class SyncPanel:
    """The staff panel's sync section."""

    configured: bool  # a bureau database is set up
    running: bool
    online: bool
    backlog: int
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    failures: int
    quarantined: tuple[QuarantineView, ...]
    # The local store cannot be used: what happened and what to do (None when it is fine).
    store_problem: str | None = None
    store_remedy: str | None = None


@dataclass(frozen=True)
class SyncNowResult:
    sent: int
    statuses: int  # submission and ticket statuses pulled back
    error: Message | None
    detail: str
    panel: SyncPanel


@dataclass(frozen=True)
class Tally:
    code: str
    name: Text  # from the catalog; the code itself when the catalog no longer has it
    count: int


@dataclass(frozen=True)
class BadRating:
    id: uuid.UUID
    level: Satisfaction
    reasons: tuple[str, ...]
    comment: str | None
    created_at: datetime
    submission_code: str | None
    target_code: str | None
    ticket_number: str | None


@dataclass(frozen=True)
class DayFigures:
    """Today on this kiosk (the service day, which starts at ``day_reset_hour``)."""

    day: date
    tickets: tuple[Tally, ...]  # per queue
    submissions: tuple[Tally, ...]  # per item or bundle
    ratings: Mapping[Satisfaction, int]  # every level, 0 when none
    bad_ratings: tuple[BadRating, ...]  # every 不满意 / 非常不满意 with its reasons
    help_requests: tuple[HelpRequestView, ...]  # still open (from any day)


@dataclass(frozen=True)
class ReprintResult:
    """Staff 补打 by code: the ticket and the forms, each with its outcome."""

    code: str
    found: bool
    ticket: TicketView | None = None
    ticket_print: PrintOutcome | None = None
    forms_print: PrintOutcome | None = None
    problems: tuple[Message, ...] = ()  # why something could not be reprinted


@dataclass(frozen=True)
class CatalogReload:
    """A new catalog, or every problem with file:line (and the old catalog stays)."""

    catalog: Catalog | None
    problems: tuple[str, ...] = ()
    previous_version: str = ""

    @property
    def ok(self) -> bool:
        return self.catalog is not None
