"""取号 without a form: choose the queue, the priority lane on request, an ID number if wished.

The queues are the catalog's (the priority lane is not a queue to pick but a
request: the service routes it; its name and who it is for are the catalog's).
The ID number is optional and typed on the numeric keypad; with it the bureau's
rule of one waiting ticket per ID and queue applies, and a visitor who already
holds one is offered 补打 instead of a new number.  The ticket is taken in the
background and shown on the done screen at once; the slip prints after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QVBoxLayout, QWidget

from kiosk.forms.validators import Invalid, id_number
from kiosk.ui.input.kinds import GroupedLineEdit, InputKind, mark, set_caption
from kiosk.ui.navigation import Done, Screen, TicketRoute
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.services import calm_message
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import (
    Columns,
    RowButton,
    TouchScrollArea,
    button,
    label,
    set_prop,
)

if TYPE_CHECKING:
    from kiosk.services import TicketResult


class TicketScreen(ScreenPage[TicketRoute]):
    route = Screen.TICKET
    title_key = "ticket_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        columns = Columns()
        self.list = TouchScrollArea()
        self.queue_group = QButtonGroup(self)
        self.queue_rows: dict[str, RowButton] = {}
        for queue in ctx.catalog.queues.values():
            if queue.priority:
                continue
            row = RowButton()
            row.setCheckable(True)
            row.clicked.connect(self._refresh)
            self.queue_group.addButton(row)
            self.list.add(row)
            self.queue_rows[queue.code] = row
        self.priority = RowButton()
        self.priority.setCheckable(True)
        self.priority.clicked.connect(self._refresh)
        self.list.add(self.priority)
        self.priority.setVisible(bool(ctx.catalog.priority_queues()))
        columns.addWidget(self.list, 1)
        middle = QWidget()
        middle_box = QVBoxLayout(middle)
        middle_box.setContentsMargins(0, 0, 0, 0)
        middle_box.setSpacing(12)
        self.id_caption = label("", "field")
        self.id_help = label("", "small")
        # Typed on the kiosk's pad (the dock opens it), shown 6-8-4; never the Pinyin keyboard.
        self.id_edit = GroupedLineEdit((6, 8, 4))
        self.id_edit.setProperty("role", "number")
        self.id_edit.setMaxLength(20)
        mark(self.id_edit, InputKind.ID_NUMBER)
        self.id_edit.textEdited.connect(self._typed)
        self.id_error = label("", "error")
        self.id_error.hide()
        for widget in (self.id_caption, self.id_help, self.id_edit, self.id_error):
            middle_box.addWidget(widget)
        middle_box.addStretch(1)
        middle.setMinimumWidth(420)
        columns.addWidget(middle, 1)
        self.body.addLayout(columns, 1)
        self.choose_hint = label("", "muted")
        self.choose_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.footer.addWidget(self.choose_hint, 1)
        self.take_button = self.add_action(button("", "primary"))
        self.take_button.clicked.connect(self.take)

    def retranslate(self) -> None:
        super().retranslate()
        lang = self.lang
        self.subtitle.setText(self.say("ticket_hint"))
        self.subtitle.show()
        for code, row in self.queue_rows.items():
            queue = self.ctx.catalog.queues[code]
            windows = listing(queue.windows, lang)
            row.set_texts(queue.name(lang), self.say("ticket_queue_windows", windows=windows))
        lanes = self.ctx.catalog.priority_queues()
        if lanes:  # the catalog's own lane: its name, and who it is for
            lane = lanes[0]
            hint = lane.description(lang) if lane.description else ""
            self.priority.set_texts(self.say("ticket_priority", lane=lane.name(lang)), hint)
        self.id_caption.setText(self.say("ticket_id"))
        self.id_help.setText(self.say("ticket_id_hint"))
        self.id_edit.setAccessibleName(self.say("ticket_id"))
        set_caption(self.id_edit, self.say("ticket_id"))
        self.take_button.setText(self.say("ticket_take"))
        self._refresh()

    def chosen_queue(self) -> str | None:
        return next((code for code, row in self.queue_rows.items() if row.isChecked()), None)

    def _refresh(self) -> None:
        for row in [*self.queue_rows.values(), self.priority]:
            row.set_check("on" if row.isChecked() else "off")
        chosen = self.chosen_queue() is not None
        self.take_button.setEnabled(chosen)
        self.choose_hint.setText("" if chosen else self.say("ticket_choose"))

    def _typed(self, _: str) -> None:
        """A message about the ID number goes the moment the number is right."""
        if self.id_error.isVisible() and not isinstance(self._check_id(), Invalid):
            self._show_id_error(None)

    def _check_id(self) -> str | Invalid | None:
        """The typed ID number, normalised; None when left empty; Invalid (shown) when wrong."""
        typed = self.id_edit.value()
        if not typed:
            self._show_id_error(None)
            return None
        try:
            return id_number(typed)
        except Invalid as problem:
            self._show_id_error(problem)
            return problem

    def _show_id_error(self, problem: Invalid | None) -> None:
        self.id_error.setText(problem.message(self.lang) if problem else "")
        self.id_error.setVisible(problem is not None)
        set_prop(self.id_edit, "invalid", "true" if problem else "false")

    def take(self) -> None:
        tickets = self.ctx.services.tickets
        queue = self.chosen_queue()
        holder = self._check_id()
        if queue is None or isinstance(holder, Invalid):
            return
        priority = self.priority.isChecked()
        self.take_button.setEnabled(False)
        self.ctx.background.run(
            lambda: tickets.take(queue, priority, holder),
            self._taken,
            self._failed,
            label="take ticket",
        )

    def _taken(self, result: TicketResult) -> None:
        self._refresh()
        self.ctx.nav.go(Done.of_ticket(result))

    def _failed(self, error: Exception) -> None:
        self._refresh()
        message = calm_message(error)
        self.ctx.nav.notify(message(self.lang) if message else self.say("ticket_failed"))

    def reset(self) -> None:
        self.id_edit.setText("")
        self._show_id_error(None)
        self.queue_group.setExclusive(False)  # an exclusive group cannot be emptied
        for row in self.queue_rows.values():
            row.setChecked(False)
        self.queue_group.setExclusive(True)
        self.priority.setChecked(False)
        self._refresh()
