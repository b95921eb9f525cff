"""One life event: its steps in order, each a row leading to the item's guide."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.catalog.model import LifeEvent
from kiosk.ui.navigation import EventRoute, ItemRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.screens.catalog import item_facts
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import GAP, RowButton, TouchScrollArea, label


class EventScreen(ScreenPage[EventRoute]):
    route = Screen.EVENT

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.life_event: LifeEvent | None = None
        self.list = TouchScrollArea()
        self.body.addWidget(self.list, 1)
        self.rows: list[tuple[QLabel, RowButton, str]] = []

    def enter(self, route: EventRoute) -> None:
        if self.life_event is None or self.life_event.code != route.code:
            self.life_event = self.ctx.catalog.life_events[route.code]
            self.list.clear()
            self.rows = []
            for number, step in enumerate(self.life_event.steps, start=1):
                line = QHBoxLayout()
                line.setSpacing(GAP)
                badge = label(str(number), "step", wrap=False)
                row = RowButton()
                row.clicked.connect(lambda _=False, c=step.item: self.ctx.nav.go(ItemRoute(c)))
                line.addWidget(badge)
                line.addWidget(row, 1)
                self.list.add_layout(line)
                self.rows.append((badge, row, step.item))
        super().enter(route)
        self.list.to_top()

    def retranslate(self) -> None:
        super().retranslate()
        event = self.life_event
        if event is None:
            return
        lang = self.lang
        self.set_heading(event.name(lang), event.summary(lang) if event.summary else "")
        catalog = self.ctx.catalog
        for step, (_, row, code) in zip(event.steps, self.rows, strict=True):
            item = catalog.items[code]
            detail = item_facts(self.ctx, item, lang)
            if step.next:
                then = listing((catalog.items[c].name(lang) for c in step.next), lang)
                detail += "\n" + self.say("event_then", items=then)
            row.set_texts(item.name(lang), detail, self.say("view_guide"))
