"""A large on-screen keyboard for application codes (办件编号): the 32 symbols a code uses.

Codes never contain 0, O, 1 or I (kiosk.codes), so those keys are simply not
there: a visitor cannot type a code that cannot exist.  Like the numeric keypad
it types into a line edit and its keys never take the focus — the edit keeps it,
so a barcode scanner (a keyboard that ends with Enter) can type there too.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QPushButton, QVBoxLayout

from kiosk.codes import CODE_ALPHABET, CODE_LENGTH
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, PAD, button, label

COLUMNS = 8


class CodePad(QFrame):
    def __init__(self, target: QLineEdit):
        super().__init__()
        self.target = target
        self.setObjectName("Keypad")  # the same panel look as the numeric keypad
        box = QVBoxLayout(self)
        box.setContentsMargins(PAD, PAD, PAD, PAD)
        box.setSpacing(GAP)
        self.hint = label("", "muted")
        box.addWidget(self.hint)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.keys: dict[str, QPushButton] = {}
        for index, symbol in enumerate(CODE_ALPHABET):
            key = button(symbol, "key")
            key.clicked.connect(lambda _=False, s=symbol: self._type(s))
            grid.addWidget(key, index // COLUMNS, index % COLUMNS)
            self.keys[symbol] = key
        rows = len(CODE_ALPHABET) // COLUMNS
        self.backspace = button("⌫", "key")
        self.backspace.setProperty("tone", "action")
        self.backspace.clicked.connect(self.target.backspace)
        self.clear_key = button("", "key")
        self.clear_key.setProperty("tone", "action")
        self.clear_key.clicked.connect(self._clear)
        half = COLUMNS // 2
        grid.addWidget(self.backspace, rows, 0, 1, half)
        grid.addWidget(self.clear_key, rows, half, 1, COLUMNS - half)
        box.addLayout(grid)
        box.addStretch(1)

    def retranslate(self, language: str) -> None:
        self.hint.setText(text("codepad_hint", language))
        self.clear_key.setText(text("key_clear", language))

    def press(self, keys: str) -> None:
        """Type a string key by key (the demo and tests use it like fingers)."""
        for symbol in keys.upper().replace("-", ""):
            if symbol not in self.keys:
                raise ValueError(f"no key {symbol!r} on the code keyboard")
            self.keys[symbol].click()

    def _type(self, symbol: str) -> None:
        # insert() reports textEdited like a hardware keyboard; a dash after five symbols
        # keeps the code readable the way it is printed (K7QXM-3P9RT).
        plain = self.target.text().replace("-", "")
        if len(plain) >= CODE_LENGTH:
            return
        if len(plain) == 5 and not self.target.text().endswith("-"):
            self.target.insert("-")
        self.target.insert(symbol)

    def _clear(self) -> None:
        self.target.setText("")
