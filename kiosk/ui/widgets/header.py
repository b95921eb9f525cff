"""The band across the top of every screen: hall name, clock, zh/en switch, 呼叫导服."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from kiosk.ui.text import text
from kiosk.ui.widgets.common import MARGIN, button, label

WEEKDAYS_ZH = "一二三四五六日"


def clock_text(now: datetime, language: str) -> str:
    if language == "en":
        return now.strftime("%a %d %b  %H:%M")
    return f"{now.month}月{now.day}日 星期{WEEKDAYS_ZH[now.weekday()]}  {now:%H:%M}"


class Header(QFrame):
    def __init__(
        self, hall_name: str, on_language: Callable[[], None], on_guide: Callable[[], None]
    ):
        super().__init__()
        self.setObjectName("Header")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(MARGIN, 14, MARGIN, 14)
        layout.setSpacing(20)
        self.hall = label(hall_name, wrap=False)
        self.hall.setObjectName("HallName")
        self.clock: QLabel = label("", wrap=False)
        self.clock.setObjectName("Clock")
        self.language = button("", "header")
        self.language.clicked.connect(on_language)
        self.guide = button("", "help")
        self.guide.clicked.connect(on_guide)
        layout.addWidget(self.hall)
        layout.addStretch(1)
        layout.addWidget(self.clock)
        layout.addSpacing(12)
        layout.addWidget(self.language)
        layout.addWidget(self.guide)
        self._language = "zh"
        self._timer = QTimer(self)
        self._timer.setInterval(15_000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.retranslate("zh")

    def retranslate(self, language: str) -> None:
        self._language = language
        self.language.setText(text("language_switch", language))
        self.guide.setText(text("call_guide", language))
        self._tick()

    def _tick(self) -> None:
        self.clock.setText(clock_text(datetime.now(), self._language))
