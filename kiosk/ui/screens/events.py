"""一件事: the life events, each leading to its steps."""

from __future__ import annotations

from kiosk.ui.navigation import EventRoute, EventsRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.widgets.common import RowButton, TouchScrollArea


class EventsScreen(ScreenPage[EventsRoute]):
    route = Screen.EVENTS
    title_key = "events_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.list = TouchScrollArea()
        self.body.addWidget(self.list, 1)
        self.rows: dict[str, RowButton] = {}
        for event in ctx.catalog.life_events.values():
            row = RowButton()
            row.clicked.connect(lambda _=False, c=event.code: self.ctx.nav.go(EventRoute(c)))
            self.list.add(row)
            self.rows[event.code] = row

    def retranslate(self) -> None:
        super().retranslate()
        self.subtitle.setText(self.say("events_hint"))
        self.subtitle.show()
        lang = self.lang
        for code, row in self.rows.items():
            event = self.ctx.catalog.life_events[code]
            summary = event.summary(lang) if event.summary else ""
            steps = self.say("event_steps", count=len(event.steps))
            row.set_texts(event.name(lang), summary, steps)
