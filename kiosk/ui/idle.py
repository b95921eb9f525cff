"""Inactivity: notice when nobody has touched the kiosk for a while.

One application-wide event filter sees every touch, click and key; each one
restarts a single-shot timer.  When it fires, the window shows the countdown
overlay (and after it, forgets the visitor).  The timeout depends on the
screen: longer on forms, where reading and typing take time.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
    }
)


class IdleWatch(QObject):
    timed_out = Signal()  # nobody touched anything for ``seconds``

    def __init__(self, parent: QObject, seconds: int):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.timed_out)
        self._paused = False
        self.set_timeout(seconds)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # removed by Qt when this object is destroyed

    @property
    def seconds(self) -> int:
        return self._timer.interval() // 1000

    def set_timeout(self, seconds: int) -> None:
        self._timer.setInterval(max(1, seconds) * 1000)
        if not self._paused:
            self._timer.start()

    def poke(self) -> None:
        """Someone is there: start counting again."""
        if not self._paused:
            self._timer.start()

    def pause(self) -> None:
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        self._timer.start()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.poke()
        return False
