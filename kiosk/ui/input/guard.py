"""What a tap may do: once, on the screen it was meant for, with no menus behind it.

One application-wide event filter, owned by the window:

- **A tap acts on one screen only.**  For 400 ms after the screen changes (or a
  screen swaps its content in place, as the consultation does for the next
  question) presses on the window are ignored, so the second half of a double
  tap never lands on the next screen's button.
- **A button acts once per press.**  Qt turns the second press of a double tap
  into a double-click, which a push button takes as one more click; here a
  double-click on a button is dropped (keys of a pad are the exception: "11"
  is typed quickly).
- **No context menus** (Qt's own are English and offer Paste).
- **Unfinished Pinyin is settled before a tap moves the focus**, so Qt's own
  focus change cannot turn it into the first candidate.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

QUIET_MS = 400

PRESSES = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin}
)
FOLLOW_UPS = frozenset(
    {
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
    }
)
ENDS = frozenset({QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd})


class TouchGuard(QObject):
    def __init__(
        self,
        window: QWidget,
        *,
        typing_area: Callable[[], QWidget | None],
        before_press: Callable[[QWidget], None],
        quiet_ms: int = QUIET_MS,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._typing_area = typing_area  # the on-screen keyboard: its keys are never held back
        self._before_press = before_press
        self.quiet_ms = quiet_ms
        self._since = QElapsedTimer()
        self._swallowing = False
        self.ignored = 0  # presses held back (tests and the staff panel read it)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # removed by Qt when this object is destroyed

    def fresh(self) -> None:
        """The screen (or what it shows) just changed: hold taps back for a moment."""
        self._since.start()

    @property
    def quiet(self) -> bool:
        return self._since.isValid() and self._since.elapsed() < self.quiet_ms

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in PRESSES and kind not in FOLLOW_UPS and kind != QEvent.Type.ContextMenu:
            return False
        if not isinstance(watched, QWidget) or not (
            watched is self._window or self._window.isAncestorOf(watched)
        ):
            return False
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind in FOLLOW_UPS:
            if self._swallowing:
                if kind in ENDS:
                    self._swallowing = False
                return True
            return False
        area = self._typing_area()
        if area is not None and (watched is area or area.isAncestorOf(watched)):
            return False
        if self.quiet:
            self._swallow()
            return True
        if (
            kind == QEvent.Type.MouseButtonDblClick
            and isinstance(watched, QAbstractButton)
            and watched.property("role") != "key"
        ):
            self._swallow()
            return True
        self._before_press(watched)
        return False

    def _swallow(self) -> None:
        self._swallowing = True
        self.ignored += 1
