"""What every staff panel page shares: a title, a touch-scrolling body, a status line, and
one way to call the kiosk's services (off the GUI thread, with a calm message on failure).

A page is built once by the panel and never calls anything in ``__init__``;
``show_page()`` runs when staff open it and ``wipe()`` when staff mode ends (codes,
help requests and errors shown here are not left on screen for the next person).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, TypeVar

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.fonts import cjk_family
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, TouchScrollArea, button, card, label, set_prop

if TYPE_CHECKING:
    from kiosk.services import StaffDesk
    from kiosk.ui.staff.controls import StaffControls

log = logging.getLogger(__name__)
T = TypeVar("T")


def local_time(at: datetime | None, with_date: bool = False) -> str:
    """A stored UTC time as the hall's wall clock shows it."""
    if at is None:
        return ""
    shown = at.astimezone()
    return shown.strftime("%m-%d %H:%M" if with_date else "%H:%M")


def staff_look(widget: QWidget) -> None:
    """Staff's own widgets (the panel, the PIN pad, the band): the hall's colours at the
    standard sizes, whatever the visitors' look — a guide's dense tools stay whole on a
    1366×768 screen in the elder theme."""
    current = getattr(widget.window(), "theme", None)
    if current is None:
        return
    look = current.for_staff()
    if widget.property("staff_look") != look.name:
        look.apply_to(widget, cjk_family())
        widget.setProperty("staff_look", look.name)


def reason_of(error: Exception, language: str) -> str:
    """A known error's calm message, else its type (the traceback goes to the log)."""
    message = getattr(error, "message", None)
    if callable(message):
        return str(message(language))
    return type(error).__name__


class StaffPage(QWidget):
    key: ClassVar[str]  # the page's name in words.STRINGS

    def __init__(self, mode: StaffControls):
        super().__init__()
        self.mode = mode
        self.setObjectName(f"staff-{self.key}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(GAP)
        head = QHBoxLayout()
        self.title = label("", "title")
        head.addWidget(self.title, 1)
        self.head_buttons = QHBoxLayout()
        self.head_buttons.setSpacing(GAP)
        head.addLayout(self.head_buttons)
        outer.addLayout(head)
        self.status = label("", "muted")
        self.status.hide()
        outer.addWidget(self.status)
        self.top = QVBoxLayout()  # fixed content above the list (forms, summaries)
        self.top.setSpacing(GAP)
        outer.addLayout(self.top)
        self.list = TouchScrollArea()
        outer.addWidget(self.list, 1)

    # ── helpers ──
    @property
    def lang(self) -> str:
        return self.mode.language

    @property
    def desk(self) -> StaffDesk | None:
        return self.mode.desk

    def say(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def action(self, key: str, handler: Callable[[], None], role: str = "") -> QPushButton:
        widget = button(self.say(key), role or None)
        widget.setProperty("word", key)
        widget.clicked.connect(lambda _=False: handler())
        self.head_buttons.addWidget(widget)
        return widget

    def tell(self, text: str, role: str = "muted") -> None:
        self.status.setText(text)
        set_prop(self.status, "role", role)
        self.status.setVisible(bool(text))

    def section(self, title: str) -> tuple[QFrame, QVBoxLayout]:
        frame, box = card()
        box.addWidget(label(title, "section"))
        self.list.add(frame)
        return frame, box

    def line(self, box: QVBoxLayout, text: str, role: str | None = None) -> QLabel:
        widget = label(text, role)
        box.addWidget(widget)
        return widget

    def call(
        self,
        op: Callable[[StaffDesk], T],
        success: Callable[[T], None],
        *,
        what: str,
        always: Callable[[], None] | None = None,
    ) -> None:
        """Run ``op(desk)`` in the background; a failure shows a calm line instead of ``success``.

        ``always`` runs first on either outcome (re-enable the button that started it).
        """
        desk = self.desk
        if desk is None:
            self.tell(self.say("not_ready"), "error")
            if always is not None:
                always()
            return

        def done(result: T) -> None:
            if always is not None:
                always()
            success(result)

        def failed(error: Exception) -> None:
            if always is not None:
                always()
            log.warning("staff %s failed: %r", what, error)
            self.tell(self.say("failed", reason=reason_of(error, self.lang)), "error")

        self.mode.background.run(lambda: op(desk), done, failed, label=f"staff {what}")

    # ── hooks ──
    def show_page(self) -> None:
        """Staff opened this page: fetch what it shows."""
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.say(f"page_{self.key}"))
        for widget in self.findChildren(QWidget):
            word = widget.property("word")
            if isinstance(word, str) and hasattr(widget, "setText"):
                widget.setText(self.say(word))

    def wipe(self) -> None:
        """Staff mode ended: forget what was shown."""
        self.list.clear()
        self.tell("")
