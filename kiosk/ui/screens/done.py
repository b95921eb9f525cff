"""Done: after submit or 取号 — the ticket number very large, where to wait, the papers.

The screen shows a :class:`~kiosk.ui.navigation.Done`, made from the service's answer
the moment it is stored: the ticket (or honestly none), the application code, and
each paper's printing — 正在打印… while the printers work, then 已打印 or 未能打印
with what to do (the code and the number are on the screen, so nothing depends on
paper).  The printing itself starts here, once per visit, as its own background
operation after the receipt; whatever the printers do, the visitor already has this
screen.  A 补打 offer comes when the visitor already held a waiting ticket.  A fresh
ticket is announced aloud where the kiosk has a voice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.codes import format_code
from kiosk.statuses import PrintState
from kiosk.ui.navigation import Done, RatingTarget, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.services import calm_message
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import GAP, PAD, Columns, button, card, label, set_prop

if TYPE_CHECKING:
    from kiosk.services import TicketResult, TicketView

log = logging.getLogger(__name__)


class DoneScreen(ScreenPage[Done]):
    route = Screen.DONE
    scrolls = True

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.done: Done | None = None  # what the screen shows: the route, its papers updated
        self._route: Done | None = None  # the route entered with: its papers are sent once
        self.back_button.hide()  # submitted is submitted: no way back into the form
        self.home_button.hide()  # "finish" below goes home and forgets the visit
        columns = Columns()
        self.ticket_card, box = card()
        box.setContentsMargins(PAD * 2, PAD * 2, PAD * 2, PAD * 2)
        self.caption = label("", "section")
        self.number = label("", "ticket", wrap=False)
        self.queue = label("", "title")
        self.windows = label("", "section")
        self.ahead = label("", "section")
        for widget in (self.caption, self.number, self.queue, self.windows, self.ahead):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.setSpacing(12)
        box.addStretch(1)
        box.addWidget(self.caption)
        box.addWidget(self.number)
        box.addWidget(self.queue)
        box.addWidget(self.windows)
        box.addSpacing(PAD)
        box.addWidget(self.ahead)
        box.addStretch(1)
        columns.addWidget(self.ticket_card, 1)
        side = card()
        self.side_card, side_box = side
        side_box.setContentsMargins(PAD * 2, PAD * 2, PAD * 2, PAD * 2)
        side_box.setSpacing(GAP)
        self.code_caption = label("", "muted")
        self.code = label("", "code", wrap=False)
        self.code_hint = label("", "muted")
        self.printed_caption = label("", "section")
        self.printed_list = label("", None)
        self.take_hint = label("", "muted")
        self.problem, problem_box = card("banner")
        self.problem_text = label("", "section")
        problem_box.addWidget(self.problem_text)
        self.offer, offer_box = card("banner")
        self.offer.setProperty("tone", "info")
        self.offer_text = label("", "section")
        self.reprint_button = button("", "primary")
        self.reprint_button.clicked.connect(self._reprint)
        offer_box.addWidget(self.offer_text)
        offer_box.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignLeft)
        shown_in_order: tuple[QWidget, ...] = (
            self.code_caption,
            self.code,
            self.code_hint,
            self.problem,
            self.offer,
            self.printed_caption,
            self.printed_list,
            self.take_hint,
        )
        for part in shown_in_order:
            side_box.addWidget(part)
        side_box.addStretch(1)
        columns.addWidget(self.side_card, 1)
        self.body.addLayout(columns, 1)
        self.rate_button = self.add_action(button("", None))
        self.rate_button.clicked.connect(self._rate)
        self.finish_button = self.add_action(button("", "primary"))
        self.finish_button.clicked.connect(ctx.nav.end_visit)

    def enter(self, route: Done) -> None:
        fresh = route is not self._route  # else back here (from the rating): as it is now
        if fresh:
            self._route = self.done = route
        super().enter(route)
        done = self.done
        if done is not None and done.announce and done.ticket is not None:
            self.ctx.services.voice.announce(self._announcement(done.ticket), self.lang)
            self.done = replace(done, announce=False)  # once, not again after a language switch
        if fresh:
            self._print(route)

    # ── the papers, printed once per receipt, after it ──
    def _print(self, route: Done) -> None:
        if route.submitted is not None:
            submitted, submissions = route.submitted, self.ctx.services.submissions
            self.ctx.background.run(
                lambda: submissions.print(submitted),
                lambda prints: self._printed(route, lambda d: d.printed_submission(prints)),
                lambda error: self._not_printed(route, error),
                label="print ticket and forms",
                quiet=True,  # the screen says 正在打印…; nothing waits for it
            )
        elif route.taken is not None:
            taken, tickets = route.taken, self.ctx.services.tickets
            self.ctx.background.run(
                lambda: tickets.print(taken),
                lambda result: self._printed(route, lambda d: d.printed_ticket(result)),
                lambda error: self._not_printed(route, error),
                label="print ticket",
                quiet=True,
            )

    def _printed(self, route: Done, update: Callable[[Done], Done]) -> None:
        if self._route is route and self.done is not None:  # still this receipt's screen
            self.done = update(self.done)
            self.retranslate()

    def _not_printed(self, route: Done, error: Exception) -> None:
        log.error("printing after the receipt failed", exc_info=error)  # the services never raise
        self._printed(route, Done.not_printed)

    def _announcement(self, ticket: TicketView) -> str:
        if ticket.people_ahead is None:
            return self.say("announce_ticket_offline", number=ticket.number)
        return self.say("announce_ticket", number=ticket.number, ahead=ticket.people_ahead)

    def retranslate(self) -> None:
        super().retranslate()
        done = self.done
        if done is None:
            return
        if done.reprint_offered:
            title = "done_held_title"
        else:
            title = "done_title" if done.code else "done_ticket_title"
        self.title.setText(self.say(title))
        self._show_ticket(done)
        self._show_side(done)
        self.rate_button.setText(self.say("rate_this"))
        self.finish_button.setText(self.say("finish"))

    def _show_ticket(self, done: Done) -> None:
        ticket = done.ticket
        lang = self.lang
        if ticket is None:
            self.caption.setText(self.say("done_no_ticket"))
            self.number.setText(format_code(done.code) if done.code else "—")
            set_prop(self.number, "role", "code" if done.code else "ticket")
            for widget in (self.queue, self.windows, self.ahead):
                widget.setText("")
                widget.hide()
            return
        set_prop(self.number, "role", "ticket")
        queue = self.ctx.catalog.queues.get(ticket.queue)
        caption = self.say("done_your_number")
        if ticket.priority:
            caption += " · " + self.say("done_priority")
        self.caption.setText(caption)
        self.number.setText(ticket.number)
        self.queue.setText(queue.name(lang) if queue else ticket.queue)
        windows = listing(queue.windows, lang) if queue else ""
        self.windows.setText(self.say("done_go_to", windows=windows) if windows else "")
        if ticket.people_ahead is None:
            ahead = self.say("done_standalone" if ticket.standalone else "done_offline")
        elif ticket.people_ahead == 0:
            ahead = self.say("done_ahead_none")
        elif ticket.wait_minutes:
            ahead = self.say("done_ahead", ahead=ticket.people_ahead, minutes=ticket.wait_minutes)
        else:
            ahead = self.say("done_ahead_no_wait", ahead=ticket.people_ahead)
        self.ahead.setText(ahead)
        for widget in (self.queue, self.windows, self.ahead):
            widget.setVisible(bool(widget.text()))

    def _show_side(self, done: Done) -> None:
        has_code = done.code is not None and done.ticket is not None
        self.code_caption.setText(self.say("done_code") if has_code else "")
        self.code.setText(format_code(done.code) if has_code and done.code else "")
        self.code_hint.setText(self.say("done_code_hint") if done.code else "")
        for widget in (self.code_caption, self.code, self.code_hint):
            widget.setVisible(bool(widget.text()))
        lines = [self._paper_line(done, kind, state) for kind, state in done.papers]
        printed = {kind for kind, state in done.papers if state is PrintState.ACCEPTED}
        failed = [kind for kind, state in done.papers if state is PrintState.FAILED]
        self.printed_caption.setText(self.say("done_papers") if done.papers else "")
        self.printed_list.setText("\n".join(lines))
        if done.printing or not printed:
            take = ""
        elif "form" in printed:
            take = self.say("done_take_papers")
        else:  # 取号 only: the ticket, and a way to use the wait
            take = self.say("done_take_ticket") + "\n\n" + self.say("done_while_waiting")
        self.take_hint.setText(take)
        for widget in (self.printed_caption, self.printed_list, self.take_hint):
            widget.setVisible(bool(widget.text()))
        problem = self._problem(done, failed)
        self.problem_text.setText(problem)
        set_prop(self.problem, "tone", "no")
        self.problem.setVisible(bool(problem))
        offer = done.reprint_offered and done.ticket is not None
        number = done.ticket.number if done.ticket is not None else ""
        self.offer_text.setText(self.say("reprint_offer", number=number) if offer else "")
        self.reprint_button.setText(self.say("reprint"))
        self.offer.setVisible(offer)

    def _paper_line(self, done: Done, kind: str, state: PrintState) -> str:
        doc = self.say(f"doc_{kind}")
        if state is PrintState.QUEUED:
            return self.say("done_printing_line", doc=doc)
        if state is PrintState.ACCEPTED:
            return self.say("done_printed_line", doc=doc)
        if done.code is not None:
            return self.say("done_failed_line", doc=doc)
        return self.say("done_failed_ticket_line", doc=doc)

    def _problem(self, done: Done, failed: Sequence[str]) -> str:
        if done.message is not None:
            return done.message(self.lang)
        if "ticket" in failed and done.ticket is not None:
            return self.say("ticket_not_printed", number=done.ticket.number)
        return ""

    def _reprint(self) -> None:
        done, tickets = self.done, self.ctx.services.tickets
        if done is None or done.ticket is None:
            return
        ticket_id, code, tail = done.ticket.id, done.code, done.id_tail
        self.reprint_button.setEnabled(False)
        self.ctx.background.run(
            lambda: tickets.reprint(ticket_id, submission_code=code, id_number=tail),
            self._reprinted,
            self._reprint_failed,
            label="reprint ticket",
        )

    def _reprinted(self, result: TicketResult) -> None:
        self.reprint_button.setEnabled(True)
        done = self.done
        if done is None:  # the visit ended meanwhile
            return
        self.done = done.printed_ticket(result)
        self.retranslate()
        if result.printed is not None and result.printed.accepted:
            self.ctx.nav.notify(self.say("reprinted"))

    def _reprint_failed(self, error: Exception) -> None:
        self.reprint_button.setEnabled(True)
        message = calm_message(error)
        self.ctx.nav.notify(message(self.lang) if message else self.say("print_failed"))

    def _rate(self) -> None:
        done = self.done
        if done is None:
            return
        ticket = done.ticket
        label_text = format_code(done.code) if done.code else (ticket.number if ticket else "")
        self.ctx.nav.go(RatingTarget(done.submission_id, ticket.id if ticket else None, label_text))

    def reset(self) -> None:
        self.done = self._route = None
        self.reprint_button.setEnabled(True)
        for widget in (
            self.caption,
            self.number,
            self.queue,
            self.windows,
            self.ahead,
            self.code,
            self.printed_list,
            self.problem_text,
            self.offer_text,
        ):
            widget.setText("")
