"""What the visitor asks of the kiosk: submit, 取号, the 一次性告知书, 好差评, 办件查询, 呼叫导服.

Durable first (one local transaction), then print: a printer that does not take
a document never loses what was stored, and the result says so in calm zh/en
words.  The bureau being unreachable is a flag on a status answer, never an
error.  (补打 of a held ticket, which the visitor may accept, is shared with
staff and lives in :mod:`kiosk.services.parts`.)
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import replace

from kiosk.catalog.model import FieldType, FormField, Text
from kiosk.codes import normalise_code
from kiosk.consult import MaterialsNotice
from kiosk.forms.validators import Invalid, normalise
from kiosk.numbering import NoTicketNumber, QueueRef
from kiosk.printing.documents import application_document, notice_document
from kiosk.printing.printers import PrintResult
from kiosk.printing.slip import id_tail
from kiosk.services.messages import (
    LAST_KNOWN,
    NO_TICKET_NUMBER,
    NOT_FOUND_OFFLINE,
    REASONS_NEEDED,
    STATUS_TEXT,
    UNKNOWN_CODE,
    UNSTORABLE_TEXT,
)
from kiosk.services.parts import KioskCore
from kiosk.services.results import (
    RatingIncomplete,
    SavedRating,
    StatusAnswer,
    SubmitResult,
    TicketResult,
    UnstorableInput,
)
from kiosk.session import VisitorSession
from kiosk.statuses import Satisfaction, SubmissionStatus
from kiosk.store.db import BureauUnavailable
from kiosk.store.drafts import draft_from_session
from kiosk.store.gateway import BureauRefused, RemoteTicket
from kiosk.store.repositories import HelpRequestView, UnstorableText
from kiosk.store.types import utcnow

# A rating's own words are checked like form text (length, control characters, and what
# else the form validators refuse); the reasons offered are short texts.
COMMENT_FIELD = FormField(
    id="rating_comment",
    type=FieldType.LONG_TEXT,
    label=Text(zh="意见和建议", en="Comments"),
    required=False,
    max_length=500,
    example="等候区座位不够",
)
REASON_FIELD = FormField(
    id="rating_reason",
    type=FieldType.TEXT,
    label=Text(zh="不满意原因", en="Reason"),
    required=False,
    max_length=100,
    example="等候时间太长",
)

log = logging.getLogger(__name__)


class VisitorServices(KioskCore):
    """The visitor's side of :class:`kiosk.services.KioskServices`."""

    # ── submit ──
    def submit(self, session: VisitorSession) -> SubmitResult:
        """Store the visitor's submission, then print the ticket and the pre-filled forms.

        Raises :class:`ServiceUnavailable` only if the submission could not be saved
        (then nothing was saved); once saved, printer trouble is in the result.
        """
        draft = draft_from_session(session)  # ValueError: nothing chosen (a window bug)
        notice = session.notice if session.notice is not None else session.build_notice()
        assert session.filling is not None  # draft_from_session refused a session without one
        # A copy for printing: the window may forget the visitor (idle timeout) meanwhile.
        filling = session.filling.copy()
        catalog, bundle = session.catalog, session.bundle
        held = self._held_elsewhere(draft.queue, draft.holder_id)
        try:
            with self._store_errors():
                receipt = self.store.submit(draft, self.book, held=held)
        except UnstorableText as exc:
            raise UnstorableInput(UNSTORABLE_TEXT, str(exc)) from exc
        log.info("submission %s saved (%s)", receipt.code, draft.target_code)
        tail = id_tail(draft.holder_id)
        ticket_print = None
        if receipt.ticket is not None and not receipt.reprint:
            issued = self._print_ticket(receipt.ticket, receipt.code, tail)
            receipt = replace(receipt, ticket=issued.ticket)
            ticket_print = issued.printed
        code = receipt.code
        forms_print = self._print(
            lambda: application_document(
                catalog,
                filling,
                notice,
                code=code,
                bundle=bundle,
                status_url=self.settings.status_url,
            ),
            receipt.submission_id,
            "form",
        )
        return SubmitResult(receipt, ticket_print, forms_print, tail)

    # ── 取号 only ──
    def take_ticket(
        self, queue_code: str, priority: bool = False, id_number: str | None = None
    ) -> TicketResult:
        """A ticket for a queue without a submission, printed at once.

        When ``id_number`` already holds a waiting ticket in that queue today, nothing
        is issued or printed: the result offers 补打 (:meth:`reprint_ticket`).
        """
        queue = self._ticket_queue(queue_code, priority)
        holder = (id_number or "").strip() or None
        tail = id_tail(holder)
        elsewhere = self._held_elsewhere(queue, holder)
        try:
            with self._store_errors():
                ticket, held = self.store.issue_ticket(
                    queue, self.book, holder_id=holder, priority=priority, held=elsewhere
                )
        except NoTicketNumber as exc:
            log.warning("no ticket number for %s: %s", queue.code, exc)
            return TicketResult(None, problem=NO_TICKET_NUMBER, id_tail=tail)
        if held:
            return TicketResult(ticket, reprint_offered=True, id_tail=tail)
        return self._print_ticket(ticket, None, tail)

    def _held_elsewhere(self, queue: QueueRef, holder: str | None) -> RemoteTicket | None:
        """The holder's waiting ticket at another kiosk, when the bureau can say so now.

        Asked only while the sync worker reaches the bureau (one short query); offline
        the rule holds per kiosk, and the visitor is never kept waiting for the network.
        """
        if not holder or self.bureau is None or self.sync is None or not self.sync.online:
            return None
        try:
            with self._store_errors():
                key = self.store.holder_key(self.book, holder)
            if key is None:
                return None
            return self.bureau.waiting_ticket(
                key, queue.code, self.book.day(utcnow()), other_than=self.settings.kiosk_id
            )
        except (BureauUnavailable, BureauRefused) as exc:
            log.info("holder check skipped, bureau unreachable: %s", exc)
            return None

    def _ticket_queue(self, queue_code: str, priority: bool) -> QueueRef:
        catalog = self.catalog
        queue = catalog.queues[queue_code]  # KeyError: a queue the window made up (a bug)
        priority_queues = catalog.priority_queues()
        if priority and priority_queues and not queue.priority:
            queue = priority_queues[0]  # as for submissions: the 绿色通道 has its own windows
        return QueueRef.of(queue)

    # ── the 一次性告知书 ──
    def print_notice(
        self, notice: MaterialsNotice, language: str = "zh", *, code: str | None = None
    ) -> PrintResult:
        """Print the materials list.  The notice is an official document, printed in Chinese
        whatever ``language`` the visitor reads the screen in (kept for the log)."""
        catalog = self.catalog
        outcome = self._print(
            lambda: notice_document(
                catalog, notice, code=code, status_url=self.settings.status_url
            ),
            None,
            "notice",
        )
        log.info("notice printed for %s (%s): %s", notice.item_codes, language, outcome.accepted)
        return outcome.result

    # ── 好差评 ──
    def rate(
        self,
        level: Satisfaction | str,
        reasons: Sequence[str] = (),
        *,
        submission_id: uuid.UUID | None = None,
        ticket_id: uuid.UUID | None = None,
        code: str | None = None,
        comment: str | None = None,
    ) -> SavedRating:
        """Save a rating of a submission (by id or code) or a ticket.

        Raises :class:`RatingIncomplete` (with a zh/en message) when a 不满意 /
        非常不满意 rating has no reason or ``code`` is unknown at this kiosk.
        """
        level = Satisfaction(level)
        try:
            cleaned = tuple(normalise(REASON_FIELD, r) for r in reasons if r.strip())
            comment = normalise(COMMENT_FIELD, comment) if comment and comment.strip() else None
        except Invalid as exc:
            raise RatingIncomplete(exc.message, f"rating text refused: {exc}") from exc
        if level.needs_reasons and not cleaned:
            raise RatingIncomplete(REASONS_NEEDED, f"a rating of {level.value} needs a reason")
        if code is not None:
            normal = normalise_code(code)
            record = self._submission_record(normal) if normal else None
            if record is None:
                raise RatingIncomplete(UNKNOWN_CODE, f"no submission {code!r} at this kiosk")
            submission_id = record.id
            ticket_id = ticket_id or record.ticket_id
        if submission_id is None and ticket_id is None:
            raise ValueError("a rating belongs to a submission or a ticket")
        try:
            with self._store_errors():
                rating_id = self.store.ratings.rate(
                    level,
                    submission_id=submission_id,
                    ticket_id=ticket_id,
                    reasons=cleaned,
                    comment=comment,
                )
        except UnstorableText as exc:
            raise RatingIncomplete(UNSTORABLE_TEXT, str(exc)) from exc
        return SavedRating(rating_id, level, cleaned, submission_id, ticket_id)

    # ── 办件查询 ──
    def status(self, code: str) -> StatusAnswer:
        """A submission's status: from the bureau if it answers, else the last one seen here."""
        normal = normalise_code(code)
        if normal is None:
            return StatusAnswer(code.strip(), False, message=UNKNOWN_CODE)
        with self._store_errors():
            local = self.store.submissions.status(normal)
        unreachable = False
        if self.bureau is not None:
            try:
                live = self.bureau.lookup_status(normal)
            except (BureauUnavailable, BureauRefused) as exc:
                log.info("status %s: bureau unreachable: %s", normal, exc)
                unreachable = True
            else:
                if live is not None:
                    status = SubmissionStatus(live[0])
                    return StatusAnswer(
                        normal,
                        True,
                        status,
                        STATUS_TEXT[status],
                        live[1],
                        local.target_code if local else None,
                        local.ticket_number if local else None,
                        from_bureau=True,
                    )
        if local is None:
            message = NOT_FOUND_OFFLINE if unreachable else UNKNOWN_CODE
            return StatusAnswer(normal, False, bureau_unreachable=unreachable, message=message)
        status = SubmissionStatus(local.status)
        return StatusAnswer(
            normal,
            True,
            status,
            STATUS_TEXT[status],
            local.status_changed_at or local.created_at,
            local.target_code,
            local.ticket_number,
            bureau_unreachable=unreachable,
            message=LAST_KNOWN if unreachable else None,
        )

    # ── 呼叫导服 (staff see and close them: kiosk.services.staff_desk) ──
    def request_help(self, screen: str, language: str = "zh") -> HelpRequestView:
        with self._store_errors():
            request = self.store.help_requests.request(screen, language)
        log.info("help requested on screen %s", screen)
        return request
