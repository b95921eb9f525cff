"""Item detail (办事指南): conditions, time limits, fee, window, department, kind, legal basis.

An item with no form says so before the visitor starts (consult, notice, then a ticket)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel

from kiosk.catalog.model import Item, ItemKind
from kiosk.ui.navigation import ConsultRoute, ItemRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import GAP, TouchScrollArea, button, card, label


class ItemScreen(ScreenPage[ItemRoute]):
    route = Screen.ITEM

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.item: Item | None = None
        self.content = TouchScrollArea()
        grid = QGridLayout()
        grid.setSpacing(GAP)
        self.facts: dict[str, tuple[QLabel, QLabel]] = {}
        places = {
            "item_conditions": (0, 0, 1, 2),
            "item_time": (1, 0, 1, 1),
            "item_fee": (1, 1, 1, 1),
            "item_window": (2, 0, 1, 1),
            "item_department": (2, 1, 1, 1),
            "item_basis": (3, 0, 1, 2),
        }
        for key, (row, column, rows, columns) in places.items():
            frame, box = card()
            heading = label("", "section")
            value = label("", "muted" if key == "item_basis" else None)
            box.addWidget(heading)
            box.addWidget(value)
            box.addStretch(1)
            grid.addWidget(frame, row, column, rows, columns)
            self.facts[key] = (heading, value)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.content.add_layout(grid)
        self.body.addWidget(self.content, 1)
        self.start_hint = label("", "muted")
        self.start_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.footer.addWidget(self.start_hint, 1)
        self.start = self.add_action(button("", "primary"))
        self.start.clicked.connect(self._start)

    def enter(self, route: ItemRoute) -> None:
        self.item = self.ctx.catalog.items[route.code]
        super().enter(route)
        self.content.to_top()

    def retranslate(self) -> None:
        super().retranslate()
        item = self.item
        if item is None:
            return
        lang = self.lang
        catalog = self.ctx.catalog
        kind = (
            self.say("immediate")
            if item.kind is ItemKind.IMMEDIATE
            else self.say("promised", days=item.promised_days)
        )
        summary = item.summary(lang) if item.summary else ""
        self.set_heading(item.name(lang), " · ".join(p for p in (kind, summary) if p))
        if item.kind is ItemKind.IMMEDIATE:
            time_limit = self.say("item_time_immediate")
        else:
            time_limit = self.say(
                "item_time_promised", promised=item.promised_days, statutory=item.statutory_days
            )
        queue = catalog.queue_of(item)
        windows = listing(queue.windows, lang)
        values = {
            "item_conditions": item.conditions(lang) if item.conditions else "—",
            "item_time": time_limit,
            "item_fee": item.fee(lang),
            "item_window": f"{queue.name(lang)}\n{self.say('windows', windows=windows)}",
            "item_department": catalog.departments[item.department].name(lang),
            "item_basis": item.legal_basis(lang),
        }
        for key, (heading, value) in self.facts.items():
            heading.setText(self.say(key))
            value.setText(values[key])
        hint = "item_start_hint" if item.has_form else "item_start_hint_no_form"
        self.start_hint.setText(self.say(hint))
        self.start.setText(self.say("item_start"))

    def _start(self) -> None:
        if self.item is None:
            return
        self.ctx.session.start_item(self.item)
        self.ctx.nav.go(ConsultRoute())
