"""读取身份证 on form pages: read the resident ID card, fill the fields the catalog marks.

The reader (a real device, or :class:`kiosk.idcard.SimulatedReader`) comes from
the composition root as ``Services.id_reader``; without one the button is never
shown.  Reading may take a second on a real device, so it runs in the
background; the filling itself (:func:`kiosk.idcard.fill_from_card`) happens
back on the GUI thread, between the screen committing what was typed and
rebuilding the page, so the filled fields appear marked 来自身份证.  An expired
or unreadable card gets its calm message and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout

from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, PAD, button, label, set_prop

if TYPE_CHECKING:
    from kiosk.forms.filling import Page
    from kiosk.idcard import IdCard, IdCardReader
    from kiosk.ui.screens.base import ScreenContext

log = logging.getLogger(__name__)


def wants_card(page: Page | None) -> bool:
    return page is not None and any(slot.field.id_card is not None for slot in page.slots)


class IdCardBar(QFrame):
    """The 读取身份证 button with a hint, and the outcome of the last read."""

    # A card was read: the screen commits what was typed (and takes its fields down) ...
    about_to_fill = Signal()
    # ... the card's values go into the filling, and the screen shows the page again,
    # values and marks included.
    card_applied = Signal()

    def __init__(self, ctx: ScreenContext, today: Callable[[], dt.date] = dt.date.today):
        super().__init__()
        self.ctx = ctx
        self._today = today
        self.setProperty("role", "band")
        row = QHBoxLayout(self)
        row.setContentsMargins(PAD, 14, PAD, 14)
        row.setSpacing(GAP)
        self.hint = label("", "muted")
        row.addWidget(self.hint, 1)
        self.read = button("", "primary")
        self.read.clicked.connect(self.read_card)
        row.addWidget(self.read)
        self.outcome = ""
        self._outcome_role = "muted"
        self.filled: list[str] = []
        self._page: Page | None = None
        self.hide()

    @property
    def reader(self) -> IdCardReader | None:
        return getattr(self.ctx.services, "id_reader", None) if self.ctx.ready else None

    def show_for(self, page: Page | None) -> None:
        if page != self._page:  # another page: the last read's outcome belongs to the old one
            self._page = page
            self.outcome = ""
        self.setVisible(self.wanted)

    @property
    def wanted(self) -> bool:
        """Whether this page offers 读取身份证 (a reader is there and the page has card fields)."""
        return self.reader is not None and wants_card(self._page)

    def retranslate(self, language: str) -> None:
        self.read.setText(text("card_read", language))
        self.hint.setText(self.outcome or text("card_hint", language))
        set_prop(self.hint, "role", self._outcome_role if self.outcome else "muted")

    def _tell(self, text: str, role: str) -> None:
        self.outcome, self._outcome_role = text, role
        self.retranslate(self.ctx.language)

    def read_card(self) -> None:
        reader = self.reader
        if reader is None:
            return
        self.read.setEnabled(False)
        self.ctx.background.run(reader.read, self._read, self._unread, label="read ID card")

    def _unread(self, error: Exception) -> None:
        from kiosk.idcard import CardError

        self.read.setEnabled(True)
        if isinstance(error, CardError):
            self._tell(error.message(self.ctx.language), "error")
        else:  # a reader fault, not the visitor's doing: logged with its traceback
            log.error("the ID card reader failed", exc_info=error)
            self._tell(text("failed", self.ctx.language, reason=type(error).__name__), "error")

    def _read(self, card: IdCard) -> None:
        from kiosk.idcard import CardError, fill_from_card

        self.read.setEnabled(True)
        filling = self.ctx.session.filling
        if filling is None:
            return
        language = self.ctx.language
        self.about_to_fill.emit()
        try:
            self.filled = fill_from_card(filling, card, self._today())
        except CardError as refused:  # expired: nothing was filled
            self.filled = []
            self.outcome, self._outcome_role = refused.message(language), "error"
        else:
            key = "card_filled" if self.filled else "card_nothing"
            self.outcome, self._outcome_role = text(key, language, count=len(self.filled)), "field"
        finally:
            self.card_applied.emit()

    def reset(self) -> None:
        self._page = None
        self.outcome = ""
        self._outcome_role = "muted"
        self.filled = []
        self.hint.setText("")
        self.read.setEnabled(True)
