"""A bundle's item picker: required items fixed, optional ones à la carte.

Next starts the bundle in the session (``start_bundle`` with the chosen
members), which builds the shared consultation and the one filling that
types shared fields once.
"""

from __future__ import annotations

from kiosk.catalog.model import Bundle
from kiosk.ui.navigation import BundleRoute, ConsultRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.screens.catalog import item_facts
from kiosk.ui.widgets.common import RowButton, TouchScrollArea, button, label


class BundleScreen(ScreenPage[BundleRoute]):
    route = Screen.BUNDLE

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.bundle: Bundle | None = None
        self.hint = label("", "muted")
        self.body.addWidget(self.hint)
        self.list = TouchScrollArea()
        self.body.addWidget(self.list, 1)
        self.rows: dict[str, RowButton] = {}
        self.next = self.add_action(button("", "primary"))
        self.next.clicked.connect(self._next)

    def enter(self, route: BundleRoute) -> None:
        bundle = self.ctx.catalog.bundles[route.code]
        if bundle is not self.bundle or self.ctx.session.bundle is not bundle:
            self.bundle = bundle
            self._build()
        super().enter(route)

    def _build(self) -> None:
        self.list.clear()
        self.rows = {}
        bundle = self.bundle
        if bundle is None:
            return
        session = self.ctx.session
        already = set(session.chosen) if session.bundle is bundle else set()
        for member in bundle.members:
            row = RowButton()
            row.setCheckable(True)
            row.setChecked(member.required or member.item in already)
            row.setEnabled(not member.required)  # required: always in, nothing to tap
            row.toggled.connect(self._update)
            self.list.add(row)
            self.rows[member.item] = row

    def chosen(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.isChecked()]

    def retranslate(self) -> None:
        super().retranslate()
        bundle = self.bundle
        if bundle is None:
            return
        lang = self.lang
        self.set_heading(bundle.name(lang), bundle.summary(lang) if bundle.summary else "")
        self.hint.setText(self.say("picker_hint"))
        self._update()

    def _update(self, *_: object) -> None:
        bundle = self.bundle
        if bundle is None:
            return
        lang = self.lang
        for member in bundle.members:
            row = self.rows[member.item]
            item = self.ctx.catalog.items[member.item]
            if member.required:
                tag, state = self.say("required"), "locked"
            else:
                tag, state = self.say("optional"), "on" if row.isChecked() else "off"
            row.set_texts(item.name(lang), item_facts(self.ctx, item, lang), tag)
            row.set_check(state)
        self.next.setText(self.say("picker_next", count=len(self.chosen())))

    def _next(self) -> None:
        bundle = self.bundle
        if bundle is None:
            return
        session = self.ctx.session
        if session.bundle is bundle:
            session.choose_members(self.chosen())  # keeps what was typed for remaining fields
        else:
            session.start_bundle(bundle, self.chosen())
        self.ctx.nav.go(ConsultRoute())

    def reset(self) -> None:
        self.bundle = None
        self.list.clear()
        self.rows = {}
