"""Staff panel · 打印机: the state of the printer of each document kind, and a test page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from kiosk.config import DOCUMENT_KINDS
from kiosk.ui.staff.base import StaffPage
from kiosk.ui.widgets.common import GAP, button, card, label, set_prop

if TYPE_CHECKING:
    from kiosk.kinds import DocumentKind
    from kiosk.printing.printers import PrinterStatus, PrintResult
    from kiosk.ui.staff.controls import StaffControls


class PrintersPage(StaffPage):
    key = "printers"

    def __init__(self, mode: StaffControls):
        super().__init__(mode)
        self.refresh_button = self.action("refresh", self.show_page)
        self.states: dict[str, QLabel] = {}
        self.details: dict[str, QLabel] = {}
        self.results: dict[str, QLabel] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        for kind in DOCUMENT_KINDS:
            frame, box = card()
            row = QHBoxLayout()
            row.setSpacing(GAP)
            name = label("", "section")
            name.setProperty("word", f"printer_kind_{kind}")
            row.addWidget(name, 1)
            test = button("", None)
            test.setProperty("word", "test_page")
            test.clicked.connect(lambda _=False, k=kind: self.test_page(k))
            row.addWidget(test)
            box.addLayout(row)
            self.states[kind] = label("", "field")
            self.details[kind] = label("", "muted")
            self.results[kind] = label("", "muted")
            self.results[kind].hide()
            for widget in (self.states[kind], self.details[kind], self.results[kind]):
                box.addWidget(widget)
            self.test_buttons[kind] = test
            self.list.add(frame)

    def show_page(self) -> None:
        super().show_page()
        self.tell(self.say("loading"))
        self.call(lambda desk: desk.printer_status(), self._show, what="printer status")

    def _show(self, statuses: Mapping[str, PrinterStatus]) -> None:
        self.tell("")
        for kind, status in statuses.items():
            if kind not in self.states:
                continue
            state = status.message(self.lang)
            if status.down_since is not None:  # the breaker is open: since when (local time)
                time = f"{status.down_since.astimezone():%H:%M}"
                state = f"{state} · {self.say('printer_down_since', time=time)}"
            self.states[kind].setText(state)
            set_prop(self.states[kind], "role", "field" if status.ready else "error")
            where = f"{status.backend} · {status.target}"
            self.details[kind].setText(f"{where}\n{status.detail}" if status.detail else where)

    def test_page(self, kind: DocumentKind) -> None:
        self.test_buttons[kind].setEnabled(False)
        self.results[kind].setText(self.say("loading"))
        self.results[kind].show()

        def done(result: PrintResult) -> None:
            if result.accepted:
                text, role = self.say("test_ok"), "field"
            else:
                reason = result.message(self.lang) if result.message else str(result.state)
                text, role = self.say("test_failed", reason=reason), "error"
            self.results[kind].setText(text)
            set_prop(self.results[kind], "role", role)
            self.show_page()

        self.call(
            lambda desk: desk.test_page(kind),
            done,
            what=f"test page {kind}",
            always=lambda: self.test_buttons[kind].setEnabled(True),
        )

    def wipe(self) -> None:
        self.tell("")
        for kind in self.states:
            self.states[kind].setText("")
            self.details[kind].setText("")
            self.results[kind].setText("")
            self.results[kind].hide()
