"""Staff panel · 补打: reprint a visitor's ticket and forms by the submission code, or a ticket
by today's number — typed on the letter-and-digit pad here, or scanned (a barcode scanner is a
keyboard that ends with Enter, and the line edit keeps the focus for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QSizePolicy

from kiosk.codes import format_code
from kiosk.ui.staff.base import StaffPage
from kiosk.ui.widgets.common import GAP, PAD, button, label

if TYPE_CHECKING:
    from kiosk.services import PrintOutcome, ReprintResult
    from kiosk.ui.staff.mode import StaffMode


# Codes use digits 2–9 and letters without I and O; ticket numbers are a letter and 0–9.
KEYS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COLUMNS = 12


class CodeKeys(QFrame):
    """Every letter and digit, large; types into the code box without taking its focus."""

    def __init__(self, target: QLineEdit):
        super().__init__()
        self.setObjectName("Keypad")
        self.target = target
        self.grid = grid = QGridLayout(self)
        grid.setContentsMargins(PAD, PAD, PAD, PAD)
        grid.setSpacing(10)
        self.keys: dict[str, QPushButton] = {}
        for symbol in KEYS:
            key = button(symbol, "key")
            key.setProperty("size", "compact")  # 36 keys on a staff page: target-sized, no more
            key.clicked.connect(lambda _=False, s=symbol: self.target.insert(s))
            self.keys[symbol] = key
        self.backspace = button("⌫", "key")
        self.backspace.setProperty("size", "compact")
        self.backspace.setProperty("tone", "action")
        self.backspace.clicked.connect(self.target.backspace)
        self.clear_key = button("", "key")
        self.clear_key.setProperty("size", "compact")
        self.clear_key.setProperty("tone", "action")
        self.clear_key.setProperty("word", "key_clear")
        self.clear_key.clicked.connect(lambda _=False: self.target.setText(""))
        self._columns = 0
        self._arrange(COLUMNS)
        # Never squeezed below its rows (they would overlap): the list under it gives way.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _arrange(self, columns: int) -> None:
        """12 keys across where there is room, fewer where not: the keys never overlap."""
        if columns == self._columns:
            return
        self._columns = columns
        for key in (*self.keys.values(), self.backspace, self.clear_key):
            self.grid.removeWidget(key)
        for index, key in enumerate(self.keys.values()):
            self.grid.addWidget(key, index // columns, index % columns)
        rows = (len(KEYS) + columns - 1) // columns
        self.grid.addWidget(self.backspace, rows, 0, 1, columns // 2)
        self.grid.addWidget(self.clear_key, rows, columns // 2, 1, columns - columns // 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        key = max(self.keys["W"].minimumSizeHint().width(), 1) + self.grid.spacing()
        room = event.size().width() - 2 * PAD + self.grid.spacing()
        self._arrange(max(6, min(COLUMNS, room // key)))

    def press(self, keys: str) -> None:
        """Type a code key by key (tests and the demo use it like fingers)."""
        for symbol in keys.upper().replace("-", ""):
            self.keys[symbol].click()


class ReprintPage(StaffPage):
    key = "reprint"

    def __init__(self, mode: StaffMode):
        super().__init__(mode)
        self.hint = label("", "muted")
        self.hint.setProperty("word", "reprint_hint")
        self.top.addWidget(self.hint)
        row = QHBoxLayout()
        row.setSpacing(GAP)
        self.code = QLineEdit()
        self.code.setMaxLength(16)
        # Typed on the page's own keys (or by a scanner): never through the on-screen keyboard.
        self.code.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.code.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.code.returnPressed.connect(self.reprint)
        row.addWidget(self.code, 1)
        self.go = button("", "primary")
        self.go.setProperty("word", "reprint_go")
        self.go.clicked.connect(self.reprint)
        row.addWidget(self.go)
        self.top.addLayout(row)
        self.pad = CodeKeys(self.code)
        self.top.addWidget(self.pad)
        self.result: ReprintResult | None = None

    def retranslate(self) -> None:
        super().retranslate()
        self.code.setPlaceholderText(self.say("reprint_placeholder"))
        self.code.setAccessibleName(self.say("reprint_placeholder"))

    def show_page(self) -> None:
        super().show_page()
        self.code.setFocus()

    def reprint(self) -> None:
        typed = self.code.text().strip()
        if not typed:
            return
        self.go.setEnabled(False)
        self.tell(self.say("loading"))
        self.call(
            lambda desk: desk.reprint(typed),
            self._show,
            what="reprint",
            always=lambda: self.go.setEnabled(True),
        )

    def _outcome(self, printed: PrintOutcome | None) -> str:
        return self.say("printed" if printed is not None and printed.accepted else "not_printed")

    def _show(self, result: ReprintResult) -> None:
        self.result = result
        self.list.clear()
        self.tell("")
        _, box = self.section(format_code(result.code))
        if result.ticket is not None:
            outcome = self._outcome(result.ticket_print)
            self.line(
                box,
                self.say("reprint_ticket", number=result.ticket.number, outcome=outcome),
                "field",
            )
        if result.forms_print is not None:
            self.line(
                box, self.say("reprint_forms", outcome=self._outcome(result.forms_print)), "field"
            )
        for problem in result.problems:
            self.line(box, problem(self.lang), "error")
        if result.found:
            self.code.setText("")

    def wipe(self) -> None:
        super().wipe()
        self.code.setText("")
        self.result = None
