"""The band across the top of every screen: hall name, clock, and the visitor's own switches.

Zh/en, 长辈模式 (large text, slower timeouts, read aloud — the citizen's own
switch, ending with the visit), 朗读 (shown in elder mode: reads the screen's
question, verdict or list aloud) and 呼叫导服.  On a narrow screen the clock
gives way first.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy

from kiosk.ui.text import text
from kiosk.ui.widgets.common import MARGIN, button, label, set_prop

WEEKDAYS_ZH = "一二三四五六日"


def clock_text(now: datetime, language: str) -> str:
    if language == "en":
        return now.strftime("%a %d %b  %H:%M")
    return f"{now.month}月{now.day}日 星期{WEEKDAYS_ZH[now.weekday()]}  {now:%H:%M}"


class Header(QFrame):
    """The visitor's switches say what was tapped; the window decides what it means."""

    language_tapped = Signal()
    elder_tapped = Signal()
    read_tapped = Signal()
    guide_tapped = Signal()

    def __init__(self, hall_name: str):
        super().__init__()
        self.setObjectName("Header")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(MARGIN // 2, 12, MARGIN // 2, 12)
        layout.setSpacing(16)
        self.hall = label(hall_name)  # wraps onto two lines before a button gives way
        self.hall.setObjectName("HallName")
        self.hall.setMinimumWidth(160)
        self.hall.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clock: QLabel = label("", wrap=False)
        self.clock.setObjectName("Clock")
        self.language = button("", "header")
        self.language.setObjectName("LanguageSwitch")
        self.language.clicked.connect(self.language_tapped)
        self.elder = button("", "header")
        self.elder.setObjectName("ElderSwitch")
        self.elder.setCheckable(True)
        self.elder.clicked.connect(self.elder_tapped)
        self.read = button("", "header")
        self.read.setObjectName("ReadAloud")
        self.read.clicked.connect(self.read_tapped)
        self.read.hide()
        self.guide = button("", "help")
        self.guide.setObjectName("CallGuide")
        self.guide.clicked.connect(self.guide_tapped)
        layout.addWidget(self.hall, 1)
        layout.addWidget(self.clock)
        layout.addSpacing(8)
        for widget in (self.language, self.elder, self.read, self.guide):
            # The visitor's switches keep their size; the hall's name and the clock give way.
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            layout.addWidget(widget)
        self._language = "zh"
        self._names = {"zh": hall_name, "en": hall_name}
        self._can_read = True
        self._timer = QTimer(self)
        self._timer.setInterval(15_000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.retranslate("zh")

    def set_hall_names(self, zh: str, en: str) -> None:
        self._names = {"zh": zh, "en": en or zh}
        self.hall.setText(self._names[self._language])

    def set_elder(self, on: bool, *, can_read: bool = True) -> None:
        """Show the switch as on or off; 朗读 comes with elder mode (greyed with no audio)."""
        self.elder.setChecked(on)
        set_prop(self.elder, "state", "on" if on else "off")
        self._can_read = can_read
        self.read.setVisible(on)
        self.read.setEnabled(can_read)
        self.retranslate(self._language)

    def retranslate(self, language: str) -> None:
        self._language = language
        self.hall.setText(self._names.get(language, self._names["zh"]))
        self.language.setText(text("language_switch", language))
        self.elder.setText(text("elder_on" if self.elder.isChecked() else "elder_off", language))
        self.read.setText(text("read_aloud" if self._can_read else "read_no_audio", language))
        self.guide.setText(text("call_guide", language))
        self._tick()
        self._fit_clock(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_clock(event.size().width())

    def _fit_clock(self, width: int) -> None:
        """The clock only where the name and every switch still have their room."""
        switches = sum(
            w.sizeHint().width() + 16
            for w in (self.language, self.elder, self.read, self.guide)
            if not w.isHidden()
        )
        room = width - MARGIN - switches - self.clock.sizeHint().width() - 24
        self.clock.setVisible(room >= 2 * self.hall.minimumWidth())

    def _tick(self) -> None:
        self.clock.setText(clock_text(datetime.now(), self._language))
