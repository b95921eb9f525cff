"""The staff desk: what guide staff (导服) ask of the kiosk, and where a visitor calls them.

Sync (the backlog, quarantined rows, "sync now"), the printers (status, test
pages), today's figures, 补打 by code, the help requests visitors make (呼叫导服)
and staff close, putting a new catalog in force, the next visitors' defaults, and
the audit trail every staff action is written to.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.catalog import Catalog, CatalogError, load_catalog
from kiosk.codes import normalise_code
from kiosk.config import Settings, write_setting
from kiosk.kinds import DocumentKind, Language, ThemeName
from kiosk.message import Message
from kiosk.numbering import queues_of
from kiosk.printing.printers import PrinterStatus, PrintResult
from kiosk.services.forms import holder_id
from kiosk.services.hall import Hall
from kiosk.services.messages import BUREAU_DOWN, NO_BUREAU, UNKNOWN_CODE
from kiosk.services.printers import Printers
from kiosk.services.quarantine_review import quarantine_views
from kiosk.services.results import (
    CatalogReload,
    DayFigures,
    QuarantineView,
    ReprintResult,
    SyncNowResult,
    SyncPanel,
    store_errors,
)
from kiosk.services.tickets import Tickets
from kiosk.services.today import day_bounds, day_figures
from kiosk.store.db import BureauUnavailable, StoreUnavailable
from kiosk.store.gateway import BureauGateway, BureauRefused, KioskIdTooLong
from kiosk.store.local import LocalStore
from kiosk.store.repositories import HelpRequestView
from kiosk.store.ticket_book import TicketBook
from kiosk.store.types import utcnow
from kiosk.sync import SyncState, SyncWorker
from kiosk.walk import check_catalog

log = logging.getLogger(__name__)

TICKET_NUMBER = re.compile(r"^([A-Z])(\d{3})$")


class StaffDesk:
    def __init__(
        self,
        settings: Settings,
        store: LocalStore,
        book: TicketBook,
        hall: Hall,
        printers: Printers,
        tickets: Tickets,
        *,
        bureau: BureauGateway | None = None,
        sync: SyncWorker | None = None,
    ):
        self.settings = settings
        self.store = store
        self.book = book
        self.hall = hall
        self.printers = printers
        self.tickets = tickets
        self.bureau = bureau
        self.sync = sync

    @property
    def catalog(self) -> Catalog:
        """The catalog in force (replaced by a successful :meth:`reload_catalog`)."""
        return self.hall.catalog

    # ── 呼叫导服: a visitor calls, staff see and close ──
    def request_help(self, screen: str, language: Language = Language.ZH) -> HelpRequestView:
        """Record a visitor's 呼叫导服 (nothing personal: the screen and the language)."""
        with store_errors(self.store):
            request = self.store.help_requests.request(screen, Language(language))
        log.info("help requested on screen %s", screen)
        return request

    # ── sync ──
    def sync_state(self, *, compare: bool = True) -> SyncPanel:
        """Backlog, last success and error, and quarantined rows with their differences.

        ``compare`` asks the bureau for its side of each quarantined row (one short
        connection; skipped when nothing is quarantined).  A store that cannot be read
        does not hide the panel: ``store_problem`` and ``store_remedy`` say what to do.
        """
        views: tuple[QuarantineView, ...] = ()
        try:
            with self.store.guard():
                state = self._sync_state()
                views = quarantine_views(self.store, self.bureau, state.quarantined, compare)
        except StoreUnavailable:
            state = self._sync_state(readable=False)
        problem = self.store.problem
        return SyncPanel(
            configured=self.bureau is not None,
            running=state.running,
            online=state.online,
            backlog=state.backlog,
            last_success=state.last_success,
            last_error=state.last_error,
            last_error_at=state.last_error_at,
            failures=state.failures,
            quarantined=views,
            store_problem=problem.problem if problem is not None else None,
            store_remedy=problem.remedy if problem is not None else None,
        )

    def _sync_state(self, *, readable: bool = True) -> SyncState:
        if self.sync is not None and readable:
            return self.sync.state()
        running = self.sync is not None and self.sync.state_running()
        return SyncState(
            running=running,
            online=self.sync.online if self.sync is not None else False,
            backlog=self.store.outbox.backlog() if readable else 0,
            last_success=None,
            last_error=None,
            last_error_at=None,
            failures=0,
            quarantined=tuple(self.store.outbox.quarantined()) if readable else (),
        )

    def sync_now(self, actor: str = "staff") -> SyncNowResult:
        """Staff "sync now": top up ticket blocks, send the backlog, pull statuses — now.

        Runs here rather than waiting for the worker, under the same lock: one sender at
        a time (and a row the bureau already has is recognised by its id and hash).
        """
        self.audit("sync_now", None, actor=actor)
        if self.sync is None:
            return SyncNowResult(0, 0, NO_BUREAU, "", self.sync_state(compare=False))
        syncer = self.sync.syncer
        sent = statuses = 0
        error: Message | None = None
        detail = ""
        with syncer.lock, store_errors(self.store):
            try:
                syncer.top_up()
                sent = syncer.drain()
                submissions, tickets = syncer.pull()
                statuses = submissions + tickets
            except (BureauUnavailable, BureauRefused, KioskIdTooLong) as exc:
                error, detail = BUREAU_DOWN, str(exc)
                self.sync.failed(exc)
            else:
                self.sync.succeeded()
        self.sync.wake()
        return SyncNowResult(sent, statuses, error, detail, self.sync_state(compare=error is None))

    # ── printers ──
    def printer_status(self) -> dict[str, PrinterStatus]:
        return self.printers.status()

    def test_page(self, kind: DocumentKind, actor: str = "staff") -> PrintResult:
        """A test page on the printer of one document kind (audited)."""
        result = self.printers.test_page(DocumentKind(kind))
        self.audit(
            "test_page", kind, actor=actor, accepted=result.accepted, detail=result.detail[:200]
        )
        return result

    # ── today ──
    def today(self, now: datetime | None = None) -> DayFigures:
        """Tickets per queue, submissions per item, ratings, bad ratings, open help requests."""
        day = self.book.day(now or utcnow())
        with store_errors(self.store):
            counts = self.store.day_counts.of(day, *day_bounds(self.book, day))
        figures = day_figures(counts, self.catalog, day)
        return replace(figures, help_requests=tuple(self.open_help_requests()))

    # ── 呼叫导服: the open requests ──
    def open_help_requests(self) -> list[HelpRequestView]:
        with store_errors(self.store):
            return self.store.help_requests.open()

    def close_help_request(
        self, request_id: uuid.UUID, actor: str = "staff"
    ) -> HelpRequestView | None:
        """Staff "done" (audited); None when there is no such request."""
        with store_errors(self.store):
            return self.store.help_requests.close(request_id, actor)

    # ── 补打 by code ──
    def reprint(self, code: str, actor: str = "staff") -> ReprintResult:
        """Reprint by a submission code (its ticket and forms) or today's ticket number.

        Audited; a code this kiosk does not know comes back with ``found=False``.
        """
        typed = code.strip().upper()
        normal = normalise_code(typed)
        with store_errors(self.store):
            record = self.store.submissions.record(normal) if normal else None
        ticket_id = record.ticket_id if record is not None else self._ticket_by_number(typed)
        if record is None and ticket_id is None:
            self.audit("reprint", typed, actor=actor, found=False)
            return ReprintResult(typed, False, problems=(UNKNOWN_CODE,))
        catalog = self.catalog
        problems: list[Message] = []
        ticket_result = None
        if ticket_id is not None:
            ticket_result = self.tickets.reprint(
                ticket_id,
                submission_code=record.code if record is not None else None,
                id_number=holder_id(catalog, record) if record is not None else None,
                actor=actor,
            )
        forms_print = None
        if record is not None:
            forms = self.printers.forms(record, record.code, record.id, reprint=True, trial=True)
            if isinstance(forms, Message):
                problems.append(forms)
            else:
                forms_print = forms
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

    def _ticket_by_number(self, number: str) -> uuid.UUID | None:
        """Today's ticket with this number at this kiosk (the newest, should two queues share
        a prefix)."""
        match = TICKET_NUMBER.match(number)
        if match is None:
            return None
        day = self.book.day(utcnow())
        with store_errors(self.store):
            return self.store.tickets.by_number(match.group(1), int(match.group(2)), day)

    # ── the catalog ──
    def reload_catalog(self, path: str | os.PathLike[str], actor: str = "staff") -> CatalogReload:
        """Validate a catalog file and, only if it is sound, put it in force (audited)."""
        previous = self.catalog.version
        problems: tuple[str, ...]
        try:
            catalog = load_catalog(path)
        except CatalogError as exc:
            problems = tuple(str(p) for p in exc.problems)
        else:
            problems = tuple(str(p) for p in check_catalog(catalog))
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
        self.hall.put(catalog)
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

    # ── the audit trail ──
    def save_defaults(
        self,
        *,
        language: Language | None = None,
        theme: ThemeName | None = None,
        actor: str = "staff",
    ) -> Path:
        """The language and theme for the next visitors, kept across restarts (audited)."""
        language = Language(language) if language is not None else None  # ValueError: unknown
        theme = ThemeName(theme) if theme is not None else None
        path = self.settings.config_path
        if language is not None:
            write_setting(path, "language", language)
            self.settings = self.settings.with_values(language=language)
            self.audit("set_default_language", language, actor=actor)
        if theme is not None:
            write_setting(path, "theme", theme)
            self.settings = self.settings.with_values(theme=theme)
            self.audit("set_default_theme", theme, actor=actor)
        return path

    def audit(
        self, action: str, target: str | None = None, *, actor: str = "staff", **details: Any
    ) -> uuid.UUID:
        """Record one staff action (PIN entry, exit, setting changes — and those above)."""
        with store_errors(self.store):
            return self.store.audit.record(actor, action, target, **details)
