"""A large on-screen numeric keypad for ID numbers (with X), mobile numbers, amounts and dates.

It types into whichever line edit the form points it at; its keys never take
the focus, so the caret stays in the field being filled.  Chinese text does not
come here: it goes through Qt Virtual Keyboard (Pinyin).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QPushButton, QVBoxLayout

from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, PAD, button, label, set_prop


class KeypadMode(Enum):
    DIGITS = "digits"  # mobile numbers, whole numbers
    ID_NUMBER = "id_number"  # the 18th character of a 居民身份证号 may be X
    MONEY = "money"
    DATE = "date"  # digits only; the date field inserts the dashes itself

    @property
    def extra_key(self) -> str:
        return {"id_number": "X", "money": "."}.get(self.value, "")


class Keypad(QFrame):
    def __init__(self, on_done: Callable[[], None]) -> None:
        super().__init__()
        self._on_done = on_done
        self.setObjectName("Keypad")
        box = QVBoxLayout(self)
        box.setContentsMargins(PAD, PAD, PAD, PAD)
        box.setSpacing(GAP)
        self.caption = label("", "section")
        self.hint = label("", "muted")
        box.addWidget(self.caption)
        box.addWidget(self.hint)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.keys: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_key(grid, digit, index // 3, index % 3)
        self.extra = self._add_key(grid, "", 3, 0)
        policy = self.extra.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the grid keeps its shape without X or "."
        self.extra.setSizePolicy(policy)
        self._add_key(grid, "0", 3, 1)
        self.backspace = self._add_key(grid, "⌫", 3, 2, action=True)
        self.clear_key = self._add_key(grid, "", 4, 0, action=True)
        self.done_key = self._add_key(grid, "", 4, 1, action=True, span=2)
        set_prop(self.done_key, "tone", "done")
        box.addLayout(grid)
        box.addStretch(1)
        self._target: QLineEdit | None = None
        self._language = "zh"
        self.set_target(None, KeypadMode.DIGITS, "")

    def _add_key(
        self,
        grid: QGridLayout,
        key: str,
        row: int,
        column: int,
        *,
        action: bool = False,
        span: int = 1,
    ) -> QPushButton:
        widget = button(key, "key")
        if action:
            widget.setProperty("tone", "action")
        widget.clicked.connect(lambda _=False, w=widget: self._press(w))
        grid.addWidget(widget, row, column, 1, span)
        if key and not action:
            self.keys[key] = widget
        return widget

    @property
    def target(self) -> QLineEdit | None:
        return self._target

    def set_target(self, target: QLineEdit | None, mode: KeypadMode, field_label: str) -> None:
        self._target = target
        extra = mode.extra_key
        self.extra.setText(extra)
        for key in self.findChildren(QPushButton):
            key.setEnabled(target is not None)
        self.extra.setVisible(bool(extra))
        self._field_label = field_label
        self.retranslate(self._language)

    def retranslate(self, language: str) -> None:
        self._language = language
        if self._target is None:
            self.caption.setText("")
            self.caption.hide()
            self.hint.setText(text("keypad_idle", language))
        else:
            self.caption.setText(text("keypad_for", language, field=self._field_label))
            self.caption.show()
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))
        self.clear_key.setText(text("key_clear", language))
        self.done_key.setText(text("key_done", language))

    def press(self, keys: str) -> None:
        """Type a string key by key, "⌫" for backspace (the demo and tests use it like fingers)."""
        for key in keys.upper():
            if key in self.keys:
                self.keys[key].click()
            elif key == self.extra.text():
                self.extra.click()
            elif key == self.backspace.text():
                self.backspace.click()
            else:
                raise ValueError(f"no key {key!r} on the keypad now")

    def _press(self, key: QPushButton) -> None:
        target = self._target
        if target is None:
            return
        # insert() and backspace() report textEdited like a hardware keyboard does.
        if key is self.backspace:
            target.backspace()
        elif key is self.clear_key:
            target.selectAll()
            target.backspace()
        elif key is self.done_key:
            self._on_done()
        else:
            target.insert(key.text())
