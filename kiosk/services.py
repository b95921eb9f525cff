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
"""

from __future__ import annotations

import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, select
from sqlalchemy.exc import DBAPIError, OperationalError

from kiosk.catalog import Catalog, CatalogError, load_catalog
from kiosk.catalog.model import Bundle, FieldType, Text
from kiosk.catalog.walk import check_catalog
from kiosk.config import DOCUMENT_KINDS, Settings
from kiosk.consult import Consultation, MaterialsNotice, build_notice
from kiosk.forms.filling import Filling, Source
from kiosk.forms.validators import Message
from kiosk.printing.documents import application_document, notice_document, ticket_document
from kiosk.printing.printers import (
    Document,
    PrinterState,
    PrinterStatus,
    PrintResult,
    print_document,
    printer_for,
)
from kiosk.printing.slip import TicketSlip, id_tail
from kiosk.queue import NoTicketNumber, QueueRef, TicketBook
from kiosk.session import VisitorSession
from kiosk.store.bureau import BureauRating, BureauSubmission, BureauTicket
from kiosk.store.db import BureauUnavailable, StoreUnavailable
from kiosk.store.drafts import draft_from_session
from kiosk.store.ids import format_code, normalise_code
from kiosk.store.local import LocalStore
from kiosk.store.models import (
    OutboxEntry,
    OutboxKind,
    Rating,
    Satisfaction,
    Submission,
    SubmissionStatus,
    Ticket,
    table_of,
)
from kiosk.store.repositories import (
    HelpRequestView,
    QuarantinedItem,
    RatingInvalid,
    Receipt,
    TicketView,
)
from kiosk.store.types import utcnow
from kiosk.sync import SyncWorker, lookup_status, queues_of

log = logging.getLogger(__name__)

# ── what the visitor and staff read ─────────────────────────────────────────

STORE_DOWN = Message(
    "本机暂时无法保存，请稍候再试或联系工作人员",
    "This kiosk cannot save right now; please try again shortly or ask staff",
)
NO_TICKET_NUMBER = Message(
    "本机暂时无法取号，请到导服台取号",
    "No ticket number is available on this kiosk right now; please ask at the guide desk",
)
PRINT_BUG = Message(
    "打印没有完成，工作人员会尽快处理", "Printing did not complete; staff will help"
)
REASONS_NEEDED = Message(
    "请至少选择一项不满意的原因", "Please choose at least one reason you were not satisfied"
)
UNKNOWN_CODE = Message(
    "没有找到这个办件编号，请核对后再试", "No application has this code; please check it"
)
NOT_FOUND_OFFLINE = Message(
    "暂时无法连接审批局系统，本机也没有这个编号的记录，请稍后再试或到窗口咨询",
    "The bureau's system cannot be reached right now and this kiosk has no record of this "
    "code; please try again later or ask at a window",
)
LAST_KNOWN = Message(
    "暂时无法连接审批局系统，以下为本机最近一次获取的进度",
    "The bureau's system cannot be reached right now; this is the last status this kiosk saw",
)
NO_BUREAU = Message(
    "本机未连接审批局数据库，办件数据只保存在本机",
    "This kiosk has no bureau database configured; data stays on this kiosk",
)
BUREAU_DOWN = Message(
    "暂时无法连接审批局数据库，数据已保存在本机，恢复后自动上传",
    "The bureau database cannot be reached; data is kept here and sent when it is back",
)
FORMS_PURGED = Message(
    "该申请的个人信息已按规定清除，无法补打申请表",
    "This application's personal data has been erased as required; its forms cannot be reprinted",
)
FORMS_CATALOG_CHANGED = Message(
    "事项目录已更新，该申请的申请表无法按原样补打",
    "The service catalog has changed; this application's forms cannot be reprinted as they were",
)

STATUS_TEXT: Mapping[SubmissionStatus, Message] = {
    SubmissionStatus.RECEIVED: Message("已收件，等待窗口受理", "Received, waiting to be accepted"),
    SubmissionStatus.ACCEPTED: Message("已受理，正在审批", "Accepted, being processed"),
    SubmissionStatus.MORE_MATERIALS: Message(
        "需补正材料，请留意短信或到窗口咨询",
        "More materials are needed; watch for a text message or ask at a window",
    ),
    SubmissionStatus.APPROVED: Message("已办结（准予）", "Approved"),
    SubmissionStatus.REJECTED: Message(
        "不予受理或不予许可，详情请到窗口咨询", "Not approved; please ask at a window for details"
    ),
    SubmissionStatus.READY: Message("已办结，可到窗口领取结果", "Ready to collect at a window"),
}

# Reasons offered for the two lowest ratings (好差评); the visitor may also type their own.
BAD_RATING_REASONS: tuple[Message, ...] = (
    Message("等候时间太长", "Waited too long"),
    Message("办事指南不清楚", "The guidance was unclear"),
    Message("材料要求反复变化", "The materials asked for kept changing"),
    Message("工作人员态度不好", "Staff were unhelpful"),
    Message("自助机操作不方便", "The kiosk was hard to use"),
    Message("需要跑多次", "I had to come more than once"),
)

BAD_LEVELS = tuple(level for level in Satisfaction if level.needs_reasons)
TICKET_NUMBER = re.compile(r"^([A-Z])(\d{3})$")


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


class RatingIncomplete(KnownError, RatingInvalid):
    """The visitor must complete the rating (a reason for the two lowest levels, a valid code)."""


# ── results ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PrintOutcome:
    """One document sent to its printer, and the print job recorded for it."""

    document: str  # "ticket" | "form" | "notice"
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
class SubmitResult:
    """After "submit": the submission is durable whatever the printers did."""

    receipt: Receipt
    ticket_print: PrintOutcome | None  # None: no ticket, or a reprint is offered instead
    forms_print: PrintOutcome
    id_tail: str | None = None  # last 4 characters of the holder's ID, for a reprint's slip

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
    def no_ticket(self) -> Message | None:
        return NO_TICKET_NUMBER if self.receipt.ticket is None else None

    @property
    def printed_all(self) -> bool:
        ticket_ok = self.ticket_print is None or self.ticket_print.accepted
        return ticket_ok and self.forms_print.accepted

    @property
    def message(self) -> Message | None:
        """One calm sentence when something is missing; None when all went to plan."""
        ticket_failed = self.ticket_print is not None and not self.ticket_print.accepted
        forms_failed = not self.forms_print.accepted
        code = self.display_code
        if self.receipt.ticket is None:
            what_zh, what_en = "本机暂时无法取号，请凭编号到导服台取号", "no ticket number is "
            what_en += "available here right now; show the code at the guide desk for a ticket"
            if forms_failed:
                what_zh += "并补打申请表"
                what_en += " and your forms"
        elif ticket_failed and forms_failed:
            what_zh = "号票和申请表未能打印，请凭编号找导服人员补打"
            what_en = "the ticket and forms did not print; show the code to a guide to reprint them"
        elif ticket_failed:
            what_zh = "号票未能打印，请凭编号找导服人员补打"
            what_en = "the ticket did not print; show the code to a guide to reprint it"
        elif forms_failed:
            what_zh = "申请表未能打印，请凭编号找导服人员补打"
            what_en = "the forms did not print; show the code to a guide to reprint them"
        else:
            return None
        return Message(
            f"申请已保存，编号 {code}。{what_zh}。",
            f"Your application is saved (code {code}); {what_en}.",
        )


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


@dataclass(frozen=True)
class _SubmissionRecord:
    id: uuid.UUID
    code: str
    target_kind: str
    target_code: str
    item_codes: tuple[str, ...]
    answers: Mapping[str, Any] | None
    fields: Mapping[str, Any] | None
    ticket_id: uuid.UUID | None


_BUREAU_TABLES: Mapping[str, Table] = {
    OutboxKind.SUBMISSION.value: table_of(BureauSubmission),
    OutboxKind.TICKET.value: table_of(BureauTicket),
    OutboxKind.RATING.value: table_of(BureauRating),
}


# ── the services ────────────────────────────────────────────────────────────


class KioskServices:
    """What one kiosk offers its window: submit, 取号, print, rate, query, help, staff tools.

    Safe to call from several background threads at once: the store serialises its
    writes, the catalog is swapped whole, and "sync now" takes a lock.
    """

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        store: LocalStore,
        book: TicketBook,
        *,
        bureau: Engine | None = None,
        sync: SyncWorker | None = None,
    ):
        self.settings = settings
        self.store = store
        self.book = book
        self.bureau = bureau
        self.sync = sync
        self._catalog = catalog
        self._sync_lock = threading.Lock()

    @property
    def catalog(self) -> Catalog:
        """The catalog in force (replaced by a successful :meth:`reload_catalog`)."""
        return self._catalog

    # ── lifecycle ──
    def start(self) -> None:
        """Start the background sync (if a bureau database is configured)."""
        if self.sync is not None:
            self.sync.start()

    def close(self) -> None:
        """Stop syncing and release the databases; the object is unusable afterwards."""
        if self.sync is not None:
            self.sync.stop()
        if self.bureau is not None:
            self.bureau.dispose()
        self.store.close()

    # ── the visitor: submit ──
    def submit(self, session: VisitorSession) -> SubmitResult:
        """Store the visitor's submission, then print the ticket and the pre-filled forms.

        Raises :class:`ServiceUnavailable` only if the submission could not be saved
        (then nothing was saved); once saved, printer trouble is in the result.
        """
        draft = draft_from_session(session)  # ValueError: nothing chosen (a window bug)
        notice = session.notice if session.notice is not None else session.build_notice()
        assert session.filling is not None  # draft_from_session refused a session without one
        # A copy for printing: the window may forget the visitor (idle timeout) meanwhile.
        filling = Filling(
            list(session.filling.items),
            session.filling.shared,
            session.filling.values(),
            {code: dict(answers) for code, answers in session.filling.answers.items()},
        )
        catalog, bundle = session.catalog, session.bundle
        with self._store_errors():
            receipt = self.store.submit(draft, self.book)
        log.info("submission %s saved (%s)", receipt.code, draft.target_code)
        tail = id_tail(draft.holder_id)
        ticket_print = None
        if receipt.ticket is not None and not receipt.reprint:
            ticket = receipt.ticket
            ticket_print = self._print(
                lambda: self._ticket_document(ticket, receipt.code, tail), ticket.id, "ticket"
            )
            receipt = replace(receipt, ticket=_after(ticket, ticket_print))
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

    # ── the visitor: 取号 only ──
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
        try:
            with self._store_errors():
                ticket, held = self.store.issue_ticket(
                    queue, self.book, holder_id=holder, priority=priority
                )
        except NoTicketNumber as exc:
            log.warning("no ticket number for %s: %s", queue.code, exc)
            return TicketResult(None, problem=NO_TICKET_NUMBER, id_tail=tail)
        if held:
            return TicketResult(ticket, reprint_offered=True, id_tail=tail)
        printed = self._print(
            lambda: self._ticket_document(ticket, None, tail), ticket.id, "ticket"
        )
        return TicketResult(_after(ticket, printed), printed=printed, id_tail=tail)

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
        tail = id_tail(id_number)
        printed = self._print(
            lambda: self._ticket_document(ticket, submission_code, tail),
            ticket.id,
            "ticket",
            reprint=True,
        )
        return TicketResult(_after(ticket, printed), printed=printed, id_tail=tail)

    # ── the visitor: the 一次性告知书 ──
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

    # ── the visitor: 好差评 ──
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
        cleaned = tuple(r.strip() for r in reasons if r.strip())
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
        with self._store_errors():
            rating_id = self.store.ratings.rate(
                level,
                submission_id=submission_id,
                ticket_id=ticket_id,
                reasons=cleaned,
                comment=comment,
            )
        return SavedRating(rating_id, level, cleaned, submission_id, ticket_id)

    # ── the visitor: 办件查询 ──
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
                live = lookup_status(self.bureau, normal)
            except BureauUnavailable as exc:
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

    # ── the visitor: 呼叫导服 ──
    def request_help(self, screen: str, language: str = "zh") -> HelpRequestView:
        with self._store_errors():
            request = self.store.help_requests.request(screen, language)
        log.info("help requested on screen %s", screen)
        return request

    def open_help_requests(self) -> list[HelpRequestView]:
        with self._store_errors():
            return self.store.help_requests.open()

    def close_help_request(
        self, request_id: uuid.UUID, actor: str = "staff"
    ) -> HelpRequestView | None:
        """Staff "done" (audited); None when there is no such request."""
        with self._store_errors():
            return self.store.help_requests.close(request_id, actor)

    # ── staff: sync ──
    def sync_state(self, *, compare: bool = True) -> SyncPanel:
        """Backlog, last success and error, and quarantined rows with their differences.

        ``compare`` asks the bureau for its side of each quarantined row (one short
        connection; skipped when nothing is quarantined).
        """
        with self._store_errors():
            if self.sync is not None:
                state = self.sync.state()
                running, online, backlog = state.running, state.online, state.backlog
                success, error, error_at = state.last_success, state.last_error, state.last_error_at
                failures, quarantined = state.failures, state.quarantined
            else:
                running = online = False
                backlog = self.store.outbox.backlog()
                success = error = error_at = None
                failures = 0
                quarantined = tuple(self.store.outbox.quarantined())
            views = self._quarantine_views(quarantined, compare)
        return SyncPanel(
            configured=self.bureau is not None,
            running=running,
            online=online,
            backlog=backlog,
            last_success=success,
            last_error=error,
            last_error_at=error_at,
            failures=failures,
            quarantined=views,
        )

    def sync_now(self, actor: str = "staff") -> SyncNowResult:
        """Staff "sync now": top up ticket blocks, send the backlog, pull statuses — now.

        Runs here rather than waiting for the worker; should the worker send the same
        rows at the same moment, the bureau takes the second copy as a no-op.
        """
        self.audit("sync_now", None, actor=actor)
        if self.sync is None:
            return SyncNowResult(0, 0, NO_BUREAU, "", self.sync_state(compare=False))
        syncer = self.sync.syncer
        sent = statuses = 0
        error: Message | None = None
        detail = ""
        with self._sync_lock, self._store_errors():
            try:
                syncer.top_up()
                sent = syncer.drain()
                submissions, tickets = syncer.pull()
                statuses = submissions + tickets
            except BureauUnavailable as exc:
                error, detail = BUREAU_DOWN, str(exc)
        self.sync.wake()
        return SyncNowResult(sent, statuses, error, detail, self.sync_state(compare=error is None))

    # ── staff: printers ──
    def printer_status(self) -> dict[str, PrinterStatus]:
        """Ready / offline / out of paper / error, per document kind."""
        return {kind: printer_for(self.settings, kind).status() for kind in DOCUMENT_KINDS}

    def test_page(self, kind: str, actor: str = "staff") -> PrintResult:
        """A test page on the printer of one document kind (audited)."""
        if kind not in DOCUMENT_KINDS:
            raise ValueError(f"unknown document kind {kind!r}")
        outcome = self._print(lambda: self._test_document(kind), None, kind)
        self.audit(
            "test_page",
            kind,
            actor=actor,
            accepted=outcome.accepted,
            detail=outcome.result.detail[:200],
        )
        return outcome.result

    # ── staff: today ──
    def today(self, now: datetime | None = None) -> DayFigures:
        """Tickets per queue, submissions per item, ratings, bad ratings, open help requests."""
        now = now or utcnow()
        day = self.book.day(now)
        start, end = self._day_bounds(day)
        catalog = self.catalog
        with self._store_errors(), self.store.sessions() as session:
            tickets = session.execute(
                select(Ticket.queue, func.count())
                .where(Ticket.service_day == day)
                .group_by(Ticket.queue)
                .order_by(Ticket.queue)
            ).all()
            submissions = session.execute(
                select(Submission.target_code, func.count())
                .where(Submission.service_day == day)
                .group_by(Submission.target_code)
                .order_by(Submission.target_code)
            ).all()
            levels = dict(
                session.execute(
                    select(Rating.level, func.count())
                    .where(Rating.created_at >= start, Rating.created_at < end)
                    .group_by(Rating.level)
                ).all()
            )
            bad = session.execute(
                select(
                    Rating,
                    Submission.code,
                    Submission.target_code,
                    Ticket.prefix,
                    Ticket.seq,
                )
                .outerjoin(Submission, Submission.id == Rating.submission_id)
                .outerjoin(
                    Ticket, Ticket.id == func.coalesce(Rating.ticket_id, Submission.ticket_id)
                )
                .where(
                    Rating.created_at >= start,
                    Rating.created_at < end,
                    Rating.level.in_([level.value for level in BAD_LEVELS]),
                )
                .order_by(Rating.created_at)
            ).all()
        # After that session has ended: every SQLite transaction here takes the write lock
        # (BEGIN IMMEDIATE), so a second one opened inside it would wait for itself.
        help_requests = self.open_help_requests()
        return DayFigures(
            day=day,
            tickets=tuple(
                Tally(code, _name(catalog.queues.get(code), code), n) for code, n in tickets
            ),
            submissions=tuple(
                Tally(code, _target_name(catalog, code), n) for code, n in submissions
            ),
            ratings={level: int(levels.get(level.value, 0)) for level in Satisfaction},
            bad_ratings=tuple(
                BadRating(
                    rating.id,
                    Satisfaction(rating.level),
                    tuple(rating.reasons),
                    rating.comment,
                    rating.created_at,
                    code,
                    target,
                    f"{prefix}{seq:03d}" if prefix is not None else None,
                )
                for rating, code, target, prefix, seq in bad
            ),
            help_requests=tuple(help_requests),
        )

    # ── staff: 补打 by code ──
    def reprint(self, code: str, actor: str = "staff") -> ReprintResult:
        """Reprint by a submission code (its ticket and forms) or today's ticket number.

        Audited; a code this kiosk does not know comes back with ``found=False``.
        """
        typed = code.strip().upper()
        normal = normalise_code(typed)
        record = self._submission_record(normal) if normal else None
        ticket_id = record.ticket_id if record is not None else self._ticket_by_number(typed)
        if record is None and ticket_id is None:
            self.audit("reprint", typed, actor=actor, found=False)
            return ReprintResult(typed, False, problems=(UNKNOWN_CODE,))
        problems: list[Message] = []
        ticket_result = None
        holder = self._holder_id(record) if record is not None else None
        if ticket_id is not None:
            ticket_result = self.reprint_ticket(
                ticket_id,
                submission_code=record.code if record is not None else None,
                id_number=holder,
                actor=actor,
            )
        forms_print = None
        if record is not None:
            rebuilt = self._rebuild_forms(record)
            if isinstance(rebuilt, Message):
                problems.append(rebuilt)
            else:
                forms_print = self._print(rebuilt, record.id, "form", reprint=True)
        for outcome in (ticket_result.printed if ticket_result else None, forms_print):
            if outcome is not None and outcome.message is not None:
                problems.append(outcome.message)
        self.audit(
            "reprint",
            record.code if record is not None else typed,
            actor=actor,
            found=True,
            ticket=ticket_result.ticket.number if ticket_result and ticket_result.ticket else None,
            ticket_printed=bool(
                ticket_result and ticket_result.printed and ticket_result.printed.accepted
            ),
            forms_printed=bool(forms_print and forms_print.accepted),
        )
        return ReprintResult(
            record.code if record is not None else typed,
            True,
            ticket_result.ticket if ticket_result else None,
            ticket_result.printed if ticket_result else None,
            forms_print,
            tuple(problems),
        )

    # ── staff: the catalog ──
    def reload_catalog(self, path: str | os.PathLike[str], actor: str = "staff") -> CatalogReload:
        """Validate a catalog file and, only if it is sound, put it in force (audited)."""
        previous = self.catalog.version
        problems: tuple[str, ...]
        try:
            catalog = load_catalog(path)
        except CatalogError as exc:
            problems = tuple(str(p) for p in exc.problems)
        else:
            name = Path(path).name
            problems = tuple(f"{name}: {p}" for p in check_catalog(catalog))
        if problems:
            self.audit(
                "reload_catalog",
                str(path),
                actor=actor,
                ok=False,
                problems=len(problems),
                first=list(problems[:20]),
            )
            return CatalogReload(None, problems, previous)
        self._catalog = catalog
        if self.sync is not None:
            # The worker reads this once per top-up: new queues get ticket blocks leased.
            self.sync.syncer.queues = tuple(queues_of(catalog))
        self.audit(
            "reload_catalog",
            str(path),
            actor=actor,
            ok=True,
            version=catalog.version,
            previous=previous,
        )
        return CatalogReload(catalog, (), previous)

    # ── staff: the audit trail ──
    def audit(
        self, action: str, target: str | None = None, *, actor: str = "staff", **details: Any
    ) -> uuid.UUID:
        """Record one staff action (PIN entry, exit, setting changes — and those above)."""
        with self._store_errors():
            return self.store.audit.record(actor, action, target, **details)

    # ── internals: printing ──
    def _print(
        self,
        make: Callable[[], Document],
        subject_id: uuid.UUID | None,
        kind: str,
        *,
        reprint: bool = False,
    ) -> PrintOutcome:
        """Render, record a print job, print, settle the job; never raises.

        Printer trouble comes back from the backend as a refused PrintResult.  A bug
        while rendering is logged with its traceback and reported as not printed:
        the caller has already stored what matters and must still answer the visitor.
        """
        job_id = self._record_job(kind, subject_id, reprint)
        try:
            document = make()
            result = print_document(self.settings, document)
        except Exception as exc:  # a bug (render or backend): logged, the visitor still answered
            log.exception("printing a %s failed", kind)
            result = PrintResult(False, PrinterState.ERROR, PRINT_BUG, None, repr(exc)[:500])
        self._settle_job(job_id, kind, subject_id, result)
        return PrintOutcome(kind, result, job_id)

    def _printer_name(self, kind: str) -> str:
        printer = self.settings.printer(kind)
        target = printer.queue or printer.device or (str(printer.folder) if printer.folder else "")
        return f"{printer.backend}:{target}"[:128]

    def _record_job(
        self, kind: str, subject_id: uuid.UUID | None, reprint: bool
    ) -> uuid.UUID | None:
        try:
            return self.store.print_jobs.record(
                kind, subject_id, self._printer_name(kind), reprint=reprint
            )
        except (StoreUnavailable, OperationalError) as exc:
            # Printing matters more to the visitor in front of the kiosk than the job row.
            log.warning("print job for %s not recorded: %s", kind, exc)
            return None

    def _settle_job(
        self, job_id: uuid.UUID | None, kind: str, subject_id: uuid.UUID | None, result: PrintResult
    ) -> None:
        try:
            if result.accepted and kind == "ticket" and subject_id is not None:
                # The ticket counts as issued now (and the bureau is told so).
                self.store.mark_ticket_printed(subject_id, job_id)
            elif job_id is None:
                return
            elif result.accepted:
                self.store.print_jobs.accepted(job_id)
            else:
                self.store.print_jobs.failed(job_id, result.detail or str(result.state))
        except (StoreUnavailable, OperationalError) as exc:
            log.warning("print job %s (%s) not settled: %s", job_id, kind, exc)

    def _ticket_document(self, ticket: TicketView, code: str | None, tail: str | None) -> Document:
        catalog = self.catalog
        queue = catalog.queues.get(ticket.queue)
        slip = TicketSlip(
            hall_name=self.settings.hall_name,
            number=ticket.number,
            queue_name=queue.name.zh if queue is not None else ticket.queue,
            windows=tuple(queue.windows) if queue is not None else (),
            issued_at=ticket.issued_at,
            people_ahead=ticket.people_ahead,
            wait_minutes=ticket.wait_minutes,
            priority=ticket.priority,
            submission_code=code,
            id_tail=tail,
        )
        return ticket_document(slip, self.settings.status_url)

    def _test_document(self, kind: str) -> Document:
        slip = TicketSlip(
            hall_name=self.settings.hall_name,
            number="TEST",
            queue_name=f"打印测试页 Printer test page ({kind})",
            windows=tuple(range(1, self.catalog.meta.windows + 1)),
            issued_at=utcnow(),
            people_ahead=0,
        )
        document = ticket_document(slip)
        if kind == "ticket":
            return replace(document, name="test-page-ticket")
        return replace(document, kind=kind, name=f"test-page-{kind}", media="A4")

    # ── internals: lookups ──
    @contextmanager
    def _store_errors(self) -> Iterator[None]:
        try:
            yield
        except (StoreUnavailable, OperationalError) as exc:
            log.error("local store unavailable: %s", exc)
            raise ServiceUnavailable(STORE_DOWN, str(exc)[:500]) from exc

    def _ticket_queue(self, queue_code: str, priority: bool) -> QueueRef:
        catalog = self.catalog
        queue = catalog.queues[queue_code]  # KeyError: a queue the window made up (a bug)
        priority_queues = catalog.priority_queues()
        if priority and priority_queues and not queue.priority:
            queue = priority_queues[0]  # as for submissions: the 绿色通道 has its own windows
        return QueueRef.of(queue)

    def _submission_record(self, code: str) -> _SubmissionRecord | None:
        with self._store_errors(), self.store.sessions() as session:
            row = session.scalars(select(Submission).where(Submission.code == code)).first()
            if row is None:
                return None
            return _SubmissionRecord(
                row.id,
                row.code,
                row.target_kind,
                row.target_code,
                tuple(row.item_codes),
                row.answers,
                row.fields,
                row.ticket_id,
            )

    def _ticket_by_number(self, number: str) -> uuid.UUID | None:
        """Today's ticket with this number at this kiosk (the newest, should two queues share
        a prefix)."""
        match = TICKET_NUMBER.match(number)
        if match is None:
            return None
        day = self.book.day(utcnow())
        with self._store_errors(), self.store.sessions() as session:
            return session.scalar(
                select(Ticket.id)
                .where(
                    Ticket.prefix == match.group(1),
                    Ticket.seq == int(match.group(2)),
                    Ticket.service_day == day,
                )
                .order_by(Ticket.issued_at.desc())
                .limit(1)
            )

    def _holder_id(self, record: _SubmissionRecord) -> str | None:
        """The first ID number typed on the submission's forms (the ticket shows its tail)."""
        catalog = self.catalog
        for item_code in record.item_codes:
            item = catalog.items.get(item_code)
            values = (record.fields or {}).get(item_code, {})
            if item is None:
                continue
            for form_field in item.field_list:
                if form_field.type is FieldType.ID_NUMBER and form_field.id in values:
                    return str(values[form_field.id].get("value") or "") or None
        return None

    def _rebuild_forms(self, record: _SubmissionRecord) -> Callable[[], Document] | Message:
        """What was printed at submit, rebuilt from the stored answers and values."""
        if record.fields is None:
            return FORMS_PURGED
        catalog = self.catalog
        bundle: Bundle | None = None
        if record.target_kind == "bundle":
            bundle = catalog.bundles.get(record.target_code)
            if bundle is None:
                return FORMS_CATALOG_CHANGED
        if any(code not in catalog.items for code in record.item_codes):
            return FORMS_CATALOG_CHANGED
        items = [catalog.items[code] for code in record.item_codes]
        answers = {code: dict(values) for code, values in (record.answers or {}).items()}
        consultations = [
            Consultation(item, dict(answers.get(item.code, {})), list(answers.get(item.code, {})))
            for item in items
        ]
        notice = build_notice(catalog, consultations, bundle)
        filling = Filling.for_bundle(bundle, items) if bundle else Filling.for_item(items[0])
        filling.answers = answers
        slots = filling.slots()
        for item_code, values in record.fields.items():
            for field_id, entered in values.items():
                key = filling.key(item_code, field_id)
                if key in slots:
                    filling.set(key, entered.get("value"), Source(entered.get("source", "citizen")))
        status_url = self.settings.status_url
        return lambda: application_document(
            catalog, filling, notice, code=record.code, bundle=bundle, status_url=status_url
        )

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, time(self.book.reset_hour))
        aware = start.replace(tzinfo=self.book.tz) if self.book.tz else start.astimezone()
        return aware.astimezone(UTC), (aware + timedelta(days=1)).astimezone(UTC)

    # ── internals: quarantine ──
    def _quarantine_views(
        self, items: Sequence[QuarantinedItem], compare: bool
    ) -> tuple[QuarantineView, ...]:
        if not items:
            return ()
        with self.store.sessions() as session:
            payloads: dict[uuid.UUID, dict[str, Any] | None] = dict(
                session.execute(
                    select(OutboxEntry.id, OutboxEntry.payload).where(
                        OutboxEntry.id.in_([i.id for i in items])
                    )
                ).all()
            )
        labels = {i.id: _label(i.kind, payloads.get(i.id)) for i in items}
        if not compare or self.bureau is None:
            return tuple(QuarantineView(i, labels[i.id]) for i in items)
        views = []
        try:
            with self.bureau.connect() as connection:
                for item in items:
                    payload = payloads.get(item.id)
                    row = _bureau_counterpart(connection, item.kind, payload)
                    if payload is None or row is None:
                        views.append(QuarantineView(item, labels[item.id]))
                        continue
                    differences = tuple(_differences(payload, row))
                    views.append(QuarantineView(item, labels[item.id], differences, True, True))
                connection.rollback()
        except DBAPIError as exc:
            log.info("quarantine comparison skipped, bureau unreachable: %s", exc)
            return tuple(QuarantineView(i, labels[i.id]) for i in items)
        return tuple(views)


# ── helpers ─────────────────────────────────────────────────────────────────


def _after(ticket: TicketView, printed: PrintOutcome) -> TicketView:
    """The ticket as it stands after printing: accepted by the printer means issued."""
    return replace(ticket, printed=ticket.printed or printed.accepted)


def _name(entry: Any, code: str) -> Text:
    return entry.name if entry is not None else Text(zh=code, en=code)


def _target_name(catalog: Catalog, code: str) -> Text:
    return _name(catalog.items.get(code) or catalog.bundles.get(code), code)


def _label(kind: str, payload: Mapping[str, Any] | None) -> str:
    if payload is None:
        return kind
    if kind == OutboxKind.SUBMISSION.value:
        return format_code(str(payload.get("code", "")))
    if kind == OutboxKind.TICKET.value:
        return f"{payload.get('prefix', '')}{int(payload.get('seq', 0)):03d}"
    return f"{kind} {payload.get('id', '')}"


def _bureau_counterpart(
    connection: Any, kind: str, payload: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The bureau row a quarantined payload collides with: same id, else same code / number."""
    table = _BUREAU_TABLES.get(kind)
    if table is None or payload is None:
        return None
    row = connection.execute(
        select(table).where(table.c.id == uuid.UUID(str(payload["id"])))
    ).first()
    if row is None and kind == OutboxKind.SUBMISSION.value:
        row = connection.execute(select(table).where(table.c.code == payload["code"])).first()
    if row is None and kind == OutboxKind.TICKET.value:
        row = connection.execute(
            select(table).where(
                table.c.queue == payload["queue"],
                table.c.service_day == date.fromisoformat(payload["service_day"]),
                table.c.seq == payload["seq"],
            )
        ).first()
    return dict(row._mapping) if row is not None else None


def _plain(value: Any) -> Any:
    """A bureau value in the shape the kiosk's JSON payload keeps it."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _differences(kiosk: Mapping[str, Any], bureau: Mapping[str, Any]) -> Iterator[Difference]:
    for key, ours in kiosk.items():
        if key not in bureau:
            continue
        yield from _compare(key, ours, _plain(bureau[key]))


def _compare(path: str, ours: Any, theirs: Any) -> Iterator[Difference]:
    if isinstance(ours, Mapping) and isinstance(theirs, Mapping):
        for key in dict.fromkeys([*ours, *theirs]):
            yield from _compare(f"{path}.{key}", ours.get(key), theirs.get(key))
    elif ours != theirs:
        yield Difference(path, ours, theirs)
