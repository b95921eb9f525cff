"""取号: a queue ticket without a form, printed as a second step; and 补打 of a ticket held.

:meth:`Tickets.take` issues the number (one local transaction) and returns at once;
:meth:`Tickets.print` sends the slip to the ticket printer afterwards, so the visitor
sees their number whatever the printer does.  One waiting ticket per ID number and
queue: a visitor who already holds one is offered 补打 (:meth:`Tickets.reprint`)
instead of a new number — per kiosk offline, across the hall while the bureau answers:
then a new ticket is claimed at the bureau (:meth:`BureauGateway.claim_holder`) before
it is kept, so two kiosks issuing for the same person at the same moment give one number.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from kiosk.numbering import NoTicketNumber, QueueRef
from kiosk.printing.slip import id_tail
from kiosk.services.hall import Hall
from kiosk.services.messages import NO_TICKET_NUMBER
from kiosk.services.printers import Printers
from kiosk.services.results import TicketResult, store_errors
from kiosk.store.db import BureauUnavailable
from kiosk.store.gateway import BureauGateway, BureauRefused, HolderClaim, RemoteTicket
from kiosk.store.local import LocalStore
from kiosk.store.ticket_book import TicketBook
from kiosk.store.types import utcnow
from kiosk.sync import SyncWorker

log = logging.getLogger(__name__)


class Tickets:
    def __init__(
        self,
        kiosk_id: str,
        store: LocalStore,
        book: TicketBook,
        hall: Hall,
        printers: Printers,
        *,
        bureau: BureauGateway | None = None,
        sync: SyncWorker | None = None,
    ):
        self.kiosk_id = kiosk_id
        self.store = store
        self.book = book
        self.hall = hall
        self.printers = printers
        self.bureau = bureau
        self.sync = sync

    def take(
        self, queue_code: str, priority: bool = False, id_number: str | None = None
    ) -> TicketResult:
        """A ticket for a queue (the priority lane when asked: Catalog.ticket_queue), stored
        and not yet printed.  When ``id_number`` already holds a waiting ticket in that queue
        today, nothing is issued: the result offers 补打."""
        queue = QueueRef.of(self.hall.catalog.ticket_queue(queue_code, priority))
        holder = (id_number or "").strip() or None
        tail = id_tail(holder)
        elsewhere = self.held_elsewhere(queue, holder)
        try:
            with store_errors(self.store):
                ticket, held = self.store.issue_ticket(
                    queue,
                    self.book,
                    holder_id=holder,
                    priority=priority,
                    held=elsewhere,
                    claim=self.claim(holder),
                )
        except NoTicketNumber as exc:
            log.warning("no ticket number for %s: %s", queue.code, exc)
            return TicketResult(None, problem=NO_TICKET_NUMBER, id_tail=tail)
        return TicketResult(ticket, reprint_offered=held, id_tail=tail)

    def print(self, taken: TicketResult, code: str | None = None) -> TicketResult:
        """The slip of a ticket just taken; it comes back issued once the printer took it."""
        if taken.ticket is None or taken.reprint_offered:
            return taken  # nothing new to print
        printed = self.printers.ticket(taken.ticket, code, taken.id_tail)
        issued = replace(taken.ticket, printed=taken.ticket.printed or printed.accepted)
        return replace(taken, ticket=issued, printed=printed)

    def reprint(
        self,
        ticket_id: uuid.UUID,
        *,
        submission_code: str | None = None,
        id_number: str | None = None,
        actor: str = "visitor",
    ) -> TicketResult:
        """补打 of a ticket already held (the visitor accepted the offer, or staff asked);
        audited.  ``id_number`` may be the full number or just its last four characters."""
        with store_errors(self.store):
            ticket = self.store.reprint_ticket(ticket_id, actor)  # KeyError if unknown
        tail = id_tail(id_number)
        # Staff reprint after fixing the printer: tried even while it is marked down.
        printed = self.printers.ticket(
            ticket, submission_code, tail, reprint=True, trial=actor != "visitor"
        )
        issued = replace(ticket, printed=ticket.printed or printed.accepted)
        return TicketResult(issued, printed=printed, id_tail=tail)

    def held_elsewhere(self, queue: QueueRef, holder: str | None) -> RemoteTicket | None:
        """The holder's waiting ticket at another kiosk, when the bureau can say so now.

        Asked only while the sync worker reaches the bureau (one short query); offline
        the rule holds per kiosk, and the visitor is never kept waiting for the network.
        """
        if not holder or self.bureau is None or self.sync is None or not self.sync.online:
            return None
        try:
            with store_errors(self.store):
                key = self.store.holder_key(self.book, holder)
            if key is None:
                return None
            return self.bureau.waiting_ticket(
                key, queue.code, self.book.day(utcnow()), other_than=self.kiosk_id
            )
        except (BureauUnavailable, BureauRefused) as exc:
            log.info("holder check skipped, bureau unreachable: %s", exc)
            return None

    def claim(self, holder: str | None) -> HolderClaim | None:
        """The bureau's claim on the holder's one waiting ticket, asked before a new ticket
        is kept; None (the rule per kiosk) offline or without an ID number.

        Should the bureau stop answering meanwhile (BureauUnavailable after its short
        connect timeout), the store keeps the rule per kiosk, as offline: the visitor is
        never refused a number for the network.
        """
        if not holder or self.bureau is None or self.sync is None or not self.sync.online:
            return None
        return self.bureau.claim_holder
