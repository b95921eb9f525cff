"""Review ("check your answers"): every relevant value, page by page; tap a line to change it.

Next is the preview of the forms as they will print, where the visitor submits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout

from kiosk.forms import Filling, Page
from kiosk.ui.navigation import ApplyPage, PreviewRoute, ReviewRoute, Screen
from kiosk.ui.screens.apply import slot_states
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.text import source_mark
from kiosk.ui.widgets.common import (
    PAD,
    LayoutButton,
    TouchScrollArea,
    button,
    card,
    label,
    set_prop,
)


class ReviewLine(LayoutButton):
    """One answer: what was asked, what was entered (or the problem), and "change"."""

    def __init__(
        self, key: str, caption: str, value: str, change: str, problem: str = "", mark: str = ""
    ):
        super().__init__("row")
        self.key = key
        grid = QGridLayout(self)
        grid.setContentsMargins(PAD, 14, PAD, 14)
        grid.setHorizontalSpacing(PAD)
        self.caption = label(caption, "muted")
        self.value = label(value, "error" if problem else "field")
        self.change = label(change, "link", wrap=False)
        grid.addWidget(self.caption, 0, 0)
        grid.addWidget(self.value, 0, 1)
        grid.addWidget(self.change, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self.passive(self.caption, self.value, self.change)
        # 导服代填 / 来自身份证: not typed by the visitor
        self.mark = label(mark, "tag", wrap=False)
        self.passive(self.mark)
        grid.addWidget(self.mark, 1, 1, Qt.AlignmentFlag.AlignLeft)
        # Hidden only once it has a parent: shown before, a widget is a window of its own
        # for a moment, and takes the activation away from the kiosk's.
        self.mark.setVisible(bool(mark))


class ReviewScreen(ScreenPage[ReviewRoute]):
    route = Screen.REVIEW
    form_screen = True
    title_key = "review_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.status, status_box = card("banner")
        self.status_text = label("", "section")
        status_box.addWidget(self.status_text)
        self.body.addWidget(self.status)
        self.list = TouchScrollArea()
        self.body.addWidget(self.list, 1)
        self.lines: list[ReviewLine] = []
        self.submit_button = self.add_action(button("", "primary"))
        self.submit_button.clicked.connect(self.submit)

    def enter(self, route: ReviewRoute) -> None:
        super().enter(route)
        self.list.to_top()

    def retranslate(self) -> None:
        super().retranslate()
        self.list.clear()
        self.lines = []
        self.subtitle.setText(self.say("review_hint"))
        self.subtitle.show()
        self.submit_button.setText(self.say("to_preview"))
        filling = self.ctx.session.filling
        if filling is None:
            self.status.hide()
            return
        missing = 0
        for index, page in enumerate(filling.pages()):
            frame, count = self._page(filling, index, page)
            missing += count
            self.list.add(frame)
        self.status.show()
        set_prop(self.status, "tone", "no" if missing else "ok")
        key = "review_missing" if missing else "review_ready"
        self.status_text.setText(self.say(key, count=missing))
        self.submit_button.setEnabled(not missing)

    def _page(self, filling: Filling, index: int, page: Page) -> tuple[QFrame, int]:
        lang = self.lang
        frame, box = card()
        box.setSpacing(14)  # the lines are buttons: ≥ 12 px apart, one finger, one line
        box.addWidget(label(page.title(lang), "section"))
        states = slot_states(filling, page)
        missing = 0
        for slot in page.slots:
            state = states.get(slot.key)
            if state is not None and not state.relevant:
                continue
            shown = filling.display(slot.key, lang)
            problem = state.error(lang) if state is not None and state.error else ""
            missing += bool(problem)
            value = shown or self.say("review_empty")
            if problem:
                value = f"{shown or self.say('review_empty')} — {problem}"
            line = ReviewLine(
                slot.key,
                slot.field.label(lang),
                value,
                self.say("review_change") + " ›",
                problem,
                source_mark(filling.get(slot.key), lang),
            )
            target = ApplyPage(index, focus=slot.key, from_review=True)
            line.clicked.connect(lambda _=False, t=target: self.ctx.nav.go(t))
            box.addWidget(line)
            self.lines.append(line)
        return frame, missing

    def submit(self) -> None:
        self.ctx.nav.go(PreviewRoute())

    def reset(self) -> None:
        self.list.clear()
        self.lines = []
        self.status_text.setText("")
