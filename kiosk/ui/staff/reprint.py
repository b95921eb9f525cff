"""Staff panel · 补打: reprint a visitor's ticket and forms by the submission code, or a ticket
by today's number — typed on the letter-and-digit pad here, or scanned (a barcode scanner is a
keyboard that ends with Enter, and the line edit keeps the focus for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QSizePolicy

from kiosk.codes import format_code
from kiosk.ui.input.pad import KEY_GAP, key_grid
from kiosk.ui.staff.base import StaffPage
from kiosk.ui.widgets.common import GAP, PAD, button, label

if TYPE_CHECKING:
    from kiosk.services import PrintOutcome, ReprintResult
    from kiosk.ui.staff.controls import StaffControls


# Codes use digits 2–9 and letters without I and O; ticket numbers are a letter and 0–9.
KEYS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COLUMNS = 12
MOST_COLUMNS = 18
TALLEST = 84  # a staff page's keys: target-sized, no more
LIST_ROOM = 100  # the reprinted codes under the keys keep at least this much (the list scrolls)


class CodeKeys(QFrame):
    """Every letter and digit, large; types into the code box without taking its focus."""

    def __init__(self, target: QLineEdit):
        super().__init__()
        self.setObjectName("Keypad")
        self.target = target
        self.grid = grid = QGridLayout(self)
        grid.setContentsMargins(PAD, PAD, PAD, PAD)
        grid.setSpacing(KEY_GAP)
        self.keys: dict[str, QPushButton] = {}
        for symbol in KEYS:
            key = self._key(symbol)
            key.clicked.connect(lambda _=False, s=symbol: self.target.insert(s))
            self.keys[symbol] = key
        self.backspace = self._key("⌫")
        self.backspace.setProperty("tone", "action")
        self.backspace.clicked.connect(lambda _=False: self.target.backspace())  # no bare C++ slot
        self.clear_key = self._key("")
        self.clear_key.setProperty("tone", "action")
        self.clear_key.setProperty("word", "key_clear")
        self.clear_key.clicked.connect(lambda _=False: self.target.setText(""))
        self._columns = 0
        self._arrange(COLUMNS)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    @staticmethod
    def _key(face: str) -> QPushButton:
        key = button(face, "key")
        key.setProperty("size", "compact")
        key.setProperty("fitted", True)  # sized by fit(), not by the theme's minimums
        key.setFixedHeight(TALLEST)
        return key

    def _arrange(self, columns: int) -> None:
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
        for column in range(MOST_COLUMNS + 1):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def fit(self, width: int, height: int) -> None:
        """The largest keys that fit ``width`` × ``height``: more columns and smaller keys on
        a small screen, never keys piled on each other."""
        columns, key = key_grid(
            len(KEYS),
            width - 2 * PAD,
            height - 2 * PAD,
            gap=KEY_GAP,
            least=6,  # a narrow (portrait) page: fewer columns, wider keys
            most=MOST_COLUMNS,
            tallest=TALLEST,
        )
        self._arrange(columns)
        for button_ in (*self.keys.values(), self.backspace, self.clear_key):
            button_.ensurePolished()  # else polishing would undo the height with the theme's
            button_.setFixedHeight(max(44, key))

    def press(self, keys: str) -> None:
        """Type a code key by key (tests and the demo use it like fingers)."""
        for symbol in keys.upper().replace("-", ""):
            self.keys[symbol].click()


class ReprintPage(StaffPage):
    key = "reprint"

    def __init__(self, mode: StaffControls):
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        above = self.pad.y()  # the title, the hint and the code row
        if above <= 0:  # not laid out yet: roughly
            above = 3 * self.code.sizeHint().height() + 3 * GAP
        room = self.height() - above - LIST_ROOM - GAP
        self.pad.fit(self.pad.width() or self.width(), room)

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
