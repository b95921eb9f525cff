"""Submit: the receipt from one local transaction, then the papers as a second operation.

The window freezes the visitor's session into a :class:`~kiosk.submission.SubmissionDraft`
on its own thread and hands only that here.  :meth:`Submissions.submit` stores the
submission, its ticket and the outbox rows in one transaction and returns the
receipt — durable, and all the visitor must be told.  :meth:`Submissions.print` then
prints the ticket and the pre-filled forms from the same draft (the printers may take
their time, or fail: the submission is kept either way, and staff reprint by its code).
:meth:`Submissions.preview` renders the forms as they will print, before submitting.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from kiosk.message import Message
from kiosk.printing.slip import id_tail
from kiosk.services.forms import forms_document
from kiosk.services.hall import Hall
from kiosk.services.messages import UNSTORABLE_TEXT
from kiosk.services.printers import Printers
from kiosk.services.results import (
    SubmissionPrints,
    Submitted,
    UnstorableInput,
    store_errors,
)
from kiosk.services.tickets import Tickets
from kiosk.store.local import LocalStore
from kiosk.store.repositories import UnstorableText
from kiosk.store.ticket_book import TicketBook
from kiosk.submission import SubmissionDraft

log = logging.getLogger(__name__)


class Submissions:
    def __init__(
        self, store: LocalStore, book: TicketBook, hall: Hall, tickets: Tickets, printers: Printers
    ):
        self.store = store
        self.book = book
        self.hall = hall
        self.tickets = tickets
        self.printers = printers

    def submit(self, draft: SubmissionDraft) -> Submitted:
        """Store the submission with its ticket; nothing is printed yet.

        Raises :class:`ServiceUnavailable` (the store) or :class:`UnstorableInput` (text it
        cannot keep): then nothing was saved, and the visitor keeps what they typed.
        """
        held = self.tickets.held_elsewhere(draft.queue, draft.holder_id)
        try:
            with store_errors(self.store):
                receipt = self.store.submit(
                    draft, self.book, held=held, claim=self.tickets.claim(draft.holder_id)
                )
        except UnstorableText as exc:
            raise UnstorableInput(UNSTORABLE_TEXT, str(exc)) from exc
        log.info("submission %s saved (%s)", receipt.code, draft.target_code)
        return Submitted(receipt, draft, id_tail(draft.holder_id))

    def print(self, submitted: Submitted) -> SubmissionPrints:
        """The ticket (a new one; a held one is offered 补打 instead), then the forms."""
        receipt = submitted.receipt
        ticket, ticket_print = receipt.ticket, None
        if ticket is not None and submitted.ticket_to_print:
            ticket_print = self.printers.ticket(ticket, receipt.code, submitted.id_tail)
            ticket = replace(ticket, printed=ticket.printed or ticket_print.accepted)
        forms = self.printers.forms(submitted.draft, receipt.code, receipt.submission_id)
        if isinstance(forms, Message):  # the catalog changed under the visitor (a staff reload)
            return SubmissionPrints(ticket, ticket_print, None, forms)
        return SubmissionPrints(ticket, ticket_print, forms)

    def preview(self, draft: SubmissionDraft) -> bytes:
        """The forms exactly as they will print (the same renderer), before there is a code.

        Raises ValueError when they cannot be made (the catalog changed under the visitor).
        """
        make = forms_document(self.hall.catalog, draft, None, None)
        if isinstance(make, Message):
            raise ValueError(make.en)
        return make().pdf
