"""Things laid over the current screen: the idle countdown, the busy indicator, a short notice.

Each is a child of the window that covers it completely (``cover()``), so the
window stays one top-level widget — the only kind a kiosk should have.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, PAD, button, label


class _Cover(QWidget):
    """A full-window scrim; hidden until shown, always on top of the screens."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("Scrim")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.hide()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()


class CountdownOverlay(_Cover):
    """ "Are you still there?" with seconds counting down; any touch continues the visit."""

    continued = Signal()  # someone touched the screen in time
    expired = Signal()  # nobody did: the visit is over

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dialog = QFrame()
        self.dialog.setObjectName("Dialog")
        self.dialog.setFixedWidth(1000)
        box = QVBoxLayout(self.dialog)
        box.setContentsMargins(PAD * 2, PAD * 2, PAD * 2, PAD * 2)
        box.setSpacing(GAP)
        self.title = label("", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = label("", "display")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label("", None)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.resume = button("", "primary")
        self.resume.clicked.connect(self._continue)
        box.addWidget(self.title)
        box.addWidget(self.number)
        box.addWidget(self.body)
        box.addSpacing(GAP)
        box.addWidget(self.resume)
        outer.addWidget(self.dialog)
        self._left = 0
        self._language = "zh"
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, seconds: int, language: str) -> None:
        self._left = seconds
        self._language = language
        self._show_left()
        self.cover()
        self.show()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.hide()

    def _show_left(self) -> None:
        lang = self._language
        self.title.setText(text("idle_title", lang))
        self.number.setText(str(self._left))
        self.body.setText(text("idle_body", lang, seconds=self._left))
        self.resume.setText(text("idle_continue", lang))

    def _tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.stop()
            self.expired.emit()
        else:
            self._show_left()

    def _continue(self) -> None:
        self.stop()
        self.continued.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Someone touched the screen: they are still there.
        event.accept()
        self._continue()


class Spinner(QWidget):
    """A turning arc in the theme's foreground colour (set by QSS on #Spinner)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Spinner")
        self.setFixedSize(96, 96)
        self._angle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._turn)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _turn(self) -> None:
        self._angle = (self._angle + 12) % 360
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(self.foregroundRole()), 10)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawArc(QRectF(8, 8, 80, 80), -self._angle * 16, 270 * 16)


class BusyOverlay(_Cover):
    """Shown by the window when background work takes longer than 200 ms."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dialog = QFrame()
        dialog.setObjectName("Dialog")
        box = QHBoxLayout(dialog)
        box.setContentsMargins(PAD * 2, PAD, PAD * 2, PAD)
        box.setSpacing(GAP)
        self.spinner = Spinner()
        self.message = label("", "section", wrap=False)
        box.addWidget(self.spinner)
        box.addWidget(self.message)
        outer.addWidget(dialog)

    def show_busy(self, language: str) -> None:
        self.message.setText(text("busy", language))
        self.cover()
        self.show()
        self.spinner.start()

    def hide_busy(self) -> None:
        self.spinner.stop()
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # taps wait until the work is done


class Toast(QFrame):
    """A calm one-line notice at the bottom of the window that goes away by itself."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("Toast")
        box = QHBoxLayout(self)
        box.setContentsMargins(PAD * 2, PAD, PAD * 2, PAD)
        self.message = label("", "section")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.message)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def say(self, message: str, ms: int = 6000) -> None:
        self.message.setText(message)
        parent = self.parentWidget()
        if parent is not None:
            width = min(1300, parent.width() - 160)
            self.setFixedWidth(width)
            self.adjustSize()
            self.move((parent.width() - width) // 2, parent.height() - self.height() - 150)
        self.raise_()
        self.show()
        self._timer.start(ms)

    def dismiss(self) -> None:
        self._timer.stop()
        self.message.setText("")
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.dismiss()


class ConfirmOverlay(_Cover):
    """A calm question over the screen with two clear answers, the safe one first.

    Used before something a visitor cannot take back (首页 with a half-filled form).
    The answers sit far apart, so the second half of a double tap cannot reach the
    other one; a tap on the scrim outside the dialog counts as the safe answer.
    """

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dialog = QFrame()
        self.dialog.setObjectName("Dialog")
        self.dialog.setMaximumWidth(1000)
        box = QVBoxLayout(self.dialog)
        box.setContentsMargins(PAD * 2, PAD * 2, PAD * 2, PAD * 2)
        box.setSpacing(GAP)
        self.title = label("", "title")
        self.body = label("", None)
        row = QHBoxLayout()
        row.setSpacing(GAP * 4)
        self.stay = button("", "primary")
        self.stay.setObjectName("ConfirmStay")
        self.leave = button("", None)
        self.leave.setObjectName("ConfirmLeave")
        row.addWidget(self.stay, 1)
        row.addWidget(self.leave, 1)
        box.addWidget(self.title)
        box.addWidget(self.body)
        box.addSpacing(GAP)
        box.addLayout(row)
        outer.addWidget(self.dialog)
        self._on_leave: Callable[[], None] | None = None
        self.stay.clicked.connect(self.dismiss)
        self.leave.clicked.connect(self._leave)

    @property
    def asking(self) -> bool:
        return self.isVisible()

    def ask(self, title: str, body: str, stay: str, leave: str, on_leave: Callable[[], None]):
        self.title.setText(title)
        self.body.setText(body)
        self.stay.setText(stay)
        self.leave.setText(leave)
        self._on_leave = on_leave
        self.cover()
        self.show()

    def dismiss(self) -> None:
        self._on_leave = None
        self.hide()

    def _leave(self) -> None:
        action, self._on_leave = self._on_leave, None
        self.hide()
        if action is not None:
            action()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        if not self.dialog.geometry().contains(event.position().toPoint()):
            self.dismiss()
