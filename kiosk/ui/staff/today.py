"""Staff panel · 今日情况: tickets per queue, submissions per item, ratings and every poor
rating with its reasons, and the open 呼叫导服 requests with "done"."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.codes import format_code
from kiosk.ui.staff.base import StaffPage, local_time
from kiosk.ui.text import STRINGS, text
from kiosk.ui.widgets.common import GAP, button, label

if TYPE_CHECKING:
    from kiosk.services import DayFigures, Tally
    from kiosk.ui.staff.controls import StaffControls


def screen_name(screen: str, language: str) -> str:
    """The title the visitor saw on that screen, where the window has one."""
    for key in (f"{screen}_title", screen):
        if key in STRINGS:
            return text(key, language)
    return screen


class TodayPage(StaffPage):
    key = "today"

    def __init__(self, mode: StaffControls):
        super().__init__(mode)
        self.refresh_button = self.action("refresh", self.show_page)
        self.figures: DayFigures | None = None
        self.done_buttons: dict[uuid.UUID, QPushButton] = {}

    def show_page(self) -> None:
        super().show_page()
        self.tell(self.say("loading"))
        self.call(lambda desk: desk.today(), self._show, what="today")

    def _tallies(self, title: str, tallies: tuple[Tally, ...]) -> None:
        _, box = self.section(title)
        if not tallies:
            self.line(box, self.say("today_none"), "muted")
        for tally in tallies:
            self._pair(box, f"{tally.name(self.lang)}（{tally.code}）", str(tally.count))

    def _pair(self, box: QVBoxLayout, what: str, value: str) -> None:
        row = QHBoxLayout()
        row.setSpacing(GAP)
        row.addWidget(label(what), 1)
        row.addWidget(label(value, "field", wrap=False))
        box.addLayout(row)

    def _show(self, figures: DayFigures) -> None:
        self.figures = figures
        self.tell(self.say("today_title", day=figures.day.isoformat()))
        self.list.clear()
        self.done_buttons = {}
        self._help(figures)
        self._tallies(self.say("today_tickets"), figures.tickets)
        self._tallies(self.say("today_submissions"), figures.submissions)
        _, box = self.section(self.say("today_ratings"))
        levels = [f"{self.say(f'rating_{lv.value}')} {n}" for lv, n in figures.ratings.items()]
        self.line(box, "　·　".join(levels), "field")
        _, box = self.section(self.say("today_bad"))
        if not figures.bad_ratings:
            self.line(box, self.say("today_none"), "muted")
        for bad in figures.bad_ratings:
            code = format_code(bad.submission_code) if bad.submission_code else None
            about = " · ".join(part for part in (bad.ticket_number, code, bad.target_code) if part)
            head = f"{local_time(bad.created_at)} · {self.say(f'rating_{bad.level.value}')}"
            self.line(box, f"{head} · {about}" if about else head, "field")
            if bad.reasons:
                self.line(box, "、".join(bad.reasons), "error")  # stored in Chinese
            if bad.comment:
                self.line(box, f"“{bad.comment}”")

    def _help(self, figures: DayFigures) -> None:
        _, box = self.section(self.say("today_help"))
        if not figures.help_requests:
            self.line(box, self.say("today_none"), "muted")
        for request in figures.help_requests:
            row = QHBoxLayout()
            row.setSpacing(GAP)
            spoken = "中文" if request.language == "zh" else "English"
            when = local_time(request.requested_at, with_date=True)
            text = self.say(
                "help_at", time=when, screen=screen_name(request.screen, self.lang), spoken=spoken
            )
            row.addWidget(label(text, "field"), 1)
            done = button(self.say("help_done"), "primary")
            done.clicked.connect(lambda _=False, r=request.id: self.close_request(r))
            row.addWidget(done)
            self.done_buttons[request.id] = done
            box.addLayout(row)

    def close_request(self, request_id: uuid.UUID) -> None:
        done = self.done_buttons.get(request_id)
        if done is not None:
            done.setEnabled(False)
        self.call(
            lambda desk: desk.close_help_request(request_id),
            lambda _closed: self.show_page(),
            what="close help request",
        )

    def wipe(self) -> None:
        super().wipe()
        self.figures = None
        self.done_buttons = {}
