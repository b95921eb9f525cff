"""Preview: the visitor's forms exactly as they will print, then "submit".

The forms are rendered in the background by the same renderer the printer gets
(``services.submissions.preview``), and shown with QtPdf from memory.  Leaving the
screen or forgetting the visitor closes the preview; a render that finishes after the
visitor left is dropped.

Submitting freezes the session into a draft here, on the GUI thread, and only the
draft goes to the worker that stores it; the done screen follows the moment the
receipt is back (printing comes after, on the done screen), or a calm message, and
the visitor's answers stay.  A visit reset meanwhile drops the receipt
(``Background.forget``): the next visitor never sees it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout

from kiosk.ui.navigation import Done, PreviewRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.services import calm_message
from kiosk.ui.widgets.common import GAP, TouchScrollArea, button, card, label, set_prop
from kiosk.ui.widgets.preview import FormPreview

if TYPE_CHECKING:
    from kiosk.services import Submitted

log = logging.getLogger(__name__)


class PreviewScreen(ScreenPage[PreviewRoute]):
    route = Screen.PREVIEW
    form_screen = True
    title_key = "preview_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self._generation = 0  # which render the screen waits for
        self._state = "idle"  # idle | rendering | shown | failed
        # Landscape: the card on the left, the page beside it.  Portrait: the page across the
        # whole width on top, the card as a band below it (see resizeEvent).
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.setSpacing(GAP * 2)
        side, side_box = card()
        self.side = side
        self.items = label("", "section")
        self.state = label("", None)
        self.scroll_hint = label("", "muted")
        self.next_hint = label("", None)
        # The words scroll if the card is short (1366×768, large text); 确认提交 stays put.
        words = TouchScrollArea()
        for widget in (self.items, self.state, self.scroll_hint, self.next_hint):
            words.add(widget)
        side_box.addWidget(words, 1)
        self.words = words
        # 确认提交 on the left, in the card: not where the review's 下一步 was (bottom right),
        # so the second half of a double tap there can never submit.
        self.submit_button = button("", "primary")
        self.submit_button.clicked.connect(self.submit)
        side_box.addWidget(self.submit_button)
        self.columns.addWidget(side)
        self.preview = FormPreview()
        self.columns.addWidget(self.preview, 1)
        self.body.addLayout(self.columns, 1)
        self._arrange(portrait=False)
        self.change_button = self.add_action(button("", None))
        self.change_button.clicked.connect(self.go_back)

    @property
    def portrait(self) -> bool:
        return self.columns.direction() is QBoxLayout.Direction.BottomToTop

    def _arrange(self, *, portrait: bool) -> None:
        if portrait:
            # The first item goes to the bottom: the card under the page, as wide as it.
            self.columns.setDirection(QBoxLayout.Direction.BottomToTop)
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(16_777_215)
            self.side.setMaximumHeight(max(320, self.height() // 3))
            self._fit_words()
        else:
            self.words.setMinimumHeight(0)
            self.columns.setDirection(QBoxLayout.Direction.LeftToRight)
            self.side.setMinimumWidth(420)
            self.side.setMaximumWidth(560)
            self.side.setMaximumHeight(16_777_215)

    def _fit_words(self) -> None:
        """Portrait: the card as tall as its words (up to a third of the screen), so that the
        item names are read whole, not cut off at the edge of a short band."""
        body = self.words.body
        width = self.words.viewport().width() or self.width()
        wanted = body.heightForWidth(width)  # -1: the words do not wrap at this width
        wanted = wanted if wanted >= 0 else body.sizeHint().height()
        self.words.setMinimumHeight(min(wanted, self.height() // 4))

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        self._arrange(portrait=size.height() > size.width())
        super().resizeEvent(event)

    def enter(self, route: PreviewRoute) -> None:
        super().enter(route)
        self.show_preview()

    def show_preview(self) -> None:
        submissions = self.ctx.services.submissions
        self.preview.clear()
        self._generation += 1
        generation = self._generation
        self._state = "rendering"
        self.retranslate()
        try:
            draft = self.ctx.session.draft()  # frozen here: the worker never reads the session
        except ValueError as error:
            self._failed(generation, error)
            return
        self.ctx.background.run(
            lambda: submissions.preview(draft),
            lambda pdf: self._rendered(generation, pdf),
            lambda error: self._failed(generation, error),
            label="preview forms",
        )

    def _rendered(self, generation: int, pdf: bytes) -> None:
        if generation != self._generation or not self.isVisible():
            return  # the visitor moved on: nothing to show, nothing kept
        self.preview.show_pdf(pdf)
        self._state = "shown" if self.preview.loaded else "failed"
        self.retranslate()

    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        if not isinstance(error, OSError | ValueError):
            log.error("the forms preview could not be rendered", exc_info=error)  # a bug
        self._state = "failed"
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.subtitle.setText(self.say("preview_hint"))
        self.subtitle.show()
        session = self.ctx.session
        self.items.setText("\n".join(item.name(self.lang) for item in session.items))
        state = {
            "rendering": self.say("preview_rendering"),
            "shown": self.say("preview_pages", count=self.preview.pages),
            "failed": self.say("preview_failed"),
        }.get(self._state, "")
        self.state.setText(state)
        set_prop(self.state, "role", "error" if self._state == "failed" else "section")
        self.scroll_hint.setText(self.say("preview_scroll") if self._state == "shown" else "")
        self.scroll_hint.setVisible(self._state == "shown")
        self.next_hint.setText(self.say("preview_next"))
        self.change_button.setText(self.say("preview_change"))
        self.submit_button.setText(self.say("submit"))
        self.back_button.hide()  # "change something" says it better here
        if self.portrait:
            self._fit_words()

    # ── submitting ──
    def submit(self) -> None:
        """Store the draft in the background; the done screen follows, or a calm message."""
        submissions = self.ctx.services.submissions
        try:
            draft = self.ctx.session.draft()  # the GUI thread freezes what the visitor entered
        except ValueError as error:  # nothing to submit: a window bug, told calmly
            log.error("nothing to submit from the preview", exc_info=error)
            self.ctx.nav.notify(self.say("submit_failed"))
            return
        self.submit_button.setEnabled(False)  # one tap, one submission
        self.ctx.background.run(
            lambda: submissions.submit(draft), self._submitted, self._not_submitted, label="submit"
        )

    def _submitted(self, submitted: Submitted) -> None:
        self.submit_button.setEnabled(True)
        self.ctx.nav.go(Done.of_submission(submitted))

    def _not_submitted(self, error: Exception) -> None:
        self.submit_button.setEnabled(True)
        message = calm_message(error)
        self.ctx.nav.notify(message(self.lang) if message else self.say("submit_failed"))

    def leave(self) -> None:
        self._generation += 1  # a render still running is dropped when it arrives
        self._state = "idle"
        self.preview.clear()

    def reset(self) -> None:
        self.leave()
        self.items.setText("")
        self.state.setText("")
        self.submit_button.setEnabled(True)  # a submit cut off by the reset: the next visitor's
