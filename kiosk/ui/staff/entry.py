"""The only ways into staff mode: a hidden gesture or a key chord, then the PIN pad.

Gesture: five taps in the top-left corner of the window within three seconds
(where the hall's name is; nothing a visitor taps on purpose).  Chord:
Ctrl+Alt+Shift+S on a maintenance keyboard.  Either opens the PIN pad, which
checks the PIN with :class:`kiosk.staff.PinGate` (off the GUI thread: scrypt
takes ~50 ms) and, after five wrong PINs, shows a calm countdown until entry is
possible again.  The PIN is never shown, only dots, and is dropped as soon as
it has been checked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.staff_pin import MAX_ATTEMPTS
from kiosk.ui.staff.base import staff_look
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, PAD, button, label, set_prop

QWIDGETSIZE_MAX = 16_777_215  # Qt's "no maximum"

if TYPE_CHECKING:
    from kiosk.ui.staff.controls import StaffControls

CHORD = "Ctrl+Alt+Shift+S"
TAPS = 5
TAP_WINDOW_S = 3.0
CORNER_SIZE = (150, 110)  # px at 1080p: the hall name's corner of the header
MAX_PIN = 12


log = logging.getLogger(__name__)


class CornerTaps(QWidget):
    """An invisible patch over the top-left corner that counts quick taps."""

    gesture = Signal()  # TAPS taps within TAP_WINDOW_S

    def __init__(self, parent: QWidget, clock: Callable[[], float]):
        super().__init__(parent)
        self.setObjectName("StaffCorner")
        self.clock = clock
        self._taps: list[float] = []
        self.setGeometry(0, 0, *CORNER_SIZE)
        self.raise_()
        self.show()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        now = self.clock()
        self._taps = [t for t in self._taps if now - t <= TAP_WINDOW_S] + [now]
        if len(self._taps) >= TAPS:
            self._taps = []
            self.gesture.emit()


class PinPad(QWidget):
    """A scrim over the window with a large PIN keypad in the middle."""

    def __init__(self, mode: StaffControls, parent: QWidget):
        super().__init__(parent)
        self.mode = mode
        self.setObjectName("Scrim")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a maintenance keyboard types here too
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dialog = QFrame()
        dialog.setObjectName("Dialog")
        dialog.setFixedWidth(760)
        box = QVBoxLayout(dialog)
        box.setContentsMargins(PAD * 2, PAD * 2, PAD * 2, PAD * 2)
        box.setSpacing(GAP)
        self.title = label("", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = label("", "title", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label("", "muted")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.title)
        box.addWidget(self.dots)
        box.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.keys: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self._key(grid, digit, index // 3, index % 3)
        self.clear_key = self._key(grid, "", 3, 0, action=True)
        self._key(grid, "0", 3, 1)
        self.backspace = self._key(grid, "⌫", 3, 2, action=True)
        box.addLayout(grid)
        row = QHBoxLayout()
        row.setSpacing(GAP)
        self.cancel = button("", None)
        self.cancel.clicked.connect(mode.cancel_entry)
        self.enter = button("", "primary")
        self.enter.clicked.connect(self.submit)
        row.addWidget(self.cancel, 1)
        row.addWidget(self.enter, 1)
        box.addLayout(row)
        outer.addWidget(dialog)
        self.dialog = dialog
        self._pin = ""
        self._checking = False
        self._wrong = 0  # wrong PINs since the pad opened, for the message
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.refresh)
        self.hide()

    def _key(
        self, grid: QGridLayout, text: str, row: int, column: int, *, action: bool = False
    ) -> QPushButton:
        key = button(text, "key")
        if action:
            key.setProperty("tone", "action")
        key.clicked.connect(lambda _=False, k=key: self._press(k))
        grid.addWidget(key, row, column)
        if not action:
            self.keys[text] = key
        return key

    # ── showing ──
    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        staff_look(self)
        self._fit_keys()
        self._pin = ""
        self._wrong = 0
        self.raise_()
        self.show()
        self.setFocus()
        self._ticker.start()
        self.refresh()

    def _fit_keys(self) -> None:
        """Keys of the theme's height where the window has room; on a short one (1366×768)
        shorter keys, so the pad stays whole and the 12 px between keys hold."""
        parent = self.parentWidget()
        if parent is None:
            return
        keys = [*self.keys.values(), self.clear_key, self.backspace]
        for key in keys:  # back to the theme's own height, then measured
            if key.property("fitted") == "true":
                set_prop(key, "fitted", "false")
                key.setMinimumHeight(0)
                key.setMaximumHeight(QWIDGETSIZE_MAX)
        box = self.dialog.layout()
        if box is not None:
            box.activate()
        spare = parent.height() - 2 * GAP - self.dialog.sizeHint().height()
        if spare >= 0:
            return
        height = max(48, keys[0].sizeHint().height() + spare // 4)  # four rows of keys
        for key in keys:
            set_prop(key, "fitted", "true")
            key.setFixedHeight(height)

    def close_pad(self) -> None:
        self._pin = ""
        self._ticker.stop()
        self.message.setText("")
        self.hide()

    @property
    def typed(self) -> int:
        """How many digits are typed (never which)."""
        return len(self._pin)

    @property
    def locked(self) -> bool:
        return self.mode.gate.locked_for() > 0

    def refresh(self) -> None:
        lang = self.mode.language
        self.title.setText(text("pin_title", lang))
        self.clear_key.setText(text("key_clear", lang))
        self.cancel.setText(text("cancel", lang))
        self.enter.setText(text("pin_enter", lang))
        unset = self.mode.gate.pin_hash is None
        left = self.mode.gate.locked_for()
        if left > 0:  # where the dots were: the time until entry opens again
            seconds = int(left + 0.999)
            self.dots.setText(f"{seconds // 60}:{seconds % 60:02d}")
        else:
            self.dots.setText(" ".join("●" * len(self._pin)) or " ")
        if unset:
            self._say(text("pin_unset", lang), "error")
            log.warning("no staff PIN is set on this kiosk: set one with `kiosk set-pin`")
        elif left > 0:
            self._say(text("pin_locked", lang), "field")
        elif self._checking:
            self._say(text("pin_checking", lang), "muted")
        elif self._wrong:
            tries = MAX_ATTEMPTS - self.mode.gate.failures
            self._say(text("pin_wrong", lang, left=tries), "error")
        else:
            self._say(text("pin_hint", lang), "muted")
        usable = not unset and left <= 0 and not self._checking
        for key in [*self.keys.values(), self.clear_key, self.backspace]:
            key.setEnabled(usable)
        self.enter.setEnabled(usable and bool(self._pin))

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_prop(self.message, "role", role)

    # ── typing ──
    def _press(self, key: QPushButton) -> None:
        if key is self.backspace:
            self._pin = self._pin[:-1]
        elif key is self.clear_key:
            self._pin = ""
        elif len(self._pin) < MAX_PIN:
            self._pin += key.text()
        self.refresh()

    def type_pin(self, pin: str) -> None:
        """Tap the keys of a PIN (tests and the demo use it like fingers)."""
        for digit in pin:
            self.keys[digit].click()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and text in self.keys and self.keys[text].isEnabled():
            self.keys[text].click()
        elif event.key() == Qt.Key.Key_Backspace:
            self.backspace.click()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif event.key() == Qt.Key.Key_Escape:
            self.mode.cancel_entry()
        else:
            super().keyPressEvent(event)

    def submit(self) -> None:
        if not self._pin or self._checking or self.locked or self.mode.gate.pin_hash is None:
            return
        pin, self._pin = self._pin, ""
        self._checking = True
        self.refresh()
        gate = self.mode.gate
        self.mode.background.run(
            lambda: gate.attempt(pin), self._checked, self._failed, label="staff PIN"
        )

    def _checked(self, accepted: bool) -> None:
        self._checking = False
        if accepted:
            self._wrong = 0
            self.mode.unlocked_by_pin()
            return
        self._wrong += 1
        self.mode.pin_refused(locked=self.locked)
        self.refresh()

    def _failed(self, error: Exception) -> None:  # a bug in checking: nobody gets in
        self._checking = False
        self.mode.pin_refused(locked=self.locked, error=repr(error))
        self.refresh()
