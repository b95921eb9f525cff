"""A calm "coming soon" page for journeys whose service the window was built without."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.ui.navigation import Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import PAD, button, card, label

FEATURES = {"ticket", "status", "rating", "submit", "preview"}


class SoonScreen(ScreenPage):
    route = Screen.SOON
    scrolls = True
    title_key = "soon_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.feature = "ticket"
        frame, box = card()
        box.setContentsMargins(PAD * 3, PAD * 3, PAD * 3, PAD * 3)
        self.what = label("", "title")
        self.what.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = label("")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.window_hint = label("", "muted")
        self.window_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.guide = button("", "primary")
        self.guide.clicked.connect(ctx.nav.call_guide)
        box.addStretch(1)
        box.addWidget(self.what)
        box.addWidget(self.hint)
        box.addWidget(self.window_hint)
        box.addSpacing(PAD)
        box.addWidget(self.guide, 0, Qt.AlignmentFlag.AlignCenter)
        box.addStretch(1)
        self.body.addWidget(frame, 1)

    def enter(self, arg: object = None) -> None:
        if isinstance(arg, str) and arg in FEATURES:
            self.feature = arg
        super().enter(arg)

    def retranslate(self) -> None:
        super().retranslate()
        self.what.setText(self.say(f"soon_{self.feature}"))
        self.hint.setText(self.say("soon_hint"))
        self.guide.setText(self.say("call_guide"))
        windows = ""
        session = self.ctx.session
        if self.feature == "submit" and session.items:
            code = session.bundle.queue if session.bundle else session.items[0].queue
            queue = self.ctx.catalog.queues[code]
            windows = self.say("soon_window", windows=listing(queue.windows, self.lang))
        self.window_hint.setText(windows)
        self.window_hint.setVisible(bool(windows))
