"""Apply: one page of the filling (the shared fields, or one item's own).

The page comes from ``session.filling.pages()``; each slot gets the widget for
its field type, and the window's input dock brings the keyboard or the pad for
whichever field has the focus (the first field to fill takes it on arrival).
Values go into the filling as the visitor finishes a field; a message clears
the moment its value is fixed; values the filling works out itself (a birth
date from an ID number) appear as they come.  Next checks the whole page:
format messages from the validators, then "required" and constraint messages
from the item's own rules.  Nothing moves on while a message is showing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.forms import Filling, Message, Page
from kiosk.forms.filling import Source
from kiosk.ui.navigation import ApplyPage, ReviewRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.staff.idcard import IdCardBar
from kiosk.ui.text import listing, source_mark
from kiosk.ui.widgets.common import GAP, TouchScrollArea, button, card, label
from kiosk.ui.widgets.fields import AddressField, FieldWidget, Pickers, field_widget


@dataclass(frozen=True)
class SlotState:
    relevant: bool
    required: bool
    error: Message | None


def slot_states(filling: Filling, page: Page) -> dict[str, SlotState]:
    """Relevance, requiredness and rule errors of a page's slots, over every form they feed."""
    found: dict[str, SlotState] = {}
    keys = {slot.key for slot in page.slots}
    for item in {code for slot in page.slots for code in slot.items}:
        for status in filling.report(item).fields:
            key = status.slot.key
            if key not in keys:
                continue
            old = found.get(key)
            error = status.error if status.relevant else None
            found[key] = SlotState(
                relevant=status.relevant or (old.relevant if old else False),
                required=status.required or (old.required if old else False),
                error=(old.error if old and old.error else error),
            )
    return found


# Field types typed on the keyboard or the pad (dates and choices are tapped, not typed).
TYPED = frozenset({"text", "long_text", "integer", "money", "id_number", "uscc", "mobile"})


class ApplyScreen(ScreenPage[ApplyPage]):
    route = Screen.APPLY
    form_screen = True
    title_key = "apply_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.pickers: Pickers | None = ctx.pickers
        self.target = ApplyPage()
        self.page: Page | None = None
        self.fields: dict[str, FieldWidget] = {}
        left = QWidget()
        self.form = TouchScrollArea()
        self.form.show_position()  # a long form shows where in it the visitor is
        self.form.rows.setSpacing(GAP + 8)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.setSpacing(GAP)
        self.feeds, feeds_box = card("banner")
        self.feeds.setProperty("tone", "info")
        self.feeds_text = label("")
        feeds_box.addWidget(self.feeds_text)
        # The banners (the ID card's, then the shared details') are the form's first rows,
        # not fixed above it: on a short screen (1366×768, 大字, the guide's band) they
        # scroll away and leave the fields the room.
        self.id_card = IdCardBar(ctx)
        self.id_card.about_to_fill.connect(self.leave)
        self.id_card.card_applied.connect(lambda: self.enter(self.target))
        self.form.add(self.id_card)
        self.form.add(self.feeds)
        left_box.addWidget(self.form, 1)
        self.problems = label("", "error")
        self.problems.hide()
        left_box.addWidget(self.problems)
        self.body.addWidget(left, 1)
        self.next = self.add_action(button("", "primary"))
        self.next.clicked.connect(self.next_page)

    def set_typing(self, typing: bool) -> None:
        """While the keys are below, the form gets every pixel: the banners step aside too."""
        super().set_typing(typing)
        shared = self.page is not None and self.page.item is None
        self.feeds.setVisible(shared and not typing)
        self.id_card.setVisible(not typing and self.id_card.wanted)

    # ── building ──
    def pages(self) -> list[Page]:
        filling = self.ctx.session.filling
        return filling.pages() if filling is not None else []

    def enter(self, route: ApplyPage) -> None:
        self.target = route
        self._build()
        super().enter(route)
        # Coming back to fix a field (from the review, or a message): it takes the focus and
        # its keys open.  A new page shows its heading and banners first: the visitor taps.
        focus = self.fields.get(self.target.focus or "")
        self.form.to_top()
        if focus is not None:
            # After the window has shown the page: the dock opens for it and scrolls it up.
            QTimer.singleShot(0, self, lambda w=focus: self._focus(w))

    def _focus(self, widget: FieldWidget) -> None:
        if widget.slot.key in self.fields and self.isVisible():
            self.form.reveal(widget)
            widget.focus_input()

    def _build(self) -> None:
        self._clear_fields()
        self.form.add(self.id_card)
        self.form.add(self.feeds)
        pages = self.pages()
        filling = self.ctx.session.filling
        if not pages or filling is None:
            self.page = None
            return
        self.page = pages[min(self.target.index, len(pages) - 1)]
        states = slot_states(filling, self.page)
        for slot in self.page.slots:
            state = states.get(slot.key, SlotState(True, slot.field.required, None))
            widget = field_widget(slot, self.lang, state.required, self.pickers)
            widget.edited.connect(self._edited)
            widget.changed.connect(self._changed)
            entered = filling.get(slot.key)
            if entered is not None:
                widget.set_value(entered.value)
            elif isinstance(widget, AddressField):
                widget.use_home_region()  # most visitors live in the hall's own district
            widget.typed_by = None  # showing the stored value is nobody's edit
            widget.source_of = self.ctx.entry_source  # from here on, edits say who typed them
            self.form.add(widget)
            self.fields[slot.key] = widget
        self.id_card.show_for(self.page)
        self._refresh_relevance()
        self._show_worked_out()

    def _source(self, key: str, widget: FieldWidget) -> Source:
        """Who entered a value: whoever changed it on this page, else whoever entered it before."""
        filling = self.ctx.session.filling
        entered = filling.get(key) if filling is not None else None
        return widget.typed_by or (entered.source if entered is not None else Source.CITIZEN)

    def _clear_fields(self) -> None:
        for widget in self.fields.values():
            # Emptying a focused input makes Qt report an edit; it must not reach the filling.
            widget.blockSignals(True)
        for banner in (self.id_card, self.feeds):
            self.form.rows.removeWidget(banner)  # kept: only the fields go
        self.form.clear()
        self.fields = {}
        self.problems.setText("")
        self.problems.hide()

    def retranslate(self) -> None:
        super().retranslate()
        pages = self.pages()
        page = self.page
        if page is None:
            self.feeds.hide()
            return
        lang = self.lang
        index = pages.index(page) if page in pages else 0
        self.subtitle.setText(
            self.say("apply_progress", n=index + 1, total=len(pages), page=page.title(lang))
        )
        self.subtitle.show()
        shared = page.item is None
        self.feeds.setVisible(shared)
        if shared:
            names = listing((item.name(lang) for item in self.ctx.session.items), lang)
            self.feeds_text.setText(self.say("shared_feeds", items=names))
        filling = self.ctx.session.filling
        for key, widget in self.fields.items():
            widget.retranslate(lang)
            widget.set_tag(source_mark(filling.get(key), lang) if filling is not None else "")
        self.id_card.retranslate(lang)
        if self.target.from_review:
            self.next.setText(self.say("back_to_review"))
        else:
            last = index == len(pages) - 1
            self.next.setText(self.say("to_review" if last else "next_page"))
        if self.problems.isVisible():
            self._show_problem_count()
        self._show_worked_out()

    # ── typing ──
    def _edited(self, key: str) -> None:
        filling = self.ctx.session.filling
        widget = self.fields.get(key)
        if filling is None or widget is None:
            return
        message = filling.set(key, widget.value(), self._source(key, widget))
        widget.show_error(message)
        widget.set_tag(source_mark(filling.get(key), self.lang))
        self._refresh_relevance()
        self._show_worked_out(key)
        if self.problems.isVisible():
            self._show_problem_count()

    def _changed(self, key: str) -> None:
        """A key typed into a field that shows a message: clear it once the value is right."""
        filling = self.ctx.session.filling
        widget = self.fields.get(key)
        if filling is None or widget is None or widget.error is None or self.page is None:
            return
        if filling.set(key, widget.value(), self._source(key, widget)) is not None:
            return  # still wrong: the message stays until it is right (no flicker while typing)
        state = slot_states(filling, self.page).get(key)
        if state is None or state.error is None:
            widget.show_error(None)
            if self.problems.isVisible():
                self._show_problem_count()

    def _show_worked_out(self, edited: str | None = None) -> None:
        """Values the filling works out itself (a birth date from the ID number, an answer
        given in the consultation): shown as they come, read-only where the catalog says."""
        filling = self.ctx.session.filling
        if filling is None:
            return
        for key, widget in self.fields.items():
            prefill = filling.prefill(key)
            if prefill is None or key == edited:
                continue
            widget.set_read_only(prefill.read_only)
            source = self.say("prefilled_from", source=prefill.source_label(self.lang))
            entered = filling.get(key)
            if prefill.value is not None and entered is not None:
                if entered.value != widget.value():
                    widget.set_value(entered.value)
                    widget.show_error(None)
                widget.set_tag(source)

    def _refresh_relevance(self) -> None:
        filling = self.ctx.session.filling
        if filling is None or self.page is None:
            return
        for key, state in slot_states(filling, self.page).items():
            widget = self.fields.get(key)
            if widget is not None:
                widget.setVisible(state.relevant)
                if widget.required != state.required:
                    widget.required = state.required
                    widget.retranslate(self.lang)

    # ── moving on ──
    def check_page(self) -> list[FieldWidget]:
        """Commit every field on the page; the widgets that show a message, top to bottom."""
        filling = self.ctx.session.filling
        if filling is None or self.page is None:
            return []
        formats: dict[str, Message | None] = {}
        for key, widget in self.fields.items():
            formats[key] = filling.set(key, widget.value(), self._source(key, widget))
        states = slot_states(filling, self.page)
        invalid = []
        for key, widget in self.fields.items():
            state = states.get(key)
            relevant = state is None or state.relevant
            message = formats[key] or (state.error if state else None)
            widget.show_error(message if relevant else None)
            if relevant and message is not None:
                invalid.append(widget)
        self._refresh_relevance()
        return invalid

    def _show_problem_count(self) -> None:
        count = sum(1 for w in self.fields.values() if w.isVisible() and w.error is not None)
        self.problems.setText(self.say("page_has_errors", count=count) if count else "")
        self.problems.setVisible(bool(count))

    def next_page(self) -> None:
        invalid = self.check_page()
        if invalid:
            self.problems.show()
            self._show_problem_count()
            self.form.reveal(invalid[0])
            if invalid[0].slot.field.type.value in TYPED:
                invalid[0].focus_input()
            return
        self.problems.hide()
        if self.target.from_review:
            self.ctx.nav.back()
        elif self.target.index + 1 < len(self.pages()):
            self.ctx.nav.go(ApplyPage(self.target.index + 1))
        else:
            self.ctx.nav.go(ReviewRoute())

    def leave(self) -> None:
        # Keep what was typed on the page (valid values only) when the visitor steps away.
        filling = self.ctx.session.filling
        if filling is not None:
            for key, widget in self.fields.items():
                filling.set(key, widget.value(), self._source(key, widget))
        self._clear_fields()

    def reset(self) -> None:
        self.target = ApplyPage()
        self.page = None
        self._clear_fields()
        self.feeds_text.setText("")
        self.id_card.reset()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
