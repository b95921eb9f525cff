"""办件查询: type the application code, or scan the QR code on the forms → its status.

A barcode scanner is a keyboard that types what it read and presses Enter, so
the code box keeps the focus and Enter asks; a scanned QR code may hold the
hall's status URL, which ends with the code (:func:`code_in` finds it).  The
answer comes from the bureau's database when it answers; otherwise the screen
says so honestly and shows what this kiosk last saw, if anything.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.codes import format_code, normalise_code
from kiosk.message import Message
from kiosk.ui.input.kinds import GroupedLineEdit, InputKind, mark, set_caption
from kiosk.ui.navigation import Screen, StatusRoute
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.services import calm_message
from kiosk.ui.text import words
from kiosk.ui.widgets.common import GAP, button, card, label, set_prop

if TYPE_CHECKING:
    from kiosk.services import StatusAnswer

_TOKEN = re.compile(r"[0-9A-Za-z-]+")


def code_in(typed: str) -> str:
    """The application code in what was typed or scanned (the last code-shaped part of it)."""
    whole = normalise_code(typed.strip())  # typed: spaces and dashes forgiven
    if whole is not None:
        return whole
    for token in reversed(_TOKEN.findall(typed)):
        code = normalise_code(token)
        if code is not None:
            return code
    return typed.strip()


class StatusScreen(ScreenPage[StatusRoute]):
    route = Screen.STATUS
    scrolls = True
    title_key = "status_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.answer: StatusAnswer | None = None
        self.problem: Message | None = None  # no answer: why (no code typed, no store…)
        columns = QHBoxLayout()
        columns.setSpacing(GAP * 2)
        left = QVBoxLayout()
        left.setSpacing(GAP)
        self.code_caption = label("", "field")
        # Typed on the kiosk's code pad (the dock opens it) or by the scanner, never through
        # the Pinyin keyboard; shown in two groups of five as it is printed.
        self.code_edit = GroupedLineEdit((5, 5), separator="-")
        self.code_edit.setProperty("role", "code")
        self.code_edit.setMaxLength(64)  # a scanned status URL is longer than a code
        mark(self.code_edit, InputKind.CODE)
        self.code_edit.finish_with = (self.query, "status_query")  # the pad's last key: 查询
        self.code_edit.returnPressed.connect(self.query)
        left.addWidget(self.code_caption)
        left.addWidget(self.code_edit)
        self.result, result_box = card("banner")
        self.state = label("", "title")
        self.details = label("", None)
        self.note = label("", None)
        for widget in (self.state, self.details, self.note):
            result_box.addWidget(widget)
        left.addWidget(self.result)
        left.addStretch(1)
        self.result.hide()
        columns.addLayout(left, 1)
        self.body.addLayout(columns, 1)
        self.query_button = self.add_action(button("", "primary"))
        self.query_button.clicked.connect(self.query)

    def enter(self, route: StatusRoute) -> None:
        super().enter(route)
        self.code_edit.setFocus()  # where a scanner's keystrokes land (and the code pad opens)

    def retranslate(self) -> None:
        super().retranslate()
        self.subtitle.setText(self.say("status_hint"))
        self.subtitle.show()
        self.code_caption.setText(self.say("done_code"))
        self.code_edit.setPlaceholderText(self.say("status_placeholder"))
        self.code_edit.setAccessibleName(self.say("done_code"))
        set_caption(self.code_edit, self.say("done_code"))
        self.query_button.setText(self.say("status_query"))
        self._show()

    def query(self) -> None:
        desk = self.ctx.services.status
        code = code_in(self.code_edit.text())
        if not code:
            self.answer, self.problem = None, words("status_need_code")
            self._show()
            return
        if normalise_code(code):
            self.code_edit.setText(format_code(code))
        self.query_button.setEnabled(False)
        self.ctx.background.run(
            lambda: desk.query(code), self._answered, self._failed, label="status"
        )

    def _answered(self, answer: StatusAnswer) -> None:
        self.query_button.setEnabled(True)
        self.answer, self.problem = answer, None
        self._show()

    def _failed(self, error: Exception) -> None:
        self.query_button.setEnabled(True)
        self.answer = None
        self.problem = calm_message(error) or words("status_failed")
        self._show()

    def _show(self) -> None:
        answer = self.answer
        if answer is None:
            problem = self.problem(self.lang) if self.problem else ""
            self.state.setText(problem)
            self.details.setText("")
            self.note.setText("")
            set_prop(self.result, "tone", "no")
            self.result.setVisible(bool(problem))
            self._tidy()
            return
        lang = self.lang
        if not answer.found:
            message = answer.message
            self.state.setText(message(lang) if message else self.say("status_failed"))
            self.details.setText(self.say("status_code", code=answer.display_code))
            self.note.setText("")
            set_prop(self.result, "tone", "no")
        else:
            self.state.setText(answer.status_text(lang) if answer.status_text else "")
            lines = [self.say("status_code", code=answer.display_code)]
            target = answer.target_code
            if target:
                entry = self.ctx.catalog.items.get(target) or self.ctx.catalog.bundles.get(target)
                lines.append(self.say("status_item", item=entry.name(lang) if entry else target))
            if answer.ticket_number:
                lines.append(self.say("status_ticket", number=answer.ticket_number))
            if answer.changed_at is not None:
                at = answer.changed_at.astimezone().strftime("%Y-%m-%d %H:%M")
                lines.append(self.say("status_changed", at=at))
            self.details.setText("\n".join(lines))
            if answer.bureau_unreachable:
                message = answer.message
                self.note.setText(message(lang) if message else self.say("status_unreachable"))
            elif answer.from_bureau:
                self.note.setText(self.say("status_from_bureau"))
            else:
                self.note.setText("")
            set_prop(self.result, "tone", "info" if answer.bureau_unreachable else "ok")
        self.result.show()
        self._tidy()

    def _tidy(self) -> None:
        for widget in (self.state, self.details, self.note):
            widget.setVisible(bool(widget.text()))

    def reset(self) -> None:
        self.answer, self.problem = None, None
        self.code_edit.setText("")
        self.query_button.setEnabled(True)
        self._show()
